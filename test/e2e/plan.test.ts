// `tenantctl plan` end to end: the built CLI against the emulator with the repo's tenant/ (issue 5):
// the three formats, saved plans without secrets, exit codes, one-line errors, --target, --verbose and stats.
import { appendFileSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownScopes, type RunningEmulator } from '../../src/emulator/index.js';
import { startTestEmulator } from '../support/emulator.js';
import { apiRequestsSince, copyRepoTenant, envFor, leakedSecrets, runCli, STACK_TRACE, type CliRun } from '../support/cli.js';

// A connection secret declared through the process environment: it must be masked everywhere.
const GOOGLE_SECRET = 'google-secret-e2e-7fQ2xv9LmZ';

/** What the repo's tenant/ asks of a fresh emulator tenant (which already has Username-Password-Authentication). */
const EXPECTED_CHANGES = [
  'api https://api.autoshares.example.com/ create',
  'application AutoShares Inventory Sync create',
  'application AutoShares Partner Dashboard create',
  'application AutoShares Partner Portal create',
  'connection google-oauth2 create',
  'enablement Username-Password-Authentication update',
  'enablement google-oauth2 update',
  'grant AutoShares Inventory Sync -> https://api.autoshares.example.com/ create',
];

interface JsonPlan {
  format_version: number;
  environment: string;
  domain: string;
  config_hash: string;
  live_fingerprint: string;
  summary: { add: number; change: number; destroy: number };
  changes: { kind: string; key: string; action: string; fields: { path: string; before?: unknown; after?: unknown }[]; dependsOn: string[] }[];
  stats: { reads: number | null };
}

const changeLines = (plan: JsonPlan) => plan.changes.map((c) => `${c.kind} ${c.key} ${c.action}`).sort();

/** The repo's tenant/ with the Google connection's secret taken from the process environment. */
function tenantWithGoogleSecret(): string {
  const dir = copyRepoTenant('tenantctl-plan-e2e-');
  appendFileSync(
    join(dir, 'tenant', 'connections', 'google-oauth2.yaml'),
    '  client_id: autoshares-e2e.apps.googleusercontent.example.com\n  client_secret: ${env:GOOGLE_CLIENT_SECRET}\n',
  );
  return dir;
}

function expectOneLineError(result: CliRun, message: string | RegExp): void {
  expect(result.code, result.stdout + result.stderr).toBe(1);
  expect(result.stderr).not.toMatch(STACK_TRACE);
  const errors = result.stderr.split('\n').filter((line) => line.startsWith('error: '));
  expect(errors, result.stderr).toHaveLength(1);
  expect(errors[0]).toMatch(message);
  expect(result.stdout).toBe('');
}

describe('plan against a fresh tenant', () => {
  let emulator: RunningEmulator;
  let dir: string;
  let handMadeSecret: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    const [handMade] = emulator.seed('clients', [{ name: 'Hand Made Reporting', app_type: 'regular_web', callbacks: ['https://reports.example.com/cb'] }]);
    handMadeSecret = String(handMade?.client_secret);
    dir = tenantWithGoogleSecret();
    env = { ...envFor(emulator), GOOGLE_CLIENT_SECRET: GOOGLE_SECRET };
  });
  afterAll(async () => {
    await emulator?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const secrets = () => [GOOGLE_SECRET, handMadeSecret, emulator.clientSecret];

  describe.concurrent('formats and flags', () => {
    it('text: every declared object to create, field by field, secret masked, ending with the summary', async () => {
      const result = await runCli(['plan', '--env', 'dev'], { cwd: dir, env });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain(`note: AUTH0_DOMAIN=${emulator.domain} is a local emulator; it stands in for autosharesdev.us.auth0.com`);
      const out = result.stdout;
      expect(out).toContain('+ API "https://api.autoshares.example.com/" {');
      for (const name of ['AutoShares Inventory Sync', 'AutoShares Partner Dashboard', 'AutoShares Partner Portal']) {
        expect(out).toContain(`# application "${name}" will be created`);
      }
      expect(out).toContain('+ connection "google-oauth2" {');
      expect(out).toContain('+ grant "AutoShares Inventory Sync -> https://api.autoshares.example.com/" {');
      expect(out).toContain('+ callbacks: ["http://localhost:3000/callback"]'); // the dev environment's var
      expect(out).toContain('+ options.client_secret: (sensitive)');
      expect(out).toMatch(/~ enabled_clients: \+ "AutoShares Partner Dashboard" {2}\+ "AutoShares Partner Portal"/);
      expect(out.trimEnd().endsWith('Plan: 6 to add, 2 to change, 0 to destroy.')).toBe(true);
      expect(out).not.toContain('Hand Made Reporting'); // undeclared and not managed: left alone
      expect(out).not.toContain('\x1b['); // no colour without a terminal
      expect(leakedSecrets(result, secrets())).toEqual([]);
    });

    it('markdown: a summary table, then one <details> block per change', async () => {
      const result = await runCli(['plan', '--format', 'markdown'], { cwd: dir, env });
      expect(result.code, result.stderr).toBe(0);
      const out = result.stdout;
      expect(out).toContain('**Plan: 6 to add, 2 to change, 0 to destroy.**');
      expect(out).toMatch(/\| applications \| 3 \| 0 \| 0 \| 0 \|/);
      expect(out).toMatch(/\| connection enablement \| 0 \| 2 \| 0 \| 0 \|/);
      expect(out.match(/<details>/g)).toHaveLength(EXPECTED_CHANGES.length);
      expect(out).toContain('application &quot;AutoShares Partner Portal&quot; will be created');
      expect(out).toContain('options.client_secret: (sensitive)');
      expect(leakedSecrets(result, secrets())).toEqual([]);
    });

    it('json: versioned, each change with kind, key, action, fields and dependencies', async () => {
      const result = await runCli(['plan', '--format', 'json'], { cwd: dir, env });
      expect(result.code, result.stderr).toBe(0);
      const plan = JSON.parse(result.stdout) as JsonPlan;
      expect(plan.format_version).toBe(1);
      expect(plan.environment).toBe('dev');
      expect(plan.domain).toBe(emulator.domain);
      expect(changeLines(plan)).toEqual(EXPECTED_CHANGES);
      expect(plan.summary).toMatchObject({ add: 6, change: 2, destroy: 0 });
      const grant = plan.changes.find((c) => c.kind === 'grant');
      expect(grant?.dependsOn).toEqual(expect.arrayContaining(['api:https://api.autoshares.example.com/', 'application:AutoShares Inventory Sync']));
      const google = plan.changes.find((c) => c.kind === 'connection');
      expect(google?.fields.find((f) => f.path === 'options.client_secret')).toEqual({ path: 'options.client_secret', sensitive: true });
      expect(leakedSecrets(result, secrets())).toEqual([]);
    });

    it('--out writes a plan file with the domain, config hash and live fingerprint, and no secret', async () => {
      const result = await runCli(['plan', '--out', 'saved-plan.json'], { cwd: dir, env });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain('Saved the plan to saved-plan.json; apply it with: tenantctl apply saved-plan.json');
      const path = join(dir, 'saved-plan.json');
      const text = readFileSync(path, 'utf8');
      for (const secret of secrets()) expect(text).not.toContain(secret);
      const saved = JSON.parse(text) as JsonPlan;
      expect(saved.format_version).toBe(1);
      expect(saved.environment).toBe('dev');
      expect(saved.domain).toBe(emulator.domain);
      expect(saved.config_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(saved.live_fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(changeLines(saved)).toEqual(EXPECTED_CHANGES);
      expect(statSync(path).mode & 0o077).toBe(0);
    });

    it('--target applications/FILE plans only that application and what it needs', async () => {
      const result = await runCli(['plan', '--format', 'json', '--target', 'applications/inventory-sync'], { cwd: dir, env });
      expect(result.code, result.stderr).toBe(0);
      expect(changeLines(JSON.parse(result.stdout) as JsonPlan)).toEqual([
        'api https://api.autoshares.example.com/ create',
        'application AutoShares Inventory Sync create',
        // Auth0 enables the new application on the existing database (flags.enable_client_connections is on by
        // default); its file lists no connection, so tenantctl removes it again.
        'enablement Username-Password-Authentication update',
        'grant AutoShares Inventory Sync -> https://api.autoshares.example.com/ create',
      ]);
    });

    it('--target by application name keeps only that application in the connections’ enablement', async () => {
      const result = await runCli(['plan', '--target', 'applications/AutoShares Partner Portal'], { cwd: dir, env });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('+ application "AutoShares Partner Portal" {');
      expect(result.stdout).toContain('+ connection "google-oauth2" {');
      expect(result.stdout).not.toContain('AutoShares Partner Dashboard');
      expect(result.stdout).not.toContain('AutoShares Inventory Sync');
      // Auth0 enables the new portal on Username-Password-Authentication by itself (flags.enable_client_connections
      // is on by default), so only google-oauth2's enablement changes.
      expect(result.stdout).not.toContain('connection "Username-Password-Authentication"');
      expect(result.stdout).toContain('Plan: 2 to add, 1 to change, 0 to destroy.');
    });

    it('--target that names nothing known is a usage error', async () => {
      const result = await runCli(['plan', '--target', 'partner-portal'], { cwd: dir, env });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--target "partner-portal" is not KIND/NAME');
      expect(result.stderr).not.toMatch(STACK_TRACE);
    });

    it('--verbose shows the request counts on stderr', async () => {
      const result = await runCli(['plan', '--verbose'], { cwd: dir, env });
      expect(result.code, result.stderr).toBe(0);
      // Four list requests, the enablement of Username-Password-Authentication (google-oauth2 does not exist yet),
      // and the tenant settings flag, read because the configuration creates applications.
      expect(result.stderr).toMatch(/^requests: 7 GET \(\+1 token\); 0 answered 429; 0 retried$/m);
      expect(result.stdout).not.toContain('requests:');
    });

    it('--env prod runs against the emulator too, with prod’s values', async () => {
      const result = await runCli(['plan', '--env', 'prod', '--format', 'json'], { cwd: dir, env });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain('it stands in for autoshares.us.auth0.com (environment prod)');
      const plan = JSON.parse(result.stdout) as JsonPlan;
      expect(plan.environment).toBe('prod');
      const portal = plan.changes.find((c) => c.key === 'AutoShares Partner Portal');
      expect(portal?.fields.find((f) => f.path === 'callbacks')?.after).toEqual(['https://partner-portal.example.com/callback']);
    });
  });
});

describe.concurrent('plan refuses to run, with one line and exit 1', () => {
  let emulator: RunningEmulator;
  let dir: string;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    dir = copyRepoTenant('tenantctl-plan-errors-');
  });
  afterAll(async () => {
    await emulator?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('missing AUTH0_* variables are named', async () => {
    const result = await runCli(['plan'], { cwd: dir, env: { AUTH0_DOMAIN: emulator.domain } });
    expectOneLineError(result, /^error: missing environment variables AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET$/);
  });

  it('a real domain that is not the environment’s is refused before any request', async () => {
    const result = await runCli(['plan', '--env', 'prod'], {
      cwd: dir,
      env: { AUTH0_DOMAIN: 'autosharesdev.us.auth0.com', AUTH0_CLIENT_ID: 'id', AUTH0_CLIENT_SECRET: 'secret-never-shown-123' },
    });
    expectOneLineError(result, 'AUTH0_DOMAIN is autosharesdev.us.auth0.com, but environment "prod" is autoshares.us.auth0.com');
    expect(result.stderr).toContain('use --env');
    expect(result.stderr).not.toContain('secret-never-shown-123');
  });

  it('a bad client secret: Auth0 refused the credentials, what to check, no secret shown', async () => {
    const wrong = 'wrong-secret-e2e-0123456789';
    const result = await runCli(['plan'], { cwd: dir, env: { ...envFor(emulator), AUTH0_CLIENT_SECRET: wrong } });
    expectOneLineError(result, /refused the client credentials \(401/);
    expect(result.stderr).toContain('AUTH0_CLIENT_SECRET');
    expect(result.stderr).not.toContain(wrong);
  });

  it('a missing scope is named with where to grant it', async () => {
    const limited = await startTestEmulator({ scopes: knownScopes.filter((scope) => scope !== 'read:resource_servers') });
    try {
      const result = await runCli(['plan'], { cwd: dir, env: envFor(limited) });
      expectOneLineError(result, /GET \/api\/v2\/resource-servers(\?page=0)?: Insufficient scope, expected any of: read:resource_servers/);
      expect(result.stderr).toContain('Machine to Machine Applications');
    } finally {
      await limited.close();
    }
  });

  it('invalid config: every diagnostic at file:line:col, exit 1, and not a single request', async () => {
    const broken = copyRepoTenant('tenantctl-plan-invalid-');
    const untouched = await startTestEmulator(); // its own, so the log holds this run's requests only
    try {
      writeFileSync(
        join(broken, 'tenant', 'applications', 'broken.yaml'),
        ['name: Broken App', 'app_type: regular_web', 'callbacks:', '  - http://broken.example.com/cb', 'colour: blue', ''].join('\n'),
      );
      const result = await runCli(['plan'], { cwd: broken, env: envFor(untouched) });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/tenant\/applications\/broken\.yaml:4:\d+/);
      expect(result.stderr).toMatch(/tenant\/applications\/broken\.yaml:5:1/);
      expect(result.stderr).toContain('nothing was planned');
      expect(result.stderr).not.toMatch(STACK_TRACE);
      expect(result.stdout).toBe('');
      expect(untouched.requests).toEqual([]);
    } finally {
      await untouched.close();
      rmSync(broken, { recursive: true, force: true });
    }
  });
});

describe('plan before and after apply', () => {
  let emulator: RunningEmulator;
  let dir: string;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    dir = copyRepoTenant('tenantctl-plan-apply-');
  });
  afterAll(async () => {
    await emulator?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('--detailed-exitcode: 2 with changes; after apply "No changes" and 0; stats.reads counts the GETs made', async () => {
    const env = envFor(emulator);
    const before = await runCli(['plan', '--detailed-exitcode'], { cwd: dir, env });
    expect(before.code, before.stderr).toBe(2);
    expect(before.stdout).toContain('Plan: 6 to add, 2 to change, 0 to destroy.');

    const applied = await runCli(['apply', '--auto-approve'], { cwd: dir, env });
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);

    const from = emulator.requests.length;
    const after = await runCli(['plan', '--detailed-exitcode', '--format', 'json'], { cwd: dir, env });
    expect(after.code, after.stderr).toBe(0);
    const plan = JSON.parse(after.stdout) as JsonPlan;
    expect(plan.changes).toEqual([]);
    const gets = apiRequestsSince(emulator, from).filter((entry) => entry.method === 'GET');
    expect(apiRequestsSince(emulator, from)).toHaveLength(gets.length); // plan never writes
    // One list per kind (five, organizations included) plus the enablement of the two declared connections.
    expect(gets).toHaveLength(7);
    expect(plan.stats.reads).toBe(gets.length);

    const text = await runCli(['plan', '--detailed-exitcode'], { cwd: dir, env });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('No changes. The tenant matches the configuration.');
  });
});

describe('plan read cost on a large tenant', () => {
  it('reads 1,000 applications with ceil(1000/100) list requests plus a small constant, and says so in stats', async () => {
    const emulator = await startTestEmulator();
    const dir = copyRepoTenant('tenantctl-plan-large-');
    try {
      // With the global client and the emulator's own, the tenant holds exactly 1,000 applications.
      emulator.seed('clients', Array.from({ length: 998 }, (_, i) => ({ name: `Hand-made App ${i}`, app_type: 'spa' })));
      const from = emulator.requests.length;
      const run = await runCli(['plan', '--env', 'dev', '--format', 'json'], { cwd: dir, env: envFor(emulator) });
      expect(run.code, run.stderr).toBe(0);
      const reads = apiRequestsSince(emulator, from);
      expect(reads.every((r) => r.method === 'GET')).toBe(true);
      expect(reads.filter((r) => r.path === '/api/v2/clients')).toHaveLength(10);
      // One list each for APIs, connections, grants and organizations (none, so no enabled connections to read); the enablement of every connection (only
      // Username-Password-Authentication exists, and Auth0's default flags.enable_client_connections enabled the
      // 998 seeded applications on it: 999 clients, 10 pages of 100); and the flag itself, as the config creates apps.
      expect(reads.filter((r) => r.path.endsWith('/clients') && r.path.startsWith('/api/v2/connections/'))).toHaveLength(10);
      expect(reads.filter((r) => r.path === '/api/v2/tenants/settings')).toHaveLength(1);
      expect(reads).toHaveLength(10 + 4 + 10 + 1);
      const plan = JSON.parse(run.stdout) as JsonPlan;
      expect(plan.stats.reads).toBe(reads.length);
      // The hand-made applications are neither changed nor deleted.
      expect(plan.changes.some((c) => c.key.startsWith('Hand-made App'))).toBe(false);
    } finally {
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
