// The emulator's Authentication API through real clients and raw HTTP: discovery and JWKS, the Authorization Code
// flow with PKCE (openid-client), single-use codes, client authentication methods, refresh token rotation, client
// credentials for APIs, /userinfo, logout, and the refusals a partner meets (callback, password, connection, logout, grant).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { loginAsPartnerApp, LoginRefused, submitLoginForm } from '../../src/demo/partner-login.js';
import { emulatorPerTest, sdkFor, startTestEmulator } from '../support/emulator.js';
import { getManual, seedLoginApp, tokenRequest, USER, type LoginApp } from '../support/login.js';

let emulator: RunningEmulator;
let web: LoginApp;
let issuer: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  issuer = `https://${emulator.domain}/`;
  web = seedLoginApp(emulator, {
    name: 'Fleet Portal',
    app_type: 'regular_web',
    callbacks: ['https://fleet.partner.example.com/callback'],
    allowed_logout_urls: ['https://fleet.partner.example.com/'],
  });
});
afterAll(() => emulator?.close());

const settings = (app: LoginApp) => ({ domain: emulator.domain, clientId: app.clientId, clientSecret: app.clientSecret });

/** Runs /authorize and the login form for `app`, returning the code and the PKCE verifier it is bound to. */
async function codeFor(app: LoginApp, extra: Record<string, string> = {}): Promise<{ code: string; verifier: string }> {
  const verifier = client.randomPKCECodeVerifier();
  const url = new URL(`${issuer}authorize`);
  url.search = new URLSearchParams({
    client_id: app.clientId,
    redirect_uri: app.callback,
    response_type: 'code',
    scope: 'openid profile email',
    state: 'st-1',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...extra,
  }).toString();
  const back = await submitLoginForm(url, USER.email, USER.password);
  expect(back.searchParams.get('state')).toBe('st-1');
  return { code: back.searchParams.get('code')!, verifier };
}

describe('discovery and keys', () => {
  it('publishes issuer https://DOMAIN/ and one public RS256 key, without its private part', async () => {
    const discovery = (await (await fetch(`${issuer}.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery.issuer).toBe(issuer);
    expect(discovery.authorization_endpoint).toBe(`${issuer}authorize`);
    expect(discovery.jwks_uri).toBe(`${issuer}.well-known/jwks.json`);
    const jwks = (await (await fetch(String(discovery.jwks_uri))).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0]!.kid).toEqual(expect.any(String));
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });
});

describe('Authorization Code flow (openid-client)', () => {
  it('logs the user in: ID token verified against the JWKS with Auth0 claims, userinfo answers', async () => {
    const login = await loginAsPartnerApp(settings(web), { redirectUri: web.callback, username: USER.email, password: USER.password });
    const user = emulator.store.users.findByEmail('Username-Password-Authentication', USER.email)!;
    expect(login.claims).toMatchObject({ iss: issuer, aud: web.clientId, sub: user.user_id, email: USER.email, email_verified: true });
    expect(String(login.claims.sub)).toMatch(/^auth0\|[0-9a-f]{24}$/);
    expect(login.claims.nonce).toEqual(expect.any(String));
    expect(Number(login.claims.exp) - Number(login.claims.iat)).toBe(36000);
    expect(login.userinfo).toMatchObject({ sub: user.user_id, email: USER.email });
  });

  it('gives an API audience its scopes in an access token verified against the JWKS', async () => {
    emulator.seed('resourceServers', [{ name: 'Fleet API', identifier: 'https://fleet-api.example.com/', scopes: [{ value: 'read:vehicles' }] }]);
    const login = await loginAsPartnerApp(settings(web), {
      redirectUri: web.callback, username: USER.email, password: USER.password,
      scope: 'openid read:vehicles write:everything', audience: 'https://fleet-api.example.com/',
    });
    const { payload } = await jwtVerify(login.accessToken, createRemoteJWKSet(new URL(`${issuer}.well-known/jwks.json`)), { issuer });
    expect(payload).toMatchObject({ aud: ['https://fleet-api.example.com/', `${issuer}userinfo`], azp: web.clientId, scope: 'openid read:vehicles' });
  });

  it('accepts a code once, and only with its PKCE verifier', async () => {
    const exchange = (code: string, verifier: string) =>
      tokenRequest(emulator, { grant_type: 'authorization_code', client_id: web.clientId, client_secret: web.clientSecret, code, code_verifier: verifier, redirect_uri: web.callback });
    const first = await codeFor(web);
    const wrong = await exchange(first.code, client.randomPKCECodeVerifier());
    expect(wrong).toEqual({ status: 403, body: { error: 'invalid_grant', error_description: 'Failed to verify code verifier' } });
    const second = await codeFor(web);
    const ok = await exchange(second.code, second.verifier);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 86400 });
    const reused = await exchange(second.code, second.verifier);
    expect(reused).toEqual({ status: 403, body: { error: 'invalid_grant', error_description: 'Invalid authorization code' } });
  });

  it('takes a confidential client\'s secret by HTTP Basic or in the form, and refuses a wrong one', async () => {
    const basic = seedLoginApp(emulator, { name: 'Basic Portal', app_type: 'regular_web', token_endpoint_auth_method: 'client_secret_basic', callbacks: ['https://basic.example.com/cb'] });
    const config = await client.discovery(new URL(issuer), basic.clientId, {}, client.ClientSecretBasic(basic.clientSecret));
    const { code, verifier } = await codeFor(basic);
    const tokens = await client.authorizationCodeGrant(config, new URL(`${basic.callback}?code=${code}&state=st-1`), { pkceCodeVerifier: verifier, expectedState: 'st-1' });
    expect(decodeJwt(tokens.id_token!).aud).toBe(basic.clientId);
    // A client_secret_post app (the regular_web default) with HTTP Basic, as Authlib sends it in Auth0's Django quick start.
    const again = await codeFor(web);
    const authorization = `Basic ${Buffer.from(`${web.clientId}:${encodeURIComponent(web.clientSecret)}`).toString('base64')}`;
    const viaBasic = await tokenRequest(emulator, { grant_type: 'authorization_code', code: again.code, code_verifier: again.verifier }, { authorization });
    expect(viaBasic.status).toBe(200);
    const wrong = await codeFor(basic);
    const refused = await tokenRequest(emulator, { grant_type: 'authorization_code', client_id: basic.clientId, client_secret: 'not-the-secret', code: wrong.code, code_verifier: wrong.verifier });
    expect(refused).toEqual({ status: 401, body: { error: 'access_denied', error_description: 'Unauthorized' } });
  });

  it('rotates refresh tokens when the app says rotating, and revokes the family on reuse', async () => {
    const app = seedLoginApp(emulator, {
      name: 'Rotating Portal', app_type: 'regular_web', callbacks: ['https://rotating.example.com/cb'],
      grant_types: ['authorization_code', 'refresh_token'],
      refresh_token: { rotation_type: 'rotating', expiration_type: 'expiring', leeway: 0, token_lifetime: 3600, idle_token_lifetime: 1800 },
    });
    const { code, verifier } = await codeFor(app, { scope: 'openid offline_access' });
    const credentials = { client_id: app.clientId, client_secret: app.clientSecret };
    const first = await tokenRequest(emulator, { grant_type: 'authorization_code', ...credentials, code, code_verifier: verifier });
    const original = String(first.body.refresh_token);
    expect(original.length).toBeGreaterThan(20);
    const rotated = await tokenRequest(emulator, { grant_type: 'refresh_token', ...credentials, refresh_token: original });
    expect(rotated.status).toBe(200);
    expect(rotated.body.refresh_token).toEqual(expect.any(String));
    expect(rotated.body.refresh_token).not.toBe(original);
    expect(decodeJwt(String(rotated.body.id_token)).sub).toMatch(/^auth0\|/);
    const reuse = await tokenRequest(emulator, { grant_type: 'refresh_token', ...credentials, refresh_token: original });
    expect(reuse).toEqual({ status: 403, body: { error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' } });
    const familyGone = await tokenRequest(emulator, { grant_type: 'refresh_token', ...credentials, refresh_token: String(rotated.body.refresh_token) });
    expect(familyGone.status).toBe(403);
  });

  it('keeps a non-rotating refresh token usable and sends no new one', async () => {
    const app = seedLoginApp(emulator, {
      name: 'Steady Portal', app_type: 'regular_web', callbacks: ['https://steady.example.com/cb'], grant_types: ['authorization_code', 'refresh_token'],
    });
    const { code, verifier } = await codeFor(app, { scope: 'openid offline_access' });
    const credentials = { client_id: app.clientId, client_secret: app.clientSecret };
    const first = await tokenRequest(emulator, { grant_type: 'authorization_code', ...credentials, code, code_verifier: verifier });
    for (let round = 0; round < 2; round++) {
      const again = await tokenRequest(emulator, { grant_type: 'refresh_token', ...credentials, refresh_token: String(first.body.refresh_token) });
      expect(again.status).toBe(200);
      expect(again.body).not.toHaveProperty('refresh_token');
    }
  });
});

describe('sessions and the request log', () => {
  it('prompt=none answers login_required without a session and a code with one', async () => {
    const authorize = (extra: Record<string, string>, cookie?: string) =>
      getManual(`${issuer}authorize?` + new URLSearchParams({ client_id: web.clientId, redirect_uri: web.callback, response_type: 'code', scope: 'openid', state: 'p', ...extra }), cookie ? { cookie } : {});
    const anonymous = new URL((await authorize({ prompt: 'none' })).location!);
    expect(Object.fromEntries(anonymous.searchParams)).toEqual({ error: 'login_required', error_description: 'Login required', state: 'p' });

    const toLogin = await authorize({});
    const loginUrl = new URL(toLogin.location!, issuer);
    const posted = await fetch(loginUrl, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ state: loginUrl.searchParams.get('state')!, username: USER.email, password: USER.password }).toString(),
    });
    const cookie = posted.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie).toMatch(/^auth0=/);
    const silent = new URL((await authorize({ prompt: 'none' }, cookie)).location!);
    expect(silent.searchParams.get('code')).toEqual(expect.any(String));
    expect(silent.searchParams.get('state')).toBe('p');

    await getManual(`${issuer}v2/logout?client_id=${web.clientId}`, { cookie });
    const afterLogout = new URL((await authorize({ prompt: 'none' }, cookie)).location!);
    expect(afterLogout.searchParams.get('error')).toBe('login_required');
  });

  it('keeps passwords, codes and tokens out of the request log', async () => {
    const from = emulator.requests.length;
    const login = await loginAsPartnerApp(settings(web), { redirectUri: web.callback, username: USER.email, password: USER.password });
    const logged = JSON.stringify(emulator.requests.slice(from));
    expect(logged).toContain('/oauth/token');
    for (const secret of [USER.password, web.clientSecret, login.accessToken]) expect(logged).not.toContain(secret);
    expect(logged).not.toMatch(/"code":"(?!\[MASKED\])/);
  });
});

describe('refusals a partner meets', () => {
  it('an unregistered callback gets the "Callback URL mismatch" page and is never redirected to', async () => {
    const url = `${issuer}authorize?` + new URLSearchParams({ client_id: web.clientId, redirect_uri: 'https://fleet.partner.example.com/callback/', response_type: 'code', state: 'x' });
    const answer = await getManual(url);
    expect(answer.status).toBe(400);
    expect(answer.location).toBeNull();
    expect(answer.text).toContain('Callback URL mismatch.');
    expect(answer.text).toContain('https://fleet.partner.example.com/callback/ is not in the list of allowed callback URLs');
  });

  it('a wrong password shows the error on the login page and redirects nowhere', async () => {
    const config = await client.discovery(new URL(issuer), web.clientId, web.clientSecret);
    const url = client.buildAuthorizationUrl(config, { redirect_uri: web.callback, scope: 'openid', state: 's' });
    const refused = await submitLoginForm(url, USER.email, 'not-the-password').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LoginRefused);
    expect((refused as LoginRefused).status).toBe(400);
    expect((refused as LoginRefused).body).toContain('Wrong email or password.');
  });

  it('a connection not enabled for the app is refused back at the callback, as Auth0 words it', async () => {
    emulator.seed('connections', [{ name: 'other-db', strategy: 'auth0' }]);
    const url = `${issuer}authorize?` + new URLSearchParams({ client_id: web.clientId, redirect_uri: web.callback, response_type: 'code', state: 'c1', connection: 'other-db' });
    const answer = await getManual(url);
    expect(answer.status).toBe(302);
    const back = new URL(answer.location!);
    expect(`${back.origin}${back.pathname}`).toBe(web.callback);
    expect(Object.fromEntries(back.searchParams)).toEqual({ error: 'invalid_request', error_description: 'the connection is not enabled', state: 'c1' });
  });

  it('a user of a connection the app may not use cannot log in to it', async () => {
    const loner = seedLoginApp(emulator, { name: 'Loner', app_type: 'regular_web', callbacks: ['https://loner.example.com/cb'] });
    // A new client starts enabled on every connection (flags.enable_client_connections): take it off all of them.
    for (const connection of emulator.store.connections.all()) {
      emulator.store.setEnabledClients(String(connection.id), [{ client_id: loner.clientId, status: false }]);
    }
    const answer = await getManual(`${issuer}authorize?` + new URLSearchParams({ client_id: loner.clientId, redirect_uri: loner.callback, response_type: 'code' }));
    expect(new URL(answer.location!).searchParams.get('error_description')).toBe('no connections enabled for the client');
  });

  it('logout goes only to an Allowed Logout URL', async () => {
    const listed = await getManual(`${issuer}v2/logout?` + new URLSearchParams({ client_id: web.clientId, returnTo: 'https://fleet.partner.example.com/?bye=1' }));
    expect(listed).toMatchObject({ status: 302, location: 'https://fleet.partner.example.com/?bye=1' });
    const unlisted = await getManual(`${issuer}v2/logout?` + new URLSearchParams({ client_id: web.clientId, returnTo: 'https://evil.example.com/' }));
    expect(unlisted.status).toBe(400);
    expect(unlisted.location).toBeNull();
    expect(unlisted.text).toContain('The &quot;returnTo&quot; querystring parameter &quot;https://evil.example.com/&quot; is not defined as a valid URL in &quot;Allowed Logout URLs&quot;.');
  });
});

describe('client credentials (m2m)', () => {
  it('issues a JWT whose scopes equal the grant, and refuses an API without a grant', async () => {
    const [m2m] = emulator.seed('clients', [{ name: 'Fleet Sync', app_type: 'non_interactive' }]);
    emulator.seed('resourceServers', [
      { name: 'Orders', identifier: 'https://orders.example.com/', scopes: [{ value: 'read:orders' }, { value: 'write:orders' }, { value: 'admin' }] },
      { name: 'Billing', identifier: 'https://billing.example.com/' },
    ]);
    emulator.seed('clientGrants', [{ client_id: m2m!.client_id, audience: 'https://orders.example.com/', scope: ['read:orders', 'write:orders'] }]);
    const config = await client.discovery(new URL(issuer), String(m2m!.client_id), String(m2m!.client_secret));
    const tokens = await client.clientCredentialsGrant(config, { audience: 'https://orders.example.com/' });
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.scope).toBe('read:orders write:orders');
    const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(`${issuer}.well-known/jwks.json`)), { issuer, audience: 'https://orders.example.com/' });
    expect(payload).toMatchObject({ sub: `${m2m!.client_id}@clients`, gty: 'client-credentials', azp: m2m!.client_id, scope: 'read:orders write:orders' });

    const refused = await tokenRequest(emulator, { grant_type: 'client_credentials', client_id: String(m2m!.client_id), client_secret: String(m2m!.client_secret), audience: 'https://billing.example.com/' });
    expect(refused).toEqual({
      status: 403,
      body: { error: 'access_denied', error_description: 'Client is not authorized to access "https://billing.example.com/". You need to create a "client-grant" associated to this API.' },
    });
  });

  it('refuses client credentials to an app whose grant types lack them', async () => {
    const spa = seedLoginApp(emulator, { name: 'Some SPA', app_type: 'spa', callbacks: ['https://spa.example.com/'] });
    const refused = await tokenRequest(emulator, { grant_type: 'client_credentials', client_id: spa.clientId, audience: 'https://orders.example.com/' });
    expect(refused).toEqual({ status: 403, body: { error: 'unauthorized_client', error_description: "Grant type 'client_credentials' not allowed for the client." } });
  });
});

describe('users of database connections (Management API)', () => {
  const start = emulatorPerTest();

  it('creates, reads, lists and deletes users in Auth0 shapes, never returning the password', async () => {
    const fresh = await start();
    const sdk = sdkFor(fresh);
    const created = await sdk.users.create({ connection: 'Username-Password-Authentication', email: 'Ann@Example.com', password: 'S3cret-password!' });
    expect(created.user_id).toMatch(/^auth0\|[0-9a-f]{24}$/);
    expect(created).toMatchObject({ email: 'ann@example.com', email_verified: false, name: 'ann@example.com', nickname: 'ann' });
    expect(created.identities).toEqual([{ connection: 'Username-Password-Authentication', user_id: created.user_id!.slice(6), provider: 'auth0', isSocial: false }]);
    const read = await sdk.users.get(created.user_id!);
    const listed = await sdk.users.list();
    for (const body of [created, read, listed.data[0]]) {
      expect(JSON.stringify(body)).not.toMatch(/S3cret|password|scrypt/);
    }
    await expect(sdk.users.create({ connection: 'Username-Password-Authentication', email: 'ann@example.com', password: 'x-Other-1' })).rejects.toMatchObject({ statusCode: 409 });
    await sdk.users.delete(created.user_id!);
    await expect(sdk.users.get(created.user_id!)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('needs the users scopes', async () => {
    const limited = await start({ scopes: ['read:clients'] });
    await expect(sdkFor(limited).users.create({ connection: 'Username-Password-Authentication', email: 'b@example.com', password: 'pw-1234567' })).rejects.toMatchObject({ statusCode: 403 });
  });

  it('keeps users and their password hashes in the --state file, never the signing key; logins work after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenantctl-authn-state-'));
    try {
      const statePath = join(dir, 'state.json');
      const first = await start({ statePath });
      const app = seedLoginApp(first, { name: 'Survivor', app_type: 'regular_web', callbacks: ['https://survivor.example.com/cb'] });
      const jwks = (await (await fetch(`https://${first.domain}/.well-known/jwks.json`)).json()) as { keys: Array<{ n: string }> };
      await first.close();
      const saved = readFileSync(statePath, 'utf8');
      expect(saved).toContain(USER.email);
      expect(saved).toContain('scrypt$');
      expect(saved).not.toContain(USER.password);
      expect(saved).not.toContain(jwks.keys[0]!.n);
      expect(saved).not.toMatch(/"(d|dp|dq|qi)":/);

      const second = await start({ statePath });
      const login = await loginAsPartnerApp({ domain: second.domain, clientId: app.clientId, clientSecret: app.clientSecret }, { redirectUri: app.callback, username: USER.email, password: USER.password });
      expect(login.claims.email).toBe(USER.email);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
