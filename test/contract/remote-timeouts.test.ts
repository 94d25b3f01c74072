// Timeouts against the emulator through the real SDK (issue #12, item 8): the time a request waits for a
// rate-limit slot never counts toward its timeout, and a create whose answer times out after it was sent is
// uncertain, so apply looks it up before any new attempt.
import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { UncertainCreateError } from '../../src/errors.js';
import { computePlan } from '../../src/plan/index.js';
import { DEFAULT_UNDECLARED } from '../../src/plan/types.js';
import { RemoteTenant } from '../../src/remote/tenant.js';
import { emulatorPerTest } from '../support/emulator.js';

const start = emulatorPerTest();

function remoteFor(emulator: RunningEmulator, requestTimeoutMs: number): RemoteTenant {
  return new RemoteTenant(
    { domain: emulator.domain, clientId: emulator.clientId, clientSecret: emulator.clientSecret },
    { concurrency: 8, baseBackoffMs: 1, maxAttempts: 2, requestTimeoutMs },
  );
}

describe('RemoteTenant timeouts', () => {
  it('a request waiting seconds for a rate-limit slot on the free plan does not time out', async () => {
    const emulator = await start({ rateLimit: 'free' });
    const remote = remoteFor(emulator, 1000);
    const began = Date.now();
    // Burst 2, then 2 per second: the last of ten waits about four seconds for its turn, four times the timeout.
    const found = await Promise.all(
      Array.from({ length: 10 }, () => remote.findResourceServerByIdentifier(`https://${emulator.domain}/api/v2/`)),
    );
    expect(Date.now() - began).toBeGreaterThan(2000);
    expect(found.every((api) => api?.is_system === true)).toBe(true);
  }, 20_000);

  it('a create whose answer times out after it was sent is uncertain, and apply finds it instead of creating it twice', async () => {
    // The emulator creates the application, then holds the answer past the client's timeout.
    const emulator = await start({
      beforeAnswer: (request) => (request.method === 'POST' && request.path === '/api/v2/clients' ? 1500 : undefined),
    });
    const remote = remoteFor(emulator, 500);
    const error = await remote.createClient({ name: 'Slow answer' }, 'application "Slow answer"').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UncertainCreateError);
    expect((error as Error).message).toContain('no answer within 0.5 s');

    const snapshot = await remote.readSnapshot();
    const desired = [{ kind: 'application' as const, key: 'Slower answer', fields: { name: 'Slower answer' }, at: { file: 'x.yaml', line: 1, column: 1 } }];
    const plan = computePlan(desired, snapshot, { undeclared: DEFAULT_UNDECLARED, environment: 'dev', domain: emulator.domain, configHash: 'h' });
    const before = emulator.requests.length;
    const report = await applyPlan(plan, remote, { allowDelete: false, allowDestroyConnections: [], concurrency: 2, snapshot, desired });
    expect(report.failed).toEqual([]);
    // The new application is created once; the flag's enablement cleanup may follow it.
    expect(report.done.filter((item) => item.object.startsWith('application'))).toMatchObject([{ object: 'application "Slower answer"', outcome: 'created' }]);
    // The held answer is logged when it finally goes out.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const posts = emulator.requests
      .slice(before)
      .filter((entry) => entry.method === 'POST' && (entry.body as { name?: string } | undefined)?.name === 'Slower answer');
    expect(posts).toHaveLength(1);
    expect(emulator.store.clients.all().filter((client) => client.name === 'Slower answer')).toHaveLength(1);
  }, 20_000);
});
