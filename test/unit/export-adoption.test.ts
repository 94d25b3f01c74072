// The planner decisions export relies on: adopting unmarked objects is not a change by itself (and never
// makes them deletable), and Management API grants of the environment match the emulator's Management API.
import { describe, expect, it } from 'vitest';
import type { TenantSnapshot } from '../../src/model/snapshot.js';
import type { DesiredObject } from '../../src/model/types.js';
import { computePlan, type PlanOptions } from '../../src/plan/index.js';

const ENV_DOMAIN = 'acme.eu.auth0.com';
const EMULATOR = '127.0.0.1:8443';
const at = { file: 'tenant/x.yaml', line: 1, column: 1 };

function live(domain: string, parts: Partial<TenantSnapshot> = {}): TenantSnapshot {
  return {
    domain,
    ownClientId: 'OWN',
    clients: [{ client_id: 'OWN', name: 'deployer', app_type: 'non_interactive' }, ...(parts.clients ?? [])],
    connections: parts.connections ?? [],
    enabledClients: parts.enabledClients ?? {},
    resourceServers: [{ id: 'mgmt', identifier: `https://${domain}/api/v2/`, is_system: true }],
    clientGrants: parts.clientGrants ?? [],
  };
}

const options = (domain: string, environmentDomain?: string): PlanOptions => ({
  undeclared: { applications: 'managed', connections: 'managed', apis: 'managed', grants: 'managed' },
  environment: 'dev',
  domain,
  ...(environmentDomain ? { environmentDomain } : {}),
  configHash: 'h',
});

const app = (name: string, fields: Record<string, unknown> = {}): DesiredObject => ({ kind: 'application', key: name, fields: { name, ...fields }, at });
const grant = (client: string, audience: string, scope: string[]): DesiredObject => ({ kind: 'grant', key: `${client} -> ${audience}`, fields: { client, audience, scope }, at });

describe('plan: adoption after export', () => {
  const tenant = live(ENV_DOMAIN, {
    clients: [{ client_id: 'c1', name: 'Hand made', app_type: 'spa' }],
    connections: [{ id: 'con_1', name: 'db', strategy: 'auth0' }],
  });

  it('a declared object without the marker and without differences is unchanged, not adopted', () => {
    const result = computePlan([app('Hand made', { app_type: 'spa' }), { kind: 'connection', key: 'db', fields: { name: 'db', strategy: 'auth0', enabled_clients: [] }, at }], tenant, options(ENV_DOMAIN));
    expect(result.changes).toEqual([]);
    expect(result.summary.unchanged).toBe(2);
  });

  it('an unmarked object that is no longer declared is never deleted under the managed policy', () => {
    const result = computePlan([], tenant, options(ENV_DOMAIN));
    expect(result.changes).toEqual([]);
  });
});

describe('plan: Management API grants through an emulator', () => {
  const tenant = live(EMULATOR, {
    clients: [{ client_id: 'm1', name: 'Sync', app_type: 'non_interactive' }],
    clientGrants: [{ id: 'cgr_1', client_id: 'm1', audience: `https://${EMULATOR}/api/v2/`, scope: ['read:users'] }],
  });
  const declared = (scope: string[]) => [app('Sync', { app_type: 'non_interactive' }), grant('Sync', `https://${ENV_DOMAIN}/api/v2/`, scope)];

  it('matches the grant declared for the environment domain with the live Management API grant', () => {
    expect(computePlan(declared(['read:users']), tenant, options(EMULATOR, ENV_DOMAIN)).changes).toEqual([]);
  });

  it('updates that live grant when the scopes differ', () => {
    const [change] = computePlan(declared(['read:users', 'read:clients']), tenant, options(EMULATOR, ENV_DOMAIN)).changes;
    expect(change).toMatchObject({ kind: 'grant', action: 'update', id: 'cgr_1', key: `Sync -> https://${EMULATOR}/api/v2/` });
  });

  it('without the environment domain the declared grant is a different object (a create)', () => {
    const changes = computePlan(declared(['read:users']), tenant, options(EMULATOR)).changes;
    expect(changes.map((change) => `${change.action} ${change.key}`)).toEqual([`create Sync -> https://${ENV_DOMAIN}/api/v2/`]);
  });
});
