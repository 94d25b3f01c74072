// One failing and one passing fixture per named rule, asserting the exact file:line:col of each finding.
// Fixtures are small in-memory tenants so each case shows the YAML next to the position it expects.
import { describe, expect, it } from 'vitest';
import { located, validateFiles } from '../fixtures/validate/in-memory.js';

const APP = 'applications/app.yaml';
const API = `name: Orders API
identifier: https://orders.example.com/
scopes:
  - value: read:orders
  - value: write:orders
`;
const DB = `name: Username-Password-Authentication
strategy: auth0
`;

interface RuleCase {
  rule: string;
  fail: Record<string, string>;
  expected: string[];
  pass: Record<string, string>;
  env?: string;
}

const cases: RuleCase[] = [
  {
    rule: 'yaml-syntax',
    fail: { [APP]: 'name: A\napp_type: spa\ncallbacks: [https://a.example.com\n' },
    expected: ['tenant/applications/app.yaml:4:1 yaml-syntax'],
    pass: { [APP]: 'name: A\napp_type: spa\ncallbacks: [https://a.example.com]\n' },
  },
  {
    rule: 'duplicate-key',
    fail: { [APP]: 'name: A\napp_type: spa\nname: B\n' },
    expected: ['tenant/applications/app.yaml:3:1 duplicate-key'],
    pass: { [APP]: 'name: A\napp_type: spa\n' },
  },
  {
    rule: 'unknown-field',
    fail: { [APP]: 'name: A\napp_type: regular_web\ncallback:\n  - https://a.example.com/cb\n' },
    expected: ['tenant/applications/app.yaml:3:1 unknown-field'],
    pass: { [APP]: 'name: A\napp_type: regular_web\ncallbacks:\n  - https://a.example.com/cb\n' },
  },
  {
    rule: 'wrong-type',
    fail: { [APP]: 'name: A\napp_type: regular_web\noidc_conformant: "yes"\n' },
    expected: ['tenant/applications/app.yaml:3:18 wrong-type'],
    pass: { [APP]: 'name: A\napp_type: regular_web\noidc_conformant: true\n' },
  },
  {
    rule: 'missing-field',
    fail: { 'connections/db.yaml': 'name: Username-Password-Authentication\n' },
    expected: ['tenant/connections/db.yaml:1:1 missing-field'],
    pass: { 'connections/db.yaml': DB },
  },
  {
    // Auth0 refuses a refresh_token without both (SDK type ClientRefreshTokenConfiguration), on create and update.
    rule: 'missing-field',
    fail: { [APP]: 'name: A\napp_type: regular_web\nrefresh_token:\n  leeway: 5\n' },
    expected: ['tenant/applications/app.yaml:4:3 missing-field', 'tenant/applications/app.yaml:4:3 missing-field'],
    pass: { [APP]: 'name: A\napp_type: regular_web\nrefresh_token:\n  rotation_type: rotating\n  expiration_type: expiring\n  leeway: 5\n' },
  },
  {
    rule: 'invalid-value',
    fail: { [APP]: 'name: A\napp_type: regular-web\n' },
    expected: ['tenant/applications/app.yaml:2:11 invalid-value'],
    pass: { [APP]: 'name: A\napp_type: regular_web\n' },
  },
  {
    rule: 'duplicate-name',
    fail: { 'applications/a.yaml': 'name: Portal\napp_type: spa\n', 'applications/b.yaml': '# the same name again\nname: Portal\napp_type: spa\n' },
    expected: ['tenant/applications/b.yaml:2:7 duplicate-name'],
    pass: { 'applications/a.yaml': 'name: Portal\napp_type: spa\n', 'applications/b.yaml': 'name: Portal Admin\napp_type: spa\n' },
  },
  {
    rule: 'unknown-connection',
    fail: { 'connections/db.yaml': DB, [APP]: 'name: A\napp_type: spa\nconnections:\n  - Username-Password-Authentication\n  - no-such-connection\n' },
    expected: ['tenant/applications/app.yaml:5:5 unknown-connection'],
    pass: { 'connections/db.yaml': DB, [APP]: 'name: A\napp_type: spa\nconnections:\n  - Username-Password-Authentication\n' },
  },
  {
    rule: 'unknown-api',
    fail: { 'apis/orders.yaml': API, [APP]: 'name: A\napp_type: non_interactive\ngrants:\n  - api: https://orders.example.com\n    scopes: [read:orders]\n' },
    expected: ['tenant/applications/app.yaml:4:10 unknown-api'],
    pass: { 'apis/orders.yaml': API, [APP]: 'name: A\napp_type: non_interactive\ngrants:\n  - api: https://orders.example.com/\n    scopes: [read:orders]\n' },
  },
  {
    rule: 'unknown-scope',
    fail: { 'apis/orders.yaml': API, [APP]: 'name: A\napp_type: non_interactive\ngrants:\n  - api: https://orders.example.com/\n    scopes: [read:orders, delete:orders]\n' },
    expected: ['tenant/applications/app.yaml:5:27 unknown-scope'],
    pass: { 'apis/orders.yaml': API, [APP]: 'name: A\napp_type: non_interactive\ngrants:\n  - api: https://orders.example.com/\n    scopes: [read:orders, write:orders]\n' },
  },
  {
    // One client grant and one user-access grant per API is what Auth0 holds; a second of the same kind is not.
    rule: 'duplicate-grant',
    fail: { 'apis/orders.yaml': API, [APP]: 'name: A\napp_type: non_interactive\ngrants:\n  - api: https://orders.example.com/\n    scopes: [read:orders]\n    subject_type: user\n  - api: https://orders.example.com/\n    scopes: [write:orders]\n    subject_type: user\n' },
    expected: ['tenant/applications/app.yaml:7:10 duplicate-grant'],
    pass: { 'apis/orders.yaml': API, [APP]: 'name: A\napp_type: non_interactive\ngrants:\n  - api: https://orders.example.com/\n    scopes: [read:orders]\n    subject_type: user\n  - api: https://orders.example.com/\n    scopes: [write:orders]\n' },
  },
  {
    rule: 'unknown-scope',
    env: 'dev',
    fail: { [APP]: 'name: A\napp_type: non_interactive\ngrants:\n  - api: https://dev-tenant.us.auth0.com/api/v2/\n    scopes:\n      - read:users\n      - read:everything\n' },
    expected: ['tenant/applications/app.yaml:7:9 unknown-scope'],
    pass: { [APP]: 'name: A\napp_type: non_interactive\ngrants:\n  - api: https://dev-tenant.us.auth0.com/api/v2/\n    scopes:\n      - read:users\n      - read:client_keys\n' },
  },
  {
    rule: 'duplicate-grant',
    fail: { 'apis/orders.yaml': API, [APP]: 'name: A\napp_type: non_interactive\ngrants:\n  - api: https://orders.example.com/\n    scopes: [read:orders]\n  - api: https://orders.example.com/\n    scopes: [write:orders]\n' },
    expected: ['tenant/applications/app.yaml:6:10 duplicate-grant'],
    pass: { 'apis/orders.yaml': API, [APP]: 'name: A\napp_type: non_interactive\ngrants:\n  - api: https://orders.example.com/\n    scopes: [read:orders, write:orders]\n' },
  },
  {
    // One client grant and one user-access grant per API is what Auth0 holds; a second of the same kind is not.
    rule: 'duplicate-grant',
    fail: { 'apis/orders.yaml': API, [APP]: 'name: A\napp_type: non_interactive\ngrants:\n  - api: https://orders.example.com/\n    scopes: [read:orders]\n    subject_type: user\n  - api: https://orders.example.com/\n    scopes: [write:orders]\n    subject_type: user\n' },
    expected: ['tenant/applications/app.yaml:7:10 duplicate-grant'],
    pass: { 'apis/orders.yaml': API, [APP]: 'name: A\napp_type: non_interactive\ngrants:\n  - api: https://orders.example.com/\n    scopes: [read:orders]\n    subject_type: user\n  - api: https://orders.example.com/\n    scopes: [write:orders]\n' },
  },
  {
    rule: 'duplicate-entry',
    fail: { 'apis/orders.yaml': `${API}  - value: read:orders\n` },
    expected: ['tenant/apis/orders.yaml:6:12 duplicate-entry'],
    pass: { 'apis/orders.yaml': API },
  },
  {
    rule: 'url-https',
    fail: { [APP]: 'name: A\napp_type: regular_web\ncallbacks:\n  - https://portal.example.com/cb\n  - http://portal.example.com/cb\n' },
    expected: ['tenant/applications/app.yaml:5:5 url-https'],
    pass: { [APP]: 'name: A\napp_type: regular_web\ncallbacks:\n  - https://portal.example.com/cb\n' },
  },
  {
    rule: 'url-localhost',
    fail: { [APP]: 'name: A\napp_type: regular_web\ncallbacks: [http://localhost:3000/callback]\n' },
    expected: ['tenant/applications/app.yaml:3:13 url-localhost'],
    pass: { [APP]: 'name: A\napp_type: regular_web\ncallbacks: ["${APP_URL}/callback"]\n' },
  },
  {
    rule: 'url-absolute',
    fail: { [APP]: 'name: A\napp_type: regular_web\nallowed_logout_urls:\n  - /logged-out\n' },
    expected: ['tenant/applications/app.yaml:4:5 url-absolute'],
    pass: { [APP]: 'name: A\napp_type: regular_web\nallowed_logout_urls:\n  - https://app.example.com/logged-out\n' },
  },
  {
    rule: 'url-fragment',
    fail: { [APP]: 'name: A\napp_type: regular_web\ncallbacks:\n  - https://app.example.com/cb#done\n' },
    expected: ['tenant/applications/app.yaml:4:5 url-fragment'],
    pass: { [APP]: 'name: A\napp_type: regular_web\ncallbacks:\n  - https://app.example.com/cb?done=1\n' },
  },
  {
    rule: 'url-wildcard',
    fail: { [APP]: 'name: A\napp_type: regular_web\ncallbacks:\n  - https://*.preview.example.com/cb\n  - https://app.*.example.com/cb\n' },
    expected: ['tenant/applications/app.yaml:4:5 url-wildcard', 'tenant/applications/app.yaml:5:5 url-wildcard'],
    pass: { [APP]: 'name: A\napp_type: regular_web\ncallbacks:\n  - https://pr-1.preview.example.com/cb\n' },
  },
  {
    rule: 'url-origin-path',
    fail: { [APP]: 'name: A\napp_type: spa\nweb_origins:\n  - https://app.example.com/\n' },
    expected: ['tenant/applications/app.yaml:4:5 url-origin-path'],
    pass: { [APP]: 'name: A\napp_type: spa\nweb_origins:\n  - https://app.example.com\n' },
  },
  {
    rule: 'url-limit',
    fail: { [APP]: `name: A\napp_type: spa\nweb_origins:\n${Array.from({ length: 101 }, (_, i) => `  - https://o${i}.example.com\n`).join('')}` },
    expected: ['tenant/applications/app.yaml:104:5 url-limit'],
    pass: { [APP]: `name: A\napp_type: spa\nweb_origins:\n${Array.from({ length: 100 }, (_, i) => `  - https://o${i}.example.com\n`).join('')}` },
  },
  {
    rule: 'url-duplicate',
    fail: { [APP]: 'name: A\napp_type: spa\nallowed_logout_urls:\n  - https://app.example.com/bye\n  - https://app.example.com/bye\n' },
    expected: ['tenant/applications/app.yaml:5:5 url-duplicate'],
    pass: { [APP]: 'name: A\napp_type: spa\nallowed_logout_urls:\n  - https://app.example.com/bye\n' },
  },
  {
    rule: 'spa-auth-method',
    fail: { [APP]: 'name: A\napp_type: spa\ntoken_endpoint_auth_method: client_secret_post\n' },
    expected: ['tenant/applications/app.yaml:3:29 spa-auth-method'],
    pass: { [APP]: 'name: A\napp_type: spa\ntoken_endpoint_auth_method: none\n' },
  },
  {
    rule: 'code-grant-required',
    fail: { [APP]: 'name: A\napp_type: regular_web\ncallbacks: [https://app.example.com/cb]\ngrant_types: [implicit]\n' },
    expected: ['tenant/applications/app.yaml:4:14 code-grant-required'],
    pass: { [APP]: 'name: A\napp_type: regular_web\ncallbacks: [https://app.example.com/cb]\ngrant_types: [authorization_code]\n' },
  },
  {
    rule: 'm2m-callbacks',
    fail: { [APP]: 'name: A\napp_type: non_interactive\ncallbacks: [https://app.example.com/cb]\n' },
    expected: ['tenant/applications/app.yaml:3:1 m2m-callbacks'],
    pass: { [APP]: 'name: A\napp_type: non_interactive\n' },
  },
  {
    rule: 'grants-need-client-credentials',
    fail: { 'apis/orders.yaml': API, [APP]: 'name: A\napp_type: regular_web\ngrant_types: [authorization_code]\ngrants:\n  - api: https://orders.example.com/\n    scopes: [read:orders]\n' },
    expected: ['tenant/applications/app.yaml:3:14 grants-need-client-credentials'],
    pass: { 'apis/orders.yaml': API, [APP]: 'name: A\napp_type: regular_web\ngrant_types: [authorization_code, client_credentials]\ngrants:\n  - api: https://orders.example.com/\n    scopes: [read:orders]\n' },
  },
  {
    rule: 'undefined-variable',
    fail: { [APP]: 'name: A\napp_type: regular_web\ncallbacks:\n  - "${APP_URL}/a/${APP_ULR}/cb"\n' },
    expected: ['tenant/applications/app.yaml:4:19 undefined-variable'],
    pass: { [APP]: 'name: A\napp_type: regular_web\ncallbacks:\n  - "${APP_URL}/a/cb"\n' },
  },
  {
    rule: 'undefined-variable',
    fail: { [APP]: 'name: A\napp_type: regular_web\ndescription: built from ${env:BUILD_ID}\n' },
    expected: ['tenant/applications/app.yaml:3:25 undefined-variable'],
    pass: { [APP]: 'name: A\napp_type: regular_web\ndescription: built from $${env:BUILD_ID}\n' },
  },
  {
    rule: 'reserved-metadata',
    fail: { [APP]: 'name: A\napp_type: spa\nclient_metadata:\n  team: web\n  managed_by: me\n' },
    expected: ['tenant/applications/app.yaml:5:3 reserved-metadata'],
    pass: { [APP]: 'name: A\napp_type: spa\nclient_metadata:\n  team: web\n' },
  },
  {
    rule: 'system-object',
    fail: { 'apis/mgmt.yaml': 'name: Management\nidentifier: https://prod-tenant.us.auth0.com/api/v2/\n' },
    expected: ['tenant/apis/mgmt.yaml:2:13 system-object (in environment prod)'],
    pass: { 'apis/mgmt.yaml': API },
  },
  {
    rule: 'system-object',
    fail: { [APP]: 'name: All Applications\napp_type: spa\n' },
    expected: ['tenant/applications/app.yaml:1:7 system-object'],
    pass: { [APP]: 'name: All Apps Dashboard\napp_type: spa\n' },
  },
];

/** Folds an environment note from the message into the expectation, so cases can state it. */
function withScope(diagnostics: ReturnType<typeof validateFiles>): string[] {
  return located(diagnostics).map((line, index) => {
    const scope = / \((in environments? [^)]+)\)$/.exec(diagnostics[index]!.message)?.[1];
    return scope ? `${line} (${scope})` : line;
  });
}

describe('named rules', () => {
  it.each(cases.map((c, i) => [`${c.rule} #${i}`, c] as const))('%s: the failing fixture is reported at its exact position', (_name, c) => {
    const diagnostics = validateFiles(c.fail, c.env ? { env: c.env } : {});
    expect(withScope(diagnostics)).toEqual(c.expected);
  });

  it.each(cases.map((c, i) => [`${c.rule} #${i}`, c] as const))('%s: the passing fixture is clean', (_name, c) => {
    expect(located(validateFiles(c.pass, c.env ? { env: c.env } : {}))).toEqual([]);
  });
});

describe('hints and whole-run behaviour', () => {
  it('suggests the closest declared name for near misses', () => {
    const diagnostics = validateFiles({
      'connections/google.yaml': 'name: google-oauth2\nstrategy: google-oauth2\n',
      [APP]: 'name: A\napp_type: spa\ncallbakcs: []\nconnections: [google-oauth]\n',
    });
    expect(diagnostics.map((d) => [d.rule, d.hint])).toEqual([
      ['unknown-field', 'did you mean "callbacks"?'],
      ['unknown-connection', 'did you mean "google-oauth2"?'],
    ]);
  });

  it('explains how to manage a built-in connection that is not declared', () => {
    const [diagnostic] = validateFiles({ [APP]: 'name: A\napp_type: spa\nconnections: [Username-Password-Authentication]\n' });
    expect(diagnostic?.hint).toMatch(/just name and strategy/);
  });

  it('keeps checking the other files when one does not parse, and reports each file once', () => {
    const diagnostics = validateFiles({
      'applications/a.yaml': 'name: "A\napp_type: spa\n',
      'applications/b.yaml': 'name: B\napp_type: spa\ntoken_endpoint_auth_method: client_secret_basic\n',
    });
    expect(located(diagnostics)).toEqual(['tenant/applications/a.yaml:1:7 yaml-syntax', 'tenant/applications/b.yaml:3:29 spa-auth-method']);
  });

  it('still checks schemas when tenant.yaml declares no usable environment', () => {
    const diagnostics = validateFiles({ 'tenant.yaml': 'environments: {}\n', [APP]: 'name: A\napp_type: web\n' });
    expect(located(diagnostics)).toEqual(['tenant/applications/app.yaml:2:11 invalid-value', 'tenant/tenant.yaml:1:15 invalid-value']);
  });
});

describe('hostile input', () => {
  it('reports a __proto__ key as an unknown field instead of letting it change the object', () => {
    expect(located(validateFiles({ [APP]: 'name: A\napp_type: spa\n__proto__:\n  polluted: true\n' }))).toEqual(['tenant/applications/app.yaml:3:1 unknown-field']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses alias bombs with a diagnostic', () => {
    const bomb = 'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n';
    expect(located(validateFiles({ [APP]: bomb }))).toEqual(['tenant/applications/app.yaml:1:1 yaml-syntax']);
  });
});
