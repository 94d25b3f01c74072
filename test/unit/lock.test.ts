// The tenant lock against an in-memory stand-in that keeps API identifiers unique as Auth0 does (409 on a
// second create, 404 for a deleted id): one winner, expiry and take-over, renewals, and what plan and
// export see of the lock.
import { describe, expect, it } from 'vitest';
import { ApiError, LockHeldError, UncertainCreateError } from '../../src/errors.js';
import { describeHolder, describeLockForPlan, describeThisRun, findLock, holderOf, lockApiBody, newHolder } from '../../src/lock/holder.js';
import { acquireLock, deleteLock, readLock, type LockTarget } from '../../src/lock/tenant-lock.js';
import { LOCK_API_IDENTIFIER } from '../../src/model/api.js';
import { toLiveObjects } from '../../src/model/snapshot.js';
import { computePlan } from '../../src/plan/index.js';
import { tenantSnapshot } from '../support/snapshot.js';

type Raw = Record<string, unknown>;

/** APIs by id with Auth0's uniqueness of identifiers; `failNextCreate` loses the answer of a create that landed. */
class FakeTenant implements LockTarget {
  readonly apis = new Map<string, Raw>();
  private next = 1;
  failNextCreate = false;
  updates = 0;

  async createResourceServer(body: Raw): Promise<Raw> {
    if ([...this.apis.values()].some((api) => api.identifier === body.identifier)) {
      throw new ApiError({ method: 'POST', path: '/api/v2/resource-servers' }, 409, 'A resource server with the same identifier already exists', 'resource_server_conflict');
    }
    const record = { id: `rs_${this.next++}`, ...body };
    this.apis.set(String(record.id), record);
    if (this.failNextCreate) {
      this.failNextCreate = false;
      throw new UncertainCreateError({ method: 'POST', path: '/api/v2/resource-servers' }, 503, 'Service Unavailable');
    }
    return record;
  }
  async updateResourceServer(id: string, body: Raw): Promise<Raw> {
    const record = this.apis.get(id);
    if (!record) throw new ApiError({ method: 'PATCH', path: `/api/v2/resource-servers/${id}` }, 404, 'The resource server does not exist');
    this.updates++;
    Object.assign(record, body);
    return record;
  }
  async deleteResourceServer(id: string): Promise<void> {
    if (!this.apis.delete(id)) throw new ApiError({ method: 'DELETE', path: `/api/v2/resource-servers/${id}` }, 404, 'The resource server does not exist');
  }
  async findResourceServerByIdentifier(identifier: string): Promise<Raw | undefined> {
    return [...this.apis.values()].find((api) => api.identifier === identifier);
  }
  lockHolder() {
    const lock = [...this.apis.values()].find((api) => api.identifier === LOCK_API_IDENTIFIER);
    return lock && holderOf(lock);
  }
}

const alice = { who: 'alice', where: 'laptop', run: 'tenantctl apply, process 41', token: 'aaaa' };
const ci = { who: 'deploy-bot', where: 'GitHub Actions, acme/tenant (apply)', run: 'https://github.com/acme/tenant/actions/runs/7', token: 'bbbb' };
const MINUTE = 60_000;

describe('tenant lock: taking it', () => {
  it('of two runs taking it at once, exactly one wins; the other is told who holds it', async () => {
    const tenant = new FakeTenant();
    const results = await Promise.allSettled([acquireLock(tenant, alice, { ttlMs: 5 * MINUTE }), acquireLock(tenant, ci, { ttlMs: 5 * MINUTE })]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(LockHeldError);
    const holder = tenant.lockHolder()!;
    expect((lost[0]!.reason as Error).message).toContain(`${holder.who} on ${holder.where} (${holder.run})`);
    expect((lost[0]!.reason as Error).message).toMatch(/^nothing was written: the tenant is locked by another apply/);
  });

  it('names who, where, which run and since when in the tenant, and releases it at the end', async () => {
    const tenant = new FakeTenant();
    const { lock } = await acquireLock(tenant, ci, { ttlMs: 5 * MINUTE, now: () => Date.parse('2026-03-01T10:00:00Z') });
    expect(tenant.lockHolder()).toEqual({ ...ci, since: '2026-03-01T10:00:00.000Z', expires: '2026-03-01T10:05:00.000Z' });
    const api = [...tenant.apis.values()][0]!;
    expect(api.name).toBe('tenantctl apply lock: deploy-bot on GitHub Actions, acme/tenant (apply) since 2026-03-01T10:00:00.000Z');
    expect(await lock.release()).toBe('released');
    expect(tenant.apis.size).toBe(0);
    expect(await lock.release()).toBe('gone');
  });

  it('refuses while the holder keeps it fresh, and takes over a lock whose holder stopped renewing it', async () => {
    const tenant = new FakeTenant();
    let now = Date.parse('2026-03-01T10:00:00Z');
    await acquireLock(tenant, alice, { ttlMs: 5 * MINUTE, now: () => now });
    now += 4 * MINUTE;
    await expect(acquireLock(tenant, ci, { ttlMs: 5 * MINUTE, now: () => now })).rejects.toThrow(/alice on laptop .* it expires in 60 s unless its holder renews it/);
    now += 2 * MINUTE;
    const { lock, tookOver } = await acquireLock(tenant, ci, { ttlMs: 5 * MINUTE, now: () => now });
    expect(tookOver?.holder?.who).toBe('alice');
    expect(tenant.lockHolder()?.who).toBe('deploy-bot');
    expect(tenant.apis.size).toBe(1);
    expect(lock.id).not.toBe(tookOver?.id);
  });

  it('a lock it cannot read never expires by itself: only unlock removes it', async () => {
    const tenant = new FakeTenant();
    await tenant.createResourceServer({ identifier: LOCK_API_IDENTIFIER, name: 'made by hand' });
    await expect(acquireLock(tenant, ci, { ttlMs: 1000, now: () => Date.now() + 365 * 24 * 60 * MINUTE })).rejects.toThrow(
      /someone \(the lock API "urn:tenantctl:lock" does not say who\); it never expires by itself/,
    );
    const found = await readLock(tenant, Date.now());
    expect(await deleteLock(tenant, found!.id)).toBe(true);
    expect(await deleteLock(tenant, found!.id)).toBe(false);
    await expect(acquireLock(tenant, ci, { ttlMs: 1000 })).resolves.toBeDefined();
  });

  it('a create whose answer was lost is recognised as its own by the token', async () => {
    const tenant = new FakeTenant();
    tenant.failNextCreate = true;
    const { lock } = await acquireLock(tenant, alice, { ttlMs: MINUTE });
    expect(tenant.apis.size).toBe(1);
    expect(lock.id).toBe([...tenant.apis.keys()][0]);
  });
});

describe('tenant lock: renewing it', () => {
  it('renews while held, and reports the loss once when the lock is broken under it', async () => {
    const tenant = new FakeTenant();
    const { lock } = await acquireLock(tenant, alice, { ttlMs: 600 });
    const firstExpiry = tenant.lockHolder()!.expires;
    const lost: string[] = [];
    lock.keepRenewing((reason) => lost.push(reason));
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(tenant.updates).toBeGreaterThan(0);
    expect(Date.parse(tenant.lockHolder()!.expires)).toBeGreaterThan(Date.parse(firstExpiry));
    await deleteLock(tenant, lock.id);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(lost).toEqual(['the tenant lock was removed while this apply ran (`tenantctl unlock`, or taken over after it expired)']);
    expect(lock.lost).toBe(lost[0]);
    expect(await lock.release()).toBe('gone');
  });
});

describe('tenant lock: a system object of tenantctl', () => {
  const taken = Date.parse('2026-03-01T10:00:00Z');
  const lockApi = { id: 'rs_lock', ...lockApiBody(newHolder(alice, taken, MINUTE)) };

  it('is a system object to the planner: never deleted, whatever the undeclared policy', () => {
    const snapshot = tenantSnapshot({ resourceServers: [lockApi, { id: 'rs_other', identifier: 'https://other.example/', name: 'Other' }] });
    expect(toLiveObjects(snapshot).find((o) => o.key === LOCK_API_IDENTIFIER)?.system).toBe(true);
    for (const apis of ['all', 'managed', 'ignore'] as const) {
      const plan = computePlan([], snapshot, {
        undeclared: { applications: 'all', connections: 'all', apis, grants: 'all' },
        environment: 'dev',
        domain: 'acme.eu.auth0.com',
        configHash: 'sha256:x',
      });
      expect(plan.changes.map((c) => c.key)).not.toContain(LOCK_API_IDENTIFIER);
    }
  });

  it('plan says an apply is in progress, or that a dead one left its lock behind', () => {
    const now = taken;
    const found = findLock([lockApi], now)!;
    expect(describeLockForPlan(found, now)).toMatch(/^note: an apply is in progress: alice on laptop \(tenantctl apply, process 41\), since .* \(0 s ago\); it expires in 60 s/);
    expect(describeLockForPlan(findLock([lockApi], now + 2 * MINUTE)!, now + 2 * MINUTE)).toMatch(/left the tenant lock behind; it expired 60 s ago, and the next apply takes it over/);
  });
});

describe('tenant lock: naming this run', () => {
  it('uses the GitHub Actions run when there is one', () => {
    const run = describeThisRun(
      { GITHUB_ACTIONS: 'true', GITHUB_ACTOR: 'octo', GITHUB_REPOSITORY: 'acme/tenant', GITHUB_WORKFLOW: 'apply', GITHUB_RUN_ID: '99', GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ATTEMPT: '2' },
      7,
    );
    expect(run).toMatchObject({ who: 'octo', where: 'GitHub Actions, acme/tenant (apply)', run: 'https://github.com/acme/tenant/actions/runs/99/attempts/2' });
    expect(run.token).toMatch(/^[0-9a-f]{16}$/);
  });

  it('uses the user, host and process elsewhere, and keeps <, > and overlong values out', () => {
    const run = describeThisRun({ USER: `<b>${'x'.repeat(100)}` }, 1234);
    expect(run.run).toBe('tenantctl apply, process 1234');
    expect(run.who).not.toMatch(/[<>]/);
    expect(run.who.length).toBeLessThanOrEqual(60);
    expect(describeHolder(newHolder(run, 0, MINUTE), 0)).toContain('tenantctl apply, process 1234');
    expect(JSON.stringify(lockApiBody(newHolder(run, 0, MINUTE)).scopes).length).toBeLessThan(500);
  });
});
