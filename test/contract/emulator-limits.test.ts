// The emulator's rate-limit profiles, injected faults and latency, as the transport and the bench rely on them.
import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { rawRequest, sdkFor, emulatorPerTest } from '../support/emulator.js';

const start = emulatorPerTest();

async function token(emulator: RunningEmulator): Promise<string> {
  const response = await fetch(`https://${emulator.domain}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: emulator.clientId, client_secret: emulator.clientSecret, audience: `https://${emulator.domain}/api/v2/` }).toString(),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

describe('emulator: rate limits', () => {
  it('sends x-ratelimit headers, answers 429 over the burst, and succeeds again after the reset', async () => {
    const emulator = await start({ rateLimit: 'free' });
    const authorization = `Bearer ${await token(emulator)}`;
    const call = () => fetch(`https://${emulator.domain}/api/v2/clients`, { headers: { authorization } });
    const responses = [await call(), await call(), await call()];
    expect(responses.map((response) => response.status)).toEqual([200, 200, 429]);
    for (const response of responses) {
      expect(response.headers.get('x-ratelimit-limit')).toBe('2');
      expect(response.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
      expect(Number(response.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 - 1);
    }
    const limited = responses[2]!;
    expect(await limited.json()).toEqual({ statusCode: 429, error: 'Too Many Requests', message: 'Global limit has been reached', errorCode: 'too_many_requests' });
    const resetAt = Number(limited.headers.get('x-ratelimit-reset')) * 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, resetAt - Date.now()) + 20));
    expect((await call()).status).toBe(200);
  });

  it('lets the SDK recover from 429 by itself using the reset header', async () => {
    const emulator = await start({ rateLimit: 'free' });
    const sdk = sdkFor(emulator, { maxRetries: 3 });
    const names = await Promise.all([1, 2, 3, 4].map((n) => sdk.clients.create({ name: `burst-${n}` }).then((client) => client.name)));
    expect(names.sort()).toEqual(['burst-1', 'burst-2', 'burst-3', 'burst-4']);
    expect(emulator.requests.some((entry) => entry.status === 429)).toBe(true);
  });
});

describe('emulator: faults and latency', () => {
  async function statuses(seed: number): Promise<number[]> {
    const emulator = await start({ faultRate: 0.5, faultSeed: seed });
    const authorization = `Bearer ${await token(emulator)}`;
    const out: number[] = [];
    for (let i = 0; i < 12; i++) {
      try {
        out.push((await fetch(`https://${emulator.domain}/api/v2/clients?per_page=1`, { headers: { authorization } })).status);
      } catch {
        out.push(0);
      }
    }
    return out;
  }

  it('injects the same faults for the same seed, including dropped connections', async () => {
    const first = await statuses(7);
    const second = await statuses(7);
    expect(second).toEqual(first);
    expect(first.some((status) => status !== 200)).toBe(true);
    expect(first.some((status) => status === 200)).toBe(true);
    expect(first.every((status) => [0, 200, 500, 503].includes(status))).toBe(true);
  });

  it('can apply a write and still fail the answer', async () => {
    const emulator = await start({ faultRate: 1, faultSeed: 1 });
    const sdk = sdkFor(emulator);
    const before = emulator.store.clients.size;
    for (let i = 0; i < 8; i++) await sdk.clients.create({ name: `maybe-${i}` }).catch(() => undefined);
    const landed = emulator.store.clients.size - before;
    const afterWrite = emulator.requests.filter((entry) => entry.fault?.endsWith('after write')).length;
    expect(landed).toBe(afterWrite);
    expect(landed).toBeGreaterThan(0);
    expect(landed).toBeLessThan(8);
  });

  it('delays answers by the configured latency', async () => {
    const emulator = await start({ latencyMs: 60 });
    const started = performance.now();
    await rawRequest(emulator, 'GET', '/api/v2/clients');
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });
});
