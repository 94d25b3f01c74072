// The fetch the transport sends Management API requests with: node:https over a keep-alive agent, answered
// with a Response whose body is already read. A plan of a large tenant sends hundreds of list requests, and
// the global fetch (undici, with web streams at every step) spends more CPU on each than the JSON it carries;
// measured in bench/RESULTS.md. Anything this does not handle the same way (a stream body, a non-https URL)
// goes to the global fetch.
import { Agent, request as httpsRequest } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

const agent = new Agent({ keepAlive: true });

/** Statuses whose Response must have no body (the Fetch standard's null body statuses). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** The request body as bytes or text, or null when it is of a kind only the global fetch handles. */
function bodyOf(body: RequestInit['body']): string | Uint8Array | undefined | null {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return null;
}

function decoded(response: IncomingMessage, raw: Buffer): Buffer {
  switch (String(response.headers['content-encoding'] ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(raw);
    case 'deflate':
      return inflateSync(raw);
    case 'br':
      return brotliDecompressSync(raw);
    default:
      return raw;
  }
}

export const httpsFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const url = typeof input === 'string' ? new URL(input) : input instanceof URL ? input : undefined;
  const body = bodyOf(init?.body);
  if (!url || url.protocol !== 'https:' || body === null) return fetch(input, init);
  const signal = init?.signal ?? undefined;
  signal?.throwIfAborted();
  const headers: Record<string, string> = { accept: '*/*', 'accept-encoding': 'gzip, deflate, br', 'user-agent': 'node' };
  new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));

  return new Promise<Response>((resolve, reject) => {
    const failed = (error: unknown): void => reject(new TypeError('fetch failed', { cause: error }));
    const sent = httpsRequest(url, { method: init?.method ?? 'GET', headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', failed);
      response.on('end', () => {
        signal?.removeEventListener('abort', abort);
        try {
          const status = response.statusCode ?? 0;
          const pairs: [string, string][] = [];
          for (let index = 0; index + 1 < response.rawHeaders.length; index += 2) pairs.push([response.rawHeaders[index]!, response.rawHeaders[index + 1]!]);
          resolve(
            new Response(NULL_BODY.has(status) ? null : decoded(response, Buffer.concat(chunks)), {
              status,
              statusText: response.statusMessage ?? '',
              headers: pairs,
            }),
          );
        } catch (error) {
          failed(error);
        }
      });
    });
    const abort = (): void => {
      sent.destroy();
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
    sent.on('error', (error) => {
      signal?.removeEventListener('abort', abort);
      if (!signal?.aborted) failed(error);
    });
    sent.end(body);
  });
};
