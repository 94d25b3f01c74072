// The emulator's Authentication API helpers in isolation: claims released per scope, and bounded code storage.
import { describe, expect, it } from 'vitest';
import { pruneExpired, userClaims } from '../../src/emulator/authn/tokens.js';

describe('emulator Authentication API helpers', () => {
  it('releases profile and email claims only for their scopes', () => {
    const user = { user_id: 'auth0|1', name: 'Ann', nickname: 'ann', picture: 'p', updated_at: 't', email: 'ann@example.com', email_verified: true, password_hash: 'x' };
    expect(userClaims(user, ['openid'])).toEqual({});
    expect(userClaims(user, ['openid', 'email'])).toEqual({ email: 'ann@example.com', email_verified: true });
    expect(userClaims(user, ['openid', 'profile'])).toEqual({ name: 'Ann', nickname: 'ann', picture: 'p', updated_at: 't' });
  });

  it('drops expired codes and transactions once a map grows past 1,000, and keeps live ones', () => {
    const records = new Map<string, { expiresAt: number }>();
    for (let i = 0; i < 1000; i++) records.set(`old${i}`, { expiresAt: Date.now() - 1 });
    pruneExpired(records);
    expect(records.size).toBe(1000);
    records.set('live', { expiresAt: Date.now() + 60_000 });
    pruneExpired(records);
    expect([...records.keys()]).toEqual(['live']);
  });
});
