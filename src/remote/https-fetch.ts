// How the transport sends Management API requests: node:https over a keep-alive agent, the body read whole.
// A plan of a large tenant sends hundreds of list requests, and the global fetch (undici, with web streams at
// every step) spends more CPU on each than the JSON it carries; measured in bench/RESULTS.md. Reads take the
// answer as a BufferedAnswer (the few members of a Response they use, over the bytes already read); the SDK's
// writes get a real Response built from it. Anything this does not handle the same way (a stream body, a
// non-https URL) goes to the global fetch.
import { Agent, request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
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

/** The members of a Response the transport and the reads use; a Response has them all. */
export interface Answer {
  readonly status: number;
  readonly ok: boolean;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null; has(name: string): boolean };
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** An answer whose body has been read: building a Response (headers checked one by one, a web stream over the body) costs more than a page of JSON. */
export class BufferedAnswer implements Answer {
  readonly headers: { get(name: string): string | null; has(name: string): boolean };

  constructor(
    readonly status: number,
    readonly statusText: string,
    incoming: IncomingHttpHeaders,
    /** Name, value, name, value... as received, for a Response that keeps repeated headers apart. */
    readonly rawHeaders: readonly string[],
    readonly body: Buffer | null,
  ) {
    // Node keeps header names in lower case and joins repeated ones with ", " (set-cookie: a list), as Headers.get does.
    const value = (name: string): string | undefined => {
      const found = incoming[name.toLowerCase()];
      return Array.isArray(found) ? found.join(', ') : found;
    };
    this.headers = { get: (name) => value(name) ?? null, has: (name) => value(name) !== undefined };
  }

  get ok(): boolean {
    return this.status >= 200 && this.status <= 299;
  }
  async text(): Promise<string> {
    return this.body ? this.body.toString('utf8') : '';
  }
  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const body = this.body ?? Buffer.alloc(0);
    return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
  }

  toResponse(): Response {
    const pairs: [string, string][] = [];
    for (let index = 0; index + 1 < this.rawHeaders.length; index += 2) pairs.push([this.rawHeaders[index]!, this.rawHeaders[index + 1]!]);
    return new Response(this.body, { status: this.status, statusText: this.statusText, headers: pairs });
  }
}

/** Sends one request and reads its whole answer; what it cannot send as the global fetch would goes to the global fetch. */
export const httpsAnswer = async (input: string | URL | Request, init?: RequestInit): Promise<Answer> => {
  const url = typeof input === 'string' ? new URL(input) : input instanceof URL ? input : undefined;
  const body = bodyOf(init?.body);
  if (!url || url.protocol !== 'https:' || body === null) return fetch(input, init);
  const signal = init?.signal ?? undefined;
  signal?.throwIfAborted();
  const headers: Record<string, string> = { accept: '*/*', 'accept-encoding': 'gzip, deflate, br', 'user-agent': 'node' };
  new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));

  return new Promise<Answer>((resolve, reject) => {
    const failed = (error: unknown): void => reject(new TypeError('fetch failed', { cause: error }));
    const sent = httpsRequest(url, { method: init?.method ?? 'GET', headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', failed);
      response.on('end', () => {
        signal?.removeEventListener('abort', abort);
        try {
          const status = response.statusCode ?? 0;
          const answerBody = NULL_BODY.has(status) ? null : decoded(response, Buffer.concat(chunks));
          resolve(new BufferedAnswer(status, response.statusMessage ?? '', response.headers, response.rawHeaders, answerBody));
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

/** httpsAnswer as the global fetch answers: a Response (what the SDK expects). */
export const httpsFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const answer = await httpsAnswer(input, init);
  return answer instanceof BufferedAnswer ? answer.toResponse() : (answer as Response);
};
