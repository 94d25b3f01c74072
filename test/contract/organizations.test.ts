// Organizations end to end below the CLI: the emulator's /api/v2/organizations and its enabled_connections through
// the real SDK, RemoteTenant's reads and writes, and plan -> apply -> plan converging on an organization whose
// enabled connections change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import { knownScopes, type RunningEmulator } from '../../src/emulator/index.js';
import { ApiError } from '../../src/errors.js';
import type { DesiredObject } from '../../src/model/types.js';
import { computePlan, type PlanOptions } from '../../src/plan/index.js';
import { RemoteTenant } from '../../src/remote/tenant.js';
import { startTestEmulator } from '../support/emulator.js';

const at = { file: 'tenant/organizations/acme.yaml', line: 1, column: 1 };

describe('organizations', () => {
  let emulator: RunningEmulator;
  let remote: RemoteTenant;
  let options: PlanOptions;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    emulator.seed('connections', [
      { name: 'partners-db', strategy: 'auth0' },
      { name: 'acme-sso', strategy: 'oidc', options: { client_id: 'x', issuer: 'https://sso.acme.example/', type: 'back_channel' } },
    ]);
    remote = new RemoteTenant({ domain: emulator.domain, clientId: emulator.clientId, clientSecret: emulator.clientSecret }, { baseBackoffMs: 1 });
    options = { undeclared: { applications: 'managed', connections: 'managed', apis: 'managed', grants: 'managed', organizations: 'managed' }, environment: 'dev', domain: emulator.domain, configHash: 'h' };
  });
  afterAll(() => emulator?.close());

  it('refuses what Auth0 refuses: a name outside [a-z0-9_-], a name already taken, an unknown id', async () => {
    const rejection = (promise: Promise<unknown>): Promise<ApiError> => promise.then(() => expect.fail('expected Auth0 to refuse'), (error: ApiError) => error);
    const bad = await rejection(remote.createOrganization({ name: 'Acme Corp' }, 'organization "Acme Corp"'));
    expect(bad.status).toBe(400);
    expect(bad.auth0Message).toContain('name');
    await remote.createOrganization({ name: 'taken' }, 'organization "taken"');
    const taken = await rejection(remote.createOrganization({ name: 'taken' }, 'organization "taken"'));
    expect(taken.status).toBe(409);
    expect(await remote.findOrganizationByName('nobody')).toBeUndefined();
    const missing = await rejection(remote.deleteOrganization('org_doesnotexist00', 'organization "x"'));
    expect(missing.status).toBe(404);
    await remote.deleteOrganization(String((await remote.findOrganizationByName('taken'))!.id), 'organization "taken"');
  });

  it('plans, applies and converges: created with its connections, then a connection added, changed and removed', async () => {
    const declare = (enabled: Record<string, unknown>[]): DesiredObject[] => [
      {
        kind: 'organization',
        key: 'acme',
        fields: { name: 'acme', display_name: 'Acme Logistics', metadata: { tier: 'gold' }, enabled_connections: enabled },
        at,
      },
    ];
    const run = async (desired: DesiredObject[]) => {
      const snapshot = await remote.readSnapshot();
      const plan = computePlan(desired, snapshot, options);
      const report = await applyPlan(plan, remote, { allowDelete: true, allowDestroyConnections: [], concurrency: 2, snapshot, desired });
      const after = computePlan(desired, await remote.readSnapshot(), options);
      return { plan, report, after };
    };

    const first = await run(declare([{ connection: 'partners-db', assign_membership_on_login: true }]));
    expect(first.plan.changes.map((change) => `${change.action} ${change.kind} ${change.key}`)).toEqual(['create organization acme']);
    expect(first.report.failed).toEqual([]);
    expect(first.after.changes).toEqual([]);
    const created = await remote.findOrganizationByName('acme');
    expect(created).toMatchObject({ display_name: 'Acme Logistics', metadata: { tier: 'gold', managed_by: 'tenantctl' } });
    const connections = await remote.readOrganizationConnections(String(created!.id));
    expect(connections).toEqual([expect.objectContaining({ assign_membership_on_login: true, show_as_button: true, connection: { name: 'partners-db', strategy: 'auth0' } })]);

    const second = await run(declare([{ connection: 'acme-sso', show_as_button: false }]));
    expect(second.plan.changes).toMatchObject([{ kind: 'organization', key: 'acme', action: 'update' }]);
    expect(second.report.failed).toEqual([]);
    expect(second.after.changes).toEqual([]);
    const now = await remote.readOrganizationConnections(String(created!.id));
    expect(now.map((entry) => [(entry.connection as { name: string }).name, entry.show_as_button])).toEqual([['acme-sso', false]]);

    // Undeclared and marked: deleted under the managed policy.
    const third = await run([]);
    expect(third.plan.changes).toMatchObject([{ kind: 'organization', key: 'acme', action: 'delete', impact: { deletes: true } }]);
    expect(await remote.findOrganizationByName('acme')).toBeUndefined();
  });
});

describe('organizations with a token set up before them (no read:organizations)', () => {
  it('plan still reads the tenant; declared organizations are skipped, naming the scope', async () => {
    const emulator = await startTestEmulator({ scopes: knownScopes.filter((scope) => !scope.includes('organization')) });
    try {
      const remote = new RemoteTenant({ domain: emulator.domain, clientId: emulator.clientId, clientSecret: emulator.clientSecret }, { baseBackoffMs: 1 });
      const snapshot = await remote.readSnapshot();
      expect(snapshot.organizations).toBeUndefined();
      expect(emulator.requests.some((entry) => entry.path === '/api/v2/organizations' && entry.status === 403)).toBe(true);
      const plan = computePlan([{ kind: 'organization', key: 'acme', fields: { name: 'acme' }, at }], snapshot, {
        undeclared: { applications: 'managed', connections: 'managed', apis: 'managed', grants: 'managed', organizations: 'managed' },
        environment: 'dev',
        domain: emulator.domain,
        configHash: 'h',
      });
      expect(plan.changes).toEqual([]);
      expect(plan.skipped).toEqual([expect.objectContaining({ kind: 'organization', key: 'acme', reason: expect.stringContaining('read:organizations') })]);
    } finally {
      emulator.close();
    }
  });
});
