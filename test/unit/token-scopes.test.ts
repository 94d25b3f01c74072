// tenantctl learns its token's Management API scopes from the token answer, so apply can name a missing scope
// before its first write: Auth0's answer carries `scope`, and its access tokens are JWTs with a `scope` claim.
import { describe, expect, it } from 'vitest';
import { tokenScopesOf } from '../../src/remote/tenant.js';

const jwt = (claims: Record<string, unknown>): string =>
  ['{"alg":"RS256","typ":"JWT"}', JSON.stringify(claims)].map((part) => Buffer.from(part).toString('base64url')).join('.') + '.signature';

describe('token scopes', () => {
  it('reads the scope member of the token answer', () => {
    expect([...(tokenScopesOf({ access_token: 'opaque', scope: 'read:clients  read:connections' }) ?? [])]).toEqual(['read:clients', 'read:connections']);
  });
  it("falls back to the access token's scope claim", () => {
    expect([...(tokenScopesOf({ access_token: jwt({ scope: 'read:connections_options update:connections_options' }) }) ?? [])]).toEqual([
      'read:connections_options',
      'update:connections_options',
    ]);
  });
  it('says nothing when neither is there', () => {
    expect(tokenScopesOf({ access_token: 'opaque' })).toBeUndefined();
    expect(tokenScopesOf({ access_token: jwt({ sub: 'x' }) })).toBeUndefined();
    expect(tokenScopesOf('not an answer')).toBeUndefined();
  });
});
