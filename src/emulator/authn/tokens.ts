// POST /oauth/token of the emulated Authentication API: client authentication and the authorization_code,
// refresh_token and client_credentials grants, with Auth0's answers and error texts.
// Evidence (cited in docs/EMULATOR.md, "Authentication API"):
// - Auth0 Authentication API reference, "Get Token": form fields, `token_type: "Bearer"`, `expires_in`, `scope`;
//   errors as `{error, error_description}`; PKCE `code_verifier` for public clients.
// - shared Auth0 facts: a wrong client secret answers 401 `{error: "access_denied", error_description: "Unauthorized"}`.
// - Auth0's own texts as users report them: `Grant type 'X' not allowed for the client.` (403 unauthorized_client),
//   `Client is not authorized to access "AUD". You need to create a "client-grant" associated to this API.`,
//   `Service not enabled within domain: AUD`, `No audience parameter was provided, and no default audience has been
//   configured`, `Invalid authorization code`, `Failed to verify code verifier`, `Unknown or invalid refresh token.`
//   (all 403 except where noted).
// - Auth0 docs "Access Token Profiles" / "ID Token Structure": `iss` is `https://DOMAIN/`, `sub` the user_id (or
//   `CLIENT_ID@clients` for client credentials, with `gty: "client-credentials"`), `aud`, `azp`, `scope`, `iat`, `exp`;
//   ID tokens carry `nonce` and the profile/email claims the scopes ask for; default ID token lifetime 36000 s.
// - Auth0 docs "Refresh Token Rotation": a rotating token is single-use (a new one comes with each exchange),
//   reuse outside the leeway revokes the whole family; a non-rotating exchange returns no new refresh token.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Json } from '../collection.js';
import { HttpError } from '../errors.js';
import type { TenantStore } from '../store.js';
import type { SigningKey } from './keys.js';

export const oauthError = (status: number, error: string, description: string): HttpError =>
  new HttpError(status, description, undefined, { error, error_description: description });

const unauthorized = (): HttpError => oauthError(401, 'access_denied', 'Unauthorized');
const invalidGrant = (description: string): HttpError => oauthError(403, 'invalid_grant', description);

/** What a user's authorization carries from /authorize to the tokens. */
export interface Authorization {
  clientId: string;
  userId: string;
  scope: string[];
  audience?: string;
  nonce?: string;
  sessionId?: string;
}

interface CodeRecord extends Authorization {
  redirectUri: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  expiresAt: number;
}

interface RefreshRecord extends Authorization {
  family: string;
  createdAt: number;
  lastUsedAt: number;
  /** Set once a rotating token has been exchanged; a later use outside the leeway is reuse. */
  rotatedAt?: number;
  revoked?: boolean;
}

/** Auth0 codes are short-lived; the spec recommends at most 10 minutes. */
const codeLifetimeMs = 10 * 60 * 1000;
const defaultAccessTokenLifetime = 86400;
const defaultIdTokenLifetime = 36000;
const userScopes = new Set(['openid', 'profile', 'email', 'offline_access']);
const profileClaims = ['name', 'given_name', 'family_name', 'nickname', 'picture', 'updated_at'];

const randomToken = (): string => randomBytes(32).toString('base64url');

/** Past this many entries, a map of short-lived records drops its expired ones (long benchmark runs log in often). */
const pruneAbove = 1000;

/** Deletes the expired records of a map keyed by random strings, once it holds more than `pruneAbove`. */
export function pruneExpired<T extends { expiresAt: number }>(records: Map<string, T>): void {
  if (records.size <= pruneAbove) return;
  const now = Date.now();
  for (const [key, record] of records) if (record.expiresAt <= now) records.delete(key);
}
const now = (): number => Math.floor(Date.now() / 1000);
const stringField = (form: Record<string, unknown>, key: string): string | undefined =>
  typeof form[key] === 'string' && form[key] !== '' ? (form[key] as string) : undefined;

function sameSecret(given: string, expected: unknown): boolean {
  if (typeof expected !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The claims of a user that the granted scopes release (OIDC Core 5.4, as Auth0 applies it). */
export function userClaims(user: Json, scope: readonly string[]): Json {
  const claims: Json = {};
  if (scope.includes('profile')) for (const key of profileClaims) if (user[key] !== undefined) claims[key] = user[key];
  if (scope.includes('email')) {
    claims.email = user.email;
    claims.email_verified = user.email_verified === true;
  }
  return claims;
}

export class TokenService {
  private readonly codes = new Map<string, CodeRecord>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();

  constructor(
    private readonly store: TenantStore,
    private readonly key: SigningKey,
    private readonly issuer: string,
    /** Called with each Management API token, so /api/v2 accepts it. */
    private readonly onManagementToken: (token: string, clientId: string, scopes: string[], expiresAt: number) => void,
  ) {}

  get userinfoAudience(): string {
    return `${this.issuer}userinfo`;
  }

  /** A single-use code bound to the redirect_uri and PKCE challenge it was asked with. */
  issueCode(record: Omit<CodeRecord, 'expiresAt'>): string {
    const code = randomToken();
    pruneExpired(this.codes);
    this.codes.set(code, { ...record, expiresAt: Date.now() + codeLifetimeMs });
    return code;
  }

  async exchange(form: Record<string, unknown>, authorization: string | undefined): Promise<Json> {
    const grantType = stringField(form, 'grant_type');
    if (!grantType) throw oauthError(400, 'invalid_request', 'Missing required parameter: grant_type');
    if (!['authorization_code', 'refresh_token', 'client_credentials'].includes(grantType)) {
      throw oauthError(400, 'unsupported_grant_type', `Unsupported grant type: ${grantType}`);
    }
    const client = this.authenticateClient(form, authorization);
    const allowed = Array.isArray(client.grant_types) ? client.grant_types.map(String) : [];
    if (!allowed.includes(grantType)) throw oauthError(403, 'unauthorized_client', `Grant type '${grantType}' not allowed for the client.`);
    if (grantType === 'client_credentials') return this.clientCredentials(client, form);
    if (grantType === 'authorization_code') return this.authorizationCode(client, form);
    return this.refresh(client, form);
  }

  /**
   * Authenticates the client. A confidential client (`client_secret_post` or `client_secret_basic`) may send its
   * secret either way: Auth0's own Django quick start uses Authlib, which sends HTTP Basic by default, against
   * regular web apps whose `token_endpoint_auth_method` defaults to `client_secret_post`, and it logs users in.
   * Basic credentials are form-encoded (RFC 6749 2.3.1). A public client (`none`) sends no secret.
   */
  private authenticateClient(form: Record<string, unknown>, authorization: string | undefined): Json {
    const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
    let clientId = stringField(form, 'client_id');
    let secret = stringField(form, 'client_secret');
    if (basic?.[1]) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw unauthorized();
      const basicId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      if (clientId !== undefined && clientId !== basicId) throw unauthorized();
      clientId = basicId;
      secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    }
    if (!clientId) throw unauthorized();
    const client = this.store.clients.get(clientId);
    if (!client || client.global === true) throw unauthorized();
    if (client.token_endpoint_auth_method === 'none') return client;
    if (secret === undefined || !sameSecret(secret, client.client_secret)) throw unauthorized();
    return client;
  }

  private async clientCredentials(client: Json, form: Record<string, unknown>): Promise<Json> {
    const clientId = String(client.client_id);
    const audience = stringField(form, 'audience');
    if (!audience) throw oauthError(403, 'access_denied', 'No audience parameter was provided, and no default audience has been configured');
    const api = this.store.findResourceServer(audience);
    if (!api || api.identifier !== audience) throw oauthError(403, 'access_denied', `Service not enabled within domain: ${audience}`);
    const grant = this.store.grantFor(clientId, audience);
    if (!grant) {
      throw oauthError(403, 'access_denied', `Client is not authorized to access "${audience}". You need to create a "client-grant" associated to this API.`);
    }
    const granted = Array.isArray(grant.scope) ? grant.scope.map(String) : [];
    const requested = stringField(form, 'scope')?.split(' ').filter(Boolean);
    const scopes = requested ? granted.filter((scope) => requested.includes(scope)) : granted;
    const lifetime = typeof api.token_lifetime === 'number' ? api.token_lifetime : defaultAccessTokenLifetime;
    const iat = now();
    const accessToken = await this.key.sign({
      iss: this.issuer,
      sub: `${clientId}@clients`,
      aud: audience,
      iat,
      exp: iat + lifetime,
      scope: scopes.join(' '),
      gty: 'client-credentials',
      azp: clientId,
    });
    if (audience === this.store.managementAudience) this.onManagementToken(accessToken, clientId, scopes, (iat + lifetime) * 1000);
    return { access_token: accessToken, scope: scopes.join(' '), expires_in: lifetime, token_type: 'Bearer' };
  }

  private async authorizationCode(client: Json, form: Record<string, unknown>): Promise<Json> {
    const code = stringField(form, 'code');
    if (!code) throw oauthError(400, 'invalid_request', 'Missing required parameter: code');
    const record = this.codes.get(code);
    // Single use: the first exchange (good or bad) consumes the code.
    this.codes.delete(code);
    if (!record || record.clientId !== client.client_id || record.expiresAt <= Date.now()) throw invalidGrant('Invalid authorization code');
    if (stringField(form, 'redirect_uri') !== undefined && stringField(form, 'redirect_uri') !== record.redirectUri) {
      throw invalidGrant('The redirect_uri does not match the one sent to /authorize');
    }
    const verifier = stringField(form, 'code_verifier');
    if (record.codeChallenge !== undefined) {
      const computed = record.codeChallengeMethod === 'plain' ? verifier : verifier && createHash('sha256').update(verifier).digest('base64url');
      if (!computed || computed.length !== record.codeChallenge.length || !timingSafeEqual(Buffer.from(computed), Buffer.from(record.codeChallenge))) {
        throw invalidGrant('Failed to verify code verifier');
      }
    } else if (client.token_endpoint_auth_method === 'none' || verifier !== undefined) {
      // A public client has no secret: without PKCE anyone holding the code could redeem it.
      throw invalidGrant('Failed to verify code verifier');
    }
    return this.userTokens(client, record, { withRefresh: true });
  }

  private async refresh(client: Json, form: Record<string, unknown>): Promise<Json> {
    const token = stringField(form, 'refresh_token');
    if (!token) throw oauthError(400, 'invalid_request', 'Missing required parameter: refresh_token');
    const record = this.refreshTokens.get(token);
    const invalid = (): HttpError => invalidGrant('Unknown or invalid refresh token.');
    if (!record || record.revoked || record.clientId !== client.client_id) throw invalid();
    const settings = (client.refresh_token ?? {}) as Json;
    const nowMs = Date.now();
    if (settings.expiration_type === 'expiring') {
      const absolute = settings.infinite_token_lifetime === true ? Infinity : Number(settings.token_lifetime ?? 2592000) * 1000;
      const idle = settings.infinite_idle_token_lifetime === true ? Infinity : Number(settings.idle_token_lifetime ?? 1296000) * 1000;
      if (nowMs - record.createdAt > absolute || nowMs - record.lastUsedAt > idle) throw invalid();
    }
    const user = this.store.users.get(record.userId);
    if (!user) throw invalid();
    if (settings.rotation_type !== 'rotating') {
      record.lastUsedAt = nowMs;
      return this.userTokens(client, record, { withRefresh: false });
    }
    if (record.rotatedAt !== undefined) {
      const leewayMs = Number(settings.leeway ?? 0) * 1000;
      if (nowMs - record.rotatedAt > leewayMs) {
        // Reuse of a rotated token: Auth0 revokes the whole family (Refresh Token Rotation, "reuse detection").
        for (const other of this.refreshTokens.values()) if (other.family === record.family) other.revoked = true;
        throw invalid();
      }
    }
    record.rotatedAt ??= nowMs;
    return this.userTokens(client, record, { withRefresh: true, family: record.family, createdAt: record.createdAt });
  }

  private async userTokens(client: Json, grant: Authorization, options: { withRefresh: boolean; family?: string; createdAt?: number }): Promise<Json> {
    const user = this.store.users.get(grant.userId);
    if (!user) throw invalidGrant('Invalid authorization code');
    const clientId = String(client.client_id);
    const api = grant.audience ? this.store.findResourceServer(grant.audience) : undefined;
    const iat = now();
    const lifetime = api && typeof api.token_lifetime === 'number' ? api.token_lifetime : defaultAccessTokenLifetime;
    const scope = grant.scope.join(' ');
    const audience = api ? (grant.scope.includes('openid') ? [String(api.identifier), this.userinfoAudience] : String(api.identifier)) : this.userinfoAudience;
    const accessToken = await this.key.sign({ iss: this.issuer, sub: String(user.user_id), aud: audience, iat, exp: iat + lifetime, scope, azp: clientId });
    const body: Json = { access_token: accessToken };
    if (grant.scope.includes('openid')) {
      const jwt = (client.jwt_configuration ?? {}) as Json;
      const idLifetime = typeof jwt.lifetime_in_seconds === 'number' ? jwt.lifetime_in_seconds : defaultIdTokenLifetime;
      body.id_token = await this.key.sign({
        ...userClaims(user, grant.scope),
        iss: this.issuer,
        aud: clientId,
        sub: String(user.user_id),
        iat,
        exp: iat + idLifetime,
        ...(grant.sessionId ? { sid: grant.sessionId } : {}),
        ...(grant.nonce && options.family === undefined ? { nonce: grant.nonce } : {}),
      });
    }
    const grantTypes = Array.isArray(client.grant_types) ? client.grant_types : [];
    const offlineAllowed = !api || api.allow_offline_access === true;
    if (options.withRefresh && grant.scope.includes('offline_access') && grantTypes.includes('refresh_token') && offlineAllowed) {
      const refreshToken = randomToken();
      const nowMs = Date.now();
      this.refreshTokens.set(refreshToken, {
        clientId,
        userId: String(user.user_id),
        scope: [...grant.scope],
        ...(grant.audience ? { audience: grant.audience } : {}),
        family: options.family ?? randomToken(),
        createdAt: options.createdAt ?? nowMs,
        lastUsedAt: nowMs,
      });
      body.refresh_token = refreshToken;
    }
    return { ...body, scope, expires_in: lifetime, token_type: 'Bearer' };
  }

  /** Scopes a user's token may carry: OIDC scopes, plus the API's own when an audience is asked for. */
  grantableScopes(requested: readonly string[], api: Json | undefined): string[] {
    const defined = new Set(Array.isArray(api?.scopes) ? (api.scopes as Json[]).map((scope) => String(scope.value)) : []);
    return [...new Set(requested)].filter((scope) => userScopes.has(scope) || defined.has(scope));
  }
}
