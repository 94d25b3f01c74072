// The emulator's sub-resources and the kinds it does not model, through HTTP as a client sees them: client
// credentials, SCIM, directory provisioning, connection keys, empty lists and tenant settings that keep what is set.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { rawRequest, startTestEmulator } from '../support/emulator.js';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());

const call = (method: string, path: string, body?: unknown) =>
  rawRequest(emulator, method, path, body === undefined ? undefined : JSON.stringify(body));

const publicKeyPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

async function newClient(body: Record<string, unknown> = {}): Promise<string> {
  const created = await call('POST', '/api/v2/clients', { name: `app-${Math.random().toString(36).slice(2)}`, ...body });
  expect(created.status).toBe(201);
  return String((created.json as { client_id: string }).client_id);
}

async function newConnection(strategy: string): Promise<{ id: string; name: string }> {
  const name = `con-${strategy}-${Math.random().toString(36).slice(2, 8)}`;
  const created = await call('POST', '/api/v2/connections', { name, strategy });
  expect(created.status).toBe(201);
  return { id: String((created.json as { id: string }).id), name };
}

describe('emulator: client credentials', () => {
  it('creates, lists (a bare array), reads, updates and deletes a public key credential without ever showing the PEM', async () => {
    const clientId = await newClient();
    const created = await call('POST', `/api/v2/clients/${clientId}/credentials`, { name: 'ci key', credential_type: 'public_key', pem: publicKeyPem });
    expect(created.status).toBe(201);
    const credential = created.json as Record<string, unknown>;
    expect(Object.keys(credential).sort()).toEqual(['alg', 'created_at', 'credential_type', 'id', 'kid', 'name', 'updated_at']);
    expect(credential.alg).toBe('RS256');
    expect(JSON.stringify(credential)).not.toContain('BEGIN PUBLIC KEY');

    const list = await call('GET', `/api/v2/clients/${clientId}/credentials?include_totals=true&per_page=50`);
    expect(list.json).toEqual([credential]);
    const updated = await call('PATCH', `/api/v2/clients/${clientId}/credentials/${String(credential.id)}`, { expires_at: '2099-01-01T00:00:00.000Z' });
    expect((updated.json as Record<string, unknown>).expires_at).toBe('2099-01-01T00:00:00.000Z');
    expect((await call('DELETE', `/api/v2/clients/${clientId}/credentials/${String(credential.id)}`)).status).toBe(204);
    const gone = await call('GET', `/api/v2/clients/${clientId}/credentials/${String(credential.id)}`);
    expect(gone.status).toBe(404);
    expect((gone.json as { message: string }).message).toBe('The credential does not exist');
  });

  it('answers inline credentials whole on create, by id on read, and refuses to delete one the client still uses', async () => {
    const created = await call('POST', '/api/v2/clients', {
      name: 'pkjwt app',
      client_authentication_methods: { private_key_jwt: { credentials: [{ name: 'inline', credential_type: 'public_key', pem: publicKeyPem }] } },
    });
    const client = created.json as { client_id: string; client_authentication_methods: { private_key_jwt: { credentials: Array<Record<string, unknown>> } } };
    const [inline] = client.client_authentication_methods.private_key_jwt.credentials;
    expect(inline).toMatchObject({ name: 'inline', credential_type: 'public_key', alg: 'RS256' });

    const read = await call('GET', `/api/v2/clients/${client.client_id}`);
    expect((read.json as typeof client).client_authentication_methods).toEqual({ private_key_jwt: { credentials: [{ id: inline?.id }] } });
    expect((await call('GET', `/api/v2/clients/${client.client_id}/credentials`)).json).toEqual([inline]);

    const refused = await call('DELETE', `/api/v2/clients/${client.client_id}/credentials/${String(inline?.id)}`);
    expect(refused.status).toBe(400);
    expect((refused.json as { message: string }).message).toBe('Cannot delete credential still associated with a client');
  });

  it('answers 404 inexistent_client for the credentials of an unknown client', async () => {
    const missing = await call('GET', '/api/v2/clients/NoSuchClientNoSuchClientNoSuch00/credentials');
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ message: 'The client does not exist', errorCode: 'inexistent_client' });
  });
});

describe('emulator: connection sub-resources', () => {
  it('keeps a SCIM configuration with the default mapping, its tokens, and forgets it on delete', async () => {
    const okta = await newConnection('okta');
    expect((await call('GET', `/api/v2/connections/${okta.id}/scim-configuration`)).status).toBe(404);
    const created = await call('POST', `/api/v2/connections/${okta.id}/scim-configuration`, {});
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ connection_id: okta.id, connection_name: okta.name, strategy: 'okta', user_id_attribute: 'externalId' });
    expect((created.json as { mapping: unknown[] }).mapping).toHaveLength(32);

    const token = await call('POST', `/api/v2/connections/${okta.id}/scim-configuration/tokens`, { scopes: ['get:users'] });
    expect(token.status).toBe(201);
    expect(Object.keys(token.json as object).sort()).toEqual(['created_at', 'scopes', 'token', 'token_id']);
    const tokens = await call('GET', `/api/v2/connections/${okta.id}/scim-configuration/tokens`);
    expect(tokens.json).toEqual([{ token_id: (token.json as { token_id: string }).token_id, created_at: expect.any(String), scopes: ['get:users'] }]);

    expect((await call('DELETE', `/api/v2/connections/${okta.id}/scim-configuration`)).status).toBe(204);
    expect((await call('GET', `/api/v2/connections/${okta.id}/scim-configuration`)).status).toBe(404);
  });

  it("refuses SCIM on a database connection with Auth0's message", async () => {
    const database = await newConnection('auth0');
    const refused = await call('POST', `/api/v2/connections/${database.id}/scim-configuration`, {});
    expect(refused.status).toBe(404);
    expect((refused.json as { message: string }).message).toMatch(/^This connection type does not support SCIM/);
  });

  it('provisions a Google Workspace directory and keeps its synchronized groups in id order', async () => {
    const google = await newConnection('google-apps');
    const created = await call('POST', `/api/v2/connections/${google.id}/directory-provisioning`, { synchronize_groups: 'selected' });
    expect(created.json).toMatchObject({ strategy: 'google-apps', synchronize_automatically: false, synchronize_groups: 'selected' });
    const groups = `/api/v2/connections/${google.id}/directory-provisioning/synchronized-groups`;
    expect((await call('PUT', groups, { groups: [{ id: 'b-group' }, { id: 'c-group' }] })).status).toBe(204);
    expect((await call('POST', groups, { groups: [{ id: 'a-group', name: 'Admins' }] })).status).toBe(204);
    expect((await call('DELETE', groups, { groups: [{ id: 'c-group' }] })).status).toBe(204);
    expect((await call('GET', groups)).json).toEqual({ groups: [{ id: 'a-group', name: 'Admins' }, { id: 'b-group' }] });
    const badEmail = await call('POST', groups, { groups: [{ id: 'x', email: '' }] });
    expect(badEmail.status).toBe(400);
    const all = await call('GET', '/api/v2/connections-directory-provisionings');
    expect((all.json as { directory_provisionings: Array<{ connection_id: string }> }).directory_provisionings.map((item) => item.connection_id)).toEqual([google.id]);
  });

  it('rotates connection keys: next becomes current, current becomes previous', async () => {
    const oidc = await newConnection('oidc');
    const before = (await call('GET', `/api/v2/connections/${oidc.id}/keys`)).json as Array<Record<string, unknown>>;
    expect(before.map((key) => [key.current === true, key.next === true])).toEqual([[true, false], [false, true]]);
    const rotated = await call('POST', `/api/v2/connections/${oidc.id}/keys/rotate`);
    expect(rotated.status).toBe(201);
    const after = (await call('GET', `/api/v2/connections/${oidc.id}/keys`)).json as Array<Record<string, unknown>>;
    expect(after.map((key) => key.kid)).toEqual([before[1]?.kid, before[0]?.kid, (rotated.json as { kid: string }).kid]);
    expect(after[1]).toMatchObject({ previous: true });
  });
});

describe('emulator: kinds it does not model', () => {
  it('answers their lists empty in Auth0 envelopes, never 404', async () => {
    expect((await call('GET', '/api/v2/rules?page=0&per_page=100&include_totals=true')).json).toEqual({ total: 0, start: 0, limit: 100, rules: [] });
    expect((await call('GET', '/api/v2/actions/actions?page=0&per_page=100')).json).toEqual({ actions: [], per_page: 100 });
    expect((await call('GET', '/api/v2/custom-domains')).json).toEqual([]);
    expect((await call('GET', '/api/v2/organizations?take=50')).json).toEqual({ organizations: [] });
    const triggers = (await call('GET', '/api/v2/actions/triggers')).json as { triggers: Array<{ id: string }> };
    expect(triggers.triggers.map((trigger) => trigger.id)).toContain('post-login');
    expect((await call('GET', '/api/v2/actions/triggers/post-login/bindings')).json).toEqual({ bindings: [], per_page: 50 });
    const template = await call('GET', '/api/v2/email-templates/verify_email');
    expect(template.status).toBe(404);
    expect(template.json).toMatchObject({ message: 'The template does not exist.', errorCode: 'inexistent_email_template' });
  });

  it('lists every MFA factor disabled until one is switched on', async () => {
    expect((await call('PUT', '/api/v2/guardian/factors/otp', { enabled: true })).json).toEqual({ enabled: true });
    const factors = (await call('GET', '/api/v2/guardian/factors')).json as Array<{ name: string; enabled: boolean }>;
    expect(factors.filter((factor) => factor.enabled).map((factor) => factor.name)).toEqual(['otp']);
    expect(factors).toHaveLength(8);
  });

  it('keeps tenant-wide settings that a PATCH sets', async () => {
    const patched = await call('PATCH', '/api/v2/attack-protection/brute-force-protection', { max_attempts: 5 });
    expect(patched.status).toBe(200);
    const read = await call('GET', '/api/v2/attack-protection/brute-force-protection');
    expect(read.json).toMatchObject({ enabled: true, max_attempts: 5 });
  });
});
