// Auth0's login URL matching rules as a table: each row is a registered list, a URL and the verdict.
import { describe, expect, it } from 'vitest';
import { matchLoginUrl, type LoginUrlKind } from '../../src/onboard/login-match.js';

interface Row {
  name: string;
  kind: LoginUrlKind;
  registered: string[];
  url: string;
  accepted: boolean;
  difference?: string;
}

const rows: Row[] = [
  { name: 'exact match', kind: 'callback', registered: ['https://app.example.com/callback'], url: 'https://app.example.com/callback', accepted: true },
  { name: 'trailing slash requested, none registered', kind: 'callback', registered: ['https://app.example.com/callback'], url: 'https://app.example.com/callback/', accepted: false, difference: 'no trailing slash' },
  { name: 'no trailing slash requested, one registered', kind: 'callback', registered: ['https://app.example.com/callback/'], url: 'https://app.example.com/callback', accepted: false, difference: 'with a trailing slash' },
  { name: 'root with and without slash differ', kind: 'callback', registered: ['http://localhost:3000'], url: 'http://localhost:3000/', accepted: false, difference: 'no trailing slash' },
  { name: 'different port', kind: 'callback', registered: ['http://localhost:3000/callback'], url: 'http://localhost:3001/callback', accepted: false, difference: 'port 3000, not 3001' },
  { name: 'explicit default port equals no port', kind: 'callback', registered: ['https://app.example.com/callback'], url: 'https://app.example.com:443/callback', accepted: true },
  { name: 'wildcard in left-most label', kind: 'callback', registered: ['https://*.example.com/callback'], url: 'https://pr-42.example.com/callback', accepted: true },
  { name: 'wildcard covers one label only', kind: 'callback', registered: ['https://*.example.com/callback'], url: 'https://a.b.example.com/callback', accepted: false, difference: 'a wildcard stands for exactly one subdomain label' },
  { name: 'wildcard does not cover the bare domain', kind: 'callback', registered: ['https://*.example.com/callback'], url: 'https://example.com/callback', accepted: false, difference: 'a wildcard does not cover the bare domain' },
  { name: 'wildcard not left-most is literal', kind: 'callback', registered: ['https://app.*.example.com/callback'], url: 'https://app.eu.example.com/callback', accepted: false },
  { name: 'wildcard inside a label is literal', kind: 'callback', registered: ['https://pr-*.example.com/callback'], url: 'https://pr-7.example.com/callback', accepted: false },
  { name: 'wildcard over a top-level domain is not a wildcard', kind: 'callback', registered: ['https://*.com/callback'], url: 'https://evil.com/callback', accepted: false },
  { name: 'http requested, https registered', kind: 'callback', registered: ['https://app.example.com/callback'], url: 'http://app.example.com/callback', accepted: false, difference: 'https, not http' },
  { name: 'host compares case-insensitively', kind: 'callback', registered: ['https://app.example.com/callback'], url: 'https://App.Example.COM/callback', accepted: true },
  { name: 'path is case-sensitive', kind: 'callback', registered: ['https://app.example.com/Callback'], url: 'https://app.example.com/callback', accepted: false, difference: 'paths are case-sensitive' },
  { name: 'callback query string must be registered', kind: 'callback', registered: ['https://app.example.com/callback'], url: 'https://app.example.com/callback?tab=2', accepted: false, difference: 'the query string must be registered too' },
  { name: 'callback with the registered query string', kind: 'callback', registered: ['https://app.example.com/callback?tab=2'], url: 'https://app.example.com/callback?tab=2', accepted: true },
  { name: 'callback fragment is dropped', kind: 'callback', registered: ['https://app.example.com/callback'], url: 'https://app.example.com/callback#top', accepted: true },
  { name: 'localhost and 127.0.0.1 are different hosts', kind: 'callback', registered: ['http://localhost:3000/callback'], url: 'http://127.0.0.1:3000/callback', accepted: false, difference: 'host localhost, not 127.0.0.1' },
  { name: 'native custom scheme', kind: 'callback', registered: ['com.autoshares.app://login/callback'], url: 'com.autoshares.app://login/callback', accepted: true },
  { name: 'logout ignores the query string', kind: 'logout', registered: ['https://app.example.com/'], url: 'https://app.example.com/?bye=1', accepted: true },
  { name: 'logout trailing slash still counts', kind: 'logout', registered: ['https://app.example.com/'], url: 'https://app.example.com', accepted: false, difference: 'with a trailing slash' },
  { name: 'origin exact', kind: 'origin', registered: ['https://app.example.com'], url: 'https://app.example.com', accepted: true },
  { name: 'origin given with a path is reduced to its origin', kind: 'origin', registered: ['https://app.example.com'], url: 'https://app.example.com/dashboard', accepted: true },
  { name: 'registered origin with a path never matches', kind: 'origin', registered: ['https://app.example.com/'], url: 'https://app.example.com', accepted: false, difference: 'a registered origin with a path never matches' },
  { name: 'origin port must match', kind: 'origin', registered: ['http://localhost:3000'], url: 'http://localhost:5173', accepted: false, difference: 'port 3000, not 5173' },
  { name: 'origin wildcard', kind: 'origin', registered: ['https://*.preview.example.com'], url: 'https://pr-9.preview.example.com', accepted: true },
  { name: 'nothing registered', kind: 'callback', registered: [], url: 'https://app.example.com/callback', accepted: false },
];

describe('matchLoginUrl', () => {
  it.each(rows)('$kind: $name', ({ kind, registered, url, accepted, difference }) => {
    const result = matchLoginUrl(kind, url, registered);
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
