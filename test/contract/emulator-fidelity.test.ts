// Contract tests for the defaults and update rules the emulator copies from recorded Auth0 traffic
// (shared/fidelity): newer client features, database password options, system APIs, repeated deletes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { rawRequest, startTestEmulator } from '../support/emulator.js';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());

type Json = Record<string, unknown>;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const response = await rawRequest(emulator, method, path, body === undefined ? undefined : JSON.stringify(body));
  return { status: response.status, json: (response.json ?? {}) as Json };
}

async function createClient(body: Json): Promise<Json> {
  const created = await call('POST', '/api/v2/clients', body);
  expect(created.status).toBe(201);
  return created.json;
}

describe('emulator fidelity: clients', () => {
  it('fills session_transfer around the sent keys, merges it on update and drops keys sent as null', async () => {
    const created = await createClient({ name: 'session transfer', session_transfer: { enforce_cascade_revocation: true } });
    expect(created.session_transfer).toEqual({
      can_create_session_transfer_token: false,
      allowed_authentication_methods: [],
      enforce_device_binding: 'ip',
      allow_refresh_token: false,
      enforce_cascade_revocation: true,
    });
    const id = String(created.client_id);
    await call('PATCH', `/api/v2/clients/${id}`, { session_transfer: { allow_refresh_token: true, delegation: { allow_delegated_access: true } } });
    const updated = await call('PATCH', `/api/v2/clients/${id}`, { session_transfer: { delegation: null } });
    expect(updated.json.session_transfer).toEqual({
      can_create_session_transfer_token: false,
      allowed_authentication_methods: [],
      enforce_device_binding: 'ip',
      allow_refresh_token: true,
      enforce_cascade_revocation: true,
    });
  });

  it('mirrors oidc_logout URLs in oidc_backchannel_logout and removes both when that is set to null', async () => {
    const urls = ['https://app.example.com/logout'];
    const created = await createClient({ name: 'backchannel', oidc_logout: { backchannel_logout_urls: urls } });
    expect(created.oidc_backchannel_logout).toEqual({ backchannel_logout_urls: urls });
    const cleared = await call('PATCH', `/api/v2/clients/${String(created.client_id)}`, { oidc_backchannel_logout: null });
    expect(cleared.json).not.toHaveProperty('oidc_logout');
    expect(cleared.json).not.toHaveProperty('oidc_backchannel_logout');
  });

  it('keeps mobile platforms a PATCH leaves out', async () => {
    const ios = { team_id: '9JA89QQLNQ', app_bundle_identifier: 'com.example.app' };
    const created = await createClient({ name: 'mobile', app_type: 'native', mobile: { ios, android: { app_package_name: 'com.example' } } });
    const updated = await call('PATCH', `/api/v2/clients/${String(created.client_id)}`, { mobile: { android: { app_package_name: 'com.example.two' } } });
    expect(updated.json.mobile).toEqual({ ios, android: { app_package_name: 'com.example.two' } });
  });

  it('gives express configuration apps their organization and credential defaults', async () => {
    const created = await createClient({ name: 'express', app_type: 'express_configuration' });
    expect(created).toMatchObject({
      organization_usage: 'require',
      organization_require_behavior: 'pre_login_prompt',
      client_authentication_methods: { private_key_jwt: { credentials: [] } },
      oidc_conformant: true,
    });
  });

  it('gives third-party apps a security mode; strict ones get tpc_ ids and short RS256 tokens', async () => {
    const permissive = await createClient({ name: 'third party', app_type: 'spa', is_first_party: false });
    expect(permissive.third_party_security_mode).toBe('permissive');
    expect(permissive.client_id).toMatch(/^[A-Za-z0-9]{32}$/);
    const strict = await createClient({
      name: 'strict third party', app_type: 'regular_web', is_first_party: false,
      token_endpoint_auth_method: 'client_secret_post', third_party_security_mode: 'strict',
    });
    expect(strict.client_id).toMatch(/^tpc_[A-Za-z0-9]{22}$/);
    expect(strict.jwt_configuration).toEqual({ secret_encoded: false, alg: 'RS256', lifetime_in_seconds: 3600 });
    expect(strict.grant_types).toEqual(['authorization_code']);
    expect(strict.refresh_token).toMatchObject({ expiration_type: 'expiring', token_lifetime: 31557600, infinite_idle_token_lifetime: false });
  });

  it('switches the infinite refresh token flags off when an expiring refresh token is sent', async () => {
    const created = await createClient({ name: 'expiring', refresh_token: { rotation_type: 'non-rotating', expiration_type: 'expiring' } });
    expect(created.refresh_token).toMatchObject({ infinite_token_lifetime: false, infinite_idle_token_lifetime: false, token_lifetime: 2592000 });
  });

  it('rejects a default_organization without both organization_id and flows', async () => {
    const created = await createClient({ name: 'default org' });
    const missing = await call('PATCH', `/api/v2/clients/${String(created.client_id)}`, { default_organization: { flows: ['client_credentials'] } });
    expect(missing.status).toBe(400);
    expect(missing.json.message).toBe("Payload validation error: 'Missing required property: organization_id' on property default_organization.");
  });

  it('links a resource_server app to its API, which then shows the app as client_id', async () => {
    const api = await call('POST', '/api/v2/resource-servers', { name: 'linked', identifier: 'https://linked.example.com/' });
    const client = await createClient({ name: 'linked app', app_type: 'resource_server', resource_server_identifier: 'https://linked.example.com/' });
    expect(client.oidc_conformant).toBe(true);
    const read = await call('GET', `/api/v2/resource-servers/${String(api.json.id)}`);
    expect(read.json.client_id).toBe(client.client_id);
  });

  it('answers an include-fields read with the tenant too', async () => {
    const created = await createClient({ name: 'projected' });
    const read = await call('GET', `/api/v2/clients/${String(created.client_id)}?fields=client_id&include_fields=true`);
    expect(read.json).toEqual({ tenant: 'tenantctl-emulator', client_id: created.client_id });
  });
});

describe('emulator fidelity: connections and APIs', () => {
  it('gives a new database connection current password options and password authentication behaviour', async () => {
    const created = await call('POST', '/api/v2/connections', { name: 'db-defaults', strategy: 'auth0', options: { password_options: { history: { active: true, size: 5 } } } });
    const options = created.json.options as Json;
    expect(options.authentication_methods).toEqual({ password: { enabled: true, api_behavior: 'required', signup_behavior: 'allow' }, passkey: { enabled: false } });
    expect(options.password_options).toMatchObject({
      complexity: { min_length: 15, character_type_rule: 'all' },
      history: { active: true, size: 5 },
      dictionary: { active: false, default: 'en_100k' },
    });
  });

  it('answers 204 to a repeated DELETE of a deleted connection', async () => {
    const created = await call('POST', '/api/v2/connections', { name: 'deleted-twice', strategy: 'auth0' });
    expect((await call('DELETE', `/api/v2/connections/${String(created.json.id)}`)).status).toBe(202);
    expect((await call('DELETE', `/api/v2/connections/${String(created.json.id)}`)).status).toBe(204);
  });

  it('activates the express configuration system API on create; it can be deleted, not modified', async () => {
    const created = await call('POST', '/api/v2/resource-servers', { identifier: 'urn:auth0:express-configure', name: 'ignored' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'Okta OIN Express Configuration API', is_system: true, token_lifetime: 300 });
    const id = String(created.json.id);
    expect((await call('PATCH', `/api/v2/resource-servers/${id}`, { name: 'Modified' })).status).toBe(400);
    expect((await call('DELETE', `/api/v2/resource-servers/${id}`)).status).toBe(204);
    expect((await call('POST', '/api/v2/resource-servers', { identifier: 'urn:auth0:express-configure' })).status).toBe(201);
    const management = `https://${emulator.domain}/api/v2/`;
    expect((await call('DELETE', `/api/v2/resource-servers/${encodeURIComponent(management)}`)).status).toBe(403);
  });

  it('projects API lists and reads with fields', async () => {
    const list = await call('GET', `/api/v2/resource-servers?fields=id,identifier&include_fields=true&identifiers=${encodeURIComponent('urn:auth0:express-configure')}`);
    expect(list.json).toEqual([{ id: expect.any(String), identifier: 'urn:auth0:express-configure' }]);
  });
});
