// The emulator's clients through the official SDK: defaults, validation, secrets and projections as Auth0 has them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManagementClient } from 'auth0';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { sdkFor, startTestEmulator } from '../support/emulator.js';

let emulator: RunningEmulator;
let sdk: ManagementClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  sdk = sdkFor(emulator);
});
afterAll(() => emulator.close());

describe('emulator: /api/v2/clients through the auth0 SDK', () => {
  it('starts with the global client and its own management client', async () => {
    const names: string[] = [];
    for await (const client of await sdk.clients.list({ per_page: 50 })) names.push(String(client.name));
    expect(names).toContain('All Applications');
    expect(names.length).toBe(2);
    const global: unknown[] = [];
    for await (const client of await sdk.clients.list({ is_global: true })) global.push(client);
    expect(global).toHaveLength(1);
  });

  it('creates a spa with the defaults Auth0 adds, and returns the secret only on create', async () => {
    const created = await sdk.clients.create({ name: 'Web SPA', app_type: 'spa', callbacks: ['https://app.example.com/cb'] });
    expect(created.client_id).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(created.client_secret).toHaveLength(64);
    expect(created.grant_types).toEqual(['authorization_code', 'implicit', 'refresh_token']);
    expect(created.token_endpoint_auth_method).toBe('none');
    expect(created.jwt_configuration).toEqual({ secret_encoded: false, lifetime_in_seconds: 36000 });
    expect(created.refresh_token).toMatchObject({ rotation_type: 'non-rotating', token_lifetime: 2592000, idle_token_lifetime: 1296000 });
    expect(created).toMatchObject({ is_first_party: true, sso_disabled: false, custom_login_page_on: true, global: false, oidc_conformant: false });
    const read = await sdk.clients.get(created.client_id!);
    expect(read.name).toBe('Web SPA');
    expect(read.callbacks).toEqual(['https://app.example.com/cb']);
  });

  it('gives regular web apps the client_credentials grant too and no callbacks unless sent', async () => {
    const created = await sdk.clients.create({ name: 'Backend' });
    expect(created.grant_types).toEqual(['authorization_code', 'implicit', 'refresh_token', 'client_credentials']);
    expect(created).not.toHaveProperty('callbacks');
    expect(created).not.toHaveProperty('app_type');
  });

  it('updates only the sent fields and deletes with 204, then 404s', async () => {
    const created = await sdk.clients.create({ name: 'To change', app_type: 'regular_web', callbacks: ['https://a.example.com'] });
    const id = created.client_id!;
    const updated = await sdk.clients.update(id, { callbacks: ['https://b.example.com'] });
    expect(updated.callbacks).toEqual(['https://b.example.com']);
    expect(updated.name).toBe('To change');
    await sdk.clients.delete(id);
    await expect(sdk.clients.get(id)).rejects.toMatchObject({ statusCode: 404, body: { message: 'The client does not exist', errorCode: 'inexistent_client' } });
    await expect(sdk.clients.delete(id)).resolves.toBeUndefined();
  });

  it('refuses jwt_configuration.secret_encoded in a PATCH, though every read returns it (Auth0 update schema)', async () => {
    const created = await sdk.clients.create({ name: 'JWT settings', jwt_configuration: { secret_encoded: true, alg: 'HS256' } });
    expect(created.jwt_configuration).toMatchObject({ secret_encoded: true, alg: 'HS256' });
    const read = await sdk.clients.get(created.client_id!);
    await expect(sdk.clients.update(created.client_id!, { jwt_configuration: { ...read.jwt_configuration, alg: 'RS256' } })).rejects.toMatchObject({
      statusCode: 400,
      body: {
        errorCode: 'invalid_body',
        message:
          "Payload validation error: 'Additional properties not allowed: secret_encoded' on property jwt_configuration (An object that holds settings related to how JWTs are created).",
      },
    });
    const updated = await sdk.clients.update(created.client_id!, { jwt_configuration: { alg: 'RS256' } });
    expect(updated.jwt_configuration).toMatchObject({ secret_encoded: true, alg: 'RS256', lifetime_in_seconds: 36000 });
  });

  it('refuses a refresh_token without rotation_type and expiration_type (SDK type ClientRefreshTokenConfiguration)', async () => {
    const created = await sdk.clients.create({ name: 'Refresh settings' });
    await expect(sdk.clients.update(created.client_id!, { refresh_token: { leeway: 5 } as never })).rejects.toMatchObject({
      statusCode: 400,
      body: { errorCode: 'invalid_body', message: "Payload validation error: 'Missing required property: rotation_type' on property refresh_token (Refresh token configuration)." },
    });
    const whole = { ...created.refresh_token!, leeway: 5 };
    await expect(sdk.clients.update(created.client_id!, { refresh_token: whole })).resolves.toMatchObject({ refresh_token: { leeway: 5 } });
  });

  it('rotates a secret', async () => {
    const created = await sdk.clients.create({ name: 'Rotating' });
    const rotated = await sdk.clients.rotateSecret(created.client_id!);
    expect(rotated.client_secret).toHaveLength(64);
    expect(rotated.client_secret).not.toBe(created.client_secret);
  });
});

describe('emulator: client validation and projections', () => {
  it('rejects read-only and unknown fields with 400 invalid_body naming them', async () => {
    const created = await sdk.clients.create({ name: 'Strict' });
    const id = created.client_id!;
    for (const field of ['client_id', 'tenant', 'global']) {
      await expect(sdk.clients.update(id, { [field]: 'x' } as never)).rejects.toMatchObject({
        statusCode: 400,
        body: { statusCode: 400, error: 'Bad Request', errorCode: 'invalid_body', message: `Payload validation error: 'Additional properties not allowed: ${field}'` },
      });
    }
    await expect(sdk.clients.create({ name: 'x', colour: 'blue' } as never)).rejects.toMatchObject({
      statusCode: 400,
      body: { message: "Payload validation error: 'Additional properties not allowed: colour'" },
    });
    await expect(sdk.clients.create({} as never)).rejects.toMatchObject({ statusCode: 400, body: { errorCode: 'invalid_body' } });
  });

  it('answers 404 in Auth0 shape for an unknown client', async () => {
    await expect(sdk.clients.get('this-client-does-not-exist')).rejects.toMatchObject({
      statusCode: 404,
      body: { statusCode: 404, error: 'Not Found', message: 'The client does not exist', errorCode: 'inexistent_client' },
    });
  });

  it('projects fields (always adding tenant, as Auth0 does) and filters by app_type', async () => {
    await sdk.clients.create({ name: 'Native one', app_type: 'native' });
    const seen: Array<Record<string, unknown>> = [];
    for await (const client of await sdk.clients.list({ app_type: 'native', fields: 'name,app_type', include_fields: true })) {
      seen.push(client as Record<string, unknown>);
    }
    expect(seen).toEqual([{ tenant: 'tenantctl-emulator', name: 'Native one', app_type: 'native' }]);
  });

  it('pages through many seeded clients with page/per_page to the end', async () => {
    emulator.seed('clients', Array.from({ length: 250 }, (_, index) => ({ name: `seeded-${index}` })));
    const ids = new Set<string>();
    for await (const client of await sdk.clients.list({ per_page: 100 })) ids.add(String(client.client_id));
    expect(ids.size).toBe(emulator.store.clients.size);
    const pages = emulator.requests.filter((entry) => entry.path === '/api/v2/clients' && entry.method === 'GET' && entry.query.per_page === '100');
    // The SDK stops at the first short page, so the last request is page floor(size / 100).
    const lastPage = Math.floor(emulator.store.clients.size / 100);
    expect(pages.map((entry) => entry.query.page)).toEqual(Array.from({ length: lastPage + 1 }, (_, page) => String(page)));
  });

  it('keeps request bodies in the log with secrets masked', async () => {
    const created = await sdk.clients.create({ name: 'Logged' });
    await sdk.clients.update(created.client_id!, { client_secret: 'a-very-secret-value-that-is-long-enough-0123456789' });
    const patch = emulator.requests.filter((entry) => entry.method === 'PATCH').at(-1);
    expect(patch?.body).toEqual({ client_secret: '[MASKED]' });
    expect(JSON.stringify(emulator.requests)).not.toContain('a-very-secret-value');
    const token = emulator.requests.find((entry) => entry.path === '/oauth/token');
    expect(JSON.stringify(token?.body)).not.toContain(emulator.clientSecret);
  });
});
