// The shared URL policy (also used by `app add` and `check-login`): each rule id with URLs that pass and fail.
import { describe, expect, it } from 'vitest';
import { checkUrl, type UrlEnvironment, type UrlKind } from '../../src/validate/url-policy.js';

const dev: UrlEnvironment = { name: 'dev', allowLocalhost: true };
const prod: UrlEnvironment = { name: 'prod', allowLocalhost: false };
const staging: UrlEnvironment = { name: 'staging', allowLocalhost: false };

function rules(kind: UrlKind, url: string, env: UrlEnvironment, appType?: string): string[] {
  return checkUrl(kind, url, env, appType ? { appType } : {}).map((problem) => problem.rule);
}

describe('checkUrl', () => {
  it.each([
    ['callback', 'https://app.example.com/callback', prod],
    ['callback', 'http://localhost:3000/callback', dev],
    ['callback', 'http://127.0.0.1:8080/cb', dev],
    ['callback', 'https://*.preview.example.com/cb', staging],
    // Auth0 "Subdomain URL placeholders": a wildcard may carry a prefix and a suffix.
    ['callback', 'https://prefix-*-suffix.example.com/cb', staging],
    ['callback', 'https://app.example.com/cb?tenant=1', prod],
    ['logout', 'https://app.example.com/', prod],
    ['web_origin', 'https://app.example.com', prod],
    ['allowed_origin', 'https://app.example.com:8443', prod],
    ['initiate_login', 'https://app.example.com/login', prod],
  ] as const)('accepts %s %s', (kind, url, env) => {
    expect(rules(kind, url, env)).toEqual([]);
  });

  it.each([
    ['callback', 'http://portal.example.com/cb', dev, 'url-https'],
    ['callback', 'ftp://portal.example.com/cb', dev, 'url-https'],
    ['callback', 'http://localhost:3000/cb', prod, 'url-localhost'],
    ['callback', 'https://localhost/cb', prod, 'url-localhost'],
    ['callback', 'portal.example.com/cb', dev, 'url-absolute'],
    ['callback', 'https://app.example.com/ cb', dev, 'url-absolute'],
    ['callback', 'https://app.example.com/cb#x', dev, 'url-fragment'],
    ['callback', 'https://*.example.com/cb', prod, 'url-wildcard'],
    ['callback', 'https://app.*.example.com/cb', staging, 'url-wildcard'],
    ['callback', 'https://*.com/cb', staging, 'url-wildcard'],
    ['callback', 'https://app.example.com/*', staging, 'url-wildcard'],
    ['callback', 'https://*.*.example.com/cb', staging, 'url-wildcard'],
    ['web_origin', 'https://app.example.com/', prod, 'url-origin-path'],
    ['allowed_origin', 'https://app.example.com/path', prod, 'url-origin-path'],
    ['initiate_login', 'http://localhost:3000/login', dev, 'url-https'],
  ] as const)('rejects %s %s in %s with %s', (kind, url, env, rule) => {
    expect(rules(kind, url, env)).toEqual([rule]);
  });

  it('refuses a wildcard in a custom-scheme URL: Auth0 expands wildcards only in http and https URLs', () => {
    expect(rules('callback', 'com.autoshares.app://*.example.com/cb', staging, 'native')).toEqual(['url-wildcard']);
  });

  it('allows custom schemes for native callbacks only', () => {
    expect(rules('callback', 'com.autoshares.app://callback', prod, 'native')).toEqual([]);
    expect(rules('callback', 'com.autoshares.app://callback', prod, 'spa')).toEqual(['url-https']);
  });

  it('treats an environment flagged production like prod', () => {
    expect(rules('callback', 'https://*.example.com/cb', { name: 'live', allowLocalhost: false, production: true })).toEqual(['url-wildcard']);
  });

  it('states the rule in plain words', () => {
    expect(checkUrl('callback', 'http://portal.example.com/cb', dev)[0]?.message).toBe(
      'callback "http://portal.example.com/cb" must use https outside environments that allow localhost',
    );
  });
});
