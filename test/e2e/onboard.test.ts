// Partner onboarding through the built CLI against the emulator: app add, credentials (files, formats,
// missing scope, unknown name) and check-login (table incl. drift); secrets stay off stdout/stderr.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownScopes, type RunningEmulator } from '../../src/emulator/index.js';
import { startTestEmulator } from '../support/emulator.js';
import { envFor, runCli as run, type CliRun } from '../support/cli.js';




const TENANT_YAML = [
  'environments:',
  '  dev:',
  '    domain: autosharesdev.us.auth0.com',
  '    allow_localhost: true',
  '  prod:',
  '    domain: autoshares.us.auth0.com',
  'default_environment: dev',
  '',
].join('\n');

let emulator: RunningEmulator;
let work: string;
let webClient: { client_id: string; client_secret: string };

beforeAll(async () => {
  emulator = await startTestEmulator();
  const [web] = emulator.seed('clients', [
    {
      name: 'Partner Portal',
      app_type: 'regular_web',
      callbacks: ['https://portal.partner.example.com/callback', 'http://localhost:8000/callback'],
      allowed_logout_urls: ['https://portal.partner.example.com/'],
    },
    { name: 'Broker SPA', app_type: 'spa', callbacks: ['https://broker.example.com'], web_origins: ['https://broker.example.com'] },
  ]);
  webClient = { client_id: String(web!.client_id), client_secret: String(web!.client_secret) };
  work = mkdtempSync(join(tmpdir(), 'tenantctl-onboard-e2e-'));
  mkdirSync(join(work, 'tenant', 'applications'), { recursive: true });
  writeFileSync(join(work, 'tenant', 'tenant.yaml'), TENANT_YAML);
  writeFileSync(
    join(work, 'tenant', 'applications', 'partner-portal.yaml'),
    [
      '# yaml-language-server: $schema=../../schemas/application.schema.json',
      'name: Partner Portal',
      'app_type: regular_web',
      'grant_types: [authorization_code, refresh_token]',
      'callbacks:',
      '  - https://portal.partner.example.com/callback',
      '  - https://portal.partner.example.com/auth/complete',
      'allowed_logout_urls:',
      '  - https://portal.partner.example.com/',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await emulator?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

function expectNoSecret(result: CliRun): void {
  expect(result.stdout).not.toContain(webClient.client_secret);
  expect(result.stderr).not.toContain(webClient.client_secret);
  expect(result.stdout).not.toContain(emulator.clientSecret);
  expect(result.stderr).not.toContain(emulator.clientSecret);
}

describe.concurrent('tenantctl credentials', () => {
  it('dotenv to a file: mode 0600, exactly the three lines, values equal the emulator client', async () => {
    const result = await run(['credentials', 'Partner Portal', '--out', 'portal.env'], { cwd: work, env: envFor(emulator) });
    expect(result.stderr).toContain('local emulator');
    expect(result.code, result.stderr).toBe(0);
    const path = join(work, 'portal.env');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe(
      `AUTH0_DOMAIN=${emulator.domain}\nAUTH0_CLIENT_ID=${webClient.client_id}\nAUTH0_CLIENT_SECRET=${webClient.client_secret}\n`,
    );
    expect(result.stdout).toContain('mode 0600');
    expectNoSecret(result);

    const again = await run(['credentials', 'Partner Portal', '--out', 'portal.env'], { cwd: work, env: envFor(emulator) });
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('already exists');
    expect(again.stderr).not.toMatch(/\n\s+at /);
    expectNoSecret(again);
  });

  it('json to stdout only with --out -', async () => {
    const result = await run(['credentials', 'Partner Portal', '--format', 'json', '--out', '-'], { cwd: work, env: envFor(emulator) });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ domain: emulator.domain, client_id: webClient.client_id, client_secret: webClient.client_secret });
    expect(result.stderr).not.toContain(webClient.client_secret);
  });

  it('without --out: explains the options, exit non-zero, no secret anywhere', async () => {
    const result = await run(['credentials', 'Partner Portal'], { cwd: work, env: envFor(emulator) });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--out');
    expectNoSecret(result);
  });

  it('spa format: a createAuth0Client snippet with no secret, and no read:client_keys needed', async () => {
    const limited = await startTestEmulator({ scopes: knownScopes.filter((scope) => scope !== 'read:client_keys') });
    try {
      const [spa] = limited.seed('clients', [{ name: 'Broker SPA', app_type: 'spa', callbacks: ['https://broker.example.com'] }]);
      const result = await run(['credentials', 'Broker SPA', '--format', 'spa'], { cwd: work, env: envFor(limited) });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('createAuth0Client({');
      expect(result.stdout).toContain(`clientId: '${String(spa!.client_id)}'`);
      expect(result.stdout).toContain(`domain: '${limited.domain}'`);
      expect(result.stdout).toContain('redirect_uri: window.location.origin');
      expect(result.stdout).not.toContain(String(spa!.client_secret));
      expect(result.stdout.toLowerCase()).not.toContain('secret');
    } finally {
      await limited.close();
    }
  });

  it('dotenv for a spa warns that SPAs must not hold a secret', async () => {
    const result = await run(['credentials', 'Broker SPA', '--out', '-'], { cwd: work, env: envFor(emulator) });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('must not hold a client secret');
    expect(result.stderr).toContain('--format spa');
  });

  it('without read:client_keys: a clear error naming the scope', async () => {
    const limited = await startTestEmulator({ scopes: knownScopes.filter((scope) => scope !== 'read:client_keys') });
    try {
      limited.seed('clients', [{ name: 'Partner Portal', app_type: 'regular_web' }]);
      const result = await run(['credentials', 'Partner Portal', '--out', 'limited.env'], { cwd: work, env: envFor(limited) });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('read:client_keys');
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(join(work, 'limited.env'))).toBe(false);
      expect(result.stderr).not.toContain(limited.clientSecret);
    } finally {
      await limited.close();
    }
  });

  it('an unknown name: did you mean, from the live names', async () => {
    const result = await run(['credentials', 'Partner Portl', '--out', 'x.env'], { cwd: work, env: envFor(emulator) });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('no application named "Partner Portl"');
    expect(result.stderr).toContain('did you mean "Partner Portal"?');
    expectNoSecret(result);
  });

  it('refuses a file git would commit, and allows it once ignored', async () => {
    const repo = join(work, 'repo');
    mkdirSync(repo);
    await new Promise<void>((resolve, reject) => spawn('git', ['init', '-q', repo]).on('close', (code) => (code === 0 ? resolve() : reject(new Error('git init failed')))));
    const refused = await run(['credentials', 'Partner Portal', '--out', '.env'], { cwd: repo, env: envFor(emulator) });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('not ignored');
    expect(refused.stderr).toContain('.gitignore');
    expect(existsSync(join(repo, '.env'))).toBe(false);
    writeFileSync(join(repo, '.gitignore'), '.env\n');
    const allowed = await run(['credentials', 'Partner Portal', '--out', '.env'], { cwd: repo, env: envFor(emulator) });
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(statSync(join(repo, '.env')).mode & 0o777).toBe(0o600);
    expectNoSecret(allowed);
  });
});

describe.concurrent('tenantctl check-login', () => {
  const rows: { name: string; args: string[]; code: number; out: RegExp }[] = [
    { name: 'exact: accepted by config and live', args: ['--callback', 'https://portal.partner.example.com/callback'], code: 0, out: /^✓ callback .* accepted by config \(tenant\/applications\/partner-portal\.yaml:5\) and by the live tenant/m },
    { name: 'trailing slash: rejected with the file:line to change', args: ['--callback', 'https://portal.partner.example.com/callback/'], code: 1, out: /^✗ callback .*not registered: .*no trailing slash.*Add https:\/\/portal\.partner\.example\.com\/callback\/ to callbacks in tenant\/applications\/partner-portal\.yaml:5\./m },
    { name: 'http vs https', args: ['--callback', 'http://portal.partner.example.com/callback'], code: 1, out: /https, not http/ },
    { name: 'drift: in config, not applied', args: ['--callback', 'https://portal.partner.example.com/auth/complete'], code: 1, out: /accepted by config .* but not by the live tenant: drift/ },
    { name: 'drift: live only (localhost in dev)', args: ['--callback', 'http://localhost:8000/callback'], code: 0, out: /accepted by the live tenant .* but not by config: drift/ },
    { name: 'localhost in prod: the policy note', args: ['--callback', 'http://localhost:8000/callback', '--env', 'prod'], code: 0, out: /url-localhost/ },
    { name: 'logout with query string', args: ['--logout', 'https://portal.partner.example.com/?from=app'], code: 0, out: /^✓ logout URL/m },
  ];

  it.each(rows)('$name', async ({ args, code, out }) => {
    const result = await run(['check-login', 'Partner Portal', ...args], { cwd: work, env: envFor(emulator) });
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toMatch(out);
    expect(result.code).toBe(code);
    expectNoSecret(result);
  });

  it('without credentials: checks the config only and says so', async () => {
    const result = await run(['check-login', 'Partner Portal', '--callback', 'https://portal.partner.example.com/callback'], { cwd: work });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('live tenant was not checked');
  });

  it('an unknown application: did you mean', async () => {
    const result = await run(['check-login', 'Partner Portl', '--callback', 'https://x.example.com/cb'], { cwd: work, env: envFor(emulator) });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('did you mean "Partner Portal"?');
  });
});

describe('tenantctl app add', () => {
  it('writes a valid file and prints the next steps; validate accepts it', async () => {
    const result = await run(
      ['app', 'add', 'Dealer Dashboard', '--type', 'spa', '--callback', 'https://dealer.example.com', '--logout', 'https://dealer.example.com', '--origin', 'https://dealer.example.com'],
      { cwd: work },
    );
    expect(result.stderr).toBe('');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('tenant/applications/dealer-dashboard.yaml');
    expect(result.stdout).toContain('pull request');
    expect(result.stdout).toContain('tenantctl credentials "Dealer Dashboard" --env');
    const validate = await run(['validate'], { cwd: work });
    expect(validate.code).toBe(0);
  });

  it('rejects a bad URL with the validate rule id, exit 1, nothing written', async () => {
    const result = await run(['app', 'add', 'Bad Urls', '--type', 'regular_web', '--callback', 'http://bad.example.com/cb'], { cwd: work });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[url-https]');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(work, 'tenant', 'applications', 'bad-urls.yaml'))).toBe(false);
  });

  it('refuses an existing name', async () => {
    const result = await run(['app', 'add', 'Partner Portal', '--type', 'regular_web'], { cwd: work });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('already declared');
  });
});

describe('three commands: app add -> validate -> apply -> credentials', () => {
  it('registers, applies and hands over a new partner app with a 0600 .env matching the tenant', async () => {
    const fresh = await startTestEmulator();
    const dir = mkdtempSync(join(tmpdir(), 'tenantctl-onboard-flow-'));
    try {
      mkdirSync(join(dir, 'tenant'));
      writeFileSync(join(dir, 'tenant', 'tenant.yaml'), TENANT_YAML);
      const env = envFor(fresh);
      const added = await run(['app', 'add', 'Fleet Reports', '--type', 'regular_web', '--callback', 'https://fleet.partner.example.com/callback', '--logout', 'https://fleet.partner.example.com/'], { cwd: dir });
      expect(added.code, added.stderr).toBe(0);
      const validated = await run(['validate'], { cwd: dir });
      expect(validated.code, validated.stdout).toBe(0);
      const applied = await run(['apply', '--env', 'dev', '--auto-approve'], { cwd: dir, env });
      expect(applied.code, applied.stderr + applied.stdout).toBe(0);
      const handed = await run(['credentials', 'Fleet Reports', '--env', 'dev', '--out', '.env'], { cwd: dir, env });
      expect(handed.code, handed.stderr).toBe(0);

      const client = fresh.store.clients.all().find((candidate) => candidate.name === 'Fleet Reports');
      expect(client).toBeDefined();
      const path = join(dir, '.env');
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(readFileSync(path, 'utf8')).toBe(`AUTH0_DOMAIN=${fresh.domain}\nAUTH0_CLIENT_ID=${String(client!.client_id)}\nAUTH0_CLIENT_SECRET=${String(client!.client_secret)}\n`);
      for (const result of [added, validated, applied, handed]) {
        expect(result.stdout + result.stderr).not.toContain(String(client!.client_secret));
        expect(result.stdout + result.stderr).not.toContain(fresh.clientSecret);
      }
      const checked = await run(['check-login', 'Fleet Reports', '--callback', 'https://fleet.partner.example.com/callback'], { cwd: dir, env });
      expect(checked.stdout).toMatch(/^✓ callback .* accepted by config .* and by the live tenant/m);
      expect(checked.code).toBe(0);
    } finally {
      await fresh.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
