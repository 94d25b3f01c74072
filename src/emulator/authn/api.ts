// Auth0's Authentication API on the emulator's origin: discovery, JWKS, /authorize, the login page (/u/login),
// /oauth/token, /userinfo and /v2/logout, for the applications, connections, APIs and grants the tenant holds.
// Redirect URIs and logout URLs are judged by the same code as `tenantctl check-login` (onboard/login-match.ts).
// Evidence for each behaviour is cited where it is implemented and listed in docs/EMULATOR.md.
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { matchLoginUrl } from '../../onboard/login-match.js';
import type { Json } from '../collection.js';
import { HttpError } from '../errors.js';
import type { TenantStore } from '../store.js';
import type { SigningKey } from './keys.js';
import { errorPage, formPostPage, loginPage, webMessagePage } from './pages.js';
import { oauthError, pruneExpired, TokenService, userClaims } from './tokens.js';

export interface AuthnRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  /** The parsed form (or JSON) body, when there is one. */
  body: unknown;
}

export interface AuthnResponse {
  status: number;
  headers?: Record<string, string | string[]>;
  json?: unknown;
  html?: string;
}

interface Transaction {
  clientId: string;
  redirectUri: string;
  responseMode: string;
  state?: string;
  nonce?: string;
  scope: string[];
  audience?: string;
  connections: string[];
  codeChallenge?: string;
  codeChallengeMethod?: string;
  expiresAt: number;
}

const transactionLifetimeMs = 30 * 60 * 1000;
/** Auth0's session cookie is named `auth0`. */
const sessionCookie = 'auth0';
const paths = new Set(['/.well-known/openid-configuration', '/.well-known/jwks.json', '/authorize', '/u/login', '/oauth/token', '/userinfo', '/v2/logout']);

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);
const redirect = (location: string, headers: Record<string, string | string[]> = {}): AuthnResponse => ({ status: 302, headers: { ...headers, location } });
const htmlError = (status: number, heading: string, error: string, description: string): AuthnResponse => ({ status, html: errorPage(heading, error, description) });

function withParams(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}

const responseModes = new Set(['query', 'form_post', 'web_message']);

/** Sends an authorization response (a code or an error) to the redirect_uri the way `response_mode` asks. */
function respond(redirectUri: string, responseMode: string, fields: Record<string, string>): AuthnResponse {
  if (responseMode === 'form_post') return { status: 200, html: formPostPage(redirectUri, fields) };
  if (responseMode === 'web_message') return { status: 200, html: webMessagePage(new URL(redirectUri).origin, fields) };
  return redirect(withParams(redirectUri, fields));
}

function cookieValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  for (const part of (headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

export class AuthenticationApi {
  readonly tokens: TokenService;
  private readonly transactions = new Map<string, Transaction>();
  /** Logged-in sessions (the `auth0` cookie) by id: the user, for prompt=none and single sign-on. */
  private readonly sessions = new Map<string, string>();

  constructor(
    private readonly store: TenantStore,
    private readonly key: SigningKey,
    onManagementToken: (token: string, clientId: string, scopes: string[], expiresAt: number) => void,
  ) {
    this.tokens = new TokenService(store, key, this.issuer, onManagementToken);
  }

  /** Auth0's issuer is the tenant's URL with a trailing slash (Auth0 docs, "ID Token Structure": `iss`). */
  get issuer(): string {
    return `https://${this.store.domain}/`;
  }

  handles(path: string): boolean {
    return paths.has(path);
  }

  async handle(request: AuthnRequest): Promise<AuthnResponse> {
    const { method, url } = request;
    const path = url.pathname;
    if (method === 'OPTIONS' && (path === '/oauth/token' || path === '/userinfo')) return this.preflight(request);
    const form = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
    try {
      if (path === '/.well-known/openid-configuration' && method === 'GET') return { status: 200, json: this.discovery() };
      if (path === '/.well-known/jwks.json' && method === 'GET') return { status: 200, json: this.key.jwks() };
      if (path === '/authorize' && method === 'GET') return this.authorize(request);
      if (path === '/u/login' && method === 'GET') return this.showLogin(url.searchParams.get('state') ?? '');
      if (path === '/u/login' && method === 'POST') return this.login(request, form);
      if (path === '/oauth/token' && method === 'POST') {
        const json = await this.tokens.exchange(form, request.headers.authorization);
        return this.withCors(request, String(form.client_id ?? ''), { status: 200, json, headers: { 'cache-control': 'no-store' } });
      }
      if (path === '/userinfo' && (method === 'GET' || method === 'POST')) return await this.userinfo(request);
      if (path === '/v2/logout' && method === 'GET') return this.logout(request);
      throw new HttpError(404, 'Not Found');
    } catch (error) {
      if (error instanceof HttpError && path === '/oauth/token') {
        return this.withCors(request, String(form.client_id ?? ''), { status: error.status, json: error.body(), headers: { 'cache-control': 'no-store' } });
      }
      throw error;
    }
  }

  /** The parts of Auth0's /.well-known/openid-configuration for what the emulator implements. */
  private discovery(): Json {
    const base = this.issuer;
    return {
      issuer: base,
      authorization_endpoint: `${base}authorize`,
      token_endpoint: `${base}oauth/token`,
      userinfo_endpoint: `${base}userinfo`,
      jwks_uri: `${base}.well-known/jwks.json`,
      scopes_supported: ['openid', 'profile', 'offline_access', 'name', 'given_name', 'family_name', 'nickname', 'email', 'email_verified', 'picture', 'created_at', 'identities'],
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256', 'plain'],
      response_modes_supported: ['query', 'form_post', 'web_message'],
      subject_types_supported: ['public'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      claims_supported: ['aud', 'created_at', 'email', 'email_verified', 'exp', 'family_name', 'given_name', 'iat', 'identities', 'iss', 'name', 'nickname', 'picture', 'sub'],
      request_uri_parameter_supported: false,
      request_parameter_supported: false,
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_signing_alg_values_supported: ['RS256', 'RS384', 'PS256'],
    };
  }

  private client(clientId: string | undefined): Json | undefined {
    if (!clientId) return undefined;
    const client = this.store.clients.get(clientId);
    return client && client.global !== true ? client : undefined;
  }

  /** Database connections enabled for a client (the only kind the login page can log users in with). */
  private databaseConnections(clientId: string): Json[] {
    return this.store.connections.all().filter((connection) => connection.strategy === 'auth0' && this.store.isConnectionEnabled(String(connection.id), clientId));
  }

  /**
   * GET /authorize (Auth0 Authentication API reference, "Authorization Code Flow" and "with PKCE").
   * An unknown client or a redirect_uri not in the client's callbacks is answered with an error page and never
   * redirected to (Auth0's "Callback URL mismatch" page, support article "Callback URL Mismatch Error"); every
   * later error goes back to the redirect_uri as `error`/`error_description`/`state` (RFC 6749 4.1.2.1).
   */
  private authorize(request: AuthnRequest): AuthnResponse {
    const params = request.url.searchParams;
    const get = (key: string): string | undefined => params.get(key) || undefined;
    const clientId = get('client_id');
    const client = this.client(clientId);
    if (!client) return htmlError(400, 'Unknown client', 'invalid_request', `Unknown client: ${clientId ?? '(none)'}`);
    const redirectUri = get('redirect_uri');
    const callbacks = Array.isArray(client.callbacks) ? client.callbacks.map(String) : [];
    if (!redirectUri || !matchLoginUrl('callback', redirectUri, callbacks).accepted) {
      return htmlError(400, 'Callback URL mismatch.', 'unauthorized_client', `Callback URL mismatch. ${redirectUri ?? '(none)'} is not in the list of allowed callback URLs.`);
    }
    const state = get('state');
    const responseMode = get('response_mode') ?? 'query';
    if (!responseModes.has(responseMode)) {
      return respond(redirectUri, 'query', { error: 'invalid_request', error_description: `Unsupported response_mode: ${responseMode}`, ...(state !== undefined ? { state } : {}) });
    }
    const fail = (error: string, description: string): AuthnResponse =>
      respond(redirectUri, responseMode, { error, error_description: description, ...(state !== undefined ? { state } : {}) });
    const responseType = get('response_type');
    if (responseType !== 'code') return fail('unsupported_response_type', `Unsupported response type: ${responseType ?? '(none)'}`);
    const grantTypes = Array.isArray(client.grant_types) ? client.grant_types : [];
    if (!grantTypes.includes('authorization_code')) return fail('unauthorized_client', "Grant type 'authorization_code' not allowed for the client.");
    const challenge = get('code_challenge');
    const challengeMethod = challenge ? (get('code_challenge_method') ?? 'plain') : undefined;
    if (challengeMethod && challengeMethod !== 'S256' && challengeMethod !== 'plain') return fail('invalid_request', `Unsupported code_challenge_method: ${challengeMethod}`);
    const audience = get('audience');
    const api = audience ? this.store.findResourceServer(audience) : undefined;
    if (audience && (!api || api.identifier !== audience)) return fail('access_denied', `Service not found: ${audience}`);
    // Auth0's texts for a `connection` the tenant lacks or the app may not use ("the connection is not enabled").
    let connections = this.databaseConnections(String(client.client_id)).map((connection) => String(connection.name));
    const connectionName = get('connection');
    if (connectionName) {
      const connection = this.store.connectionByName(connectionName);
      if (!connection) return fail('invalid_request', 'the connection was not found');
      if (!this.store.isConnectionEnabled(String(connection.id), String(client.client_id))) return fail('invalid_request', 'the connection is not enabled');
      connections = connection.strategy === 'auth0' ? [connectionName] : [];
    }
    const transaction: Transaction = {
      clientId: String(client.client_id),
      redirectUri,
      responseMode,
      scope: this.tokens.grantableScopes((get('scope') ?? 'openid').split(' ').filter(Boolean), api),
      connections,
      expiresAt: Date.now() + transactionLifetimeMs,
      ...(state !== undefined ? { state } : {}),
      ...(get('nonce') ? { nonce: get('nonce') } : {}),
      ...(audience ? { audience } : {}),
      ...(challenge ? { codeChallenge: challenge, codeChallengeMethod: challengeMethod } : {}),
    };
    // prompt=none answers at once: a code for a live session, else `login_required` (OIDC Core 3.1.2.6).
    const sessionId = cookieValue(request.headers, sessionCookie);
    const sessionUser = sessionId ? this.sessions.get(sessionId) : undefined;
    const prompt = get('prompt');
    const user = sessionUser ? this.store.users.get(sessionUser) : undefined;
    const userAllowed = user && transaction.connections.includes(String((user.identities as Json[] | undefined)?.[0]?.connection));
    if (prompt === 'none') {
      if (!userAllowed || !sessionId) return fail('login_required', 'Login required');
      return this.complete(transaction, String(user.user_id), sessionId);
    }
    if (connections.length === 0) return fail('invalid_request', 'no connections enabled for the client');
    const id = randomBytes(24).toString('base64url');
    pruneExpired(this.transactions);
    this.transactions.set(id, transaction);
    return redirect(`/u/login?state=${encodeURIComponent(id)}`);
  }

  private transaction(id: string): Transaction | undefined {
    const transaction = this.transactions.get(id);
    if (transaction && transaction.expiresAt <= Date.now()) this.transactions.delete(id);
    return transaction && transaction.expiresAt > Date.now() ? transaction : undefined;
  }

  private showLogin(id: string): AuthnResponse {
    const transaction = this.transaction(id);
    if (!transaction) return htmlError(400, 'Invalid state', 'invalid_request', 'Invalid state');
    const client = this.client(transaction.clientId);
    return { status: 200, html: loginPage({ state: id, appName: String(client?.name ?? ''), connections: transaction.connections }) };
  }

  /** The login form's POST: a right password finishes the authorization, a wrong one shows Auth0's message again. */
  private login(request: AuthnRequest, form: Record<string, unknown>): AuthnResponse {
    const id = String(form.state ?? request.url.searchParams.get('state') ?? '');
    const transaction = this.transaction(id);
    if (!transaction) return htmlError(400, 'Invalid state', 'invalid_request', 'Invalid state');
    const username = typeof form.username === 'string' ? form.username : '';
    const password = typeof form.password === 'string' ? form.password : '';
    const user = this.store.users.authenticate(transaction.connections, username, password);
    if (!user) {
      const client = this.client(transaction.clientId);
      // New Universal Login's text for a wrong email or password.
      return { status: 400, html: loginPage({ state: id, appName: String(client?.name ?? ''), connections: transaction.connections, error: 'Wrong email or password.', username }) };
    }
    this.transactions.delete(id);
    const sessionId = randomBytes(24).toString('base64url');
    this.sessions.set(sessionId, String(user.user_id));
    const response = this.complete(transaction, String(user.user_id), sessionId);
    response.headers = { ...response.headers, 'set-cookie': `${sessionCookie}=${sessionId}; Path=/; HttpOnly; Secure; SameSite=None` };
    return response;
  }

  private complete(transaction: Transaction, userId: string, sessionId: string): AuthnResponse {
    const code = this.tokens.issueCode({
      clientId: transaction.clientId,
      userId,
      scope: transaction.scope,
      redirectUri: transaction.redirectUri,
      sessionId,
      ...(transaction.audience ? { audience: transaction.audience } : {}),
      ...(transaction.nonce ? { nonce: transaction.nonce } : {}),
      ...(transaction.codeChallenge ? { codeChallenge: transaction.codeChallenge, codeChallengeMethod: transaction.codeChallengeMethod } : {}),
    });
    return respond(transaction.redirectUri, transaction.responseMode, { code, ...(transaction.state !== undefined ? { state: transaction.state } : {}) });
  }

  /** GET/POST /userinfo with a user's access token (Auth0 Authentication API reference, "User Profile"). */
  private async userinfo(request: AuthnRequest): Promise<AuthnResponse> {
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const claims = token ? await this.key.verify(token, this.issuer) : undefined;
    const audiences = claims ? (Array.isArray(claims.aud) ? claims.aud : [claims.aud]) : [];
    const user = claims?.sub ? this.store.users.get(claims.sub) : undefined;
    if (!claims || !user || !audiences.includes(this.tokens.userinfoAudience)) {
      return { status: 401, headers: { 'www-authenticate': 'Bearer realm="Auth0", error="invalid_token"' }, html: 'Unauthorized' };
    }
    const scope = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
    const response: AuthnResponse = { status: 200, json: { sub: user.user_id, ...userClaims(user, scope) } };
    return this.withCors(request, String(claims.azp ?? ''), response);
  }

  /**
   * GET /v2/logout (Auth0 Authentication API reference, "Logout"; docs "Redirect Users After Logout"): ends the
   * session; `returnTo` must be in the client's Allowed Logout URLs when `client_id` is given (in the tenant's,
   * which the emulator leaves empty, otherwise). Auth0's error text when it is not, as users report it:
   * `The "returnTo" querystring parameter "URL" is not defined as a valid URL in "Allowed Logout URLs".`
   */
  private logout(request: AuthnRequest): AuthnResponse {
    const params = request.url.searchParams;
    const sessionId = cookieValue(request.headers, sessionCookie);
    if (sessionId) this.sessions.delete(sessionId);
    const clearCookie = { 'set-cookie': `${sessionCookie}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=None` };
    const clientId = params.get('client_id') || undefined;
    const client = this.client(clientId);
    if (clientId && !client) return htmlError(400, 'Unknown client', 'invalid_request', `Unknown client: ${clientId}`);
    const allowed = client && Array.isArray(client.allowed_logout_urls) ? client.allowed_logout_urls.map(String) : [];
    const returnTo = params.get('returnTo') || undefined;
    if (!returnTo) {
      // Without returnTo, Auth0 goes to the first Allowed Logout URL of the client (auth0-spa-js docs for logout).
      return allowed[0] ? redirect(allowed[0], clearCookie) : { status: 200, headers: clearCookie, html: 'OK' };
    }
    if (!matchLoginUrl('logout', returnTo, allowed).accepted) {
      return htmlError(400, 'Invalid returnTo', 'invalid_request', `The "returnTo" querystring parameter "${returnTo}" is not defined as a valid URL in "Allowed Logout URLs".`);
    }
    return redirect(returnTo, clearCookie);
  }

  /**
   * Browsers call /oauth/token and /userinfo cross-origin from a SPA. Auth0 allows an origin listed in the client's
   * Allowed Origins (CORS) or Allowed Web Origins, and, by default, the origins of its callback URLs (Auth0 docs,
   * "Application Settings": "By default, all your callback URLs will be allowed").
   */
  private withCors(request: AuthnRequest, clientId: string, response: AuthnResponse): AuthnResponse {
    const origin = first(request.headers.origin);
    const client = this.client(clientId);
    if (!origin || !client) return response;
    const list = (field: string): string[] => (Array.isArray(client[field]) ? (client[field] as unknown[]).map(String) : []);
    const callbackOrigins = list('callbacks').flatMap((callback) => {
      try {
        return [new URL(callback).origin];
      } catch {
        return [];
      }
    });
    const registered = [...list('allowed_origins'), ...list('web_origins'), ...callbackOrigins];
    if (!matchLoginUrl('origin', origin, registered).accepted) return response;
    return { ...response, headers: { ...response.headers, 'access-control-allow-origin': origin, vary: 'Origin' } };
  }

  /** Preflight: the client is not known yet (it is in the body), so the real request's answer decides. */
  private preflight(request: AuthnRequest): AuthnResponse {
    const origin = first(request.headers.origin);
    if (!origin) return { status: 204 };
    const requested = first(request.headers['access-control-request-headers']);
    return {
      status: 204,
      headers: {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        ...(requested ? { 'access-control-allow-headers': requested } : {}),
        'access-control-max-age': '86400',
        vary: 'Origin',
      },
    };
  }
}

export { oauthError };
