// The emulator's resource servers and client grants through the official SDK, as Auth0 answers them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManagementClient } from 'auth0';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { rawRequest, sdkFor, startTestEmulator } from '../support/emulator.js';

let emulator: RunningEmulator;
let sdk: ManagementClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  sdk = sdkFor(emulator);
});
afterAll(() => emulator.close());

describe('emulator: /api/v2/resource-servers', () => {
  it('has the system Management API', async () => {
    const apis = [];
    for await (const api of await sdk.resourceServers.list()) apis.push(api);
    const system = apis.find((api) => api.identifier === `https://${emulator.domain}/api/v2/`);
    expect(system).toMatchObject({ name: 'Auth0 Management API', is_system: true });
  });

  it('creates with defaults, reads by id and by URL-encoded identifier, updates and deletes', async () => {
    const created = await sdk.resourceServers.create({ name: 'Orders', identifier: 'https://orders.example.com/', scopes: [{ value: 'read:orders' }] });
    expect(created.id).toMatch(/^[0-9a-f]{24}$/);
    expect(created).toMatchObject({ token_lifetime: 86400, token_lifetime_for_web: 7200, signing_alg: 'RS256', allow_offline_access: false, skip_consent_for_verifiable_first_party_clients: false });
    expect((await sdk.resourceServers.get(created.id!)).name).toBe('Orders');
    expect((await sdk.resourceServers.get('https://orders.example.com/')).id).toBe(created.id);
    const updated = await sdk.resourceServers.update(created.id!, { token_lifetime: 3600 });
    expect(updated.token_lifetime).toBe(3600);
    await sdk.resourceServers.delete(created.id!);
    await expect(sdk.resourceServers.get(created.id!)).rejects.toMatchObject({
      statusCode: 404,
      body: { message: 'The resource server does not exist', errorCode: 'inexistent_resource_server' },
    });
  });

  it('answers 409 for a duplicate identifier and 400 for a PATCH of identifier', async () => {
    const created = await sdk.resourceServers.create({ identifier: 'https://dup.example.com' });
    expect(created).not.toHaveProperty('name');
    await expect(sdk.resourceServers.create({ identifier: 'https://dup.example.com' })).rejects.toMatchObject({ statusCode: 409 });
    await expect(sdk.resourceServers.update(created.id!, { identifier: 'https://other' } as never)).rejects.toMatchObject({
      statusCode: 400,
      body: { message: "Payload validation error: 'Additional properties not allowed: identifier'" },
    });
  });
});

describe('emulator: /api/v2/client-grants', () => {
  it('creates, filters, updates and deletes grants', async () => {
    const app = await sdk.clients.create({ name: 'Grant holder', app_type: 'non_interactive' });
    const api = await sdk.resourceServers.create({ identifier: 'https://grants.example.com', scopes: [{ value: 'read:a' }, { value: 'write:a' }] });
    const grant = await sdk.clientGrants.create({ client_id: app.client_id!, audience: api.identifier!, scope: ['read:a'] });
    expect(grant.id).toMatch(/^cgr_[A-Za-z0-9]{16}$/);
    expect(grant).toEqual({ id: grant.id, client_id: app.client_id, audience: api.identifier, scope: ['read:a'], subject_type: 'client' });

    const byAudience = [];
    for await (const item of await sdk.clientGrants.list({ audience: api.identifier! })) byAudience.push(item.id);
    expect(byAudience).toEqual([grant.id]);
    const byClient = [];
    for await (const item of await sdk.clientGrants.list({ client_id: app.client_id! })) byClient.push(item.id);
    expect(byClient).toEqual([grant.id]);

    const updated = await sdk.clientGrants.update(grant.id!, { scope: ['read:a', 'write:a'] });
    expect(updated.scope).toEqual(['read:a', 'write:a']);
    await sdk.clientGrants.delete(grant.id!);
    await expect(sdk.clientGrants.get(grant.id!)).rejects.toMatchObject({ statusCode: 404, body: { message: 'The grant does not exist.' } });
  });

  it('refuses a duplicate (client, audience) and PATCH of client_id/audience, but accepts scopes the API lacks as Auth0 does', async () => {
    const app = await sdk.clients.create({ name: 'Strict grant holder' });
    const api = await sdk.resourceServers.create({ identifier: 'https://strict.example.com', scopes: [{ value: 'read:s' }] });
    const grant = await sdk.clientGrants.create({ client_id: app.client_id!, audience: api.identifier!, scope: [] });
    await expect(sdk.clientGrants.create({ client_id: app.client_id!, audience: api.identifier!, scope: [] })).rejects.toMatchObject({
      statusCode: 409,
      body: { statusCode: 409, error: 'Conflict' },
    });
    // Recorded Auth0 traffic: a grant may name scopes its API does not define (POST 201, PATCH 200).
    const widened = await sdk.clientGrants.update(grant.id!, { scope: ['delete:everything'] });
    expect(widened.scope).toEqual(['delete:everything']);
    for (const field of ['client_id', 'audience']) {
      await expect(sdk.clientGrants.update(grant.id!, { [field]: 'x' } as never)).rejects.toMatchObject({
        statusCode: 400,
        body: { message: `Payload validation error: 'Additional properties not allowed: ${field}'` },
      });
    }
  });

  it('holds one grant per (client, audience, subject_type): a user-access grant beside a client grant, a second of either kind 409', async () => {
    const app = await sdk.clients.create({ name: 'Two-way grant holder' });
    const api = await sdk.resourceServers.create({ identifier: 'https://two-way.example.com', scopes: [{ value: 'read:t' }] });
    const client = await sdk.clientGrants.create({ client_id: app.client_id!, audience: api.identifier!, scope: ['read:t'] });
    const user = await sdk.clientGrants.create({ client_id: app.client_id!, audience: api.identifier!, scope: [], subject_type: 'user' });
    expect([client.subject_type, user.subject_type]).toEqual(['client', 'user']);
    for (const subject_type of ['client', 'user'] as const) {
      await expect(sdk.clientGrants.create({ client_id: app.client_id!, audience: api.identifier!, scope: [], subject_type })).rejects.toMatchObject({ statusCode: 409 });
    }
    const userOnly = [];
    for await (const item of await sdk.clientGrants.list({ client_id: app.client_id!, subject_type: 'user' } as never)) userOnly.push(item.id);
    expect(userOnly).toEqual([user.id]);
    // Deleting the user grant frees its slot and leaves the client grant alone.
    await sdk.clientGrants.delete(user.id!);
    await expect(sdk.clientGrants.create({ client_id: app.client_id!, audience: api.identifier!, scope: ['read:t'], subject_type: 'user' })).resolves.toMatchObject({ subject_type: 'user' });
    await expect(sdk.clientGrants.get(client.id!)).resolves.toMatchObject({ id: client.id });
  });

  it('pages grants with include_totals and with checkpoints', async () => {
    const offset = await rawRequest(emulator, 'GET', '/api/v2/client-grants?page=0&per_page=1&include_totals=true');
    expect(Object.keys(offset.json as object)).toEqual(['total', 'start', 'limit', 'client_grants']);
    const checkpoint = await rawRequest(emulator, 'GET', '/api/v2/client-grants?take=1');
    expect(checkpoint.json).toMatchObject({ client_grants: [expect.any(Object)], next: expect.any(String) });
  });
});
