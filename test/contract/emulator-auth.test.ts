// The emulator's /oauth/token for the Management API: bad secrets, missing tokens and scopes, client_secret on reads.
import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { sdkFor, emulatorPerTest } from '../support/emulator.js';

const start = emulatorPerTest();

function tokenRequest(emulator: RunningEmulator, secret: string): Promise<Response> {
  return fetch(`https://${emulator.domain}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: emulator.clientId, client_secret: secret, audience: `https://${emulator.domain}/api/v2/` }).toString(),
  });
}

describe('emulator: tokens and scopes', () => {
  it('issues a Bearer token carrying the grant scopes', async () => {
    const emulator = await start();
    const response = await tokenRequest(emulator, emulator.clientSecret);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ expires_in: 86400, token_type: 'Bearer' });
    expect(String(body.scope).split(' ')).toEqual(expect.arrayContaining(['read:clients', 'create:client_grants', 'read:client_keys']));
  });

  it('answers 401 access_denied to a bad secret, and the SDK call fails', async () => {
    const emulator = await start();
    const response = await tokenRequest(emulator, 'wrong');
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'access_denied', error_description: 'Unauthorized' });
    await expect(sdkFor(emulator, { clientSecret: 'wrong' }).clients.get('x')).rejects.toMatchObject({ statusCode: 401 });
  });

  it('answers 401 to /api/v2 calls without a valid token', async () => {
    const emulator = await start();
    const none = await fetch(`https://${emulator.domain}/api/v2/clients`);
    expect(none.status).toBe(401);
    const bad = await fetch(`https://${emulator.domain}/api/v2/clients`, { headers: { authorization: 'Bearer nope' } });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  });

  it('answers 403 insufficient_scope when the grant lacks the scope', async () => {
    const emulator = await start({ scopes: ['read:clients'] });
    const sdk = sdkFor(emulator);
    for await (const client of await sdk.clients.list()) expect(client).not.toHaveProperty('client_secret');
    await expect(sdk.clients.create({ name: 'nope' })).rejects.toMatchObject({
      statusCode: 403,
      body: { statusCode: 403, error: 'Forbidden', message: 'Insufficient scope, expected any of: create:clients', errorCode: 'insufficient_scope' },
    });
    await expect(sdk.connections.get('con_x')).rejects.toMatchObject({ statusCode: 403, body: { message: 'Insufficient scope, expected any of: read:connections' } });
    await expect(sdk.clients.rotateSecret(emulator.clientId)).rejects.toMatchObject({ statusCode: 403, body: { message: 'Insufficient scope, expected any of: update:client_keys' } });
  });

  it('shows client_secret on reads only with read:client_keys', async () => {
    const withKeys = await start();
    expect((await sdkFor(withKeys).clients.get(withKeys.clientId)).client_secret).toBe(withKeys.clientSecret);
    const withoutKeys = await start({ scopes: ['read:clients', 'create:clients'] });
    const sdk = sdkFor(withoutKeys);
    const created = await sdk.clients.create({ name: 'secret on create' });
    expect(created.client_secret).toHaveLength(64);
    expect(await sdk.clients.get(created.client_id!)).not.toHaveProperty('client_secret');
  });
});
