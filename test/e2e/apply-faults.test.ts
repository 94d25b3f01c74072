// apply under injected faults (issue 6): 20% of API requests fail, half of them after the write landed;
// re-running `tenantctl apply` must converge to "No changes" without ever creating a duplicate.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import type { RateLimitProfile, RunningEmulator } from '../../src/emulator/index.js';
import { startTestEmulator } from '../support/emulator.js';
import { envFor, runCli, STACK_TRACE, type CliRun } from '../support/cli.js';

const MAX_RUNS = 4;

/** Writes a tenant of `apps` applications, two connections, two APIs and a grant for every tenth app. */
function generateTenant(apps: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'tenantctl-faults-'));
  const tenant = join(dir, 'tenant');
  for (const sub of ['applications', 'connections', 'apis']) mkdirSync(join(tenant, sub), { recursive: true });
  writeFileSync(join(tenant, 'tenant.yaml'), 'environments:\n  dev:\n    domain: fleetdev.us.auth0.com\ndefault_environment: dev\n');
  writeFileSync(join(tenant, 'connections', 'partners-db.yaml'), 'name: partners-db\nstrategy: auth0\n');
  writeFileSync(join(tenant, 'connections', 'github.yaml'), 'name: github\nstrategy: github\noptions:\n  scope: [read:user]\n');
  for (const api of ['inventory', 'bookings']) {
    writeFileSync(
      join(tenant, 'apis', `${api}.yaml`),
      `name: Fleet ${api}\nidentifier: https://${api}.fleet.example.com/\nscopes:\n  - value: read:${api}\n  - value: write:${api}\n`,
    );
  }
  for (let i = 0; i < apps; i++) {
    const n = String(i).padStart(3, '0');
    const machine = i % 10 === 0;
    const lines = machine
      ? [`name: Fleet Job ${n}`, 'app_type: non_interactive', 'grant_types: [client_credentials]', 'grants:', '  - api: https://inventory.fleet.example.com/', '    scopes: [read:inventory]']
      : [
          `name: Fleet Partner ${n}`,
          'app_type: regular_web',
          `callbacks: [https://partner-${n}.fleet.example.com/callback]`,
          `allowed_logout_urls: [https://partner-${n}.fleet.example.com/]`,
          `connections: [partners-db${i % 3 === 0 ? ', github' : ''}]`,
        ];
    writeFileSync(join(tenant, 'applications', `app-${n}.yaml`), `${lines.join('\n')}\n`);
  }
  return dir;
}

function duplicates(values: unknown[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const value of values.map(String)) (seen.has(value) ? repeated : seen).add(value);
  return [...repeated];
}

async function convergesUnderFaults(context: TestContext, apps: number, rateLimit: RateLimitProfile, faultSeed: number): Promise<void> {
  const emulator: RunningEmulator = await startTestEmulator({ faultRate: 0.2, faultSeed, rateLimit });
  const dir = generateTenant(apps);
  context.onTestFinished(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const env = envFor(emulator);
  const runs: CliRun[] = [];
  for (let i = 0; i < MAX_RUNS; i++) {
    const run = await runCli(['apply', '--auto-approve', '--concurrency', '8'], { cwd: dir, env });
    runs.push(run);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    if (run.code === 0) break;
    expect(run.stdout, run.stderr).toContain('Run apply again to finish');
  }
  const last = runs.at(-1);
  expect(last?.code, `did not converge in ${MAX_RUNS} runs:\n${runs.map((r) => r.stdout.split('\n').slice(-15).join('\n')).join('\n---\n')}`).toBe(0);

  const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: dir, env });
  expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  expect(plan.stdout).toContain('No changes. The tenant matches the configuration.');

  // The faults really happened, including after writes landed.
  const faulted = emulator.requests.filter((entry) => entry.fault !== undefined);
  expect(faulted.some((entry) => entry.method === 'POST' && entry.fault?.endsWith('after write'))).toBe(true);

  const clients = emulator.store.clients.all();
  expect(duplicates(clients.map((client) => client.name))).toEqual([]);
  expect(clients.filter((client) => String(client.name).startsWith('Fleet '))).toHaveLength(apps);
  expect(duplicates(emulator.store.connections.all().map((connection) => connection.name))).toEqual([]);
  expect(duplicates(emulator.store.resourceServers.all().map((api) => api.identifier))).toEqual([]);
  expect(duplicates(emulator.store.clientGrants.all().map((grant) => `${String(grant.client_id)} ${String(grant.audience)}`))).toEqual([]);
  expect(emulator.store.clientGrants.all().filter((grant) => String(grant.audience).includes('fleet.example.com'))).toHaveLength(Math.ceil(apps / 10));
  // Enablement goes in batches Auth0 accepts.
  for (const entry of emulator.requests.filter((e) => e.method === 'PATCH' && e.path.endsWith('/clients'))) {
    expect((entry.body as unknown[]).length).toBeLessThanOrEqual(50);
  }
}

describe.concurrent('apply converges under 20% injected faults', () => {
  it('200 applications with the enterprise rate-limit profile: done within 4 runs, no duplicates', async (context) => {
    await convergesUnderFaults(context, 200, 'enterprise', 20260);
  }, 90_000);

  it('20 applications with the free rate-limit profile (2 requests/s): done within 4 runs, no duplicates', async (context) => {
    await convergesUnderFaults(context, 20, 'free', 4242);
  }, 90_000);
});
