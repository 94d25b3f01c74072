// A real, unmodified Auth0 client against the emulator: auth0-deploy-cli 8.44.0 exports the whole tenant and imports
// the export twice. Every answer must be one the run expects (no error status except the 404s Auth0 gives for
// singletons a new tenant has not configured), and deploy-cli must print no warning or error of its own.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runNodeScript } from '../support/cli.js';
import { startTestEmulator } from '../support/emulator.js';

const require = createRequire(import.meta.url);
const deployCli = join(dirname(require.resolve('auth0-deploy-cli/package.json')), 'lib', 'index.js');

/**
 * Lines deploy-cli prints whatever the tenant answers, so they say nothing about the emulator: its YAML export
 * always warns that flow vault `setup` keys are not preserved (lib/context/yaml/handlers/flowVaultConnections.js),
 * and an import of any export warns that rules and hooks are deprecated, because every export has a (here empty)
 * `rules:` and `hooks:` section (handlers/rules.js, handlers/hooks.js).
 */
const printedForEveryTenant = [
  /WARNING! Flow vault connections `setup` key does not support keyword preservation/,
  /warn.*Rules are deprecated, migrate to using actions instead/,
  /warn.*Hooks are deprecated, migrate to using actions instead/,
];

/**
 * 404 is Auth0's answer for these singletons until they are configured, and deploy-cli reads it as "none"
 * (handlers/emailProvider.js, emailTemplates.js, themes.js, branding.js).
 */
const expectedNotFound = [
  /^\/api\/v2\/emails\/provider$/,
  /^\/api\/v2\/email-templates\/[a-z_]+$/,
  /^\/api\/v2\/branding\/themes\/default$/,
  /^\/api\/v2\/branding\/templates\/universal-login$/,
];

const workDir = mkdtempSync(join(tmpdir(), 'tenantctl-deploy-cli-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** deploy-cli's own warnings and errors (its logger marks them `warn:` / `error:`), minus the ones it prints for any tenant. */
function complaints(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => /\b(warn|error)\b|WARNING|ERROR/i.test(line))
    .filter((line) => !printedForEveryTenant.some((pattern) => pattern.test(line)));
}

describe('auth0-deploy-cli against the emulator', () => {
  it('exports the tenant and imports the export twice without an unexpected answer or warning', async () => {
    const emulator = await startTestEmulator();
    const options = {
      cwd: workDir,
      env: { HOME: workDir, NODE_EXTRA_CA_CERTS: emulator.caCertPath, AUTH0_DOMAIN: emulator.domain, AUTH0_CLIENT_ID: emulator.clientId, AUTH0_CLIENT_SECRET: emulator.clientSecret },
    };
    const exportDir = join(workDir, 'export');
    const runs: Array<{ step: string; code: number; output: string }> = [];
    const run = async (step: string, args: string[]): Promise<void> => {
      const result = await runNodeScript(deployCli, args, options);
      runs.push({ step, code: result.code, output: `${result.stdout}${result.stderr}` });
    };
    try {
      await run('export', ['export', '--format', 'yaml', '--output_folder', exportDir]);
      await run('import', ['import', '--input_file', join(exportDir, 'tenant.yaml')]);
      await run('repeated import', ['import', '--input_file', join(exportDir, 'tenant.yaml')]);
    } finally {
      await emulator.close();
    }

    for (const run of runs) {
      expect(run.code, `${run.step} failed:\n${run.output}`).toBe(0);
      expect(complaints(run.output), `${run.step} complained:\n${run.output}`).toEqual([]);
    }
    expect(runs[2]?.output).toMatch(/Import Successful/);

    const unexpected = emulator.requests.filter(
      (entry) => entry.status >= 400 && !(entry.status === 404 && entry.method === 'GET' && expectedNotFound.some((pattern) => pattern.test(entry.path))),
    );
    expect(unexpected.map((entry) => `${entry.method} ${entry.path} -> ${entry.status}`)).toEqual([]);
    // The run read the whole tenant: far more than the four kinds tenantctl manages.
    expect(new Set(emulator.requests.map((entry) => entry.path)).size).toBeGreaterThan(60);

    const exported = readFileSync(join(exportDir, 'tenant.yaml'), 'utf8');
    expect(exported).toContain('name: Username-Password-Authentication');
    expect(exported).toContain(`name: tenantctl emulator (Management API)`);
  }, 300_000);
});
