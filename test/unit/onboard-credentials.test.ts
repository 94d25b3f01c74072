// The partner handover formats and the rule that a secret needs an explicit destination.
import { describe, expect, it } from 'vitest';
import { renderCredentials } from '../../src/onboard/credentials-format.js';
import { chooseDestination, formatWarnings } from '../../src/onboard/credentials.js';

const values = { domain: 'autosharesdev.us.auth0.com', clientId: 'abc123', clientSecret: 'TOP-SECRET' };

describe('renderCredentials', () => {
  it('dotenv: exactly the three lines the integration guide shows', () => {
    expect(renderCredentials('dotenv', values)).toBe('AUTH0_DOMAIN=autosharesdev.us.auth0.com\nAUTH0_CLIENT_ID=abc123\nAUTH0_CLIENT_SECRET=TOP-SECRET\n');
  });

  it('json: domain, client_id, client_secret', () => {
    expect(JSON.parse(renderCredentials('json', values))).toEqual({ domain: values.domain, client_id: 'abc123', client_secret: 'TOP-SECRET' });
  });

  it('spa: a createAuth0Client call without any secret, even when one is passed', () => {
    const snippet = renderCredentials('spa', values);
    expect(snippet).toContain("domain: 'autosharesdev.us.auth0.com',");
    expect(snippet).toContain("clientId: 'abc123',");
    expect(snippet).toContain('authorizationParams: { redirect_uri: window.location.origin }');
    expect(snippet).not.toContain('TOP-SECRET');
    expect(snippet.toLowerCase()).not.toContain('secret');
  });
});

describe('chooseDestination', () => {
  it('refuses to decide for a secret-bearing format, explaining --out FILE and --out -', () => {
    expect(() => chooseDestination(undefined, 'dotenv', false)).toThrow(/contains the client secret/);
    let caught: unknown;
    try {
      chooseDestination(undefined, 'json', false);
    } catch (error) {
      caught = error;
    }
    expect((caught as { hint?: string } | undefined)?.hint).toMatch(/--out FILE.*--out -/);
  });

  it('prints only on request, or for the secret-free spa snippet', () => {
    expect(chooseDestination('-', 'dotenv', false)).toEqual({ kind: 'stdout' });
    expect(chooseDestination(undefined, 'spa', false)).toEqual({ kind: 'stdout' });
    expect(chooseDestination('.env', 'dotenv', true)).toEqual({ kind: 'file', path: '.env', force: true });
  });
});

describe('formatWarnings', () => {
  it('warns when a public client is handed a secret-bearing format', () => {
    expect(formatWarnings({ name: 'Broker SPA', clientId: 'x', appType: 'spa' }, 'dotenv')[0]).toContain('--format spa');
    expect(formatWarnings({ name: 'Portal', clientId: 'x', appType: 'regular_web' }, 'dotenv')).toEqual([]);
  });
});
