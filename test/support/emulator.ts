// Test helper: starts an emulator with the TLS pair made by global-setup, which the workers already trust.
// Also builds an SDK client for it with retries off, so tests see each answer as the server gave it,
// and tells the tenant lock's own requests from writes of tenant objects.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManagementClient } from 'auth0';
import { afterEach } from 'vitest';
import { startEmulator, type EmulatorOptions, type RequestLogEntry, type RunningEmulator } from '../../src/emulator/index.js';
import { lockRequestFilter } from './lock-requests.js';

export function testTls(): { key: string; cert: string } {
  const dir = process.env.TENANTCTL_TEST_TLS_DIR;
  if (!dir) throw new Error('TENANTCTL_TEST_TLS_DIR is not set: run the tests through vitest (test/support/global-setup.ts)');
  return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
}

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emulator = await startEmulator({ ...options, tls: options.tls ?? testTls() });
  lockFilters.set(emulator, lockRequestFilter(emulator));
  return emulator;
}

const lockFilters = new WeakMap<RunningEmulator, (entry: RequestLogEntry) => boolean>();

/** Whether a logged request is the tenant lock's own (create, renew, release), not a write of a tenant object. */
export function isLockRequest(emulator: RunningEmulator, entry: RequestLogEntry): boolean {
  return lockFilters.get(emulator)?.(entry) ?? false;
}

/** A start function for tests that each need their own emulator; every one started is closed after its test. */
export function emulatorPerTest(): (options?: EmulatorOptions) => Promise<RunningEmulator> {
  const started: RunningEmulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((emulator) => emulator.close()));
  });
  return async (options = {}) => {
    const emulator = await startTestEmulator(options);
    started.push(emulator);
    return emulator;
  };
}

export function sdkFor(emulator: RunningEmulator, overrides: { clientId?: string; clientSecret?: string; maxRetries?: number } = {}): ManagementClient {
  return new ManagementClient({
    domain: emulator.domain,
    clientId: overrides.clientId ?? emulator.clientId,
    clientSecret: overrides.clientSecret ?? emulator.clientSecret,
    maxRetries: overrides.maxRetries ?? 0,
  });
}

/** A Management API token for the emulator's own client, fetched as the SDK would. */
export async function managementToken(emulator: RunningEmulator): Promise<string> {
  const response = await fetch(`https://${emulator.domain}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: emulator.clientId,
      client_secret: emulator.clientSecret,
      audience: `https://${emulator.domain}/api/v2/`,
    }).toString(),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error('the emulator refused its own credentials');
  return body.access_token;
}

/** A raw HTTPS call with a fresh management token, for requests the SDK cannot express. */
export async function rawRequest(
  emulator: RunningEmulator,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: unknown }> {
  const token = await managementToken(emulator);
  const response = await fetch(`https://${emulator.domain}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? (JSON.parse(text) as unknown) : undefined };
}
