// Replacing a connection against an emulator that deletes connections in the background, as Auth0 does
// (issue #12, item 6): DELETE answers 202 and the name stays taken for a while. apply waits, bounded and with
// progress, until the name is free, and the replace converges; the next plan is clean.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import type { EmulatorOptions } from '../../src/emulator/index.js';
import { startTestEmulator } from '../support/emulator.js';
import { copyRepoTenant, envFor, runCli, STACK_TRACE, writesSince } from '../support/cli.js';

/** An emulator and a copy of the repo's tenant/ with one more connection, applied; both gone after the test. */
async function withConnection(context: TestContext, name: string, options: EmulatorOptions = {}) {
  const emulator = await startTestEmulator(options);
  const dir = copyRepoTenant('tenantctl-replace-e2e-');
  context.onTestFinished(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const file = join(dir, 'tenant', 'connections', `${name}.yaml`);
  writeFileSync(file, `name: ${name}\nstrategy: github\n`);
  const run = (args: string[]) => runCli(args, { cwd: dir, env: envFor(emulator) });
  return { emulator, dir, file, run };
}

describe('tenantctl apply: replacing a connection whose deletion Auth0 finishes in the background', () => {
  it('waits until the old name is free, says so, and converges', async (context) => {
    const { emulator, dir, file, run } = await withConnection(context, 'partners-social', { connectionDeleteDelayMs: 2500 });
    const portal = join(dir, 'tenant', 'applications', 'partner-portal.yaml');
    writeFileSync(portal, readFileSync(portal, 'utf8').replace('  - google-oauth2\n', '  - google-oauth2\n  - partners-social\n'));
    const first = await run(['apply', '--auto-approve']);
    expect(first.code, first.stderr + first.stdout).toBe(0);
    const oldId = emulator.store.connections.all().find((c) => c.name === 'partners-social')?.id;

    writeFileSync(file, 'name: partners-social\nstrategy: google-oauth2\n');
    const from = emulator.requests.length;
    const replaced = await run(['apply', '--auto-approve', '--allow-delete']);
    expect(replaced.code, replaced.stderr + replaced.stdout).toBe(0);
    expect(replaced.stderr).toMatch(/waiting connection "partners-social": the deleted connection’s name is still being freed by Auth0 \(\d+ s so far, at most 300 s\)/);
    expect(replaced.stderr).not.toMatch(STACK_TRACE);
    expect(replaced.stdout).toContain('Apply complete: 1 added, 1 changed, 1 destroyed.');
    const writes = writesSince(emulator, from).map((w) => `${w.method} ${w.path} ${w.status}`);
    expect(writes[0]).toBe(`DELETE /api/v2/connections/${String(oldId)} 202`);
    // Refused while the name was still taken, then created once.
    expect(writes.filter((w) => w === 'POST /api/v2/connections 409').length).toBeGreaterThan(0);
    expect(writes.filter((w) => w === 'POST /api/v2/connections 201')).toHaveLength(1);
    const now = emulator.store.connections.all().filter((c) => c.name === 'partners-social');
    expect(now).toMatchObject([{ strategy: 'google-oauth2' }]);
    const portalId = emulator.store.clients.all().find((c) => c.name === 'AutoShares Partner Portal')?.client_id;
    expect(emulator.store.enabledClients(String(now[0]?.id))).toEqual([portalId]);

    const plan = await run(['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  }, 30_000);

  it('a replace whose create fails after the delete went through reports the delete first, and counts it', async (context) => {
    const { emulator, dir, file, run } = await withConnection(context, 'partners-db');
    const first = await run(['apply', '--auto-approve']);
    expect(first.code, first.stderr + first.stdout).toBe(0);

    // Auth0 refuses these options on create (recorded 400), so the new connection fails after the old one is gone.
    writeFileSync(file, 'name: partners-db\nstrategy: auth0\noptions:\n  requires_username: true\n  attributes:\n    email:\n      identifier: {active: true}\n');
    const reportFile = join(dir, 'report.json');
    const replaced = await run(['apply', '--auto-approve', '--allow-delete', '--report', reportFile]);
    expect(replaced.code).toBe(1);
    expect(replaced.stdout).toContain('Apply incomplete: 0 added, 0 changed, 1 destroyed; 1 failed, 0 skipped.');
    const lines = replaced.stdout.split('\n');
    const deleted = lines.indexOf('  deleted connection "partners-db"');
    const failed = lines.findIndex((line) => line.startsWith('  failed  connection "partners-db": POST /api/v2/connections (400)'));
    expect(deleted).toBeGreaterThan(0);
    expect(failed).toBeGreaterThan(deleted);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { done: { object: string; outcome: string }[]; summary: { destroyed: number } };
    expect(report.done[0]).toMatchObject({ object: 'connection "partners-db"', outcome: 'deleted' });
    expect(report.summary.destroyed).toBe(1);
    expect(emulator.store.connections.all().filter((c) => c.name === 'partners-db')).toEqual([]);
  }, 30_000);
});
