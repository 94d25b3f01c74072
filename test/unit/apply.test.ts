// applyPlan in-process, against an in-memory tenant (test/support/fake-tenant.ts) behind the narrow WriteTarget:
// the phases, skipped dependents, the lookup after a create whose answer was lost, and the safety checks.
import { describe, expect, it } from 'vitest';
import { applyPlan, type ApplyOptions } from '../../src/apply/apply.js';
import type { TenantSnapshot } from '../../src/model/snapshot.js';
import type { DesiredObject, Kind } from '../../src/model/types.js';
import { computePlan, type Plan } from '../../src/plan/index.js';
import { FakeTenant } from '../support/fake-tenant.js';
import { OWN_CLIENT_ID, tenantSnapshot } from '../support/snapshot.js';

const DOMAIN = 'acme.eu.auth0.com';
const at = { file: 'tenant/x.yaml', line: 1, column: 1 };
const marker = { managed_by: 'tenantctl' };
const desired = (kind: Kind, key: string, fields: Record<string, unknown>): DesiredObject => ({ kind, key, fields, at });
const app = (name: string) => desired('application', name, { name, app_type: 'non_interactive' });
const api = (identifier: string) => desired('api', identifier, { identifier, name: identifier });
const conn = (name: string, users: string[]) => desired('connection', name, { name, strategy: 'auth0', enabled_clients: users });
const grant = (client: string, audience: string) => desired('grant', `${client} -> ${audience}`, { client, audience, scope: [] });

function planOf(declared: DesiredObject[], snapshot: TenantSnapshot): Plan {
  return computePlan(declared, snapshot, {
    undeclared: { applications: 'managed', connections: 'managed', apis: 'all', grants: 'managed' },
    environment: 'dev',
    domain: DOMAIN,
    configHash: 'h',
  });
}

function run(plan: Plan, tenant: FakeTenant, snapshot: TenantSnapshot, declared: DesiredObject[], extra: Partial<ApplyOptions> = {}) {
  return applyPlan(plan, tenant, { allowDelete: false, allowDestroyConnections: [], concurrency: 4, snapshot, desired: declared, ...extra });
}

describe('applyPlan against an in-memory tenant', () => {
  it('runs creates by phase (APIs, applications, connections, enablement, grants) and deletes in reverse', async () => {
    const snapshot = tenantSnapshot(
      {
        clients: [{ client_id: 'old-app', name: 'Old', client_metadata: marker }],
        resourceServers: [{ id: 'old-api', identifier: 'https://old.example/', name: 'Old API' }],
        // A grant of a client tenantctl does not manage: never deleted.
        clientGrants: [{ id: 'hand-made-grant', client_id: 'hand-made', audience: 'https://old.example/', scope: [] }],
      },
      DOMAIN,
    );
    const declared = [app('Worker'), api('https://fleet.example/'), conn('db', ['Worker']), grant('Worker', 'https://fleet.example/')];
    const tenant = new FakeTenant(snapshot);
    const report = await run(planOf(declared, snapshot), tenant, snapshot, declared, { allowDelete: true, concurrency: 1 });

    expect(report.failed).toEqual([]);
    expect(tenant.calls).toEqual([
      'create api https://fleet.example/',
      'create application Worker',
      'create connection db',
      'enable connection-3 +application-2',
      `create grant application-2 -> https://fleet.example/`,
      'remove application old-app',
      'remove api old-api',
    ]);
    expect(report.done.map((item) => [item.kind, item.key, item.outcome])).toEqual([
      ['application', 'Old', 'deleted'],
      ['api', 'https://old.example/', 'deleted'],
      ['api', 'https://fleet.example/', 'created'],
      ['application', 'Worker', 'created'],
      ['connection', 'db', 'created'],
      ['enablement', 'db', 'updated'],
      ['grant', 'Worker -> https://fleet.example/', 'created'],
    ]);
    expect(report.summary).toEqual({ added: 4, changed: 1, destroyed: 2 });
  });

  it('skips the dependents of a failed create and goes on with independent work', async () => {
    const snapshot = tenantSnapshot({}, DOMAIN);
    const declared = [app('Worker'), app('Portal'), api('https://fleet.example/'), conn('db', ['Worker']), grant('Worker', 'https://fleet.example/')];
    const tenant = new FakeTenant(snapshot).failCreate('application', 'Worker', 'rejected');
    const report = await run(planOf(declared, snapshot), tenant, snapshot, declared);

    expect(report.failed).toEqual([
      expect.objectContaining({ kind: 'application', key: 'Worker', request: 'POST /api/v2/clients', status: 400, message: 'Payload validation error' }),
    ]);
    expect(report.skipped).toEqual([
      { kind: 'enablement', key: 'db', object: 'enablement "db"', action: 'update', why: 'depends on application Worker, which was not applied' },
      { kind: 'grant', key: 'Worker -> https://fleet.example/', object: 'grant "Worker -> https://fleet.example/"', action: 'create', why: 'depends on application Worker, which was not applied' },
    ]);
    expect(report.done.map((item) => `${item.kind} ${item.key}`).sort()).toEqual(['api https://fleet.example/', 'application Portal', 'connection db']);
    expect(tenant.calls.filter((call) => call.startsWith('create grant') || call.startsWith('enable'))).toEqual([]);
  });

  it('looks an object up after a create whose answer was lost, and never creates it twice', async () => {
    const snapshot = tenantSnapshot({}, DOMAIN);
    const declared = [app('Landed'), app('Lost')];
    const tenant = new FakeTenant(snapshot).failCreate('application', 'Landed', 'lost-landed').failCreate('application', 'Lost', 'lost');
    const report = await run(planOf(declared, snapshot), tenant, snapshot, declared, { concurrency: 1 });

    expect(tenant.calls).toEqual(['create application Landed', 'find application Landed', 'create application Lost', 'find application Lost', 'create application Lost']);
    expect(tenant.objects.get('application')!.filter((raw) => raw.name === 'Landed' || raw.name === 'Lost')).toHaveLength(2);
    expect(report.done).toEqual([
      expect.objectContaining({ kind: 'application', key: 'Landed', outcome: 'created', requests: 1 }),
      expect.objectContaining({ kind: 'application', key: 'Lost', outcome: 'created', requests: 2 }),
    ]);
  });

  it('gives up after three lost answers when the object never landed, saying so', async () => {
    const snapshot = tenantSnapshot({}, DOMAIN);
    const declared = [app('Gone')];
    const tenant = new FakeTenant(snapshot).failCreate('application', 'Gone', 'lost', 'lost', 'lost');
    const report = await run(planOf(declared, snapshot), tenant, snapshot, declared);
    expect(tenant.calls.filter((call) => call.startsWith('create'))).toHaveLength(3);
    expect(report.failed).toEqual([expect.objectContaining({ kind: 'application', key: 'Gone', status: 503 })]);
  });

  it('obeys the plan’s impact: deletes need --allow-delete, a database connection also needs its name', async () => {
    const snapshot = tenantSnapshot(
      {
        clients: [{ client_id: 'old-app', name: 'Old', client_metadata: marker }],
        connections: [{ id: 'con-db', name: 'users-db', strategy: 'auth0', metadata: marker }],
      },
      DOMAIN,
    );
    const plan = planOf([], snapshot);
    const dbDelete = plan.changes.find((change) => change.kind === 'connection')!;
    expect(dbDelete.impact).toEqual({ deletes: true, replaces: false, destroysData: { object: 'database connection', loses: 'its users' } });

    const refused = await run(plan, new FakeTenant(snapshot), snapshot, []);
    expect(refused.skipped.map((item) => [item.key, item.why])).toEqual([
      ['users-db', 'deletes need --allow-delete'],
      ['Old', 'deletes need --allow-delete'],
    ]);

    const tenant = new FakeTenant(snapshot);
    const guarded = await run(plan, tenant, snapshot, [], { allowDelete: true });
    expect(guarded.skipped).toEqual([
      expect.objectContaining({ kind: 'connection', key: 'users-db', why: expect.stringContaining('pass --allow-destroy-connection "users-db"') }),
    ]);
    expect(tenant.calls).toEqual(['remove application old-app']);

    const allowed = new FakeTenant(snapshot);
    await run(plan, allowed, snapshot, [], { allowDelete: true, allowDestroyConnections: ['users-db'] });
    expect(allowed.calls).toEqual(['remove connection con-db', 'remove application old-app']);
  });

  it('refuses a change aimed at a system object or its own client, whatever the plan says', async () => {
    const snapshot = tenantSnapshot({}, DOMAIN);
    const plan = planOf([], snapshot);
    const forged: Plan = {
      ...plan,
      changes: [
        { kind: 'application', key: 'tenantctl deployer', action: 'delete', id: OWN_CLIENT_ID, fields: [], unchanged: 0, dependsOn: [], payload: null, requiresAllowDelete: true, impact: { deletes: true, replaces: false } },
        { kind: 'api', key: `https://${DOMAIN}/api/v2/`, action: 'update', id: 'mgmt', fields: [], unchanged: 0, dependsOn: [], payload: { name: 'x' }, requiresAllowDelete: false, impact: { deletes: false, replaces: false } },
      ],
    };
    const tenant = new FakeTenant(snapshot);
    const report = await run(forged, tenant, snapshot, [], { allowDelete: true });
    expect(tenant.calls).toEqual([]);
    expect(report.skipped.map((item) => [item.kind, item.why])).toEqual([
      ['api', 'a system object or the tool’s own client: never written'],
      ['application', 'a system object or the tool’s own client: never written'],
    ]);
  });
});
