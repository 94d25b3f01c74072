// Bearer-token checks for /api/v2 calls. The tokens themselves are RS256 JWTs made by /oauth/token (authn/);
// each one issued for the Management API audience is remembered with the scopes of its client's grant.
import { HttpError } from './errors.js';

interface IssuedToken {
  clientId: string;
  scopes: ReadonlySet<string>;
  expiresAt: number;
}

export class TokenIssuer {
  private readonly tokens = new Map<string, IssuedToken>();

  /**
   * Accepts a Management API access token issued by /oauth/token (authn/tokens.ts, client credentials for the
   * Management API audience) for the scopes of its client's grant, until it expires.
   */
  remember(token: string, clientId: string, scopes: readonly string[], expiresAt: number): void {
    this.tokens.set(token, { clientId, scopes: new Set(scopes), expiresAt });
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
