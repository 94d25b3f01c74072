// apply's replace of a connection whose name Auth0 keeps while it deletes the old one in the background: the
// create is tried again after growing pauses, with progress, up to a bound; past it the failure says why.
import { describe, expect, it } from 'vitest';
import { applyPlan, type ApplyEvent, type WriteTarget } from '../../src/apply/apply.js';
import { ApiError } from '../../src/errors.js';
import type { Plan } from '../../src/plan/types.js';
import { tenantSnapshot } from '../support/snapshot.js';

const snapshot = tenantSnapshot({ connections: [{ id: 'con_old', name: 'social', strategy: 'github' }] });
const plan = {
  format_version: 1,
  environment: 'dev',
  domain: snapshot.domain,
  changes: [
    {
      kind: 'connection',
      key: 'social',
      action: 'replace',
      id: 'con_old',
      fields: [],
      unchanged: 0,
      dependsOn: [],
      payload: { name: 'social', strategy: 'google-oauth2' },
      requiresAllowDelete: true,
      impact: { deletes: true, replaces: true },
    },
  ],
} as unknown as Plan;

/** A target whose connection create answers Auth0's 409 for the name a given number of times. */
function target(conflicts: number): { target: WriteTarget; calls: string[] } {
  const calls: string[] = [];
  const refuse = () => Promise.reject(new Error('not expected in this test'));
  const fake = {
    remove: async (_kind: string, id: string) => void calls.push(`DELETE ${id}`),
    create: async (_kind: string, body: Record<string, unknown>) => {
      calls.push('POST');
      if (calls.filter((call) => call === 'POST').length <= conflicts) {
        throw new ApiError({ method: 'POST', path: '/api/v2/connections' }, 409, 'A connection with the same name already exists', 'connection_conflict', 'connection "social"');
      }
      return { id: 'con_new', ...body };
    },
  };
  return { target: new Proxy(fake, { get: (t, name) => (name in t ? t[name as keyof typeof t] : refuse) }) as unknown as WriteTarget, calls };
}

function options(sleeps: number[], events: ApplyEvent[]) {
  return {
    allowDelete: true,
    allowDestroyConnections: [],
    concurrency: 1,
    snapshot,
    desired: [],
    connectionNameWaitMs: 10_000,
    sleep: async (ms: number) => void sleeps.push(ms),
    onEvent: (event: ApplyEvent) => void events.push(event),
  };
}

describe('apply: replacing a connection while Auth0 still deletes the old one', () => {
  it('tries the create again after growing pauses, saying it waits, and converges', async () => {
    const { target: fake, calls } = target(3);
    const sleeps: number[] = [];
    const events: ApplyEvent[] = [];
    const report = await applyPlan(plan, fake, options(sleeps, events));
    expect(calls).toEqual(['DELETE con_old', 'POST', 'POST', 'POST', 'POST']);
    expect(sleeps).toEqual([500, 1000, 2000]);
    expect(events.filter((event) => event.type === 'waiting')).toHaveLength(3);
    expect(report.failed).toEqual([]);
    expect(report.done).toMatchObject([{ object: 'connection "social"', outcome: 'replaced', requests: 5 }]);
    expect(report.summary).toEqual({ added: 1, changed: 0, destroyed: 1 });
  });

  it('gives up at the bound: the failure says the name was still taken, and the delete is reported and counted', async () => {
    const { target: fake } = target(1000);
    const sleeps: number[] = [];
    const report = await applyPlan(plan, fake, options(sleeps, []));
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(report.done).toMatchObject([{ object: 'connection "social"', outcome: 'deleted' }]);
    expect(report.failed).toMatchObject([{ object: 'connection "social"', status: 409 }]);
    expect(report.failed[0]?.message).toContain("the deleted connection's name was still taken after 10 s");
    expect(report.summary).toEqual({ added: 0, changed: 0, destroyed: 1 });
  });
});
