// The transport the SDK talks through: which failures it retries, how it paces by the rate-limit headers, timeouts.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTransport, UncertainWriteError } from '../../src/remote/transport.js';

type Handler = (req: { method: string; url: string }, attempt: number) => { status: number; headers?: Record<string, string>; delayMs?: number } | 'drop';

let server: Server | undefined;
afterEach(
  () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
);

async function serve(handler: Handler): Promise<{ url: string; attempts: () => number }> {
  let attempts = 0;
  server = createServer((req, res) => {
    const answer = handler({ method: req.method ?? 'GET', url: req.url ?? '/' }, attempts++);
    if (answer === 'drop') {
      req.socket.destroy();
      return;
    }
    const reply = () => {
      if (res.destroyed) return;
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.status >= 400 ? { statusCode: answer.status, message: `status ${answer.status}` } : { ok: true }));
    };
    if (answer.delayMs) setTimeout(reply, answer.delayMs);
    else reply();
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api/v2/clients`, attempts: () => attempts };
}

/** A clock that only moves when the transport sleeps, so waits are exact and instant. */
function fakeClock() {
  let time = 1_700_000_000_000;
  const waits: number[] = [];
  return {
    waits,
    now: () => time,
    sleep: async (ms: number) => {
      waits.push(ms);
      time += ms;
    },
  };
}

const noSleep = { sleep: async () => undefined, baseBackoffMs: 1 };

describe('transport retry rules', () => {
  it('retries a 429 after the wait Auth0 asks for, then succeeds', async () => {
    const clock = fakeClock();
    const { url, attempts } = await serve((_, n) => (n === 0 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 }));
    const t = createTransport({ concurrency: 2, ...clock });
    const res = await t.fetch(url, { method: 'POST', body: '{}' });
    expect(res.status).toBe(200);
    expect(attempts()).toBe(2);
    expect(t.stats.throttled).toBe(1);
    expect(t.stats.retries).toBe(1);
    expect(clock.waits).toEqual([2000]);
  });

  it('retries a GET after a 503', async () => {
    const { url, attempts } = await serve((_, n) => (n < 2 ? { status: 503 } : { status: 200 }));
    const t = createTransport({ concurrency: 1, ...noSleep });
    expect((await t.fetch(url)).status).toBe(200);
    expect(attempts()).toBe(3);
    expect(t.stats.byMethod.GET).toBe(3);
  });

  it('never resends a POST after a 500: the create may have landed', async () => {
    const { url, attempts } = await serve(() => ({ status: 500 }));
    const t = createTransport({ concurrency: 1, ...noSleep });
    await expect(t.fetch(url, { method: 'POST', body: '{}' })).rejects.toBeInstanceOf(UncertainWriteError);
    expect(attempts()).toBe(1);
  });

  it('never resends a POST after a dropped connection', async () => {
    const { url, attempts } = await serve(() => 'drop');
    const t = createTransport({ concurrency: 1, ...noSleep });
    const failure = await t.fetch(url, { method: 'POST', body: '{}' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UncertainWriteError);
    expect((failure as UncertainWriteError).status).toBeUndefined();
    expect(attempts()).toBe(1);
  });

  it('retries a PATCH after a dropped connection (updates are idempotent)', async () => {
    const { url, attempts } = await serve((_, n) => (n === 0 ? 'drop' : { status: 200 }));
    const t = createTransport({ concurrency: 1, ...noSleep });
    expect((await t.fetch(url, { method: 'PATCH', body: '{}' })).status).toBe(200);
    expect(attempts()).toBe(2);
  });

  it('a POST whose answer does not come within the timeout after sending is uncertain and never resent', async () => {
    const { url, attempts } = await serve(() => ({ status: 201, delayMs: 400 }));
    const t = createTransport({ concurrency: 1, requestTimeoutMs: 100, ...noSleep });
    const error = await t.fetch(url, { method: 'POST', body: '{}' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UncertainWriteError);
    expect((error as UncertainWriteError).detail).toBe('no answer within 0.1 s of sending the request');
    expect(attempts()).toBe(1);
  });

  it('a GET whose answer times out is sent again', async () => {
    const { url, attempts } = await serve((_, n) => (n === 0 ? { status: 200, delayMs: 400 } : { status: 200 }));
    const t = createTransport({ concurrency: 1, requestTimeoutMs: 100, ...noSleep });
    const res = await t.fetch(url);
    expect(res.status).toBe(200);
    expect(attempts()).toBe(2);
    expect(t.stats.retries).toBe(1);
  });

  it('times each attempt from its sending: waiting for a slot does not count', async () => {
    const { url } = await serve(() => ({ status: 200, delayMs: 60 }));
    const t = createTransport({ concurrency: 1, requestTimeoutMs: 150, ...noSleep });
    // One at a time, 60 ms each: the fifth waits 240 ms for its slot, longer than the timeout, and is fine.
    const answers = await Promise.all(Array.from({ length: 5 }, () => t.fetch(url)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(t.stats.retries).toBe(0);
  });

  it('gives up after the last attempt and hands back Auth0 answer', async () => {
    const { url, attempts } = await serve(() => ({ status: 503 }));
    const t = createTransport({ concurrency: 1, maxAttempts: 3, ...noSleep });
    expect((await t.fetch(url, { method: 'DELETE' })).status).toBe(503);
    expect(attempts()).toBe(3);
  });

  it('waits before sending when the rate-limit headers say the bucket is empty', async () => {
    const clock = fakeClock();
    const reset = String(Math.ceil(clock.now() / 1000) + 2);
    const { url } = await serve(() => ({ status: 200, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-limit': '10', 'x-ratelimit-reset': reset } }));
    const t = createTransport({ concurrency: 1, ...clock });
    await t.fetch(url);
    expect(clock.waits).toEqual([]);
    await t.fetch(url);
    expect(clock.waits.length).toBe(1);
    expect(t.stats.throttled).toBe(0);
  });
});

describe('transport pacing', () => {
  it('keeps a token bucket from answering 429 when many requests wait on it', async () => {
    // A bucket like Auth0's emulated plans: burst 4, 4 tokens a second, reset = when the next token is due.
    let tokens = 4;
    let updated = Date.now();
    const refillPerSecond = 4;
    const statuses: number[] = [];
    const bucketFetch = (async () => {
      const t = Date.now();
      tokens = Math.min(4, tokens + ((t - updated) / 1000) * refillPerSecond);
      updated = t;
      const allowed = tokens >= 1;
      if (allowed) tokens -= 1;
      const reset = Math.ceil((t + (Math.max(0, 1 - tokens) / refillPerSecond) * 1000) / 1000);
      const status = allowed ? 200 : 429;
      statuses.push(status);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return new Response('{}', {
        status,
        headers: { 'x-ratelimit-limit': '4', 'x-ratelimit-remaining': String(Math.floor(tokens)), 'x-ratelimit-reset': String(reset) },
      });
    }) as typeof fetch;
    const t = createTransport({ concurrency: 4, baseFetch: bucketFetch });
    const answers = await Promise.all(Array.from({ length: 12 }, () => t.fetch('https://tenant.example/api/v2/clients')));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(t.stats.throttled).toBe(0);
    expect(statuses.filter((s) => s === 429)).toHaveLength(0);
  });
});

describe('transport without rate-limit headers', () => {
  it('sends side by side up to the concurrency once the first answer came', async () => {
    let inFlight = 0;
    let most = 0;
    const plainFetch = (async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight--;
      return new Response('{}', { status: 200 });
    }) as typeof fetch;
    const t = createTransport({ concurrency: 4, baseFetch: plainFetch });
    await t.fetch('https://tenant.example/api/v2/clients');
    await Promise.all(Array.from({ length: 8 }, () => t.fetch('https://tenant.example/api/v2/clients')));
    expect(most).toBe(4);
  });
});
