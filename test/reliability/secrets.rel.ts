// Canary secrets: every client secret in the emulator is a unique random value; across every command a
// user runs, none may reach stdout, stderr or a written file, except the .env file `credentials` writes on purpose.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { startTestEmulator } from '../support/emulator.js';
import { canaryHits, clientSecretCanaries, envFor, hasStackTrace, noteForSummary, recordFigures, runCli, type CliRun } from './support.js';

/** Where `credentials --format dotenv` writes on purpose: the one file allowed to hold a secret. */
const DOTENV = 'partner-portal.env';

/** Access tokens are RS256 JWTs (as Auth0's are): three base64url parts, the header starting with eyJ. */
const TOKEN_SHAPE = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g;

const TENANT_YAML = ['environments:', '  dev:', '    domain: canary-dev.us.auth0.com', 'default_environment: dev', ''].join('\n');

const FILES: Record<string, string> = {
  'applications/partner-portal.yaml': [
    'name: Partner Portal',
    'app_type: regular_web',
    'callbacks:',
    '  - https://portal.canary.example.com/callback',
    'grant_types: [authorization_code, refresh_token]',
    'connections:',
    '  - canary-db',
    '',
  ].join('\n'),
  'applications/broker-spa.yaml': [
    'name: Broker SPA',
    'app_type: spa',
    'token_endpoint_auth_method: none',
    'callbacks:',
    '  - https://broker.canary.example.com',
    'web_origins:',
    '  - https://broker.canary.example.com',
    '',
  ].join('\n'),
  'applications/sync-job.yaml': [
    'name: Canary Sync Job',
    'app_type: non_interactive',
    'grant_types: [client_credentials]',
    'grants:',
    '  - api: https://api.canary.example.com/',
    '    scopes: [read:things]',
    '',
  ].join('\n'),
  'apis/api.yaml': ['name: Canary API', 'identifier: https://api.canary.example.com/', 'scopes:', '  - value: read:things', '    description: Read things', ''].join('\n'),
  'connections/db.yaml': ['name: canary-db', 'strategy: auth0', ''].join('\n'),
};

let emulator: RunningEmulator;
let work: string;
const runs: CliRun[] = [];

async function cli(args: string[], env: Record<string, string> = envFor(emulator)): Promise<CliRun> {
  const run = await runCli(args, { cwd: work, env, timeoutMs: 60_000 });
  runs.push(run);
  return run;
}

/** Every file under the work directory except the tenant sources and the intended .env file. */
function writtenFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(work, path), readFileSync(path, 'utf8'));
    }
  };
  walk(work);
  files.delete(DOTENV);
  return files;
}

async function issueToken(target: RunningEmulator): Promise<string> {
  const response = await fetch(`https://${target.domain}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: target.clientId, client_secret: target.clientSecret, audience: `https://${target.domain}/api/v2/` }).toString(),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

beforeAll(async () => {
  emulator = await startTestEmulator();
  // Objects that exist before tenantctl: the portal (drifted), and a hand-made app nobody declares.
  emulator.seed('clients', [
    { name: 'Partner Portal', app_type: 'regular_web', callbacks: ['https://old.canary.example.com/callback'] },
    { name: 'Hand-made Reporting Tool', app_type: 'non_interactive', grant_types: ['client_credentials'] },
  ]);
  work = mkdtempSync(join(tmpdir(), 'tenantctl-reliability-secrets-'));
  for (const folder of ['applications', 'apis', 'connections']) mkdirSync(join(work, 'tenant', folder), { recursive: true });
  writeFileSync(join(work, 'tenant', 'tenant.yaml'), TENANT_YAML);
  for (const [path, text] of Object.entries(FILES)) writeFileSync(join(work, 'tenant', path), text);

  // What a user does, in order: validate, plan in every format, apply a saved plan, apply again, onboard.
  await cli(['validate']);
  await cli(['validate', '--format', 'json']);
  await cli(['validate', '--format', 'github']);
  await cli(['plan']);
  await cli(['plan', '--format', 'markdown']);
  await cli(['plan', '--format', 'json']);
  await cli(['plan', '--verbose', '--detailed-exitcode']);
  await cli(['plan', '--out', 'saved.plan.json']);
  await cli(['apply', 'saved.plan.json', '--auto-approve', '--report', 'apply-report.json']);
  await cli(['apply', '--auto-approve', '--report', 'noop-report.json']);
  await cli(['plan', '--format', 'markdown', '--detailed-exitcode']);
  await cli(['check-login', 'Partner Portal', '--callback', 'https://portal.canary.example.com/callback', '--callback', 'https://evil.example.com/cb']);
  await cli(['check-login', 'Broker SPA', '--origin', 'https://broker.canary.example.com']);
  await cli(['app', 'add', 'Canary Partner Site', '--type', 'regular_web', '--callback', 'https://site.canary.example.com/callback']);
  await cli(['credentials', 'Broker SPA', '--format', 'spa']);
  await cli(['credentials', 'Partner Portal', '--format', 'dotenv', '--out', DOTENV]);
  await cli(['credentials', 'Partner Portal', '--format', 'dotenv', '--out', DOTENV]);
  await cli(['credentials', 'Partner Portl', '--out', 'typo.env']);
  await cli(['credentials', 'Canary Sync Job']);
  await cli(['export', '--out', 'exported', '--domain', 'canary-dev.us.auth0.com']);
  // A wrong secret must not be echoed back either: it is a canary of its own.
  await cli(['plan'], { ...envFor(emulator), AUTH0_CLIENT_SECRET: 'wrong-secret-canary-0f3b9c2d7e1a5b8c4d6e2f0a9b7c5d3e1f8a6b4c2d0e9f7a' });
}, 240_000);

afterAll(async () => {
  if (work && !existsSync(join(work, 'noop-report.json'))) {
    noteForSummary('`apply --auto-approve --report FILE` with no changes wrote no FILE (src/cli/commands/apply.ts returns before writing it)');
  }
  if (emulator && work) {
    const canaries = clientSecretCanaries(emulator);
    const printed = runs.flatMap((run) => [run.stdout, run.stderr]).join('\n');
    const files = [...writtenFiles().values()].join('\n');
    recordFigures('secrets', {
      'commands run': runs.length,
      'canary secrets': canaries.size,
      'files scanned': writtenFiles().size,
      'canary hits': canaryHits(`${printed}\n${files}`, canaries).length,
      'token-shaped strings': (`${printed}\n${files}`.match(TOKEN_SHAPE) ?? []).length,
    });
  }
  await emulator?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('canary secrets', () => {
  it('every command ran to its normal end: no stack trace, no hang, exit codes as documented', () => {
    for (const run of runs) {
      expect(run.timedOut, run.args.join(' ')).toBe(false);
      expect(hasStackTrace(run.stdout + run.stderr), `${run.args.join(' ')}\n${run.stderr}`).toBe(false);
    }
    const codes = runs.map((run) => `${run.args.slice(0, 2).join(' ')} → ${run.code}`);
    expect(runs.filter((run) => run.args[0] === 'apply').map((run) => run.code), codes.join('\n')).toEqual([0, 0]);
    expect(runs.find((run) => run.args.includes('--verbose'))?.code).toBe(2);
    expect(runs.find((run) => run.args.includes('--detailed-exitcode') && run.args.includes('markdown'))?.code, codes.join('\n')).toBe(0);
    expect(runs.at(-1)?.code).not.toBe(0);
  });

  it('the canaries are many and real: every client in the emulator, the management client and the apply-created ones', () => {
    const canaries = clientSecretCanaries(emulator);
    expect(canaries.has(emulator.clientSecret)).toBe(true);
    const names = [...emulator.store.clients.all()].map((client) => String(client.name));
    expect(names).toEqual(expect.arrayContaining(['Partner Portal', 'Broker SPA', 'Canary Sync Job', 'Hand-made Reporting Tool']));
    expect(canaries.size).toBeGreaterThanOrEqual(5);
  });

  it('no canary in stdout or stderr of any command', () => {
    const canaries = clientSecretCanaries(emulator);
    canaries.set('wrong-secret-canary-0f3b9c2d7e1a5b8c4d6e2f0a9b7c5d3e1f8a6b4c2d0e9f7a', 'the wrong AUTH0_CLIENT_SECRET given to plan');
    const leaks = runs.flatMap((run) => canaryHits(`${run.stdout}\n${run.stderr}`, canaries).map((what) => `${what} in tenantctl ${run.args.join(' ')}`));
    expect(leaks).toEqual([]);
  });

  it('no canary in any file the commands wrote: plan file, reports, exported YAML, app add, markdown', () => {
    const files = writtenFiles();
    // (A no-op `apply --report` writes no report at all: reported to the apply owner, not asserted here.)
    expect([...files.keys()]).toEqual(expect.arrayContaining(['saved.plan.json', 'apply-report.json', 'tenant/applications/canary-partner-site.yaml']));
    expect([...files.keys()].some((path) => path.startsWith('exported/'))).toBe(true);
    const canaries = clientSecretCanaries(emulator);
    const leaks = [...files].flatMap(([path, text]) => canaryHits(text, canaries).map((what) => `${what} in ${path}`));
    expect(leaks).toEqual([]);
  });

  it('no access token (a JWT) in any output or file', async () => {
    // The pattern does catch a real token of this emulator, so an empty match below means something.
    const token = await issueToken(emulator);
    expect(`Bearer ${token}\n`.match(TOKEN_SHAPE)).toEqual([token]);
    const everything = [...runs.flatMap((run) => [run.stdout, run.stderr]), ...writtenFiles().values()].join('\n');
    expect(everything.match(TOKEN_SHAPE) ?? []).toEqual([]);
  });

  it('the one intended exception: the dotenv file credentials --out wrote holds the portal secret, mode 0600', () => {
    const portal = [...emulator.store.clients.all()].find((client) => client.name === 'Partner Portal');
    const text = readFileSync(join(work, DOTENV), 'utf8');
    expect(text).toContain(`AUTH0_CLIENT_SECRET=${String(portal?.client_secret)}\n`);
    expect(statSync(join(work, DOTENV)).mode & 0o777).toBe(0o600);
  });
});
