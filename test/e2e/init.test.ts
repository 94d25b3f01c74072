// `tenantctl init` as a new user runs it, with the built CLI in an empty directory: the starting point
// validates and takes `app add`; --from-tenant exports the live tenant so plan is clean at once;
// at a terminal it asks for the environments.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, copyRepoTenant, envFor, runCli, STACK_TRACE, writesSince } from '../support/cli.js';
import { emulatorPerTest } from '../support/emulator.js';

const startEmulator = emulatorPerTest();
const dirs: string[] = [];
function emptyRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tenantctl-init-e2e-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('tenantctl init', () => {
  it('writes a starting point that validates and takes app add; never overwrites without --force', async () => {
    const cwd = emptyRepo();
    const init = await runCli(['init', '--env', 'dev=dev-acme.us.auth0.com', '--env', 'prod=acme.us.auth0.com'], { cwd });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('created   tenant/tenant.yaml');
    expect(init.stdout).toContain('created   .github/workflows/tenant-plan.yml');
    expect(init.stdout).toContain('npx tenantctl app add');
    const add = await runCli(['app', 'add', 'Acme Fleet', '--type', 'regular_web', '--callback', 'https://fleet.acme.example/callback'], { cwd });
    expect(add.code, add.stderr).toBe(0);
    const validate = await runCli(['validate'], { cwd });
    expect(validate.code, validate.stdout).toBe(0);
    expect(validate.stdout).toContain('No problems found in 2 files.');

    writeFileSync(join(cwd, 'tenant', 'tenant.yaml'), readFileSync(join(cwd, 'tenant', 'tenant.yaml'), 'utf8').replace('domain: acme.us.auth0.com', 'domain: acme.eu.auth0.com'));
    const edited = readFileSync(join(cwd, 'tenant', 'tenant.yaml'), 'utf8');
    const again = await runCli(['init', '--env', 'dev=dev-acme.us.auth0.com'], { cwd });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('error: init would overwrite tenant/tenant.yaml');
    expect(again.stderr).toContain('hint: move them aside, or pass --force to replace them');
    expect(again.stderr).not.toMatch(STACK_TRACE);
    expect(readFileSync(join(cwd, 'tenant', 'tenant.yaml'), 'utf8')).toBe(edited);
    const forced = await runCli(['init', '--env', 'dev=dev-acme.us.auth0.com', '--force'], { cwd });
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'tenant', 'tenant.yaml'), 'utf8')).not.toContain('prod:');
  });

  it('refuses bad --env values and a missing --env without a terminal, writing nothing', async () => {
    const cwd = emptyRepo();
    const none = await runCli(['init'], { cwd });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('error: init needs at least one environment');
    const bad = await runCli(['init', '--env', 'dev=not a domain'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('nothing was written');
    expect(`${none.stderr}${bad.stderr}`).not.toMatch(STACK_TRACE);
    const listing = await runCli(['validate'], { cwd });
    expect(listing.stderr + listing.stdout).toContain('tenant directory "tenant" does not exist');
  });

  it('--from-tenant exports the live tenant so plan shows no changes at once', async () => {
    const emulator = await startEmulator();
    const env = envFor(emulator);
    const seeded = copyRepoTenant('tenantctl-init-seed-');
    dirs.push(seeded);
    const applied = await runCli(['apply', '--auto-approve'], { cwd: seeded, env });
    expect(applied.code, applied.stderr).toBe(0);

    const cwd = emptyRepo();
    const init = await runCli(['init', '--env', 'dev=autosharesdev.us.auth0.com', '--from-tenant'], { cwd, env });
    expect(init.code, init.stderr + init.stdout).toBe(0);
    expect(init.stdout).toMatch(/Exported 3 applications, 2 connections, 1 API, \d+ grants? and 0 organizations from autosharesdev\.us\.auth0\.com/);
    expect(init.stdout).toContain('created   tenant/applications/autoshares-partner-portal.yaml');
    const tenantYaml = readFileSync(join(cwd, 'tenant', 'tenant.yaml'), 'utf8');
    // The dev tenant has localhost URLs, so the environment allows them, as export would have said.
    expect(tenantYaml).toContain('  dev:\n    domain: autosharesdev.us.auth0.com\n    allow_localhost: true\n');

    const from = emulator.requests.length;
    const plan = await runCli(['plan', '--env', 'dev', '--detailed-exitcode'], { cwd, env });
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes. The tenant matches the configuration.');
    expect(writesSince(emulator, from)).toEqual([]);

    // The same objects under a production environment break its URL policy: init says so and exits 1.
    const withProd = emptyRepo();
    const strict = await runCli(['init', '--env', 'dev=autosharesdev.us.auth0.com', '--env', 'prod=autoshares.us.auth0.com', '--from-tenant'], { cwd: withProd, env });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('which environment prod does not allow');
    expect(strict.stderr).toContain('The live tenant breaks the rules above');
  });

  it('asks for the environments at a terminal', async () => {
    const cwd = emptyRepo();
    const answers = ['', 'dev-acme.us.auth0.com', 'prod', 'acme.us.auth0.com', ''];
    const command = [process.execPath, CLI, 'init'].map((word) => `'${word}'`).join(' ');
    const screen = await new Promise<string>((resolve, reject) => {
      const child = spawn('script', ['-qec', command, '/dev/null'], { cwd, env: { ...process.env, NO_COLOR: '1' } });
      let shown = '';
      let prompts = 0;
      child.stdout.on('data', (chunk: Buffer) => {
        shown += chunk.toString();
        // Answer each question once it is on the screen, as a person would.
        const asked = (shown.match(/Environment name|Auth0 domain of/g) ?? []).length;
        while (prompts < asked && prompts < answers.length) child.stdin.write(`${answers[prompts++]}\n`);
      });
      child.on('error', reject);
      child.on('close', () => resolve(shown));
    });
    expect(screen).toContain('Environment name [dev]: ');
    expect(screen).toContain('Auth0 domain of prod (e.g. prod-acme.us.auth0.com): ');
    expect(readFileSync(join(cwd, 'tenant', 'tenant.yaml'), 'utf8')).toContain('environments:\n  dev:\n    domain: dev-acme.us.auth0.com\n  prod:\n    domain: acme.us.auth0.com\n');
  });
});
