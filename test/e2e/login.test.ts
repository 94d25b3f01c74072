// The partner's login, end to end: the .env written by `tenantctl credentials` drives openid-client through the
// Authorization Code flow against the emulator, and `check-login --probe` asks the emulator's /authorize and
// /v2/logout whether they accept a partner's URLs, with the tenant's own words when they do not.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { loginAsPartnerApp, readPartnerEnv } from '../../src/demo/partner-login.js';
import { envFor, runCli, STACK_TRACE } from '../support/cli.js';
import { startTestEmulator } from '../support/emulator.js';
import { seedLoginApp, USER, type LoginApp } from '../support/login.js';

let emulator: RunningEmulator;
let work: string;
let app: LoginApp;

beforeAll(async () => {
  emulator = await startTestEmulator();
  app = seedLoginApp(emulator, {
    name: 'Acme Fleet',
    app_type: 'regular_web',
    callbacks: ['https://fleet.acme.example/callback'],
    allowed_logout_urls: ['https://fleet.acme.example/'],
  });
  work = mkdtempSync(join(tmpdir(), 'tenantctl-login-e2e-'));
  mkdirSync(join(work, 'tenant', 'applications'), { recursive: true });
  writeFileSync(join(work, 'tenant', 'tenant.yaml'), 'environments:\n  dev:\n    domain: tenantctl-probe.invalid\n');
  writeFileSync(
    join(work, 'tenant', 'applications', 'acme-fleet.yaml'),
    'name: Acme Fleet\napp_type: regular_web\ncallbacks:\n  - https://fleet.acme.example/callback\nallowed_logout_urls:\n  - https://fleet.acme.example/\n',
  );
});

afterAll(async () => {
  await emulator?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('a partner app logs in with the .env it was handed', () => {
  it('openid-client: discovery, PKCE, the login form, the code exchange, an ID token valid against the JWKS', async () => {
    const handed = await runCli(['credentials', 'Acme Fleet', '--out', 'acme.env'], { cwd: work, env: envFor(emulator) });
    expect(handed.code, handed.stderr).toBe(0);
    const settings = readPartnerEnv(join(work, 'acme.env'));
    expect(settings).toEqual({ domain: emulator.domain, clientId: app.clientId, clientSecret: app.clientSecret });
    const login = await loginAsPartnerApp(settings, { redirectUri: 'https://fleet.acme.example/callback', username: USER.email, password: USER.password });
    expect(login.claims).toMatchObject({ iss: `https://${emulator.domain}/`, aud: app.clientId, email: USER.email });
    expect(String(login.claims.sub)).toMatch(/^auth0\|/);
  });
});

describe('tenantctl check-login --probe', () => {
  const probe = (args: string[], env: Record<string, string | undefined> = envFor(emulator)) =>
    runCli(['check-login', 'Acme Fleet', '--env', 'dev', '--probe', ...args], { cwd: work, env });

  it('reports the registered callback and logout URL as accepted by the tenant itself', async () => {
    const result = await probe(['--callback', 'https://fleet.acme.example/callback', '--logout', 'https://fleet.acme.example/']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`✓ callback https://fleet.acme.example/callback accepted by https://${emulator.domain}/authorize`);
    expect(result.stdout).toContain(`✓ logout URL https://fleet.acme.example/ accepted by https://${emulator.domain}/v2/logout`);
  });

  it('quotes the tenant for an unregistered callback and an unlisted logout URL, exit 1', async () => {
    const result = await probe(['--callback', 'https://fleet.acme.example/callback/', '--logout', 'https://elsewhere.example/']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `✗ callback https://fleet.acme.example/callback/ refused by https://${emulator.domain}/authorize (HTTP 400): Callback URL mismatch. https://fleet.acme.example/callback/ is not in the list of allowed callback URLs.`,
    );
    expect(result.stdout).toContain(
      `✗ logout URL https://elsewhere.example/ refused by https://${emulator.domain}/v2/logout (HTTP 400): The "returnTo" querystring parameter "https://elsewhere.example/" is not defined as a valid URL in "Allowed Logout URLs".`,
    );
    expect(result.stdout).not.toContain(app.clientSecret);
  });

  it('logs nobody in: the probe only reaches /authorize and /v2/logout', async () => {
    const from = emulator.requests.length;
    await probe(['--callback', 'https://fleet.acme.example/callback']);
    const authn = emulator.requests.slice(from).filter((entry) => !entry.path.startsWith('/api/v2/') && entry.path !== '/oauth/token');
    expect(authn.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual(['GET /authorize 302']);
  });

  it('without credentials it needs --client-id, and says clearly when the domain cannot be reached', async () => {
    const noCredentials = { AUTH0_DOMAIN: undefined, AUTH0_CLIENT_ID: undefined, AUTH0_CLIENT_SECRET: undefined };
    const missing = await probe(['--callback', 'https://fleet.acme.example/callback'], noCredentials);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--probe needs the client id of "Acme Fleet"');
    const unreachable = await probe(['--callback', 'https://fleet.acme.example/callback', '--client-id', app.clientId], noCredentials);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('could not reach https://tenantctl-probe.invalid/authorize');
    expect(unreachable.stderr).not.toMatch(STACK_TRACE);
    const stray = await runCli(['check-login', 'Acme Fleet', '--callback', 'https://fleet.acme.example/callback', '--client-id', 'x'], { cwd: work, env: noCredentials });
    expect(stray.code).toBe(2);
  });
});
