// `tenantctl apply` end to end: the built CLI against the emulator, checked on its request log (issue 6):
// exact writes, no-op, approval, saved and stale plans, delete safety, system objects, failures and re-runs.
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { sdkFor } from '../support/emulator.js';
import { leakedSecrets, STACK_TRACE, writesSince } from '../support/cli.js';
import { tenantScenario, type TenantScenario } from '../support/scenario.js';

const PORTAL = 'tenant/applications/partner-portal.yaml';

interface Scenario extends TenantScenario {
  idOf(kind: 'clients' | 'connections' | 'resourceServers', name: string): string;
}

/** A fresh emulator and a temporary copy of the repo's tenant/, both gone when the (concurrent) test ends. */
async function scenario(context: TestContext): Promise<Scenario> {
  const base = await tenantScenario(context, 'tenantctl-apply-e2e-');
  const { emulator } = base;
  return {
    ...base,
    idOf(kind, name) {
      const found = emulator.store[kind].all().find((object) => object.name === name);
      if (!found) throw new Error(`no ${kind} named ${name} in the emulator`);
      return String(found.client_id ?? found.id);
    },
  };
}

/** Every client secret in the tenant: none may appear in any output. */
const tenantSecrets = (emulator: RunningEmulator) => emulator.store.clients.all().map((client) => String(client.client_secret));

const describeWrites = (emulator: RunningEmulator, from: number) => writesSince(emulator, from).map((entry) => `${entry.method} ${entry.path}`);

async function applyRepoTenant(s: Scenario): Promise<void> {
  const applied = await s.run(['apply', '--auto-approve']);
  expect(applied.code, applied.stderr + applied.stdout).toBe(0);
}

describe.concurrent('tenantctl apply', () => {
  it('fresh tenant: applies everything, then plan is clean and a no-op apply writes nothing', async (context) => {
    const s = await scenario(context);
    const applied = await s.run(['apply', '--env', 'dev', '--auto-approve']);
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    expect(applied.stdout).toContain('Apply complete: 6 added, 2 changed, 0 destroyed.');
    expect(applied.stdout).toContain('tenantctl credentials "AutoShares Partner Portal" --env dev --out');
    // Without a terminal: one line per finished write.
    expect(applied.stderr).toContain('[1/8] created api "https://api.autoshares.example.com/"');
    expect(applied.stderr).toMatch(/^\[8\/8\] /m);
    expect(leakedSecrets(applied, tenantSecrets(s.emulator))).toEqual([]);
    // Exactly one request per object: 6 creates, 2 enablement batches.
    const writes = describeWrites(s.emulator, 0);
    expect(writes.filter((w) => w.startsWith('POST'))).toHaveLength(6);
    expect(writes.filter((w) => w.startsWith('PATCH') && w.endsWith('/clients'))).toHaveLength(2);
    expect(writes).toHaveLength(8);

    const plan = await s.run(['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes. The tenant matches the configuration.');

    const from = s.emulator.requests.length;
    const reportFile = join(s.dir, 'noop-report.json');
    const again = await s.run(['apply', '--report', reportFile]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Apply complete: 0 added, 0 changed, 0 destroyed.');
    expect(writesSince(s.emulator, from)).toEqual([]);
    // Nothing to do needs no confirmation, and the report still tells CI so.
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { done: unknown[]; failed: unknown[]; skipped: unknown[] };
    expect(report).toMatchObject({ done: [], failed: [], skipped: [], summary: { added: 0, changed: 0, destroyed: 0 } });
  });

  it('one changed callback: exactly one PATCH carrying only callbacks; without a terminal it needs --auto-approve', async (context) => {
    const s = await scenario(context);
    await applyRepoTenant(s);
    const portalId = s.idOf('clients', 'AutoShares Partner Portal');
    s.edit(PORTAL, (text) => text.replace('${PARTNER_PORTAL_URL}/callback', '${PARTNER_PORTAL_URL}/auth/callback'));

    let from = s.emulator.requests.length;
    const refused = await s.run(['apply']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('~ callbacks: + "http://localhost:3000/auth/callback"  - "http://localhost:3000/callback"');
    expect(refused.stderr).toContain('error: apply needs confirmation, and there is no terminal to ask');
    expect(refused.stderr).toContain('--auto-approve');
    expect(refused.stderr).not.toMatch(STACK_TRACE);
    expect(writesSince(s.emulator, from)).toEqual([]);

    from = s.emulator.requests.length;
    const applied = await s.run(['apply', '--auto-approve']);
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    expect(applied.stdout).toContain('Apply complete: 0 added, 1 changed, 0 destroyed.');
    const writes = writesSince(s.emulator, from);
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual([`PATCH /api/v2/clients/${portalId}`]);
    expect(writes[0]?.body).toEqual({ callbacks: ['http://localhost:3000/auth/callback'] });
    expect(s.emulator.store.clients.get(portalId)?.callbacks).toEqual(['http://localhost:3000/auth/callback']);
  });

  it('a changed jwt_configuration.alg goes out alone: never the secret_encoded every read returns, which Auth0 refuses', async (context) => {
    const s = await scenario(context);
    await applyRepoTenant(s);
    const portalId = s.idOf('clients', 'AutoShares Partner Portal');
    expect(s.emulator.store.clients.get(portalId)?.jwt_configuration).toMatchObject({ secret_encoded: false });
    s.edit(PORTAL, (text) => text.replace('alg: RS256', 'alg: HS256'));
    s.edit(PORTAL, (text) => text.replace('leeway: 0', 'leeway: 5'));

    const from = s.emulator.requests.length;
    const applied = await s.run(['apply', '--auto-approve']);
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    const writes = writesSince(s.emulator, from);
    expect(writes.map((w) => `${w.method} ${w.path} ${w.status}`)).toEqual([`PATCH /api/v2/clients/${portalId} 200`]);
    const body = writes[0]?.body as Record<string, Record<string, unknown>>;
    expect(body.jwt_configuration).toEqual({ alg: 'HS256' });
    // refresh_token goes whole: Auth0 requires rotation_type and expiration_type in every PATCH of it.
    expect(body.refresh_token).toMatchObject({ rotation_type: 'rotating', expiration_type: 'expiring', leeway: 5 });
    expect(s.emulator.store.clients.get(portalId)?.jwt_configuration).toMatchObject({ alg: 'HS256', secret_encoded: false });
    const plan = await s.run(['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it('saved plans: applied when current, refused as stale after a config or a tenant change, with no writes', async (context) => {
    const s = await scenario(context);
    const planned = await s.run(['plan', '--out', 'first.json']);
    expect(planned.code, planned.stderr).toBe(0);
    const appliedSaved = await s.run(['apply', 'first.json']);
    expect(appliedSaved.code, appliedSaved.stderr + appliedSaved.stdout).toBe(0);
    expect(appliedSaved.stdout).toContain('Apply complete: 6 added, 2 changed, 0 destroyed.');

    // The config changes after the plan was saved.
    s.edit(PORTAL, (text) => text.replace('lifetime_in_seconds: 36000', 'lifetime_in_seconds: 7200'));
    expect((await s.run(['plan', '--out', 'second.json'])).code).toBe(0);
    s.edit(PORTAL, (text) => text.replace('lifetime_in_seconds: 7200', 'lifetime_in_seconds: 3600'));
    let from = s.emulator.requests.length;
    const staleConfig = await s.run(['apply', 'second.json']);
    expect(staleConfig.code).toBe(1);
    expect(staleConfig.stderr).toContain('error: plan is stale: the configuration changed since it was made; run plan again');
    expect(staleConfig.stderr).not.toMatch(STACK_TRACE);
    expect(writesSince(s.emulator, from)).toEqual([]);

    // The tenant is changed by hand after the plan was saved.
    expect((await s.run(['plan', '--out', 'third.json'])).code).toBe(0);
    const portalId = s.idOf('clients', 'AutoShares Partner Portal');
    await sdkFor(s.emulator).clients.update(portalId, { callbacks: ['https://edited-in-the-dashboard.example.com/cb'] });
    from = s.emulator.requests.length;
    const staleTenant = await s.run(['apply', 'third.json']);
    expect(staleTenant.code).toBe(1);
    expect(staleTenant.stderr).toContain('error: plan is stale: the tenant changed since it was made; run plan again');
    expect(writesSince(s.emulator, from)).toEqual([]);
    expect(s.emulator.store.clients.get(portalId)?.jwt_configuration).toMatchObject({ lifetime_in_seconds: 36000 });
  }, 90_000); // seven CLI runs in a row: room for a loaded machine

  it('a --report whose folder does not exist is refused before anything is written', async (context) => {
    const s = await scenario(context);
    const from = s.emulator.requests.length;
    const refused = await s.run(['apply', '--env', 'dev', '--auto-approve', '--report', 'missing/report.json']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--report missing/report.json: the folder missing does not exist; nothing was changed');
    expect(refused.stderr).not.toMatch(STACK_TRACE);
    expect(s.emulator.requests.length).toBe(from);
  });

  it('deletes: skipped without --allow-delete (exit 1, listed in --report), done with it; a hand-made app is never touched', async (context) => {
    const s = await scenario(context);
    await applyRepoTenant(s);
    const handMade = await sdkFor(s.emulator).clients.create({ name: 'Made In The Dashboard', app_type: 'spa', callbacks: ['https://hand.example.com'] });
    const handMadeId = String(handMade.client_id);
    const dashboardId = s.idOf('clients', 'AutoShares Partner Dashboard');
    unlinkSync(join(s.dir, 'tenant', 'applications', 'partner-dashboard.yaml'));

    let from = s.emulator.requests.length;
    const skipped = await s.run(['apply', '--auto-approve', '--report', 'report.json']);
    expect(skipped.code).toBe(1);
    expect(skipped.stdout).toContain('- application "AutoShares Partner Dashboard"');
    expect(skipped.stdout).toContain('skipped application "AutoShares Partner Dashboard": deletes need --allow-delete');
    expect(skipped.stdout).toContain('run apply again with --allow-delete');
    expect(writesSince(s.emulator, from).filter((w) => w.method === 'DELETE')).toEqual([]);
    expect(s.emulator.store.clients.get(dashboardId)).toBeDefined();
    const report = JSON.parse(readFileSync(join(s.dir, 'report.json'), 'utf8')) as {
      done: { object: string }[];
      failed: unknown[];
      skipped: { object: string; action: string; why: string }[];
    };
    expect(report.failed).toEqual([]);
    expect(report.skipped).toContainEqual({ kind: 'application', key: 'AutoShares Partner Dashboard', object: 'application "AutoShares Partner Dashboard"', action: 'delete', why: 'deletes need --allow-delete' });

    from = s.emulator.requests.length;
    const deleted = await s.run(['apply', '--auto-approve', '--allow-delete', '--report', 'report.json']);
    expect(deleted.code, deleted.stderr + deleted.stdout).toBe(0);
    expect(deleted.stdout).toMatch(/Apply complete: 0 added, \d+ changed, 1 destroyed\./);
    expect(describeWrites(s.emulator, from).filter((w) => w.startsWith('DELETE'))).toEqual([`DELETE /api/v2/clients/${dashboardId}`]);
    expect(s.emulator.store.clients.get(dashboardId)).toBeUndefined();
    const doneReport = JSON.parse(readFileSync(join(s.dir, 'report.json'), 'utf8')) as { done: { object: string; outcome: string }[]; skipped: unknown[] };
    expect(doneReport.done).toContainEqual(expect.objectContaining({ object: 'application "AutoShares Partner Dashboard"', outcome: 'deleted' }));
    expect(doneReport.skipped).toEqual([]);

    // Never declared, so never touched, with or without --allow-delete.
    expect(s.emulator.requests.some((entry) => entry.path.includes(handMadeId) || JSON.stringify(entry.body ?? '').includes(handMadeId))).toBe(false);
    expect(s.emulator.store.clients.get(handMadeId)?.name).toBe('Made In The Dashboard');
  });

  it('system objects: "All Applications" is rejected by validation; the own client and the Management API are never written', async (context) => {
    const s = await scenario(context);
    const systemApp = join(s.dir, 'tenant', 'applications', 'all-applications.yaml');
    writeFileSync(systemApp, 'name: All Applications\napp_type: spa\ncallbacks: [https://all.example.com]\n');
    const rejected = await s.run(['apply', '--auto-approve', '--allow-delete']);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain('tenant/applications/all-applications.yaml:1:7: error [system-object]');
    expect(s.emulator.requests).toEqual([]);
    unlinkSync(systemApp);

    // Objects validation cannot recognise (it does not know the emulator's names): the plan skips them.
    const ownName = String(s.emulator.store.clients.get(s.emulator.clientId)?.name);
    const management = s.emulator.store.resourceServers.all().find((api) => api.is_system === true);
    writeFileSync(join(s.dir, 'tenant', 'applications', 'own.yaml'), `name: ${JSON.stringify(ownName)}\napp_type: spa\ncallbacks: [https://own.example.com]\n`);
    writeFileSync(
      join(s.dir, 'tenant', 'apis', 'management.yaml'),
      `name: Renamed Management\nidentifier: ${String(management?.identifier)}\nscopes: [{value: read:clients}]\ntoken_lifetime: 60\n`,
    );
    const applied = await s.run(['apply', '--auto-approve', '--allow-delete']);
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    expect(applied.stdout).toContain("this is tenantctl's own client (AUTH0_CLIENT_ID); tenantctl never writes it");
    expect(applied.stdout).toContain('a system API');
    const protectedIds = [s.emulator.clientId, String(management?.id)];
    const global = s.emulator.store.clients.all().find((client) => client.global === true);
    protectedIds.push(String(global?.client_id));
    for (const entry of writesSince(s.emulator, 0)) {
      for (const id of protectedIds) expect(`${entry.path} ${JSON.stringify(entry.body ?? null)}`).not.toContain(id);
    }
    expect(s.emulator.store.resourceServers.get(String(management?.id))).toMatchObject({ name: 'Auth0 Management API', token_lifetime: 86400 });
    expect(s.emulator.store.clients.get(s.emulator.clientId)?.name).toBe(ownName);
  });

  it('a database connection is destroyed only with --allow-destroy-connection NAME', async (context) => {
    const s = await scenario(context);
    const dbFile = join(s.dir, 'tenant', 'connections', 'partners-db.yaml');
    writeFileSync(dbFile, 'name: partners-db\nstrategy: auth0\n');
    await applyRepoTenant(s);
    const dbId = s.idOf('connections', 'partners-db');
    unlinkSync(dbFile);

    let from = s.emulator.requests.length;
    const refused = await s.run(['apply', '--auto-approve', '--allow-delete']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('destroying database connection "partners-db" deletes its users: pass --allow-destroy-connection "partners-db"');
    expect(writesSince(s.emulator, from)).toEqual([]);

    from = s.emulator.requests.length;
    const destroyed = await s.run(['apply', '--auto-approve', '--allow-delete', '--allow-destroy-connection', 'partners-db']);
    expect(destroyed.code, destroyed.stderr + destroyed.stdout).toBe(0);
    expect(describeWrites(s.emulator, from)).toEqual([`DELETE /api/v2/connections/${dbId}`]);
    expect(s.emulator.store.connections.get(dbId)).toBeUndefined();
  });

  it('a failed create: independent work goes on, dependents are skipped, exit 1 with a report; the re-run does only what is left', async (context) => {
    const s = await scenario(context);
    const dbFile = join(s.dir, 'tenant', 'connections', 'partners-db.yaml');
    // Auth0 refuses database attributes without an active identifier; validation does not know that rule.
    const connection = (active: boolean) =>
      `name: partners-db\nstrategy: auth0\noptions:\n  attributes:\n    email:\n      identifier:\n        active: ${String(active)}\n`;
    writeFileSync(dbFile, connection(false));
    s.edit(PORTAL, (text) => text.replace('  - google-oauth2\n', '  - google-oauth2\n  - partners-db\n'));

    const failed = await s.run(['apply', '--auto-approve', '--report', 'report.json']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('Apply incomplete: 6 added, 2 changed, 0 destroyed; 1 failed, 1 skipped.');
    expect(failed.stdout).toMatch(/failed {2}connection "partners-db": POST \/api\/v2\/connections \(400\): attributes must contain one active identifier/);
    expect(failed.stdout).toContain('skipped enablement "partners-db": depends on connection partners-db, which was not applied');
    expect(failed.stdout).toContain('Run apply again to finish');
    expect(failed.stderr).not.toMatch(STACK_TRACE);
    const report = JSON.parse(readFileSync(join(s.dir, 'report.json'), 'utf8')) as {
      done: { object: string }[];
      failed: { object: string; request: string; status: number; message: string }[];
      skipped: { object: string }[];
    };
    expect(report.done).toHaveLength(8);
    expect(report.failed).toEqual([
      { kind: 'connection', key: 'partners-db', object: 'connection "partners-db"', action: 'create', request: 'POST /api/v2/connections', status: 400, message: 'attributes must contain one active identifier' },
    ]);
    expect(report.skipped.map((item) => item.object)).toEqual(['enablement "partners-db"']);

    writeFileSync(dbFile, connection(true));
    const from = s.emulator.requests.length;
    const rerun = await s.run(['apply', '--auto-approve']);
    expect(rerun.code, rerun.stderr + rerun.stdout).toBe(0);
    expect(rerun.stdout).toContain('Apply complete: 1 added, 1 changed, 0 destroyed.');
    const dbId = s.idOf('connections', 'partners-db');
    expect(describeWrites(s.emulator, from)).toEqual(['POST /api/v2/connections', `PATCH /api/v2/connections/${dbId}/clients`]);
    const plan = await s.run(['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stdout).toBe(0);
  });
});
