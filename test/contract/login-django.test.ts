// examples/django-partner (Auth0's Django quick start with Authlib) logs a user in against the emulator with the
// .env written by `tenantctl credentials`: Authlib discovers the tenant, checks state and nonce, exchanges the
// code and verifies the ID token against the JWKS. Debian's python3-django and python3-authlib must be installed;
// without them the test fails naming the packages (README, "Run every test").
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { envFor, runCli } from '../support/cli.js';
import { startTestEmulator } from '../support/emulator.js';
import { seedLoginApp, USER } from '../support/login.js';

const PYTHON = process.env.TENANTCTL_PYTHON ?? '/usr/bin/python3';
const PACKAGES = 'python3-django python3-authlib python3-requests python3-dotenv';
const EXAMPLE = fileURLToPath(new URL('../../examples/django-partner', import.meta.url));
const DRIVER = fileURLToPath(new URL('../support/django_login.py', import.meta.url));

let emulator: RunningEmulator;
let work: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  seedLoginApp(emulator, {
    name: 'Acme Django',
    app_type: 'regular_web',
    callbacks: ['http://localhost:3000/callback'],
    allowed_logout_urls: ['http://localhost:3000/'],
  });
  work = mkdtempSync(join(tmpdir(), 'tenantctl-django-'));
  cpSync(EXAMPLE, join(work, 'app'), { recursive: true });
  cpSync(fileURLToPath(new URL('../../tenant', import.meta.url)), join(work, 'tenant'), { recursive: true });
});

afterAll(async () => {
  await emulator?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Fails with what to install when the Python side is missing, instead of skipping. */
function requirePython(): void {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: install Debian's python3 and ${PACKAGES} (or set TENANTCTL_PYTHON)`);
  const probe = spawnSync(PYTHON, ['-c', 'import django, authlib, requests, dotenv'], { encoding: 'utf8' });
  if (probe.status !== 0) throw new Error(`${PYTHON} cannot import the example's libraries: apt-get install ${PACKAGES}\n${probe.stderr}`);
}

/** Runs the driver without blocking: the emulator answering it lives in this process. */
function drive(password: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      PYTHON,
      [DRIVER, join(work, 'app'), USER.email, password],
      // Only what a partner's shell would have: no AUTH0_* (the .env provides them), the emulator's CA trusted.
      { encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH ?? '', HOME: work, REQUESTS_CA_BUNDLE: emulator.caCertPath, SSL_CERT_FILE: emulator.caCertPath } },
      (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

describe('the Django partner example', () => {
  it('logs a user in with the .env from tenantctl credentials, and logs out to an allowed URL', async () => {
    requirePython();
    const handed = await runCli(['credentials', 'Acme Django', '--dir', join(work, 'tenant'), '--env', 'dev', '--out', join(work, 'app', '.env')], { cwd: work, env: envFor(emulator) });
    expect(handed.code, handed.stderr).toBe(0);

    const run = await drive(USER.password);
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(result).toMatchObject({
      authorize: `https://${emulator.domain}/authorize`,
      authorize_status: 302,
      login_status: 302,
      callback: 'http://localhost:3000/callback',
      callback_status: 302,
      logout_redirect: 'http://localhost:3000/',
    });
    expect(String(result.home)).toContain(`Welcome ${USER.email}!`);
    expect(String(result.home)).toMatch(/auth0\|[0-9a-f]{24}/);
  });

  it('with a wrong password the user stays on the login page with its error', async () => {
    requirePython();
    const run = await drive('not-it');
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toMatchObject({ login_status: 400, login_error: 'Wrong email or password.' });
  });
});
