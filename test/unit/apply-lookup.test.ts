// After a create whose answer was lost, apply looks the object up by its natural key before trying again.
// For grants that key includes the subject type: a client grant must not be taken for the user grant being created.
import { describe, expect, it } from 'vitest';
import { applyPlan, type WriteTarget } from '../../src/apply/apply.js';
import { UncertainCreateError } from '../../src/errors.js';
import type { Kind } from '../../src/model/types.js';
import { computePlan } from '../../src/plan/index.js';
import { remoteAdapters, type KindOperations } from '../../src/remote/adapters.js';
import { tenantSnapshot } from '../support/snapshot.js';

const DOMAIN = 'acme.eu.auth0.com';
const at = { file: 'tenant/applications/worker.yaml', line: 1, column: 1 };

describe('apply: lookup after an uncertain grant create', () => {
  it('asks for the grant of the same subject type and does not create it twice when it landed', async () => {
    const snapshot = tenantSnapshot(
      {
        clients: [{ client_id: 'c1', name: 'Worker', client_metadata: { managed_by: 'tenantctl' } }],
        resourceServers: [{ id: 'rs1', identifier: 'https://api.example', name: 'API' }],
        clientGrants: [{ id: 'cgr_client', client_id: 'c1', audience: 'https://api.example', scope: ['a'], subject_type: 'client' }],
      },
      DOMAIN,
    );
    const desired = [
      { kind: 'application' as const, key: 'Worker', fields: { name: 'Worker' }, at },
      { kind: 'grant' as const, key: 'Worker -> https://api.example', fields: { client: 'Worker', audience: 'https://api.example', scope: ['a'] }, at },
      { kind: 'grant' as const, key: 'Worker -> https://api.example [user]', fields: { client: 'Worker', audience: 'https://api.example', scope: ['p'], subject_type: 'user' }, at },
    ];
    const plan = computePlan(desired, snapshot, {
      undeclared: { applications: 'managed', connections: 'managed', apis: 'ignore', grants: 'managed' },
      environment: 'dev',
      domain: DOMAIN,
      configHash: 'sha256:x',
    });
    expect(plan.changes.map((change) => `${change.action} ${change.key}`)).toEqual(['create Worker -> https://api.example [user]']);

    const creates: Record<string, unknown>[] = [];
    const lookups: string[][] = [];
    const landed = { id: 'cgr_user', client_id: 'c1', audience: 'https://api.example', scope: ['p'], subject_type: 'user' };
    const unexpected = (): never => {
      throw new Error('unexpected write');
    };
    // The remote adapter's grant lookup (src/remote/adapters.ts), over an in-memory tenant.
    const adapters = remoteAdapters({
      findClientGrant: async (clientId: string, audience: string, subjectType: string) => {
        lookups.push([clientId, audience, subjectType]);
        const live = [...snapshot.clientGrants, landed];
        return live.find((grant) => grant.client_id === clientId && grant.audience === audience && (grant.subject_type ?? 'client') === subjectType);
      },
    } as unknown as KindOperations);
    const target = {
      create: async (kind: string, body: Record<string, unknown>) => {
        creates.push(body);
        throw new UncertainCreateError({ method: 'POST', path: `/api/v2/${kind}` }, 503, 'no answer');
      },
      find: async (kind: Kind, body: Record<string, unknown>) => adapters[kind].find(body),
    } as Partial<WriteTarget>;
    const report = await applyPlan(plan, new Proxy(target, { get: (t, name: string) => (t as Record<string, unknown>)[name] ?? unexpected }) as WriteTarget, {
      allowDelete: false,
      allowDestroyConnections: [],
      concurrency: 1,
      snapshot,
      desired,
    });
    expect(report.failed).toEqual([]);
    expect(creates).toEqual([{ client_id: 'c1', audience: 'https://api.example', scope: ['p'], subject_type: 'user' }]);
    expect(lookups).toEqual([['c1', 'https://api.example', 'user']]);
    expect(report.done).toEqual([{ kind: 'grant', key: 'Worker -> https://api.example [user]', object: 'grant "Worker -> https://api.example [user]"', action: 'create', outcome: 'created', requests: 1 }]);
  });
});
