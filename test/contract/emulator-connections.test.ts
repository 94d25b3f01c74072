// The emulator's connections through the official SDK: enablement, asynchronous deletes, options scopes, tenant flags.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManagementClient } from 'auth0';
import { knownScopes, type RunningEmulator } from '../../src/emulator/index.js';
import { rawRequest, sdkFor, startTestEmulator } from '../support/emulator.js';

let emulator: RunningEmulator;
let sdk: ManagementClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  sdk = sdkFor(emulator);
});
afterAll(() => emulator.close());

async function allConnections(request: Parameters<ManagementClient['connections']['list']>[0] = {}) {
  const out = [];
  for await (const connection of await sdk.connections.list(request)) out.push(connection);
  return out;
}

describe('emulator: /api/v2/connections', () => {
  it('has the default database connection', async () => {
    const connections = await allConnections({ strategy: ['auth0'] });
    expect(connections.map((connection) => connection.name)).toEqual(['Username-Password-Authentication']);
  });

  it('creates a database connection with Auth0 defaults and rejects a duplicate name with 409', async () => {
    const created = await sdk.connections.create({ name: 'db-main', strategy: 'auth0' });
    expect(created.id).toMatch(/^con_[A-Za-z0-9]{16}$/);
    expect(created.realms).toEqual(['db-main']);
    expect(created.is_domain_connection).toBe(false);
    expect(created.options).toMatchObject({ mfa: { active: true, return_enroll_settings: true }, passwordPolicy: 'good', strategy_version: 2, brute_force_protection: true });
    expect(created.enabled_clients).toEqual([]);
    await expect(sdk.connections.create({ name: 'db-main', strategy: 'auth0' })).rejects.toMatchObject({ statusCode: 409, body: { statusCode: 409, error: 'Conflict' } });
  });

  it('replaces the whole options object on PATCH and refuses name/strategy changes', async () => {
    const created = await sdk.connections.create({ name: 'google', strategy: 'google-oauth2', options: { email: true, profile: true } });
    const updated = await sdk.connections.update(created.id!, { options: { scope: ['email'] } });
    expect(updated.options).toEqual({ scope: ['email'] });
    for (const field of ['name', 'strategy']) {
      await expect(sdk.connections.update(created.id!, { [field]: 'other' } as never)).rejects.toMatchObject({
        statusCode: 400,
        body: { errorCode: 'invalid_body', message: `Payload validation error: 'Additional properties not allowed: ${field}'` },
      });
    }
  });

  it('deletes with 202 {deleted_at}, then GET 404 and a repeated DELETE answers 204', async () => {
    const created = await sdk.connections.create({ name: 'short-lived', strategy: 'auth0' });
    const first = await rawRequest(emulator, 'DELETE', `/api/v2/connections/${created.id}`);
    expect(first.status).toBe(202);
    expect(first.json).toEqual({ deleted_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    await expect(sdk.connections.get(created.id!)).rejects.toMatchObject({
      statusCode: 404,
      body: { message: 'The connection does not exist', errorCode: 'inexistent_connection' },
    });
    await expect(sdk.connections.delete(created.id!)).resolves.toBeUndefined();
    const repeated = await rawRequest(emulator, 'DELETE', `/api/v2/connections/${created.id}`);
    expect(repeated.status).toBe(204);
  });

  it('pages with checkpoints (from/take) to the end, and with page/per_page', async () => {
    emulator.seed('connections', Array.from({ length: 120 }, (_, index) => ({ name: `seeded-${index}`, strategy: 'auth0' })));
    const total = emulator.store.connections.size;
    const viaSdk = await allConnections({ take: 50 });
    expect(new Set(viaSdk.map((connection) => connection.id)).size).toBe(total);
    const checkpointCalls = emulator.requests.filter(
      (entry) => entry.path === '/api/v2/connections' && entry.query.take === '50' && entry.query.strategy === undefined,
    );
    expect(checkpointCalls.length).toBe(Math.ceil(total / 50));

    const first = (await rawRequest(emulator, 'GET', '/api/v2/connections?take=100&include_totals=true')).json as { connections: unknown[]; next: string };
    expect(Object.keys(first)).toEqual(['connections', 'next']);
    const last = await rawRequest(emulator, 'GET', `/api/v2/connections?take=100&from=${encodeURIComponent(first.next)}`);
    expect((last.json as { connections: unknown[] }).connections).toHaveLength(total - 100);
    expect(last.json).not.toHaveProperty('next');
    const offset = await rawRequest(emulator, 'GET', '/api/v2/connections?page=1&per_page=100&include_totals=true');
    expect(offset.json).toMatchObject({ total, start: 100, limit: 100 });
    expect(Object.keys(offset.json as object)).toEqual(['total', 'start', 'limit', 'connections']);
  });

  it('manages enabled clients through /connections/{id}/clients and keeps enabled_clients consistent', async () => {
    const connection = await sdk.connections.create({ name: 'enable-me', strategy: 'auth0' });
    const app = await sdk.clients.create({ name: 'Enabled app' });
    await sdk.connections.clients.update(connection.id!, [{ client_id: app.client_id!, status: true }]);
    const enabled = [];
    for await (const item of await sdk.connections.clients.get(connection.id!)) enabled.push(item.client_id);
    expect(enabled).toEqual([app.client_id]);
    expect((await sdk.connections.get(connection.id!)).enabled_clients).toEqual([app.client_id]);
    await sdk.connections.clients.update(connection.id!, [{ client_id: app.client_id!, status: false }]);
    expect((await rawRequest(emulator, 'GET', `/api/v2/connections/${connection.id}/clients`)).json).toEqual({ clients: [] });

    const tooMany = Array.from({ length: 51 }, () => ({ client_id: app.client_id!, status: true }));
    await expect(sdk.connections.clients.update(connection.id!, tooMany)).rejects.toMatchObject({ statusCode: 400, body: { errorCode: 'invalid_body' } });
  });

  it('pages enabled clients with take/from until next disappears', async () => {
    const connection = await sdk.connections.create({ name: 'many-apps', strategy: 'auth0' });
    const apps = emulator.seed('clients', Array.from({ length: 60 }, (_, index) => ({ name: `enabled-${index}` })));
    for (let start = 0; start < apps.length; start += 50) {
      const batch = apps.slice(start, start + 50).map((app) => ({ client_id: String(app.client_id), status: true }));
      await sdk.connections.clients.update(connection.id!, batch);
    }
    const first = await rawRequest(emulator, 'GET', `/api/v2/connections/${connection.id}/clients?take=25`);
    const body = first.json as { clients: unknown[]; next: string };
    expect(body.clients).toHaveLength(25);
    expect(typeof body.next).toBe('string');
    const seen = [];
    for await (const item of await sdk.connections.clients.get(connection.id!, { take: 25 })) seen.push(item.client_id);
    expect(new Set(seen).size).toBe(60);
  });

  it('removes a deleted client from every connection and deletes its grants', async () => {
    const connection = await sdk.connections.create({ name: 'cleanup', strategy: 'auth0' });
    const app = await sdk.clients.create({ name: 'Doomed' });
    await sdk.connections.clients.update(connection.id!, [{ client_id: app.client_id!, status: true }]);
    const api = await sdk.resourceServers.create({ identifier: 'https://doomed.example.com', scopes: [{ value: 'read:x' }] });
    const grant = await sdk.clientGrants.create({ client_id: app.client_id!, audience: api.identifier!, scope: ['read:x'] });
    await sdk.clients.delete(app.client_id!);
    expect((await sdk.connections.get(connection.id!)).enabled_clients).toEqual([]);
    await expect(sdk.clientGrants.get(grant.id!)).rejects.toMatchObject({ statusCode: 404, body: { message: 'The grant does not exist.', errorCode: 'inexistent_client_grant' } });
  });
});

describe('emulator: connection deletion finishing in the background (connectionDeleteDelayMs)', () => {
  it('keeps a deleted connection’s name taken for the delay, with Auth0’s 409, then frees it', async () => {
    const slow = await startTestEmulator({ connectionDeleteDelayMs: 800 });
    try {
      const client = sdkFor(slow);
      const created = await client.connections.create({ name: 'pending-delete', strategy: 'github' });
      await client.connections.delete(created.id!);
      await expect(client.connections.get(created.id!)).rejects.toMatchObject({ statusCode: 404 });
      await expect(client.connections.create({ name: 'pending-delete', strategy: 'github' })).rejects.toMatchObject({
        statusCode: 409,
        body: { message: 'A connection with the same name already exists', errorCode: 'connection_conflict' },
      });
      await new Promise((resolve) => setTimeout(resolve, 900));
      await expect(client.connections.create({ name: 'pending-delete', strategy: 'github' })).resolves.toMatchObject({ name: 'pending-delete' });
    } finally {
      await slow.close();
    }
  });
});

describe('emulator: connection options need their own scopes (Auth0 "connection options scope" migration)', () => {
  const withoutOptionsScopes = knownScopes.filter((scope) => !scope.endsWith(':connections_options'));

  it('leaves options out of GET answers without read:connections_options and refuses a PATCH with options without update:connections_options', async () => {
    const limited = await startTestEmulator({ scopes: withoutOptionsScopes });
    try {
      const sdkLimited = sdkFor(limited);
      const created = await sdkLimited.connections.create({ name: 'social', strategy: 'google-oauth2', options: { client_id: 'g-id', client_secret: 'g-secret', scope: ['email'] } });
      const listed = [];
      for await (const connection of await sdkLimited.connections.list()) listed.push(connection);
      expect(listed.length).toBeGreaterThan(1);
      for (const connection of listed) expect(connection).not.toHaveProperty('options');
      expect(await sdkLimited.connections.get(created.id!)).not.toHaveProperty('options');

      await expect(sdkLimited.connections.update(created.id!, { options: { scope: ['profile'] } })).rejects.toMatchObject({
        statusCode: 403,
        body: { error: 'Forbidden', message: 'Updating the "options" property requires the "update:connections_options" scope', errorCode: 'insufficient_scope' },
      });
      // The refused PATCH changed nothing; a PATCH without options still works and answers without options.
      const renamed = await sdkLimited.connections.update(created.id!, { display_name: 'Google' });
      expect(renamed).not.toHaveProperty('options');
      expect(limited.store.connections.get(created.id!)?.options).toEqual({ client_id: 'g-id', client_secret: 'g-secret', scope: ['email'] });
    } finally {
      await limited.close();
    }
  });

  it('with only update:connections_options a PATCH replaces the whole options object but the answer hides it', async () => {
    const limited = await startTestEmulator({ scopes: knownScopes.filter((scope) => scope !== 'read:connections_options') });
    try {
      const sdkLimited = sdkFor(limited);
      const created = await sdkLimited.connections.create({ name: 'social', strategy: 'google-oauth2', options: { client_id: 'g-id', client_secret: 'g-secret' } });
      const updated = await sdkLimited.connections.update(created.id!, { options: { scope: ['email'] } });
      expect(updated).not.toHaveProperty('options');
      expect(limited.store.connections.get(created.id!)?.options).toEqual({ scope: ['email'] });
    } finally {
      await limited.close();
    }
  });
});

describe('emulator: flags.enable_client_connections (tenant settings)', () => {
  it('defaults to true and then enables a new application on every existing connection; off, a new application gets none', async () => {
    const own = await startTestEmulator();
    try {
      const sdkOwn = sdkFor(own);
      expect((await sdkOwn.tenants.settings.get()).flags).toMatchObject({ enable_client_connections: true });
      const social = await sdkOwn.connections.create({ name: 'social', strategy: 'google-oauth2' });
      const database = (await sdkOwn.connections.list({ name: 'Username-Password-Authentication' })).data[0]!;
      const everywhere = await sdkOwn.clients.create({ name: 'Everywhere' });
      for (const id of [social.id!, database.id!]) expect(own.store.enabledClients(id)).toContain(everywhere.client_id);

      const updated = await sdkOwn.tenants.settings.update({ flags: { enable_client_connections: false } });
      expect(updated.flags).toMatchObject({ enable_client_connections: false });
      const nowhere = await sdkOwn.clients.create({ name: 'Nowhere' });
      for (const id of [social.id!, database.id!]) expect(own.store.enabledClients(id)).not.toContain(nowhere.client_id);
      // A connection created later is not enabled for existing applications either way.
      const later = await sdkOwn.connections.create({ name: 'later', strategy: 'auth0' });
      expect(own.store.enabledClients(later.id!)).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it('needs read:tenant_settings to read and update:tenant_settings to change the settings', async () => {
    const limited = await startTestEmulator({ scopes: knownScopes.filter((scope) => !scope.endsWith(':tenant_settings')) });
    try {
      await expect(sdkFor(limited).tenants.settings.get()).rejects.toMatchObject({ statusCode: 403, body: { errorCode: 'insufficient_scope' } });
      await expect(sdkFor(limited).tenants.settings.update({ flags: { enable_client_connections: false } })).rejects.toMatchObject({ statusCode: 403 });
    } finally {
      await limited.close();
    }
  });
});
