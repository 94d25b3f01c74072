// The pure planner on plain objects: actions, normalization, ownership, system objects and update shapes.
import { describe, expect, it } from 'vitest';
import type { TenantSnapshot } from '../../src/model/snapshot.js';
import { OWN_CLIENT_ID as OWN_ID, tenantSnapshot } from '../support/snapshot.js';
import type { DesiredObject, Kind } from '../../src/model/types.js';
import { computePlan, resolveSensitiveValues, type Change, type PlanOptions } from '../../src/plan/index.js';

const DOMAIN = 'acme.eu.auth0.com';
const at = { file: 'tenant/x.yaml', line: 1, column: 1 };

function desired(kind: Kind, key: string, fields: Record<string, unknown>): DesiredObject {
  return { kind, key, fields, at };
}
const app = (name: string, fields: Record<string, unknown> = {}) => desired('application', name, { name, ...fields });
const conn = (name: string, fields: Record<string, unknown> = {}) =>
  desired('connection', name, { name, strategy: 'auth0', enabled_clients: [], ...fields });
const api = (identifier: string, fields: Record<string, unknown> = {}) => desired('api', identifier, { identifier, ...fields });
const grant = (client: string, audience: string, scope: string[]) =>
  desired('grant', `${client} -> ${audience}`, { client, audience, scope });

const marker = { managed_by: 'tenantctl' };
const snapshot = (parts: Partial<TenantSnapshot> = {}): TenantSnapshot => tenantSnapshot(parts, DOMAIN);


const options: PlanOptions = {
  undeclared: { applications: 'managed', connections: 'managed', apis: 'ignore', grants: 'managed' },
  environment: 'dev',
  domain: DOMAIN,
  configHash: 'sha256:config',
};

function only(changes: Change[], kind: string, key: string): Change {
  const found = changes.filter((change) => change.kind === kind && change.key === key);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('plan: actions', () => {
  it('creates a missing application with the full desired body and the ownership marker', () => {
    const result = computePlan([app('Web', { app_type: 'spa', callbacks: ['https://a.example/cb'] })], snapshot(), options);
    const change = only(result.changes, 'application', 'Web');
    expect(change.action).toBe('create');
    expect(change.payload).toEqual({
      name: 'Web',
      app_type: 'spa',
      callbacks: ['https://a.example/cb'],
      client_metadata: marker,
    });
    expect(change.fields.map((field) => field.path)).toEqual(['app_type', 'callbacks', 'name', 'client_metadata.managed_by']);
    expect(result.summary).toMatchObject({ add: 1, change: 0, destroy: 0, replace: 0 });
  });

  it('plans nothing for an object that already matches', () => {
    const live = snapshot({ clients: [{ client_id: 'c1', name: 'Web', app_type: 'spa', callbacks: ['https://a.example/cb'], client_metadata: marker }] });
    const result = computePlan([app('Web', { app_type: 'spa', callbacks: ['https://a.example/cb'] })], live, options);
    expect(result.changes).toEqual([]);
    expect(result.summary).toEqual({ add: 0, change: 0, destroy: 0, replace: 0, unchanged: 1 });
  });

  it('updates only the changed fields and sends only those', () => {
    const live = snapshot({
      clients: [{ client_id: 'c1', name: 'Web', description: 'old', app_type: 'spa', client_metadata: marker }],
    });
    const result = computePlan([app('Web', { description: 'new', app_type: 'spa' })], live, options);
    const change = only(result.changes, 'application', 'Web');
    expect(change.action).toBe('update');
    expect(change.id).toBe('c1');
    expect(change.fields).toEqual([{ path: 'description', before: 'old', after: 'new' }]);
    expect(change.payload).toEqual({ description: 'new' });
    expect(change.unchanged).toBe(2);
  });

  it('replaces a connection whose strategy changed, with the reason', () => {
    const live = snapshot({ connections: [{ id: 'con_1', name: 'Corp', strategy: 'auth0', metadata: marker }], enabledClients: { con_1: [] } });
    const result = computePlan([conn('Corp', { strategy: 'google-oauth2' })], live, options);
    const change = only(result.changes, 'connection', 'Corp');
    expect(change.action).toBe('replace');
    expect(change.id).toBe('con_1');
    expect(change.reason).toMatch(/strategy cannot change in place/);
    expect(change.reason).toMatch(/deletes its users/);
    expect(change.fields).toEqual([{ path: 'strategy', before: 'auth0', after: 'google-oauth2', forcesReplacement: true }]);
    expect(change.payload).toEqual({ name: 'Corp', strategy: 'google-oauth2', metadata: marker });
    expect(change.requiresAllowDelete).toBe(true);
    expect(result.summary).toMatchObject({ add: 1, change: 0, destroy: 1, replace: 1 });
  });

  it('shows a renamed connection as delete + create (the name is the key)', () => {
    const live = snapshot({ connections: [{ id: 'con_1', name: 'Old', strategy: 'auth0', metadata: marker }] });
    const result = computePlan([conn('New')], live, options);
    expect(result.changes.map((change) => [change.action, change.key])).toEqual([
      ['create', 'New'],
      ['delete', 'Old'],
    ]);
    expect(result.changes[1]).toMatchObject({ id: 'con_1', requiresAllowDelete: true, payload: null });
  });

  it('updates grant scopes as a set and creates grants naming their application', () => {
    const live = snapshot({
      clients: [{ client_id: 'c1', name: 'Worker', client_metadata: marker }],
      resourceServers: [{ id: 'rs1', identifier: 'https://api.example', name: 'API' }],
      clientGrants: [{ id: 'cgr_1', client_id: 'c1', audience: 'https://api.example', scope: ['b', 'a'], subject_type: 'client' }],
    });
    const same = computePlan([app('Worker'), api('https://api.example', { name: 'API' }), grant('Worker', 'https://api.example', ['a', 'b'])], live, options);
    expect(same.changes).toEqual([]);
    const changed = computePlan([app('Worker'), api('https://api.example', { name: 'API' }), grant('Worker', 'https://api.example', ['a', 'c'])], live, options);
    const change = only(changed.changes, 'grant', 'Worker -> https://api.example');
    expect(change).toMatchObject({ action: 'update', id: 'cgr_1', payload: { scope: ['a', 'c'] } });
    expect(change.fields[0]).toMatchObject({ path: 'scope', added: ['c'], removed: ['b'] });

    const created = computePlan([app('Fresh'), grant('Fresh', 'https://api.example', ['a'])], live, options);
    const createGrant = only(created.changes, 'grant', 'Fresh -> https://api.example');
    expect(createGrant.payload).toEqual({ client: 'Fresh', audience: 'https://api.example', scope: ['a'] });
    expect(createGrant.dependsOn).toEqual(['application:Fresh']);
  });

  it('keys grants by subject type: a live user grant beside the declared client grant is neither rewritten nor a duplicate', () => {
    const live = snapshot({
      clients: [{ client_id: 'c1', name: 'Worker' }],
      resourceServers: [{ id: 'rs1', identifier: 'https://api.example', name: 'API' }],
      clientGrants: [
        { id: 'cgr_user', client_id: 'c1', audience: 'https://api.example', scope: ['profile:read'], subject_type: 'user' },
        { id: 'cgr_client', client_id: 'c1', audience: 'https://api.example', scope: ['a'], subject_type: 'client' },
      ],
    });
    const result = computePlan([app('Worker'), api('https://api.example', { name: 'API' }), grant('Worker', 'https://api.example', ['a', 'b'])], live, options);
    expect(result.skipped).toEqual([]);
    expect(result.changes.map((change) => `${change.action} ${change.kind}:${change.key} ${change.id ?? ''}`)).toEqual([
      'update grant:Worker -> https://api.example cgr_client',
    ]);

    const userGrant = desired('grant', 'Worker -> https://api.example [user]', { client: 'Worker', audience: 'https://api.example', scope: ['profile:write'], subject_type: 'user' });
    const both = computePlan([app('Worker'), api('https://api.example', { name: 'API' }), grant('Worker', 'https://api.example', ['a']), userGrant], live, options);
    expect(both.changes.map((change) => `${change.action} ${change.kind}:${change.key} ${change.id ?? ''}`)).toEqual([
      'update grant:Worker -> https://api.example [user] cgr_user',
    ]);
  });

  it('creates a user-access grant with its subject type and deletes an undeclared one of a managed application like any grant', () => {
    const live = snapshot({
      clients: [{ client_id: 'c1', name: 'Worker', client_metadata: marker }],
      resourceServers: [{ id: 'rs1', identifier: 'https://api.example', name: 'API' }],
      clientGrants: [{ id: 'cgr_user', client_id: 'c1', audience: 'https://api.example', scope: [], subject_type: 'user' }],
    });
    const created = computePlan([app('Worker'), grant('Worker', 'https://api.example', ['a'])], live, options);
    expect(created.changes.map((change) => `${change.action} ${change.kind}:${change.key}`)).toEqual([
      'create grant:Worker -> https://api.example',
      'delete grant:Worker -> https://api.example [user]',
    ]);
    expect(only(created.changes, 'grant', 'Worker -> https://api.example').payload).toEqual({ client: 'Worker', audience: 'https://api.example', scope: ['a'] });
    const ignored = computePlan([app('Worker'), grant('Worker', 'https://api.example', ['a'])], live, { ...options, undeclared: { ...options.undeclared, grants: 'ignore' } });
    expect(ignored.changes.map((change) => change.action)).toEqual(['create']);
  });
});

describe('plan: normalization', () => {
  it('compares set-valued lists as sets and reports added and removed elements', () => {
    const live = snapshot({
      clients: [{ client_id: 'c1', name: 'Web', callbacks: ['https://b.example/cb', 'https://c.example/cb'], web_origins: ['https://x.example', 'https://y.example'], client_metadata: marker }],
    });
    const result = computePlan(
      [app('Web', { callbacks: ['https://c.example/cb', 'https://a.example/cb'], web_origins: ['https://y.example', 'https://x.example'] })],
      live,
      options,
    );
    const change = only(result.changes, 'application', 'Web');
    expect(change.fields).toHaveLength(1);
    expect(change.fields[0]).toMatchObject({ path: 'callbacks', added: ['https://a.example/cb'], removed: ['https://b.example/cb'] });
    expect(change.payload).toEqual({ callbacks: ['https://c.example/cb', 'https://a.example/cb'] });
  });

  it('treats a declared value equal to the server default as no change when the live object omits it', () => {
    const live = snapshot({
      clients: [{ client_id: 'c1', name: 'Spa', app_type: 'spa', client_metadata: marker }],
      resourceServers: [{ id: 'rs1', identifier: 'https://api.example', name: 'API' }],
      clientGrants: [{ id: 'cgr_1', client_id: 'c1', audience: 'https://api.example', scope: ['a'] }],
    });
    const result = computePlan(
      [
        app('Spa', {
          app_type: 'spa',
          grant_types: ['refresh_token', 'authorization_code', 'implicit'],
          token_endpoint_auth_method: 'none',
          oidc_conformant: false,
          jwt_configuration: { lifetime_in_seconds: 36000 },
          refresh_token: { rotation_type: 'non-rotating' },
        }),
        api('https://api.example', { name: 'API', token_lifetime: 86400, signing_alg: 'RS256', allow_offline_access: false }),
        desired('grant', 'Spa -> https://api.example', { client: 'Spa', audience: 'https://api.example', scope: ['a'], subject_type: 'client' }),
      ],
      live,
      options,
    );
    expect(result.changes).toEqual([]);
  });

  it('uses the app_type of the live client for grant_types defaults', () => {
    const live = snapshot({ clients: [{ client_id: 'c1', name: 'Srv', app_type: 'regular_web', client_metadata: marker }] });
    const result = computePlan([app('Srv', { grant_types: ['authorization_code', 'implicit', 'refresh_token'] })], live, options);
    expect(only(result.changes, 'application', 'Srv').fields[0]).toMatchObject({ path: 'grant_types', removed: ['client_credentials'] });
  });

  it('ignores read-only fields and fields the config does not declare', () => {
    const live = snapshot({
      clients: [{ client_id: 'c1', name: 'Web', tenant: 'acme', signing_keys: [{ cert: 'x' }], description: 'hand-made', logo_uri: 'https://l', client_metadata: marker }],
    });
    const result = computePlan([app('Web', { client_id: 'something-else', tenant: 'other', global: false })], live, options);
    expect(result.changes).toEqual([]);
  });

  it('compares nested objects field by field and sends the merged object', () => {
    const live = snapshot({
      connections: [{ id: 'con_1', name: 'DB', strategy: 'auth0', options: { mfa: { active: true }, passwordPolicy: 'good', brute_force_protection: true }, metadata: marker }],
      enabledClients: { con_1: [] },
    });
    const same = computePlan([conn('DB', { options: { passwordPolicy: 'good' } })], live, options);
    expect(same.changes).toEqual([]);
    const result = computePlan([conn('DB', { options: { passwordPolicy: 'excellent', mfa: { active: true } } })], live, options);
    const change = only(result.changes, 'connection', 'DB');
    expect(change.fields).toEqual([{ path: 'options.passwordPolicy', before: 'good', after: 'excellent' }]);
    expect(change.unchanged).toBe(3); // name, strategy, options.mfa.active
    expect(change.payload).toEqual({ options: { mfa: { active: true }, passwordPolicy: 'excellent', brute_force_protection: true } });
  });

  it('sends update bodies in Auth0\'s update shape: merged objects only changed, never a create-only member', () => {
    const live = snapshot({
      clients: [
        {
          client_id: 'c1',
          name: 'Web',
          client_metadata: marker,
          // What every client read returns; secret_encoded is refused in a PATCH (Auth0's update schema lacks it).
          jwt_configuration: { secret_encoded: false, lifetime_in_seconds: 36000, alg: 'HS256' },
          refresh_token: { rotation_type: 'non-rotating', expiration_type: 'non-expiring', leeway: 0, token_lifetime: 2592000 },
        },
      ],
    });
    const result = computePlan(
      [app('Web', { jwt_configuration: { alg: 'RS256', lifetime_in_seconds: 36000 }, refresh_token: { leeway: 10 } })],
      live,
      options,
    );
    const change = only(result.changes, 'application', 'Web');
    expect(change.payload).toEqual({
      // Auth0 merges jwt_configuration: only the changed member goes out.
      jwt_configuration: { alg: 'RS256' },
      // refresh_token needs rotation_type and expiration_type in every PATCH: sent whole.
      refresh_token: { rotation_type: 'non-rotating', expiration_type: 'non-expiring', leeway: 10, token_lifetime: 2592000 },
    });
  });

  it('compares API scopes as a set keyed by value', () => {
    const live = snapshot({
      resourceServers: [{ id: 'rs1', identifier: 'https://api.example', scopes: [{ value: 'read', description: 'Read' }, { value: 'write', description: 'Write' }] }],
    });
    const same = computePlan([api('https://api.example', { scopes: [{ value: 'write', description: 'Write' }, { value: 'read', description: 'Read' }] })], live, options);
    expect(same.changes).toEqual([]);
    const inOrder = computePlan([api('https://api.example', { scopes: [{ value: 'read', description: 'Read' }, { value: 'write', description: 'Write' }] })], live, options);
    expect(inOrder.changes).toEqual([]);
    const result = computePlan([api('https://api.example', { scopes: [{ value: 'read', description: 'Read all' }, { value: 'write', description: 'Write' }] })], live, options);
    const change = only(result.changes, 'api', 'https://api.example');
    // A kept scope whose description changed is shown as that member's change, not as remove + add.
    expect(change.fields).toEqual([{ path: 'scopes[read].description', before: 'Read', after: 'Read all' }]);
    // Auth0 replaces the scope list, so the update sends the whole declared list.
    expect(change.payload).toEqual({ scopes: [{ value: 'read', description: 'Read all' }, { value: 'write', description: 'Write' }] });
    const renamed = computePlan([api('https://api.example', { scopes: [{ value: 'read', description: 'Read' }, { value: 'delete', description: 'Delete' }] })], live, options);
    expect(only(renamed.changes, 'api', 'https://api.example').fields).toMatchObject([
      { path: 'scopes', added: [{ value: 'delete', description: 'Delete' }], removed: [{ value: 'write', description: 'Write' }] },
    ]);
  });
});

describe('plan: ownership and system objects', () => {
  it('adopts a declared object without the marker with its next update, as a visible field change', () => {
    const live = snapshot({ clients: [{ client_id: 'c1', name: 'Web', client_metadata: { team: 'x' } }] });
    expect(computePlan([app('Web')], live, options).changes).toEqual([]);
    const result = computePlan([app('Web', { description: 'new' })], live, options);
    const change = only(result.changes, 'application', 'Web');
    expect(change.action).toBe('update');
    expect(change.reason).toMatch(/^adopted/);
    expect(change.fields).toEqual([
      { path: 'description', before: null, after: 'new' },
      { path: 'client_metadata.managed_by', before: null, after: 'tenantctl' },
    ]);
    expect(change.payload).toEqual({ description: 'new', client_metadata: { team: 'x', managed_by: 'tenantctl' } });
  });

  it('never writes system objects that the config declares, and says why', () => {
    const result = computePlan(
      [app('All Applications', { description: 'x' }), app('tenantctl deployer', { description: 'x' }), api(`https://${DOMAIN}/api/v2/`, { name: 'x' })],
      snapshot(),
      options,
    );
    expect(result.changes).toEqual([]);
    expect(result.skipped.map((item) => [item.kind, item.key])).toEqual([
      ['api', `https://${DOMAIN}/api/v2/`],
      ['application', 'All Applications'],
      ['application', 'tenantctl deployer'],
    ]);
    expect(result.skipped[1]!.reason).toMatch(/global client/);
    expect(result.skipped[2]!.reason).toMatch(/own client/);
  });

  it('deletes only what the undeclared policy allows, never system objects', () => {
    const live = snapshot({
      clients: [
        { client_id: 'm1', name: 'Managed old', client_metadata: marker },
        { client_id: 'h1', name: 'Hand made' },
      ],
      connections: [{ id: 'con_m', name: 'Managed conn', strategy: 'auth0', metadata: marker }, { id: 'con_h', name: 'Hand conn', strategy: 'auth0' }],
      resourceServers: [{ id: 'rs1', identifier: 'https://old.example' }],
      clientGrants: [
        { id: 'cgr_m', client_id: 'm1', audience: 'https://old.example', scope: [] },
        { id: 'cgr_h', client_id: 'h1', audience: 'https://old.example', scope: [] },
        { id: 'cgr_sys', client_id: 'h1', audience: 'https://x', is_system: true },
      ],
    });
    const deletes = (policy: PlanOptions['undeclared']) =>
      computePlan([], live, { ...options, undeclared: policy })
        .changes.filter((change) => change.action === 'delete')
        .map((change) => `${change.kind}:${change.key}`);

    expect(deletes({ applications: 'managed', connections: 'managed', apis: 'managed', grants: 'managed' })).toEqual([
      'connection:Managed conn',
      'application:Managed old',
    ]);
    expect(deletes({ applications: 'all', connections: 'all', apis: 'all', grants: 'all' })).toEqual([
      'connection:Hand conn',
      'connection:Managed conn',
      'application:Hand made',
      'application:Managed old',
      'api:https://old.example',
    ]);
    expect(deletes({ applications: 'ignore', connections: 'ignore', apis: 'ignore', grants: 'all' })).toEqual([
      'grant:Hand made -> https://old.example',
      'grant:Managed old -> https://old.example',
    ]);
    expect(deletes({ applications: 'ignore', connections: 'ignore', apis: 'ignore', grants: 'ignore' })).toEqual([]);
  });
});

describe('plan: enablement', () => {
  const live = snapshot({
    clients: [
      { client_id: 'a1', name: 'Declared', client_metadata: marker },
      { client_id: 'a2', name: 'Managed leftover', client_metadata: marker },
      { client_id: 'a3', name: 'Hand made' },
    ],
    connections: [{ id: 'con_1', name: 'DB', strategy: 'auth0', metadata: marker }],
    enabledClients: { con_1: ['a2', 'a3', OWN_ID] },
  });

  it('adds declared apps and removes managed ones, leaving other clients alone', () => {
    const result = computePlan([app('Declared'), app('New'), conn('DB', { enabled_clients: ['Declared', 'New'] })], live, options);
    const change = only(result.changes, 'enablement', 'DB');
    expect(change).toMatchObject({ action: 'update', id: 'con_1', payload: { add: ['Declared', 'New'], remove: ['Managed leftover'] } });
    expect(change.dependsOn).toEqual(['application:New']);
    expect(change.fields[0]).toMatchObject({ path: 'enabled_clients', added: ['Declared', 'New'], removed: ['Managed leftover'] });
  });

  it('starts from an empty set for a connection being created', () => {
    const result = computePlan([app('Declared'), conn('Fresh', { enabled_clients: ['Declared'] })], live, options);
    const change = only(result.changes, 'enablement', 'Fresh');
    expect(change.payload).toEqual({ add: ['Declared'], remove: [] });
    expect(change.dependsOn).toEqual(['connection:Fresh']);
    expect(change.id).toBeUndefined();
  });

  it('plans no enablement change when the declared set matches', () => {
    const result = computePlan([app('Managed leftover'), conn('DB', { enabled_clients: ['Managed leftover'] })], live, options);
    expect(result.changes.filter((change) => change.kind === 'enablement')).toEqual([]);
  });
});

describe('plan: ordering and dependencies', () => {
  it('orders creates and updates by kind, then deletes in reverse', () => {
    const live = snapshot({
      clients: [{ client_id: 'old', name: 'Old app', client_metadata: marker }, { client_id: 'x1', name: 'Zed', description: 'a', client_metadata: marker }],
      connections: [{ id: 'con_old', name: 'Old conn', strategy: 'auth0', metadata: marker }],
      clientGrants: [{ id: 'cgr_x', client_id: 'x1', audience: 'https://gone.example', scope: [] }],
    });
    const result = computePlan(
      [
        grant('Zed', 'https://b.example', ['s']),
        conn('C', { enabled_clients: ['A'] }),
        app('Zed', { description: 'b' }),
        app('A'),
        api('https://b.example'),
      ],
      live,
      options,
    );
    expect(result.changes.map((change) => `${change.action} ${change.kind}:${change.key}`)).toEqual([
      'create api:https://b.example',
      'create application:A',
      'update application:Zed',
      'create connection:C',
      'update enablement:C',
      'create grant:Zed -> https://b.example',
      'delete grant:Zed -> https://gone.example',
      'delete connection:Old conn',
      'delete application:Old app',
    ]);
    expect(only(result.changes, 'grant', 'Zed -> https://b.example').dependsOn).toEqual(['api:https://b.example']);
    expect(only(result.changes, 'enablement', 'C').dependsOn).toEqual(['connection:C', 'application:A']);
  });

  it('does not plan separate deletes for grants of an application being deleted', () => {
    const live = snapshot({
      clients: [{ client_id: 'old', name: 'Old app', client_metadata: marker }],
      clientGrants: [{ id: 'cgr_1', client_id: 'old', audience: 'https://a.example', scope: [] }],
    });
    const result = computePlan([], live, options);
    expect(result.changes.map((change) => change.kind)).toEqual(['application']);
  });

  it('is deterministic whatever the input order', () => {
    const objects = [app('B'), app('A'), api('https://z.example'), conn('C', { enabled_clients: ['B', 'A'] })];
    const first = computePlan(objects, snapshot(), options);
    const second = computePlan([...objects].reverse(), snapshot(), options);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });
});

describe('plan: secrets and fingerprint', () => {
  const secret = 'S3cr3t-value-that-must-not-leak';

  it('keeps secrets out of the plan, with placeholders that apply can resolve', () => {
    const live = snapshot({
      connections: [{ id: 'con_g', name: 'Google', strategy: 'google-oauth2', options: { client_id: 'gid', client_secret: 'old-secret', scope: ['email'] }, metadata: marker }],
    });
    const wanted = conn('Google', { strategy: 'google-oauth2', options: { client_secret: secret, allowed_audiences: ['x'] } });
    const result = computePlan([wanted], live, options);
    const text = JSON.stringify(result);
    expect(text).not.toContain(secret);
    expect(text).not.toContain('old-secret');
    const change = only(result.changes, 'connection', 'Google');
    expect(change.fields).toContainEqual({ path: 'options.client_secret', sensitive: true });
    const body = resolveSensitiveValues(change.payload!, { desired: wanted.fields, live: live.connections[0] });
    expect(body).toEqual({ options: { client_id: 'gid', client_secret: secret, scope: ['email'], allowed_audiences: ['x'] } });
  });

  it('changes the fingerprint when a relevant live object changes, not when an unrelated one does', () => {
    const base = { clients: [{ client_id: 'c1', name: 'Web', client_metadata: marker }, { client_id: 'h1', name: 'Hand made' }] };
    const fingerprint = (parts: Partial<TenantSnapshot>) => computePlan([app('Web')], snapshot(parts), options).live_fingerprint;
    const original = fingerprint(base);
    expect(fingerprint(base)).toBe(original);
    expect(original).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(fingerprint({ clients: [{ ...base.clients[0]!, description: 'changed' }, base.clients[1]!] })).not.toBe(original);
    expect(fingerprint({ clients: [base.clients[0]!, { ...base.clients[1]!, description: 'changed' }] })).toBe(original);
  });
});

describe('plan: convergence', () => {
  it('plans no changes once the created objects exist as Auth0 returns them', () => {
    const config = [
      app('Web', { app_type: 'spa', callbacks: ['https://a.example/cb', 'https://b.example/cb'], jwt_configuration: { lifetime_in_seconds: 3600 } }),
      app('Worker', { app_type: 'non_interactive', client_metadata: { team: 'core' } }),
      conn('Users', { options: { passwordPolicy: 'fair' }, enabled_clients: ['Web'] }),
      conn('Google', { strategy: 'google-oauth2', options: { client_id: 'gid', client_secret: 'sssh' }, enabled_clients: ['Web', 'Worker'] }),
      api('https://api.example', { name: 'API', scopes: [{ value: 'read', description: 'Read' }] }),
      grant('Worker', 'https://api.example', ['read']),
    ];
    const first = computePlan(config, snapshot(), options);
    expect(first.changes).toHaveLength(8);

    // Play the plan as Auth0 would: ids assigned, secrets filled in, defaults added by the server.
    const created = snapshot();
    const idOf = new Map<string, string>();
    for (const change of first.changes) {
      const source = config.find((object) => object.kind === change.kind && object.key === change.key);
      if (change.kind === 'enablement') continue;
      const body = resolveSensitiveValues(change.payload!, { desired: source!.fields });
      const id = `${change.kind}-${idOf.size}`;
      idOf.set(change.key, id);
      if (change.kind === 'application') created.clients.push({ client_id: id, ...body, grant_types: ['authorization_code'], tenant: 'acme' });
      if (change.kind === 'connection') created.connections.push({ id, ...body, realms: [change.key], is_domain_connection: false });
      if (change.kind === 'api') created.resourceServers.push({ id, ...body, token_lifetime: 86400, signing_alg: 'RS256' });
      if (change.kind === 'grant') {
        const { client, ...rest } = body;
        created.clientGrants.push({ id, client_id: idOf.get(String(client)), ...rest, subject_type: 'client' });
      }
    }
    for (const change of first.changes.filter((candidate) => candidate.kind === 'enablement')) {
      const names = (change.payload as { add: string[] }).add;
      created.enabledClients[idOf.get(change.key)!] = names.map((name) => idOf.get(name)!);
    }
    const second = computePlan(config, created, options);
    expect(second.changes).toEqual([]);
    expect(second.summary.unchanged).toBe(6);
  });
});

describe('plan: enablement of new applications under flags.enable_client_connections', () => {
  const live = (flag: boolean | null) =>
    snapshot({
      connections: [
        { id: 'con_db', name: 'db', strategy: 'auth0' },
        { id: 'con_hr', name: 'employees', strategy: 'auth0' },
      ],
      enabledClients: { con_db: [], con_hr: [] },
      enableClientConnections: flag,
    });
  const config = [app('New'), conn('db', { enabled_clients: ['New'] })];
  const lines = (flag: boolean | null) =>
    computePlan(config, live(flag), options)
      .changes.filter((change) => change.kind === 'enablement')
      .map((change) => `${change.key} +${(change.payload as { add: string[] }).add.join(',')} -${(change.payload as { remove: string[] }).remove.join(',')} after ${change.dependsOn.join(',')}`);

  it('flag on: Auth0 enables the new application everywhere, so tenantctl only removes it where the config does not list it', () => {
    expect(lines(true)).toEqual(['employees + -New after application:New']);
  });
  it('flag off: only the listed connection is enabled', () => {
    expect(lines(false)).toEqual(['db +New - after application:New']);
  });
  it('flag unknown: tenantctl adds the listed connection and removes the others in case Auth0 enabled them', () => {
    expect(lines(null)).toEqual(['db +New - after application:New', 'employees + -New after application:New']);
  });
});

describe('plan: a kind the token could not read', () => {
  it('skips declared organizations, saying which scope is missing, and plans nothing for them', () => {
    const unread = { ...snapshot(), organizations: undefined };
    const result = computePlan([desired('organization', 'acme', { name: 'acme' })], unread, options);
    expect(result.changes).toEqual([]);
    expect(result.skipped).toEqual([{ kind: 'organization', key: 'acme', reason: 'organizations were not read: the token lacks read:organizations; grant it to manage them' }]);
  });
});
