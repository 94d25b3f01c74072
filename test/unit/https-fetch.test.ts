// httpsFetch answers like the global fetch for what the SDK and the transport use: status, headers, decoded
// bodies, request bodies, null-body statuses, network failures as "fetch failed" with the cause, and aborts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { httpsAnswer, httpsFetch } from '../../src/remote/https-fetch.js';

let server: Server;
let base: string;
const received: { method?: string; headers: Record<string, unknown>; body: string }[] = [];

beforeAll(async () => {
  const dir = process.env.TENANTCTL_TEST_TLS_DIR ?? '';
  server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ method: request.method, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (request.url === '/gzip') {
        response.writeHead(200, 'Fine', { 'content-encoding': 'gzip', 'content-type': 'application/json', 'x-ratelimit-remaining': '7' });
        response.end(gzipSync(JSON.stringify({ clients: [{ name: 'Zoë' }] })));
      } else if (request.url === '/empty') {
        response.writeHead(204);
        response.end();
      } else if (request.url === '/slow') {
        setTimeout(() => response.end('late'), 2_000);
      } else {
        response.setHeader('set-cookie', ['a=1', 'b=2']);
        response.end('plain');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('httpsFetch', () => {
  it('decodes a gzip answer and keeps status, status text and headers', async () => {
    const response = await httpsFetch(`${base}/gzip`);
    expect(response.status).toBe(200);
    expect(response.statusText).toBe('Fine');
    expect(response.ok).toBe(true);
    expect(response.headers.get('x-ratelimit-remaining')).toBe('7');
    expect(await response.json()).toEqual({ clients: [{ name: 'Zoë' }] });
  });

  it('sends the method, the headers and a JSON body with its length', async () => {
    const body = JSON.stringify({ name: 'Zoë' });
    const response = await httpsFetch(new URL(`${base}/post`), {
      method: 'POST',
      headers: new Headers({ 'content-type': 'application/json', authorization: 'Bearer t' }),
      body,
    });
    expect(await response.text()).toBe('plain');
    expect(response.headers.get('set-cookie')).toBe('a=1, b=2');
    const last = received[received.length - 1];
    expect(last).toMatchObject({ method: 'POST', body });
    expect(last?.headers).toMatchObject({ 'content-type': 'application/json', authorization: 'Bearer t', 'content-length': String(Buffer.byteLength(body)) });
  });

  it('gives a null body for 204', async () => {
    const response = await httpsFetch(`${base}/empty`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it('fails like fetch when nothing listens: "fetch failed" with the socket error as cause', async () => {
    const error = await httpsFetch('https://127.0.0.1:1/').catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('fetch failed');
    expect(((error as Error).cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('rejects with the abort reason and stops waiting when the signal aborts', async () => {
    const controller = new AbortController();
    const reason = new Error('took too long');
    const started = Date.now();
    const pending = httpsFetch(`${base}/slow`, { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 50);
    await expect(pending).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});

describe('httpsAnswer (what the reads get)', () => {
  it('answers as the Response of httpsFetch does: status, text, headers with repeated ones joined, JSON', async () => {
    const answer = await httpsAnswer(`${base}/gzip`);
    expect([answer.status, answer.statusText, answer.ok]).toEqual([200, 'Fine', true]);
    expect(answer.headers.get('X-RateLimit-Remaining')).toBe('7');
    expect(answer.headers.has('retry-after')).toBe(false);
    expect(answer.headers.get('retry-after')).toBeNull();
    expect(await answer.json()).toEqual({ clients: [{ name: 'Zoë' }] });

    const plain = await httpsAnswer(`${base}/plain`);
    const response = await httpsFetch(`${base}/plain`);
    expect(plain.headers.get('set-cookie')).toBe(response.headers.get('set-cookie'));
    expect(await plain.text()).toBe('plain');
    expect(Buffer.from(await plain.arrayBuffer()).toString('utf8')).toBe('plain');
  });

  it('has an empty body for 204', async () => {
    const empty = await httpsAnswer(`${base}/empty`, { method: 'DELETE' });
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');
  });
});
