// README's policy gate, run as written: its Node.js check reads `plan --format json` and refuses a plan
// that destroys a connection, and passes one that does not.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyRepoTenant, envFor, runCli } from '../support/cli.js';
import { emulatorPerTest } from '../support/emulator.js';

const startEmulator = emulatorPerTest();
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** README's gate: the shell line `node -e '…'` in the policy section, run by sh in `dir`. */
function gate(dir: string): { code: number; stderr: string } {
  const line = /^node -e '.*plan-output\.json.*'$/m.exec(readme.slice(readme.indexOf('**Gating a plan with a policy.**')));
  if (!line) throw new Error('README no longer shows the Node.js policy check');
  const run = spawnSync('sh', ['-c', line[0]], { cwd: dir, encoding: 'utf8' });
  return { code: run.status ?? -1, stderr: run.stderr };
}

describe("README's policy gate on plan --format json", () => {
  it('refuses a plan that destroys a connection and lets others through', async () => {
    const emulator = await startEmulator();
    const env = envFor(emulator);
    const dir = copyRepoTenant('tenantctl-policy-');
    try {
      expect((await runCli(['apply', '--auto-approve'], { cwd: dir, env })).code).toBe(0);
      const portal = join(dir, 'tenant', 'applications', 'partner-portal.yaml');
      writeFileSync(portal, readFileSync(portal, 'utf8').replace('${PARTNER_PORTAL_URL}/callback', '${PARTNER_PORTAL_URL}/auth/callback'));
      const harmless = await runCli(['plan', '--format', 'json'], { cwd: dir, env });
      writeFileSync(join(dir, 'plan-output.json'), harmless.stdout);
      expect(gate(dir)).toEqual({ code: 0, stderr: '' });

      // Google is no longer declared (nor used): the plan destroys the connection tenantctl created.
      unlinkSync(join(dir, 'tenant', 'connections', 'google-oauth2.yaml'));
      for (const app of ['partner-portal.yaml', 'partner-dashboard.yaml']) {
        const file = join(dir, 'tenant', 'applications', app);
        writeFileSync(file, readFileSync(file, 'utf8').replace('  - google-oauth2\n', ''));
      }
      const destroying = await runCli(['plan', '--format', 'json'], { cwd: dir, env });
      expect(destroying.code, destroying.stderr).toBe(0);
      expect(JSON.parse(destroying.stdout).changes).toContainEqual(expect.objectContaining({ kind: 'connection', key: 'google-oauth2', action: 'delete' }));
      writeFileSync(join(dir, 'plan-output.json'), destroying.stdout);
      expect(gate(dir)).toEqual({ code: 1, stderr: 'refused: the plan destroys connection google-oauth2 (delete)\n' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
