// The emulator's HTTP edge: malformed, unknown and oversized requests get Auth0's error bodies; paging shapes and size.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { rawRequest, startTestEmulator } from '../support/emulator.js';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator({ maxBodyBytes: 64 * 1024 });
});
afterAll(() => emulator.close());

describe('emulator: bad requests never crash it', () => {
  it('answers malformed JSON with 400', async () => {
    const response = await rawRequest(emulator, 'POST', '/api/v2/clients', '{"name": ');
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  });

  it('answers an unknown route with 404 in Auth0 shape', async () => {
    const response = await rawRequest(emulator, 'GET', '/api/v2/no-such-thing');
    expect(response.status).toBe(404);
    expect(response.json).toEqual({ statusCode: 404, error: 'Not Found', message: 'Not Found' });
  });

  it('answers an oversized body with 413 and keeps serving', async () => {
    const response = await rawRequest(emulator, 'POST', '/api/v2/clients', JSON.stringify({ name: 'x'.repeat(100 * 1024) }));
    expect(response.status).toBe(413);
    expect(response.json).toMatchObject({ statusCode: 413 });
    expect((await rawRequest(emulator, 'GET', '/api/v2/clients')).status).toBe(200);
  });

  it('answers per_page above 100 with 400', async () => {
    const response = await rawRequest(emulator, 'GET', '/api/v2/clients?per_page=101');
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ statusCode: 400, message: expect.stringContaining('per_page') });
  });

  it('returns a bare array without include_totals and {total,start,limit,clients} with it', async () => {
    const bare = await rawRequest(emulator, 'GET', '/api/v2/clients?per_page=1');
    expect(Array.isArray(bare.json)).toBe(true);
    const paged = await rawRequest(emulator, 'GET', '/api/v2/clients?page=1&per_page=1&include_totals=true');
    expect(Object.keys(paged.json as object)).toEqual(['total', 'start', 'limit', 'clients']);
    expect(paged.json).toMatchObject({ start: 1, limit: 1 });
  });

  it('lists and pages 10,000 clients without slowing down', async () => {
    emulator.seed('clients', Array.from({ length: 10_000 }, (_, index) => ({ name: `bulk-${index}` })));
    const started = performance.now();
    let seen = 0;
    for (let page = 0; ; page++) {
      const response = await rawRequest(emulator, 'GET', `/api/v2/clients?page=${page}&per_page=100&include_totals=true&fields=client_id`);
      const items = (response.json as { clients: unknown[] }).clients;
      seen += items.length;
      if (items.length < 100) break;
    }
    expect(seen).toBe(emulator.store.clients.size);
    expect(performance.now() - started).toBeLessThan(8000);
  });
});
