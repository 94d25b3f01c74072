// Starts the emulator: an HTTPS server on 127.0.0.1 answering the /api/v2 routes and, on the same origin,
// Auth0's Authentication API (authn/: /authorize, the login page, /oauth/token, /userinfo, /v2/logout, JWKS).
// This module owns the request pipeline: body parsing, auth, rate limits, latency, faults, logging, state saving.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireAnyScope, TokenIssuer } from './auth.js';
import { HttpError } from './errors.js';
import { FaultInjector, type Fault } from './faults.js';
import type { Query } from './paging.js';
import { RateLimiter, tooManyRequestsBody, type RateLimitProfile } from './rate-limit.js';
import { maskSecrets, RequestLog, type RequestLogEntry } from './request-log.js';
import { buildRoutes, matchRoute, type RouteResult } from './routes.js';
import { knownScopes } from './scopes.js';
import { loadState, StateSaver } from './state-file.js';
import { TenantStore, type SeedKind } from './store.js';
import type { Json } from './collection.js';
import { generateTlsMaterial, type TlsMaterial } from './tls.js';
import { AuthenticationApi, type AuthnResponse } from './authn/api.js';
import { processSigningKey } from './authn/keys.js';

export interface EmulatorOptions {
  /** 0 (the default here) picks a free port; the CLI defaults to 8443. */
  port?: number;
  host?: '127.0.0.1';
  statePath?: string;
  rateLimit?: RateLimitProfile;
  latencyMs?: number;
  faultRate?: number;
  faultSeed?: number;
  requestLogPath?: string;
  /** Scopes of the emulator's own management client; default: every scope it knows. */
  scopes?: string[];
  /** PEM key and certificate; generated at start when absent. */
  tls?: TlsMaterial;
  /** Tenant name used in `tenant` fields and signing-key subjects. */
  domainName?: string;
  /** Largest accepted request body in bytes (413 above). */
  maxBodyBytes?: number;
  /**
   * How long a deleted connection's name stays taken while Auth0 deletes it in the background (see
   * TenantStore.connectionDeleteDelayMs); default 0.
   */
  connectionDeleteDelayMs?: number;
  /**
   * Test hook, called for each Management API request after it was processed and before its answer goes out:
   * it may change the tenant in between (a tenant that changes during a read) and may return how many ms to hold
   * the answer (an answer slower than the client's timeout, after the write landed). Not exposed by the CLI.
   */
  beforeAnswer?: (request: AnsweredRequest, store: TenantStore) => number | undefined | void;
}

export interface AnsweredRequest {
  method: string;
  path: string;
  query: Query;
  status: number;
}

export interface RunningEmulator {
  /** `127.0.0.1:PORT`, what AUTH0_DOMAIN should be set to. */
  domain: string;
  port: number;
  clientId: string;
  clientSecret: string;
  /** PEM file of the certificate, for NODE_EXTRA_CA_CERTS. */
  caCertPath: string;
  /** Every answered request, in order, with secrets in bodies masked. */
  requests: RequestLogEntry[];
  store: TenantStore;
  /** Creates objects directly in the store (no HTTP), with the same defaults and checks as POST. */
  seed(kind: SeedKind, objects: unknown[]): Json[];
  close(): Promise<void>;
}

const defaultMaxBodyBytes = 1024 * 1024;

interface ParsedRequest {
  body: unknown;
  /** Bytes beyond the limit were discarded; the answer is 413. */
  tooLarge: boolean;
}

function readBody(request: IncomingMessage, limit: number): Promise<{ raw: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      // Keep draining an oversized body so the client reads our 413 instead of a reset connection.
      if (!tooLarge) chunks.push(chunk);
    });
    request.on('end', () => resolve({ raw: Buffer.concat(chunks), tooLarge }));
    request.on('error', reject);
  });
}

function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  if ((contentType ?? '').includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'Invalid request payload JSON format', 'invalid_body');
  }
}

function queryOf(url: URL): Query & Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const existing = query[key];
    query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const tls = options.tls ?? (await generateTlsMaterial());
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
  const tlsDir = mkdtempSync(join(tmpdir(), 'tenantctl-emulator-'));
  const caCertPath = join(tlsDir, 'ca.pem');
  writeFileSync(caCertPath, tls.cert);

  const sockets = new Set<Socket>();
  let handler: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) => {
    response.statusCode = 503;
    response.end();
  };
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (request, response) => handler(request, response));
  // 'connection' (not 'secureConnection') so that a socket still in its TLS handshake is closed too.
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const domain = `${host}:${port}`;

  const store = new TenantStore(options.domainName ?? 'tenantctl-emulator', domain);
  store.connectionDeleteDelayMs = options.connectionDeleteDelayMs ?? 0;
  let credentials: { clientId: string; clientSecret: string };
  const saved = options.statePath ? loadState(options.statePath) : undefined;
  if (saved) {
    store.restore(saved);
    const management = store.clients.get(store.managementClientId);
    if (!management) throw new Error(`the state file ${options.statePath} has no management client; delete it to start fresh`);
    credentials = { clientId: store.managementClientId, clientSecret: String(management.client_secret) };
  } else {
    credentials = store.initialize(options.scopes ?? knownScopes);
  }
  const saver = options.statePath ? new StateSaver(options.statePath, () => store.snapshot()) : undefined;
  if (saver) {
    store.onChange(() => saver.schedule());
    saver.flush();
  }

  const issuer = new TokenIssuer();
  // The signing key lives only in this process: never in the state file, never on disk.
  const authn = new AuthenticationApi(store, await processSigningKey(), (token, clientId, scopes, expiresAt) =>
    issuer.remember(token, clientId, scopes, expiresAt),
  );
  const routes = buildRoutes();
  const limiter = new RateLimiter(options.rateLimit ?? 'off');
  const faults = options.faultRate && options.faultRate > 0 ? new FaultInjector(options.faultRate, options.faultSeed ?? 0) : undefined;
  const log = new RequestLog(options.requestLogPath);

  const send = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    response.statusCode = status;
    response.setHeader('content-type', 'application/json; charset=utf-8');
    response.end(body === undefined ? undefined : JSON.stringify(body));
  };

  const sendAuthn = (response: ServerResponse, answer: AuthnResponse): void => {
    for (const [name, value] of Object.entries(answer.headers ?? {})) response.setHeader(name, value);
    response.statusCode = answer.status;
    if (answer.html !== undefined) {
      response.setHeader('content-type', 'text/html; charset=utf-8');
      response.end(answer.html);
    } else if (answer.json !== undefined) {
      response.setHeader('content-type', 'application/json; charset=utf-8');
      response.end(JSON.stringify(answer.json));
    } else response.end();
  };

  handler = (request, response) => {
    const started = performance.now();
    const url = new URL(request.url ?? '/', `https://${domain}`);
    const query = queryOf(url);
    const method = (request.method ?? 'GET').toUpperCase();
    const entry = (status: number, body: unknown, fault?: Fault): RequestLogEntry => {
      // Masked like bodies: a client may put a secret in a query string (e.g. a code or a token), and the log is written out.
      const logged: RequestLogEntry = { method, path: url.pathname, query: maskSecrets(query) as typeof query, status, ms: Math.round(performance.now() - started) };
      if (body !== undefined) logged.body = maskSecrets(body);
      if (fault) logged.fault = `${fault.kind}${fault.afterWrite ? ' after write' : ''}`;
      return logged;
    };
    void (async () => {
      let parsedBody: unknown;
      try {
        const { raw, tooLarge } = await readBody(request, maxBodyBytes);
        if (options.latencyMs && options.latencyMs > 0) await sleep(options.latencyMs);
        if (tooLarge) {
          throw new HttpError(413, `Payload content length greater than maximum allowed: ${maxBodyBytes}`, 'payload_too_large');
        }
        const parsed: ParsedRequest = { body: parseBody(raw, request.headers['content-type']), tooLarge };
        parsedBody = parsed.body;
        if (authn.handles(url.pathname)) {
          const answer = await authn.handle({ method, url, headers: request.headers, body: parsed.body });
          sendAuthn(response, answer);
          log.record(entry(answer.status, parsedBody));
          return;
        }
        if (!url.pathname.startsWith('/api/v2/')) throw new HttpError(404, 'Not Found');
        const decision = limiter.take();
        for (const [name, value] of Object.entries(decision.headers)) response.setHeader(name, value);
        if (!decision.allowed) {
          send(response, 429, tooManyRequestsBody);
          log.record(entry(429, parsedBody));
          return;
        }
        const scopes = issuer.authenticate(request.headers.authorization);
        const matched = matchRoute(routes, method, url.pathname);
        if (!matched) throw new HttpError(404, 'Not Found');
        requireAnyScope(scopes, matched.route.scopes);
        const fault = faults?.next();
        if (fault && !fault.afterWrite) {
          answerWithFault(response, fault);
          log.record(entry(fault.kind === 'drop' ? 0 : faultStatus(fault), parsedBody, fault));
          return;
        }
        const result: RouteResult = matched.route.handle({ params: matched.params, query, body: parsed.body, scopes, store });
        const hold = options.beforeAnswer?.({ method, path: url.pathname, query, status: result.status }, store);
        if (hold && hold > 0) await sleep(hold);
        if (fault) {
          answerWithFault(response, fault);
          log.record(entry(fault.kind === 'drop' ? 0 : faultStatus(fault), parsedBody, fault));
          return;
        }
        send(response, result.status, result.body);
        log.record(entry(result.status, parsedBody));
      } catch (error) {
        const httpError = error instanceof HttpError ? error : new HttpError(500, 'Internal Server Error', 'internal_error');
        if (!(error instanceof HttpError)) process.emitWarning(`emulator: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
        send(response, httpError.status, httpError.body());
        log.record(entry(httpError.status, parsedBody));
      }
    })();
  };

  const answerWithFault = (response: ServerResponse, fault: Fault): void => {
    if (fault.kind === 'drop') {
      response.socket?.destroy();
      return;
    }
    const status = faultStatus(fault);
    send(response, status, new HttpError(status, status === 503 ? 'Service Unavailable' : 'Internal Server Error').body());
  };

  let closed = false;
  return {
    domain,
    port,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    caCertPath,
    requests: log.entries,
    store,
    seed: (kind, objects) => store.seed(kind, objects),
    close: async () => {
      if (closed) return;
      closed = true;
      saver?.flush();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await done;
      rmSync(tlsDir, { recursive: true, force: true });
    },
  };
}

function faultStatus(fault: Fault): number {
  return fault.kind === 'error-503' ? 503 : 500;
}
