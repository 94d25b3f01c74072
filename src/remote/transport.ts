// The HTTP layer under the Auth0 SDK: counts requests, paces them by Auth0's rate-limit headers,
// times each attempt from the moment it is sent (never while it waits for a slot or a token),
// and retries only what is safe to retry (429 always; 5xx, timeouts and dropped connections unless POST).
import { setTimeout as delay } from 'node:timers/promises';
import { httpsAnswer, httpsFetch, type Answer } from './https-fetch.js';

export interface RequestStats {
  /** Requests sent to the Management API (`/api/v2/...`), by method; retries included. */
  byMethod: Record<string, number>;
  /** Token requests (`/oauth/token`). */
  tokenRequests: number;
  /** 429 answers received. */
  throttled: number;
  /** Requests sent again after a 429, a 5xx or a dropped connection. */
  retries: number;
}

export interface TransportOptions {
  /** Most requests in flight at once. */
  concurrency: number;
  /** Attempts per request before giving up on 5xx / network errors. */
  maxAttempts?: number;
  /**
   * 429 answers one request may receive before its last one is handed back. Counted apart from
   * maxAttempts: Auth0 did not process a throttled request, so retrying it is always safe, and on a
   * small plan's bucket several requests in flight may each be turned away a few times in a row.
   */
  maxThrottledAttempts?: number;
  /** First backoff step in ms; doubles on each retry (capped), unless Auth0 says how long to wait. */
  baseBackoffMs?: number;
  /** Longest single wait, so a bad reset header cannot stall a run. */
  maxWaitMs?: number;
  /**
   * How long one attempt may wait for Auth0's answer once it is sent. Waiting for a slot or for the rate
   * limit never counts: on a low-limit plan a request can wait minutes for its turn and still be fine.
   */
  requestTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** The fetch underneath, for writes and reads alike; httpsFetch (reads: httpsAnswer) unless a test provides another. */
  baseFetch?: typeof fetch;
}

/** A fetch-shaped function whose answer may be a lighter stand-in for a Response. */
export type Sender<A extends Answer> = (input: string | URL | Request, init?: RequestInit) => Promise<A>;

/** Thrown for a POST that failed in a way that may have left the object created (5xx, dropped connection). */
export class UncertainWriteError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number | undefined,
    readonly detail: string,
  ) {
    super(`${method} ${path}: ${status === undefined ? 'connection failed' : `HTTP ${status}`}: ${detail}`);
  }
}

/** Thrown by an attempt whose answer did not come within `requestTimeoutMs` of sending it. */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs / 1000} s of sending the request`);
  }
}

/** Auth0's SDK default; the transport applies it per attempt instead of per call. */
export const REQUEST_TIMEOUT_MS = 60_000;

/** How long a request waits for an answer in flight to say how full the bucket is. */
const PROBE_WAIT_MS = 100;

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export interface Transport {
  /** For the SDK: answers are Responses. */
  fetch: typeof fetch;
  /** For the reads: the same counting, pacing and retries, with answers that are cheaper to make than a Response. */
  read: Sender<Answer>;
  stats: RequestStats;
}

export function createTransport(options: TransportOptions): Transport {
  const maxAttempts = options.maxAttempts ?? 6;
  const maxThrottledAttempts = options.maxThrottledAttempts ?? 30;
  const baseBackoffMs = options.baseBackoffMs ?? 250;
  const maxWaitMs = options.maxWaitMs ?? 30_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const now = options.now ?? Date.now;
  const baseFetch = options.baseFetch ?? httpsFetch;
  const baseRead: Sender<Answer> = options.baseFetch ?? httpsAnswer;
  const stats: RequestStats = { byMethod: {}, tokenRequests: 0, throttled: 0, retries: 0 };

  const slots = new Semaphore(Math.max(1, options.concurrency));
  // What Auth0 last told us about the bucket, less what has been sent since; requests wait when it is empty.
  // Until the first answer, one request goes alone, so a burst never starts by hitting an empty bucket.
  let remaining = 1;
  let resetAtMs = 0;
  let pausedUntilMs = 0;
  /** Requests sent whose answer has not arrived: they will take tokens the last answer still counted. */
  let inFlight = 0;
  /** Requests currently waiting after a 429; they resume spread out rather than all at once. */
  let throttledWaiting = 0;

  function observe(response: Answer): void {
    const left = Number(response.headers.get('x-ratelimit-remaining'));
    const reset = Number(response.headers.get('x-ratelimit-reset'));
    // Without the headers there is nothing to pace by: requests go as fast as the slots allow.
    remaining = response.headers.has('x-ratelimit-remaining') && Number.isFinite(left) ? left - inFlight : Number.POSITIVE_INFINITY;
    if (response.headers.has('x-ratelimit-reset') && Number.isFinite(reset)) resetAtMs = reset * 1000;
  }

  /**
   * Waits until the bucket should hold a token. When the last answers say it is empty, one request
   * waits for the reset time and then goes alone as a probe: its answer tells how many tokens came back,
   * so the others neither stampede into 429s nor wait longer than the bucket needs.
   */
  async function waitForBudget(): Promise<void> {
    for (;;) {
      const t = now();
      if (pausedUntilMs > t) {
        await sleep(Math.min(pausedUntilMs - t, maxWaitMs));
        continue;
      }
      if (remaining >= 1) {
        if (remaining !== Number.POSITIVE_INFINITY) remaining -= 1;
        return;
      }
      if (inFlight === 0 && resetAtMs <= t) {
        remaining = 0; // the reset has passed and nobody is asking: send one probe
        return;
      }
      await sleep(Math.min(resetAtMs > t ? resetAtMs - t : PROBE_WAIT_MS, maxWaitMs));
      if (now() >= resetAtMs && inFlight === 0 && remaining < 1) {
        remaining = 0;
        return;
      }
    }
  }

  function waitAfter(response: Answer | undefined, attempt: number): number {
    const retryAfter = Number(response?.headers.get('retry-after'));
    if (retryAfter > 0) return Math.min(retryAfter * 1000, maxWaitMs);
    const reset = Number(response?.headers.get('x-ratelimit-reset'));
    if (response?.status === 429 && reset > 0) return Math.min(Math.max(reset * 1000 - now(), 100), maxWaitMs);
    const backoff = Math.min(baseBackoffMs * 2 ** attempt, maxWaitMs);
    return backoff / 2 + Math.random() * (backoff / 2);
  }

  /** Sends through `base` with the counting, pacing and retries; both kinds of answer share one bucket and one count. */
  const paced = <A extends Answer>(base: Sender<A>): Sender<A> => async (input, init) => {
    const url = input instanceof URL ? input : new URL(typeof input === 'string' ? input : input.url);
    const method = (init?.method ?? 'GET').toUpperCase();
    const isToken = url.pathname === '/oauth/token';
    for (let attempt = 0, throttledAttempts = 0; ; ) {
      await slots.acquire();
      let response: A | undefined;
      let failure: unknown;
      try {
        if (!isToken) await waitForBudget();
        if (isToken) stats.tokenRequests++;
        else stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
        inFlight++;
        try {
          response = await sendTimed(base, input, init, requestTimeoutMs);
        } finally {
          inFlight--;
        }
        observe(response);
      } catch (error) {
        failure = error;
      } finally {
        slots.release();
      }
      if (response && response.status !== 429 && response.status < 500) return response;
      if (response?.status === 429) {
        stats.throttled++;
        throttledAttempts++;
        const wait = waitAfter(response, throttledAttempts - 1);
        pausedUntilMs = Math.max(pausedUntilMs, now() + wait);
        if (throttledAttempts >= maxThrottledAttempts) return response;
        stats.retries++;
        await response.arrayBuffer().catch(() => undefined);
        // Requests turned away together would all come back together and meet the same empty bucket,
        // so each waits out the pause and then a random share of a spread that grows with the crowd.
        const position = throttledWaiting++;
        try {
          for (let t = now(); pausedUntilMs > t; t = now()) await sleep(Math.min(pausedUntilMs - t, maxWaitMs));
          if (position > 0) await sleep(Math.min(Math.random() * position * 250, maxWaitMs));
        } finally {
          throttledWaiting--;
        }
        continue;
      }
      if (failure && isAbort(failure)) throw failure;
      const retryable = IDEMPOTENT.has(method) || isToken;
      if (!retryable) {
        const detail = response ? await safeText(response) : describe(failure);
        throw new UncertainWriteError(method, url.pathname, response?.status, detail);
      }
      if (attempt + 1 >= maxAttempts) {
        if (response) return response; // let the SDK turn Auth0's last answer into its error
        throw failure;
      }
      stats.retries++;
      await sleep(waitAfter(response, attempt));
      attempt++;
      // Drain the unused body so the socket can be reused.
      await response?.arrayBuffer().catch(() => undefined);
    }
  };

  return { fetch: paced(baseFetch) as typeof fetch, read: paced(baseRead), stats };
}

/**
 * One attempt, aborted when its answer takes longer than `timeoutMs` from now (the moment it is sent). The
 * caller's own signal still aborts it; the timer stops once the answer's headers arrive.
 */
async function sendTimed<A extends Answer>(base: Sender<A>, input: string | URL | Request, init: RequestInit | undefined, timeoutMs: number): Promise<A> {
  const controller = new AbortController();
  // Made only when the timer fires: an Error records a stack trace, and nearly every request is answered in time.
  let timedOut: RequestTimeoutError | undefined;
  const timer = setTimeout(() => controller.abort((timedOut = new RequestTimeoutError(timeoutMs))), timeoutMs);
  const caller = init?.signal;
  const forward = () => controller.abort(caller?.reason);
  if (caller?.aborted) forward();
  else caller?.addEventListener('abort', forward, { once: true });
  try {
    return await base(input, { ...init, signal: controller.signal });
  } catch (error) {
    throw timedOut !== undefined && controller.signal.reason === timedOut ? timedOut : error;
  } finally {
    clearTimeout(timer);
    caller?.removeEventListener('abort', forward);
  }
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const code = cause && typeof cause === 'object' && 'code' in cause ? ` (${String(cause.code)})` : '';
    return `${error.message}${code}`;
  }
  return String(error);
}

async function safeText(response: Answer): Promise<string> {
  try {
    const text = await response.text();
    try {
      const body = JSON.parse(text) as { message?: unknown };
      if (typeof body.message === 'string') return body.message;
    } catch {
      // not JSON: use the text as it is
    }
    return text.slice(0, 200) || response.statusText;
  } catch {
    return response.statusText;
  }
}

/** A counting semaphore: at most `size` holders at once, the rest wait in arrival order. */
export class Semaphore {
  private holders = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  get inUse(): number {
    return this.holders;
  }

  async acquire(): Promise<void> {
    if (this.holders < this.size) {
      this.holders++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.holders--;
  }
}
