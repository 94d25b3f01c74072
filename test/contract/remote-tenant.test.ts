// Contract of RemoteTenant (src/remote/tenant.ts) against the emulator through the real SDK: which requests
// the reads make, what each write sends, and how Auth0's refusals become typed, one-line errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownScopes, type RunningEmulator } from '../../src/emulator/index.js';
import { ApiError, SettingsError, UncertainCreateError } from '../../src/errors.js';
import { RemoteTenant } from '../../src/remote/tenant.js';
import { startTestEmulator } from '../support/emulator.js';

function remoteFor(emulator: RunningEmulator, overrides: { clientSecret?: string; maxAttempts?: number } = {}): RemoteTenant {
  return new RemoteTenant(
    { domain: emulator.domain, clientId: emulator.clientId, clientSecret: overrides.clientSecret ?? emulator.clientSecret },
    { maxAttempts: overrides.maxAttempts ?? 3, baseBackoffMs: 1 },
  );
}

function apiRequests(emulator: RunningEmulator, from = 0) {
  return emulator.requests.slice(from).filter((entry) => entry.path.startsWith('/api/v2/'));
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 200));

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('RemoteTenant.readSnapshot', () => {
  let emulator: RunningEmulator;
  const seededSecrets: string[] = [];

  beforeAll(async () => {
    emulator = await startTestEmulator();
    const clients = emulator.seed(
      'clients',
      // With the global client and the emulator's own, the tenant then holds exactly 1,000 applications.
      Array.from({ length: 998 }, (_, i) => ({ name: `Seeded App ${String(i).padStart(4, '0')}`, app_type: 'regular_web' })),
    );
    seededSecrets.push(...clients.map((client) => String(client.client_secret)));
    emulator.seed('connections', [
      { name: 'partners-db', strategy: 'auth0' },
      { name: 'google-oauth2', strategy: 'google-oauth2' },
      { name: 'github', strategy: 'github' },
    ]);
    emulator.seed('resourceServers', [{ name: 'Orders', identifier: 'https://orders.example.com/' }]);
  });
  afterAll(() => emulator?.close());

  it('reads 1,000 applications with ceil(1000/100) = 10 list requests, plus one per other kind and per named connection', async () => {
    const from = emulator.requests.length;
    const remote = remoteFor(emulator);
    const snapshot = await remote.readSnapshot({ enablementFor: ['partners-db'] });

    expect(snapshot.clients).toHaveLength(1000);
    const requests = apiRequests(emulator, from);
    expect(requests.every((entry) => entry.method === 'GET' && entry.status === 200)).toBe(true);
    const clientPages = requests.filter((entry) => entry.path === '/api/v2/clients');
    expect(clientPages).toHaveLength(10);
    expect(clientPages.every((entry) => entry.query.per_page === '100')).toBe(true);
    expect(new Set(clientPages.map((entry) => entry.query.page))).toEqual(new Set(Array.from({ length: 10 }, (_, i) => String(i))));
    // Nothing but list endpoints: no per-object GET.
    const paths = new Set(requests.map((entry) => entry.path.replace(/\/con_[^/]+\//, '/{id}/')));
    expect(paths).toEqual(
      new Set(['/api/v2/clients', '/api/v2/resource-servers', '/api/v2/connections', '/api/v2/client-grants', '/api/v2/organizations', '/api/v2/connections/{id}/clients']),
    );
    expect(requests).toHaveLength(10 + 4 + 1);
    expect(remote.stats.byMethod.GET).toBe(requests.length);
    expect(remote.stats.tokenRequests).toBe(1);
  });

  it('reads enablement only for the connections it is told about', async () => {
    const from = emulator.requests.length;
    const snapshot = await remoteFor(emulator).readSnapshot({ enablementFor: ['google-oauth2', 'not-in-the-tenant'] });
    const google = snapshot.connections.find((c) => c.name === 'google-oauth2');
    const enablementReads = apiRequests(emulator, from).filter((entry) => entry.path.endsWith('/clients') && entry.path.startsWith('/api/v2/connections/'));
    expect(enablementReads.map((entry) => entry.path)).toEqual([`/api/v2/connections/${String(google?.id)}/clients`]);
    expect(Object.keys(snapshot.enabledClients)).toEqual([String(google?.id)]);

    const none = emulator.requests.length;
    await remoteFor(emulator).readSnapshot();
    expect(apiRequests(emulator, none).some((entry) => entry.path.endsWith('/clients') && entry.path !== '/api/v2/clients')).toBe(false);
  });

  it('strips client secrets from the snapshot even when the token has read:client_keys', async () => {
    const snapshot = await remoteFor(emulator).readSnapshot();
    expect(snapshot.clients.some((client) => 'client_secret' in client)).toBe(false);
    const text = JSON.stringify(snapshot);
    expect(seededSecrets.slice(0, 50).some((secret) => text.includes(secret))).toBe(false);
    expect(text).not.toContain(emulator.clientSecret);
  });
});

describe('RemoteTenant writes', () => {
  let emulator: RunningEmulator;
  let remote: RemoteTenant;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    remote = remoteFor(emulator);
  });
  afterAll(() => emulator?.close());

  it('creates, updates and deletes an application with one request each, never returning its secret', async () => {
    const from = emulator.requests.length;
    const created = await remote.createClient({ name: 'Contract App', app_type: 'spa', callbacks: ['https://a.example.com/cb'] }, 'application "Contract App"');
    expect(created.client_secret).toBeUndefined();
    const id = String(created.client_id);
    expect(emulator.store.clients.get(id)?.name).toBe('Contract App');

    const updated = await remote.updateClient(id, { callbacks: ['https://b.example.com/cb'] }, 'application "Contract App"');
    expect(updated.callbacks).toEqual(['https://b.example.com/cb']);
    expect(updated.client_secret).toBeUndefined();
    await remote.deleteClient(id, 'application "Contract App"');
    expect(emulator.store.clients.get(id)).toBeUndefined();

    const writes = apiRequests(emulator, from);
    expect(writes.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      'POST /api/v2/clients',
      `PATCH /api/v2/clients/${id}`,
      `DELETE /api/v2/clients/${id}`,
    ]);
    expect(writes[1]?.body).toEqual({ callbacks: ['https://b.example.com/cb'] });
  });

  it('reads and writes share one token: a read, then a write, make one token request', async () => {
    const fresh = remoteFor(emulator);
    await fresh.readSnapshot();
    const created = await fresh.createClient({ name: 'Shared Token App', app_type: 'spa' }, 'application "Shared Token App"');
    await fresh.deleteClient(String(created.client_id), 'application "Shared Token App"');
    expect(fresh.stats.tokenRequests).toBe(1);
    expect(fresh.stats.byMethod).toMatchObject({ POST: 1, DELETE: 1 });
  });

  it('creates, updates and deletes an API and a grant, and finds each by its natural key', async () => {
    const api = await remote.createResourceServer({ name: 'Fleet', identifier: 'https://fleet.example.com/', scopes: [{ value: 'read:fleet' }] }, 'api');
    const app = await remote.createClient({ name: 'Fleet Job', app_type: 'non_interactive' }, 'application');
    const grant = await remote.createClientGrant({ client_id: app.client_id, audience: 'https://fleet.example.com/', scope: ['read:fleet'] }, 'grant');

    expect((await remote.findResourceServerByIdentifier('https://fleet.example.com/'))?.id).toBe(api.id);
    expect(await remote.findResourceServerByIdentifier('https://nothing.example.com/')).toBeUndefined();
    expect((await remote.findClientByName('Fleet Job'))?.client_id).toBe(app.client_id);
    expect(await remote.findClientByName('No Such Job')).toBeUndefined();
    expect(await remote.findClientGrant(String(app.client_id), 'https://fleet.example.com/', 'user')).toBeUndefined();
    const userGrant = await remote.createClientGrant({ client_id: app.client_id, audience: 'https://fleet.example.com/', scope: [], subject_type: 'user' }, 'grant');
    expect((await remote.findClientGrant(String(app.client_id), 'https://fleet.example.com/', 'client'))?.id).toBe(grant.id);
    expect((await remote.findClientGrant(String(app.client_id), 'https://fleet.example.com/', 'user'))?.id).toBe(userGrant.id);
    expect(await remote.findClientGrant(String(app.client_id), 'https://nothing.example.com/', 'client')).toBeUndefined();

    await remote.updateResourceServer(String(api.id), { token_lifetime: 3600 }, 'api');
    await remote.updateClientGrant(String(grant.id), { scope: [] }, 'grant');
    expect(emulator.store.resourceServers.get(String(api.id))?.token_lifetime).toBe(3600);
    expect(emulator.store.clientGrants.get(String(grant.id))?.scope).toEqual([]);

    await remote.deleteClientGrant(String(grant.id), 'grant');
    await remote.deleteResourceServer(String(api.id), 'api');
    expect(emulator.store.clientGrants.get(String(grant.id))).toBeUndefined();
    expect(emulator.store.resourceServers.get(String(api.id))).toBeUndefined();
  });

  it('creates, updates, enables in batches of at most 50, finds and deletes a connection', async () => {
    const connection = await remote.createConnection({ name: 'contract-db', strategy: 'auth0' }, 'connection');
    const id = String(connection.id);
    expect((await remote.findConnectionByName('contract-db'))?.id).toBe(id);
    expect(await remote.findConnectionByName('no-such-db')).toBeUndefined();
    await remote.updateConnection(id, { display_name: 'Contract DB' }, 'connection');
    expect(emulator.store.connections.get(id)?.display_name).toBe('Contract DB');

    const apps = emulator.seed('clients', Array.from({ length: 120 }, (_, i) => ({ name: `Batch ${i}` })));
    const from = emulator.requests.length;
    await remote.updateEnabledClients(id, apps.map((app) => ({ client_id: String(app.client_id), status: true })), 'enablement');
    const batches = apiRequests(emulator, from);
    expect(batches.map((entry) => `${entry.method} ${entry.path}`)).toEqual(Array(3).fill(`PATCH /api/v2/connections/${id}/clients`));
    expect(batches.map((entry) => (entry.body as unknown[]).length)).toEqual([50, 50, 20]);
    expect(await remote.readEnabledClients(id)).toHaveLength(120);

    await remote.deleteConnection(id, 'connection');
    expect(emulator.store.connections.get(id)).toBeUndefined();
  });

  it('a 404 names the object, the request and Auth0’s message', async () => {
    const error = await rejection(remote.updateClient('no-such-client', { name: 'x' }, 'application "Gone App"'));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toContain('application "Gone App"');
    expect(error.message).toContain('PATCH /api/v2/clients/no-such-client');
    expect(error.message).toContain('404');
    expect(error.message).toContain('The client does not exist');
    expect((error as ApiError).status).toBe(404);
  });
});

describe('RemoteTenant: token scopes and tenant settings', () => {
  it('knows the scopes of its token after the first request, and reads flags.enable_client_connections', async () => {
    const own = await startTestEmulator();
    try {
      const remote = remoteFor(own);
      expect(remote.grantedScopes).toBeUndefined();
      expect(await remote.readEnableClientConnections()).toBe(true);
      expect([...(remote.grantedScopes ?? [])].sort()).toEqual([...knownScopes].sort());
    } finally {
      await own.close();
    }
  });

  it('without read:tenant_settings the flag is unknown (null), not an error', async () => {
    const limited = await startTestEmulator({ scopes: knownScopes.filter((scope) => scope !== 'read:tenant_settings') });
    try {
      const remote = remoteFor(limited);
      expect(await remote.readEnableClientConnections()).toBeNull();
      expect(remote.grantedScopes?.has('read:tenant_settings')).toBe(false);
    } finally {
      await limited.close();
    }
  });
});

describe('RemoteTenant refusals', () => {
  it('an insufficient-scope 403 becomes a one-line SettingsError naming the scope', async () => {
    const limited = await startTestEmulator({ scopes: knownScopes.filter((scope) => scope !== 'read:connections') });
    try {
      const error = await rejection(remoteFor(limited).readSnapshot());
      expect(error).toBeInstanceOf(SettingsError);
      expect(error.message).toContain('read:connections');
      expect(error.message).toContain('GET /api/v2/connections');
      expect(error.message).not.toContain('\n');
      // The reads started beside the refused one are still in flight; let them finish before closing.
      await settle();
    } finally {
      await limited.close();
    }
  });

  it('a list that fails stops the reads of each connection’s clients that have not started', async () => {
    const paths: string[] = [];
    const limited = await startTestEmulator({
      scopes: knownScopes.filter((scope) => scope !== 'read:client_grants'),
      beforeAnswer: (request) => void paths.push(request.path),
    });
    try {
      limited.seed('connections', Array.from({ length: 200 }, (_, i) => ({ name: `conn-${i}`, strategy: 'auth0' })));
      const error = await rejection(remoteFor(limited).readSnapshot({ enablementFor: 'all' }));
      expect(error.message).toContain('read:client_grants');
      await settle();
      const enablementReads = paths.filter((path) => /^\/api\/v2\/connections\/[^/]+\/clients$/.test(path)).length;
      // Each of the 200 would be read if the refusal did not stop them; a few may have started before it came.
      expect(enablementReads).toBeLessThan(50);
    } finally {
      await limited.close();
    }
  });

  it('a bad client secret becomes a one-line SettingsError that names what to check, without the secret', async () => {
    const emulator = await startTestEmulator();
    try {
      const wrong = 'not-the-right-secret-1234567890';
      const error = await rejection(remoteFor(emulator, { clientSecret: wrong }).readSnapshot());
      expect(error).toBeInstanceOf(SettingsError);
      expect(error.message).toMatch(/refused the client credentials \(401/);
      expect(error.message).not.toContain('\n');
      expect((error as SettingsError).hint).toContain('AUTH0_CLIENT_SECRET');
      expect(`${error.message} ${(error as SettingsError).hint ?? ''}`).not.toContain(wrong);
      expect(apiRequests(emulator)).toHaveLength(0);
    } finally {
      await emulator.close();
    }
  });

  it('a POST answered with a fault is never resent: UncertainCreateError, one request', async () => {
    // faultRate 1: every API request gets an injected 500/503 or a dropped connection, some after the write landed.
    const faulty = await startTestEmulator({ faultRate: 1, faultSeed: 7 });
    try {
      const remote = remoteFor(faulty);
      const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
      const timersBefore = timers();
      for (let i = 0; i < 4; i++) {
        const before = faulty.requests.length;
        const error = await rejection(remote.createClient({ name: `Uncertain ${i}` }, `application "Uncertain ${i}"`));
        expect(error).toBeInstanceOf(UncertainCreateError);
        expect(error.message).toContain(`application "Uncertain ${i}": POST /api/v2/clients failed`);
        const posts = apiRequests(faulty, before);
        expect(posts).toHaveLength(1);
        // The object exists exactly when the fault struck after the write.
        const landed = faulty.store.clients.all().filter((client) => client.name === `Uncertain ${i}`).length;
        expect(landed).toBe(posts[0]?.fault?.endsWith('after write') ? 1 : 0);
      }
      // The SDK's per-request timeout timer is cleared: a failed request must not keep the CLI alive for a minute.
      expect(timers()).toBeLessThanOrEqual(timersBefore);
    } finally {
      await faulty.close();
    }
  });

  it('a GET that keeps failing is retried, then names the request and Auth0’s answer', async () => {
    const faulty = await startTestEmulator({ faultRate: 1, faultSeed: 3 });
    try {
      const remote = remoteFor(faulty, { maxAttempts: 2 });
      const error = await rejection(remote.readSnapshot());
      expect(error).toBeInstanceOf(ApiError);
      expect(error.message).toMatch(/GET \/api\/v2\/(clients|resource-servers|connections|client-grants|organizations)/);
      expect(remote.stats.retries).toBeGreaterThan(0);
      expect(apiRequests(faulty).every((entry) => entry.method === 'GET')).toBe(true);
    } finally {
      await faulty.close();
    }
  });

  it('on the free plan’s bucket (2 requests/s) parallel writes wait their turn instead of failing with 429', async () => {
    const throttled = await startTestEmulator({ rateLimit: 'free' });
    try {
      const remote = new RemoteTenant(
        { domain: throttled.domain, clientId: throttled.clientId, clientSecret: throttled.clientSecret },
        { concurrency: 8, baseBackoffMs: 1 },
      );
      const names = Array.from({ length: 10 }, (_, i) => `Throttled ${i}`);
      await Promise.all(names.map((name) => remote.createClient({ name }, `application "${name}"`)));
      const created = throttled.store.clients.all().map((client) => client.name);
      expect(created).toEqual(expect.arrayContaining(names));
      // Every 429 was retried, and each object was created once.
      const posts = apiRequests(throttled).filter((entry) => entry.method === 'POST');
      expect(posts.filter((entry) => entry.status === 201)).toHaveLength(10);
      expect(posts.filter((entry) => entry.status === 429)).toHaveLength(remote.stats.throttled);
    } finally {
      await throttled.close();
    }
  }, 20_000);
});
