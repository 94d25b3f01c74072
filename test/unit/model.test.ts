// The model's rules: secret masking, canonical JSON, and how a snapshot becomes live objects (system objects, enablement,
// fingerprint).
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalWriter, sortTexts } from '../../src/model/canonical.js';
import { isSensitive, maskSecrets } from '../../src/model/sensitive.js';
import { fingerprintLive, liveByRef, toLiveObjects, type TenantSnapshot } from '../../src/model/snapshot.js';

describe('sensitive field rule', () => {
  it.each([
    ['client_secret', 'x'],
    ['password', 'x'],
    ['servicePassword', 'x'],
    ['private_key', 'x'],
    ['privateKey', 'x'],
    ['access_token', 'x'],
    ['twilio_token', 'x'],
    ['refresh_token', 'x'],
    ['key', 'x'],
    ['api_key', 'x'],
    ['sasKey', 'x'],
    ['signing_secret', 'x'],
    ['consumer_secret', 42],
    ['app_secret', ['a', 'b']],
  ])('masks %s', (name, value) => {
    expect(isSensitive(name, value)).toBe(true);
  });

  it.each([
    ['token_lifetime', 86400],
    ['token_lifetime_for_web', 7200],
    ['idle_token_lifetime', 1],
    ['token_endpoint_auth_method', 'client_secret_post'],
    ['refresh_token', { rotation_type: 'rotating' }],
    ['secret_encoded', false],
    ['password', { enabled: true }],
    ['passwordPolicy', 'good'],
    ['password_history', { enable: true, size: 5 }],
    ['name', 'x'],
    ['client_id', 'x'],
    ['signing_keys', [{ cert: 'x' }]],
  ])('does not mask %s', (name, value) => {
    expect(isSensitive(name, value)).toBe(false);
  });

  it('masks secrets at any depth and keeps settings objects readable', () => {
    expect(
      maskSecrets({
        options: { client_secret: 's1', nested: [{ password: 's2' }], authentication_methods: { password: { enabled: true } } },
        refresh_token: { token_lifetime: 5 },
      }),
    ).toEqual({
      options: { client_secret: '(sensitive)', nested: [{ password: '(sensitive)' }], authentication_methods: { password: { enabled: true } } },
      refresh_token: { token_lifetime: 5 },
    });
  });
});

describe('toLiveObjects', () => {
  const domain = 'acme.auth0.com';
  const snapshot: TenantSnapshot = {
    domain,
    ownClientId: 'own',
    clients: [
      { client_id: 'g', name: 'All Applications', global: true },
      { client_id: 'own', name: 'deployer', client_metadata: { managed_by: 'tenantctl' } },
      { client_id: 'm', name: 'Managed', client_metadata: { managed_by: 'tenantctl' } },
      { client_id: 'h', name: 'Hand', client_metadata: { managed_by: 'someone-else' } },
    ],
    connections: [
      { id: 'con_1', name: 'DB', strategy: 'auth0', metadata: { managed_by: 'tenantctl' }, enabled_clients: ['stale'] },
      { id: 'con_2', name: 'Social', strategy: 'github', enabled_clients: ['m'] },
    ],
    enabledClients: { con_1: ['m', 'h', 'unknown-id'] },
    resourceServers: [
      { id: 'rs0', identifier: `https://${domain}/api/v2/`, name: 'Auth0 Management API' },
      { id: 'rs1', identifier: 'https://sys.example', is_system: true },
      { id: 'rs2', identifier: 'https://api.example' },
    ],
    clientGrants: [
      { id: 'cgr_own', client_id: 'own', audience: 'https://api.example' },
      { id: 'cgr_sys', client_id: 'h', audience: 'https://sys.example', is_system: true },
      { id: 'cgr_m', client_id: 'm', audience: 'https://api.example' },
      { id: 'cgr_h', client_id: 'h', audience: 'https://api.example' },
    ],
  };
  const live = toLiveObjects(snapshot);
  const find = (kind: string, key: string) => live.find((object) => object.kind === kind && object.key === key)!;

  it('flags system objects: global client, own client and its grants, system APIs and grants', () => {
    const flags = live.map((object) => `${object.kind}:${object.key}:${object.system ? 'system' : object.managed ? 'managed' : 'unmanaged'}`);
    expect(flags).toEqual([
      'application:All Applications:system',
      'application:deployer:system',
      'application:Managed:managed',
      'application:Hand:unmanaged',
      'connection:DB:managed',
      'connection:Social:unmanaged',
      `api:https://${domain}/api/v2/:system`,
      'api:https://sys.example:system',
      'api:https://api.example:unmanaged',
      'grant:deployer -> https://api.example:system',
      'grant:Hand -> https://sys.example:system',
      'grant:Managed -> https://api.example:managed',
      'grant:Hand -> https://api.example:unmanaged',
    ]);
  });

  it('turns the enablement read into sorted application names and drops the deprecated field otherwise', () => {
    expect(find('connection', 'DB').fields.enabled_clients).toEqual(['Hand', 'Managed', 'unknown-id']);
    expect(find('connection', 'Social').fields).not.toHaveProperty('enabled_clients');
    expect(find('grant', 'Managed -> https://api.example').id).toBe('cgr_m');
  });

  it('fingerprints the scoped objects independently of their order', () => {
    const scope = ['application:Managed', 'application:Missing'];
    const reversed = toLiveObjects({ ...snapshot, clients: [...snapshot.clients].reverse() });
    expect(fingerprintLive(liveByRef(reversed), scope)).toBe(fingerprintLive(liveByRef(live), [...scope].reverse()));
    expect(fingerprintLive(liveByRef(live), scope)).not.toBe(fingerprintLive(liveByRef(live), ['application:Managed']));
  });

  it('fingerprints as earlier versions did, so a plan saved by one of them is not taken for stale', () => {
    const scope = ['application:Managed', 'application:Missing', 'connection:DB', 'grant:Managed -> https://api.example', 'api:https://api.example'];
    // The value tenantctl computed for this tenant and scope before the fingerprint was made faster.
    expect(fingerprintLive(liveByRef(live), scope)).toBe('sha256:f35be9487994cffb96b4964fd273ab9b86d1e7307e1b8d6f83e53a59773c790e');
  });
});

describe('canonical JSON', () => {
  it('writes the same text for the same data in any key order, however many values one writer has seen', () => {
    const writer = canonicalWriter();
    const values = [
      { b: 1, a: { d: [1, { y: 2, x: undefined, w: null }], c: 'é' } },
      { a: { c: 'é', d: [1, { w: null, y: 2 }] }, b: 1 },
      { b: 1, a: 2, c: 3 },
      { b: 1 },
      { 10: 'ten', 9: 'nine', z: [undefined], '': 0 },
    ];
    const texts = values.map((value) => writer.json(value));
    expect(texts).toEqual(values.map(canonicalJson));
    expect(texts.slice(0, 4)).toEqual(['{"a":{"c":"é","d":[1,{"w":null,"y":2}]},"b":1}', '{"a":{"c":"é","d":[1,{"w":null,"y":2}]},"b":1}', '{"a":2,"b":1,"c":3}', '{"b":1}']);
    expect(texts[4]).toBe('{"9":"nine","10":"ten","":0,"z":[null]}');
  });

  it('sorts texts in code-unit order, short lists and long ones alike', () => {
    // U+FF5A comes after the surrogates of U+1F600 in code units, before it in code points.
    const texts = ['ｚ', '😀', 'a', 'B', '', 'é', 'aa', 'a b'];
    expect(sortTexts([...texts])).toEqual(['', 'B', 'a', 'a b', 'aa', 'é', '😀', 'ｚ']);
    const many = Array.from({ length: 40 }, (_, index) => `${texts[index % texts.length]}${39 - index}`);
    expect(sortTexts([...many])).toEqual([...many].sort());
    expect(sortTexts(many.slice(0, 16))).toEqual(many.slice(0, 16).sort());
  });
});
