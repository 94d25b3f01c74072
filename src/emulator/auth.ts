// The /oauth/token endpoint and bearer-token checks for /api/v2 calls.
// Tokens are opaque random strings mapped to the client and the scopes of its Management API grant.
import type { TenantStore } from './store.js';
import { HttpError } from './errors.js';
import { newAccessToken } from './ids.js';

const tokenLifetimeSeconds = 86400;

interface IssuedToken {
  clientId: string;
  scopes: ReadonlySet<string>;
  expiresAt: number;
}

const oauthError = (status: number, error: string, description: string): HttpError =>
  new HttpError(status, description, undefined, { error, error_description: description });

export class TokenIssuer {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(private readonly store: TenantStore) {}

  /** Client-credentials exchange, the only grant the Management API emulator needs. */
  issue(request: Record<string, unknown>): Record<string, unknown> {
    const grantType = request.grant_type;
    if (grantType !== 'client_credentials') {
      throw oauthError(400, 'unsupported_grant_type', `Unsupported grant type: ${String(grantType ?? '')}`);
    }
    const clientId = typeof request.client_id === 'string' ? request.client_id : '';
    const client = this.store.clients.get(clientId);
    if (!client || typeof request.client_secret !== 'string' || request.client_secret !== client.client_secret) {
      throw oauthError(401, 'access_denied', 'Unauthorized');
    }
    const audience = typeof request.audience === 'string' ? request.audience : '';
    if (audience !== this.store.managementAudience) {
      throw oauthError(403, 'access_denied', `Service not enabled within domain: ${audience}`);
    }
    const grant = this.store.grantFor(clientId, audience);
    if (!grant) {
      throw oauthError(403, 'access_denied', `Client is not authorized to access "${audience}". It needs a client grant for this API.`);
    }
    const scopes = Array.isArray(grant.scope) ? grant.scope.map(String) : [];
    const accessToken = newAccessToken();
    this.tokens.set(accessToken, { clientId, scopes: new Set(scopes), expiresAt: Date.now() + tokenLifetimeSeconds * 1000 });
    return { access_token: accessToken, expires_in: tokenLifetimeSeconds, token_type: 'Bearer', scope: scopes.join(' ') };
  }

  /** Returns the scopes of a valid bearer token from an Authorization header, or throws 401. */
  authenticate(authorization: string | undefined): ReadonlySet<string> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match?.[1]) throw new HttpError(401, 'Missing authentication', 'missing_authentication');
    const token = this.tokens.get(match[1]);
    if (!token) throw new HttpError(401, 'Invalid token', 'invalid_token');
    if (token.expiresAt <= Date.now()) {
      this.tokens.delete(match[1]);
      throw new HttpError(401, 'Expired token received for JSON Web Token validation', 'token_expired');
    }
    return token.scopes;
  }
}

/** 403 unless the token has at least one of the scopes. */
export function requireAnyScope(granted: ReadonlySet<string>, anyOf: readonly string[]): void {
  // Routes of kinds the emulator does not model name no scope: any valid token may call them.
  if (anyOf.length === 0 || anyOf.some((scope) => granted.has(scope))) return;
  throw new HttpError(403, `Insufficient scope, expected any of: ${anyOf.join(',')}`, 'insufficient_scope');
}
