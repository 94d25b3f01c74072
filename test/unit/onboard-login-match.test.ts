// Auth0's login URL matching rules as a table: each row is a registered list, a URL and the verdict.
import { describe, expect, it } from 'vitest';
import { matchLoginUrl, type LoginContext, type LoginUrlKind } from '../../src/onboard/login-match.js';

interface Row {
  name: string;
  /** The rule of src/onboard/login-match.ts's header (and so of Auth0's docs) the row comes from. */
  rule: string;
  kind: LoginUrlKind;
  registered: string[];
  url: string;
  accepted: boolean;
  difference?: string;
  context?: LoginContext;
}

const rows: Row[] = [
  { rule: 'exact', name: 'exact match', kind: 'callback', registered: ['https://app.example.com/callback'], url: 'https://app.example.com/callback', accepted: true },
  { rule: 'exact', name: 'trailing slash requested, none registered', kind: 'callback', registered: ['https://app.example.com/callback'], url: 'https://app.example.com/callback/', accepted: false, difference: 'no trailing slash' },
  { rule: 'exact', name: 'no trailing slash requested, one registered', kind: 'callback', registered: ['https://app.example.com/callback/'], url: 'https://app.example.com/callback', accepted: false, difference: 'with a trailing slash' },
  { rule: 'exact', name: 'root with and without slash differ', kind: 'callback', registered: ['http://localhost:3000'], url: 'http://localhost:3000/', accepted: false, difference: 'no trailing slash' },
  { rule: 'exact', name: 'different port', kind: 'callback', registered: ['http://localhost:3000/callback'], url: 'http://localhost:3001/callback', accepted: false, difference: 'port 3000, not 3001' },
  { rule: 'exact', name: 'an explicit :443 is not the same string', kind: 'callback', registered: ['https://app.example.com/callback'], url: 'https://app.example.com:443/callback', accepted: false, difference: ':443 written out in one URL only' },
  { rule: 'exact', name: 'a registered :443 needs the requested one to carry it', kind: 'callback', registered: ['https://app.example.com:443/callback'], url: 'https://app.example.com/callback', accepted: false, difference: ':443 written out in one URL only' },
  { rule: 'exact', name: 'host case counts', kind: 'callback', registered: ['https://app.example.com/callback'], url: 'https://App.Example.COM/callback', accepted: false, difference: 'host app.example.com, not App.Example.COM: letter case counts' },
  { rule: 'exact', name: 'http requested, https registered', kind: 'callback', registered: ['https://app.example.com/callback'], url: 'http://app.example.com/callback', accepted: false, difference: 'https, not http' },
  { rule: 'exact', name: 'path is case-sensitive', kind: 'callback', registered: ['https://app.example.com/Callback'], url: 'https://app.example.com/callback', accepted: false, difference: 'paths are case-sensitive' },
  { rule: 'exact', name: 'callback query string must be registered', kind: 'callback', registered: ['https://app.example.com/callback'], url: 'https://app.example.com/callback?tab=2', accepted: false, difference: 'the query string must be registered too' },
  { rule: 'exact', name: 'callback with the registered query string', kind: 'callback', registered: ['https://app.example.com/callback?tab=2'], url: 'https://app.example.com/callback?tab=2', accepted: true },
  { rule: 'exact', name: 'localhost and 127.0.0.1 are different hosts', kind: 'callback', registered: ['http://localhost:3000/callback'], url: 'http://127.0.0.1:3000/callback', accepted: false, difference: 'host localhost, not 127.0.0.1' },
  { rule: 'exact', name: 'native custom scheme', kind: 'callback', registered: ['com.autoshares.app://login/callback'], url: 'com.autoshares.app://login/callback', accepted: true },
  { rule: 'exact', name: 'a literal * in a custom scheme URL matches only itself', kind: 'callback', registered: ['com.autoshares.app://*.example.com/cb'], url: 'com.autoshares.app://*.example.com/cb', accepted: true },
  { rule: 'fragment', name: 'callback fragment is dropped', kind: 'callback', registered: ['https://app.example.com/callback'], url: 'https://app.example.com/callback#top', accepted: true },
  { rule: 'logout', name: 'logout ignores the query string', kind: 'logout', registered: ['https://app.example.com/'], url: 'https://app.example.com/?bye=1', accepted: true },
  { rule: 'logout', name: 'logout trailing slash still counts', kind: 'logout', registered: ['https://app.example.com/'], url: 'https://app.example.com', accepted: false, difference: 'with a trailing slash' },
  { rule: 'origin', name: 'origin exact', kind: 'origin', registered: ['https://app.example.com'], url: 'https://app.example.com', accepted: true },
  { rule: 'origin', name: 'origin given with a path is reduced to its origin', kind: 'origin', registered: ['https://app.example.com'], url: 'https://app.example.com/dashboard', accepted: true },
  { rule: 'origin', name: 'the browser sends no default port and a lower-case host', kind: 'origin', registered: ['https://app.example.com'], url: 'https://App.example.com:443/x', accepted: true },
  { rule: 'origin', name: 'a registered origin with :443 never equals what browsers send', kind: 'origin', registered: ['https://app.example.com:443'], url: 'https://app.example.com', accepted: false, difference: ':443 written out in one URL only' },
  { rule: 'origin', name: 'registered origin with a path never matches', kind: 'origin', registered: ['https://app.example.com/'], url: 'https://app.example.com', accepted: false, difference: 'a registered origin with a path never matches' },
  { rule: 'origin', name: 'origin port must match', kind: 'origin', registered: ['http://localhost:3000'], url: 'http://localhost:5173', accepted: false, difference: 'port 3000, not 5173' },
  { rule: 'wildcard-left-most', name: 'wildcard as the left-most label', kind: 'callback', registered: ['https://*.example.com/callback'], url: 'https://pr-42.example.com/callback', accepted: true },
  { rule: 'wildcard-left-most', name: 'origin wildcard', kind: 'origin', registered: ['https://*.preview.example.com'], url: 'https://pr-9.preview.example.com', accepted: true },
  { rule: 'wildcard-left-most', name: 'logout wildcard', kind: 'logout', registered: ['https://*.example.com/bye'], url: 'https://a.example.com/bye?x=1', accepted: true },
  { rule: 'wildcard-left-most', name: 'wildcard not left-most does not expand', kind: 'callback', registered: ['https://sub.*.example.com/callback'], url: 'https://sub.eu.example.com/callback', accepted: false, difference: 'a wildcard only expands once, in the left-most label' },
  { rule: 'wildcard-once', name: 'two wildcards do not expand', kind: 'callback', registered: ['https://*.*.example.com/callback'], url: 'https://a.b.example.com/callback', accepted: false, difference: 'a wildcard only expands once, in the left-most label' },
  { rule: 'wildcard-domain', name: 'wildcard for a whole domain does not expand', kind: 'callback', registered: ['https://*.com/callback'], url: 'https://evil.com/callback', accepted: false, difference: 'a wildcard cannot stand for a whole domain' },
  { rule: 'wildcard-affix', name: 'wildcard with a prefix and a suffix', kind: 'callback', registered: ['https://prefix-*-suffix.example.com/callback'], url: 'https://prefix-42-suffix.example.com/callback', accepted: true },
  { rule: 'wildcard-affix', name: 'wildcard with a prefix only', kind: 'callback', registered: ['https://pr-*.example.com/callback'], url: 'https://pr-7.example.com/callback', accepted: true },
  { rule: 'wildcard-affix', name: 'the prefix must be there', kind: 'callback', registered: ['https://pr-*.example.com/callback'], url: 'https://qa-7.example.com/callback', accepted: false, difference: 'the left-most label must look like pr-*' },
  { rule: 'wildcard-affix', name: 'the wildcard stands for at least one character', kind: 'callback', registered: ['https://prefix-*-suffix.example.com/callback'], url: 'https://prefix--suffix.example.com/callback', accepted: false },
  { rule: 'wildcard-one-label', name: 'wildcard covers one label only', kind: 'callback', registered: ['https://*.example.com/callback'], url: 'https://a.b.example.com/callback', accepted: false, difference: 'a wildcard stands for exactly one subdomain label' },
  { rule: 'wildcard-one-label', name: 'wildcard does not cover the bare domain', kind: 'callback', registered: ['https://*.example.com/callback'], url: 'https://example.com/callback', accepted: false, difference: 'a wildcard does not cover the bare domain' },
  { rule: 'wildcard-one-label', name: 'the rest of the URL still matches exactly', kind: 'callback', registered: ['https://*.example.com/callback'], url: 'https://a.example.com:443/callback', accepted: false, difference: ':443 written out in one URL only' },
  { rule: 'wildcard-scheme', name: 'a custom scheme never expands a wildcard', kind: 'callback', registered: ['com.autoshares.app://*.example.com/cb'], url: 'com.autoshares.app://login.example.com/cb', accepted: false, difference: 'a wildcard works only in http and https URLs' },
  { rule: 'placeholder-org', name: 'organization placeholder in an organization login', kind: 'callback', registered: ['https://{organization_name}.example.com/cb'], url: 'https://acme.example.com/cb', accepted: true, context: { organizationName: 'acme' } },
  { rule: 'placeholder-org', name: 'organization placeholder for another organization', kind: 'callback', registered: ['https://{organization_name}.example.com/cb'], url: 'https://acme.example.com/cb', accepted: false, context: { organizationName: 'globex' } },
  { rule: 'placeholder-org', name: 'organization placeholder without an organization', kind: 'callback', registered: ['https://{organization_name}.example.com/cb'], url: 'https://acme.example.com/cb', accepted: false, difference: '{organization_name} is filled in only in a login for an organization' },
  { rule: 'placeholder-org', name: 'organization placeholder with a prefix is not evaluated', kind: 'callback', registered: ['https://x-{organization_name}.example.com/cb'], url: 'https://x-acme.example.com/cb', accepted: false, context: { organizationName: 'acme' } },
  { rule: 'placeholder-org', name: 'organization placeholder with a wildcard is not evaluated', kind: 'callback', registered: ['https://{organization_name}.*.example.com/cb'], url: 'https://acme.eu.example.com/cb', accepted: false, context: { organizationName: 'acme' } },
  { rule: 'placeholder-org', name: 'organization placeholder is not evaluated for logout URLs', kind: 'logout', registered: ['https://{organization_name}.example.com/'], url: 'https://acme.example.com/', accepted: false, context: { organizationName: 'acme' } },
  { rule: 'placeholder-domain', name: 'custom domain placeholder with a public key', kind: 'callback', registered: ['https://{custom_domain.metadata.public_app}.example.com/cb'], url: 'https://shop.example.com/cb', accepted: true, context: { customDomainMetadata: { public_app: 'shop' } } },
  { rule: 'placeholder-domain', name: 'custom domain placeholder with a key that is not public', kind: 'callback', registered: ['https://{custom_domain.metadata.app}.example.com/cb'], url: 'https://shop.example.com/cb', accepted: false, context: { customDomainMetadata: { app: 'shop' } } },
  { rule: 'exact', name: 'nothing registered', kind: 'callback', registered: [], url: 'https://app.example.com/callback', accepted: false },
];

describe('matchLoginUrl', () => {
  it.each(rows)('[$rule] $kind: $name', ({ kind, registered, url, accepted, difference, context }) => {
    const result = matchLoginUrl(kind, url, registered, context);
    expect(result.accepted).toBe(accepted);
    if (accepted) expect(registered).toContain(result.matchedBy);
    if (difference !== undefined) expect(result.difference).toBe(difference);
  });

  it('names the closest registered URL when several are registered', () => {
    const result = matchLoginUrl('callback', 'https://app.example.com/callback/', [
      'https://other.example.org/login',
      'https://app.example.com/callback',
    ]);
    expect(result).toMatchObject({ accepted: false, closest: 'https://app.example.com/callback', difference: 'no trailing slash' });
  });

  it('suggests what to register: the URL without fragment, logout without query, origin only', () => {
    expect(matchLoginUrl('callback', 'https://a.example.com/cb#x', []).suggestion).toBe('https://a.example.com/cb');
    expect(matchLoginUrl('logout', 'https://a.example.com/bye?x=1', []).suggestion).toBe('https://a.example.com/bye');
    const origin = matchLoginUrl('origin', 'https://a.example.com:8443/app', []);
    expect(origin.suggestion).toBe('https://a.example.com:8443');
    expect(origin.note).toContain('only the origin');
  });

  it('rejects a URL that is not absolute, saying so', () => {
    const result = matchLoginUrl('callback', 'app.example.com/callback', ['https://app.example.com/callback']);
    expect(result.accepted).toBe(false);
    expect(result.note).toContain('not an absolute URL');
  });
});
