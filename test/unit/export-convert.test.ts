// Unit tests of export's conversion: defaults and read-only fields left out, secrets never written, unique
// slugs, schema pruning, and the in-process round trip export -> load -> plan with no changes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigFromSource } from '../../src/validate/load.js';
import { parseTenantFiles } from '../../src/config/source.js';
import { checkOutputDirectory, describeExport, exportTenant, validateExport, type ExportResult } from '../../src/export/index.js';
import type { TenantSnapshot } from '../../src/model/snapshot.js';
import { OWN_CLIENT_ID as OWN_ID, tenantSnapshot } from '../support/snapshot.js';
import { computePlan } from '../../src/plan/index.js';

const LIVE_DOMAIN = 'acme.eu.auth0.com';
const snapshot = (parts: Partial<TenantSnapshot> = {}, domain = LIVE_DOMAIN): TenantSnapshot => tenantSnapshot(parts, domain);
const SECRET = 'a-connection-secret-nobody-may-see';


/** A client as Auth0 answers for a regular_web app created with only a name: all server defaults. */
function defaultWebClient(id: string, name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    client_id: id,
    tenant: 'acme',
    global: false,
    name,
    app_type: 'regular_web',
    is_first_party: true,
    is_token_endpoint_ip_header_trusted: false,
    sso_disabled: false,
    custom_login_page_on: true,
    cross_origin_authentication: false,
    oidc_conformant: false,
    grant_types: ['client_credentials', 'authorization_code', 'implicit', 'refresh_token'],
    token_endpoint_auth_method: 'client_secret_post',
    jwt_configuration: { secret_encoded: false, lifetime_in_seconds: 36000 },
    refresh_token: { rotation_type: 'non-rotating', expiration_type: 'non-expiring', leeway: 0, token_lifetime: 2592000, infinite_token_lifetime: true, infinite_idle_token_lifetime: true, idle_token_lifetime: 1296000 },
    signing_keys: [{ cert: 'PEM' }],
    callback_url_template: false,
    callbacks: [],
    client_metadata: {},
    ...extra,
  };
}

const fileText = (result: ExportResult, path: string): string => {
  const file = result.files.find((candidate) => candidate.path === path);
  expect(file, `${path} among ${result.files.map((f) => f.path).join(', ')}`).toBeDefined();
  return file!.text;
};

function reloadAndPlan(result: ExportResult, live: TenantSnapshot, environmentDomain: string) {
  const source = parseTenantFiles('out', result.files.map((file) => ({ relative: file.path, text: file.text })));
  const { config, diagnostics } = loadConfigFromSource(source, { env: 'dev', processEnv: {} });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return {
    config: config!,
    plan: computePlan(config!.desired, live, {
      undeclared: config!.undeclared,
      environment: 'dev',
      domain: live.domain,
      environmentDomain,
      configHash: config!.configHash,
    }),
  };
}

describe('export: conversion', () => {
  it('leaves out server defaults, read-only fields and system objects, so files are short', () => {
    const result = exportTenant(
      snapshot({
        clients: [defaultWebClient('c1', 'Portal')],
        resourceServers: [{ id: 'rs1', identifier: 'https://api.example.com/', name: 'API', token_lifetime: 86400, token_lifetime_for_web: 7200, signing_alg: 'RS256', allow_offline_access: false, skip_consent_for_verifiable_first_party_clients: false }],
        connections: [{ id: 'con_1', name: 'db', strategy: 'auth0', realms: ['db'], is_domain_connection: false, options: { mfa: { active: true, return_enroll_settings: true }, passwordPolicy: 'good', strategy_version: 2, brute_force_protection: true } }],
      }),
      { environment: 'dev', domain: LIVE_DOMAIN },
    );
    expect(fileText(result, 'applications/portal.yaml')).toBe('# yaml-language-server: $schema=../../schemas/application.schema.json\nname: Portal\napp_type: regular_web\n');
    expect(fileText(result, 'apis/api.yaml')).toBe('# yaml-language-server: $schema=../../schemas/api.schema.json\nname: API\nidentifier: https://api.example.com/\n');
    expect(fileText(result, 'connections/db.yaml')).toBe('# yaml-language-server: $schema=../../schemas/connection.schema.json\nname: db\nstrategy: auth0\n');
    expect(result.files.map((file) => file.path)).toEqual(['tenant.yaml', 'applications/portal.yaml', 'connections/db.yaml', 'apis/api.yaml']);
    expect(result.dropped).toEqual([]);
  });

  it('never writes a secret: connection option secrets are left out with a TODO, and listed', () => {
    const result = exportTenant(
      snapshot({
        connections: [{ id: 'con_g', name: 'google-oauth2', strategy: 'google-oauth2', options: { client_id: 'gid', client_secret: SECRET, nested: { private_key: SECRET, api_token: SECRET }, scope: ['email'] } }],
      }),
      { environment: 'dev', domain: LIVE_DOMAIN },
    );
    const text = fileText(result, 'connections/google-oauth2.yaml');
    expect(text).not.toContain(SECRET);
    expect(text).toContain('# TODO: not exported because secrets are never written to files: options.client_secret, options.nested.private_key, options.nested.api_token.');
    expect(text).toContain('${env:NAME}');
    expect(text).toContain('client_id: gid');
    expect(result.secrets).toEqual([{ object: 'connection "google-oauth2"', message: 'options.client_secret, options.nested.private_key, options.nested.api_token' }]);
    expect(describeExport(result, { dir: 'tenant', domain: LIVE_DOMAIN, environment: 'dev' })).not.toContain(SECRET);
  });

  it('keeps the refresh_token members Auth0 requires in every write, even when they hold the default', () => {
    const refresh = { rotation_type: 'non-rotating', expiration_type: 'non-expiring', leeway: 0, token_lifetime: 86400, infinite_token_lifetime: true, infinite_idle_token_lifetime: true, idle_token_lifetime: 1296000 };
    const result = exportTenant(snapshot({ clients: [defaultWebClient('c1', 'Portal', { refresh_token: refresh })] }), { environment: 'dev', domain: LIVE_DOMAIN });
    expect(fileText(result, 'applications/portal.yaml')).toContain('refresh_token:\n  token_lifetime: 86400\n  rotation_type: non-rotating\n  expiration_type: non-expiring\n');
  });

  it('drops the ownership marker but keeps other metadata', () => {
    const result = exportTenant(snapshot({ clients: [defaultWebClient('c1', 'Portal', { client_metadata: { managed_by: 'tenantctl', team: 'partners' } })] }), { environment: 'dev', domain: LIVE_DOMAIN });
    const text = fileText(result, 'applications/portal.yaml');
    expect(text).not.toContain('managed_by');
    expect(text).toContain('client_metadata:\n  team: partners\n');
  });

  it('gives every file a unique slug, also for names that slug alike or to nothing', () => {
    const result = exportTenant(
      snapshot({ clients: [defaultWebClient('c1', 'Partner Portal'), defaultWebClient('c2', 'partner-portal'), defaultWebClient('c3', 'Partner  Portal!'), defaultWebClient('c4', '***')] }),
      { environment: 'dev', domain: LIVE_DOMAIN },
    );
    expect(result.files.map((file) => file.path).filter((path) => path.startsWith('applications/'))).toEqual([
      'applications/application.yaml',
      'applications/partner-portal.yaml',
      'applications/partner-portal-2.yaml',
      'applications/partner-portal-3.yaml',
    ]);
  });

  it('drops fields the schemas do not know and reports only those with non-default values', () => {
    const result = exportTenant(
      snapshot({ clients: [defaultWebClient('c1', 'Portal', { addons: { aws: {} }, sso: true, token_endpoint_auth_method: 'private_key_jwt', jwt_configuration: { alg: 'RS256', secret_encoded: false, scopes: { a: 1 } } })] }),
      { environment: 'dev', domain: LIVE_DOMAIN },
    );
    expect(result.dropped).toEqual([{ object: 'application "Portal"', message: 'token_endpoint_auth_method ("private_key_jwt"), jwt_configuration.scopes, sso' }]);
    const text = fileText(result, 'applications/portal.yaml');
    expect(text).not.toMatch(/addons|sso|private_key_jwt|scopes/);
    expect(text).toContain('jwt_configuration:\n  alg: RS256\n');
  });

  it('skips what cannot be declared: unsupported app types, shared names, grants of skipped apps', () => {
    const result = exportTenant(
      snapshot({
        clients: [defaultWebClient('c1', 'Twin'), defaultWebClient('c2', 'Twin'), defaultWebClient('c3', 'RS', { app_type: 'resource_server' })],
        resourceServers: [{ id: 'rs1', identifier: 'https://api.example.com/', name: 'API', scopes: [{ value: 'read' }] }],
        clientGrants: [{ id: 'cgr_1', client_id: 'c3', audience: 'https://api.example.com/', scope: ['read'] }],
      }),
      { environment: 'dev', domain: LIVE_DOMAIN },
    );
    expect(result.counts).toEqual({ applications: 0, connections: 0, apis: 1, grants: 0, organizations: 0 });
    expect(result.skipped.map((note) => note.object)).toEqual(['application "Twin" (id c1)', 'application "Twin" (id c2)', 'application "RS"', 'grant RS -> https://api.example.com/']);
  });

  it('writes a `${` in a live value so that the config reads it back unchanged', () => {
    const live = snapshot({ clients: [defaultWebClient('c1', 'Portal', { description: 'costs ${HOME} and $${x}' })] });
    const result = exportTenant(live, { environment: 'dev', domain: LIVE_DOMAIN });
    const { config, plan } = reloadAndPlan(result, live, LIVE_DOMAIN);
    expect(config.desired.find((object) => object.key === 'Portal')!.fields.description).toBe('costs ${HOME} and $${x}');
    expect(plan.changes).toEqual([]);
  });
});

describe('export: round trip in process', () => {
  const varied = (domain: string): TenantSnapshot =>
    snapshot(
      {
        clients: [
          defaultWebClient('web', 'Portal', { callbacks: ['https://portal.example.com/cb', 'http://localhost:3000/cb'], grant_types: ['authorization_code', 'refresh_token'], oidc_conformant: true, client_metadata: { team: 'p' } }),
          { client_id: 'spa', name: 'Dashboard', app_type: 'spa', token_endpoint_auth_method: 'none', callbacks: ['https://dash.example.com'], web_origins: ['https://dash.example.com'], grant_types: ['authorization_code', 'implicit', 'refresh_token'], refresh_token: { rotation_type: 'rotating', expiration_type: 'expiring', leeway: 0, token_lifetime: 86400, idle_token_lifetime: 3600 } },
          { client_id: 'nat', name: 'Mobile', app_type: 'native', callbacks: ['com.example.app://callback'] },
          { client_id: 'm2m', name: 'Sync', app_type: 'non_interactive', grant_types: ['client_credentials'], client_metadata: { managed_by: 'tenantctl' } },
        ],
        connections: [
          { id: 'con_db', name: 'db', strategy: 'auth0', options: { passwordPolicy: 'fair', mfa: { active: true, return_enroll_settings: true } } },
          { id: 'con_g', name: 'google-oauth2', strategy: 'google-oauth2', options: { client_id: 'g', client_secret: SECRET, scope: ['email'] } },
          { id: 'con_s', name: 'corp-saml', strategy: 'samlp', show_as_button: false, options: { signInEndpoint: 'https://idp.example.com/sso' } },
        ],
        enabledClients: { con_db: ['web', 'spa', OWN_ID], con_g: ['spa'], con_s: [] },
        resourceServers: [{ id: 'rs1', identifier: 'https://api.example.com/', name: 'API', scopes: [{ value: 'read', description: 'Read' }, { value: 'write' }], allow_offline_access: true }],
        clientGrants: [
          { id: 'cgr_1', client_id: 'm2m', audience: 'https://api.example.com/', scope: ['write', 'read'] },
          { id: 'cgr_2', client_id: 'm2m', audience: `https://${domain}/api/v2/`, scope: ['read:users'] },
          // User access beside the client grant on the same API: exported as its own entry, never as client credentials.
          { id: 'cgr_3', client_id: 'm2m', audience: 'https://api.example.com/', scope: ['read'], subject_type: 'user' },
        ],
        // An organization as Auth0 answers it, with its enabled connections read from their own endpoint.
        organizations: [{ id: 'org_acme', name: 'acme', display_name: 'Acme', metadata: { tier: 'gold', managed_by: 'tenantctl' }, branding: { colors: { primary: '#112233', page_background: '#ffffff' } } }],
        organizationConnections: { org_acme: [{ connection_id: 'con_s', assign_membership_on_login: true, show_as_button: false, connection: { name: 'corp-saml', strategy: 'samlp' } }] },
      },
      domain,
    );

  it('export -> load -> plan against the same tenant has no changes and passes validate', () => {
    const live = varied(LIVE_DOMAIN);
    const result = exportTenant(live, { environment: 'dev', domain: LIVE_DOMAIN });
    expect(validateExport('out', result.files, 'dev').filter((d) => d.severity === 'error')).toEqual([]);
    const { plan } = reloadAndPlan(result, live, LIVE_DOMAIN);
    expect(plan.changes).toEqual([]);
    expect(plan.skipped).toEqual([]);
    expect(plan.summary.unchanged).toBe(Object.values(result.counts).reduce((sum, count) => sum + count, 0));
    expect(result.counts).toEqual({ applications: 4, connections: 3, apis: 1, grants: 3, organizations: 1 });
    expect(fileText(result, 'organizations/acme.yaml')).toContain(
      'name: acme\nbranding:\n  colors:\n    primary: "#112233"\n    page_background: "#ffffff"\ndisplay_name: Acme\nenabled_connections:\n  - connection: corp-saml\n    assign_membership_on_login: true\n    show_as_button: false\nmetadata:\n  tier: gold\n',
    );
    expect(fileText(result, 'applications/sync.yaml')).toMatch(/- api: https:\/\/api\.example\.com\/\n {4}scopes:\n {6}- read\n {4}subject_type: user\n/);
    expect(fileText(result, 'tenant.yaml')).toContain('allow_localhost: true');
  });

  it('through an emulator: the Management API grant is written for the real domain and still matches', () => {
    const live = varied('127.0.0.1:8443');
    const result = exportTenant(live, { environment: 'dev', domain: LIVE_DOMAIN });
    const sync = fileText(result, 'applications/sync.yaml');
    expect(sync).toContain(`api: https://${LIVE_DOMAIN}/api/v2/`);
    expect(sync).not.toContain('127.0.0.1');
    expect(fileText(result, 'tenant.yaml')).toContain(`domain: ${LIVE_DOMAIN}`);
    expect(reloadAndPlan(result, live, LIVE_DOMAIN).plan.changes).toEqual([]);
  });

  it('skips a Management API grant whose scopes the config cannot express, and says so', () => {
    const live = snapshot({
      clients: [{ client_id: 'm2m', name: 'Sync', app_type: 'non_interactive' }],
      clientGrants: [{ id: 'cgr_2', client_id: 'm2m', audience: `https://${LIVE_DOMAIN}/api/v2/`, scope: ['read:users', 'read:logs'] }],
    });
    const result = exportTenant(live, { environment: 'dev', domain: LIVE_DOMAIN });
    expect(result.counts.grants).toBe(0);
    expect(result.skipped).toEqual([{ object: `grant Sync -> https://${LIVE_DOMAIN}/api/v2/`, message: expect.stringContaining('read:logs') }]);
  });
});

describe('export: output directory', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a missing or empty directory, refuses a non-empty one unless forced', () => {
    dir = mkdtempSync(join(tmpdir(), 'tenantctl-export-dir-'));
    expect(() => checkOutputDirectory(join(dir!, 'new'), false)).not.toThrow();
    expect(() => checkOutputDirectory(dir!, false)).not.toThrow();
    mkdirSync(join(dir, 'applications'));
    writeFileSync(join(dir, 'applications', 'x.yaml'), 'name: x\n');
    expect(() => checkOutputDirectory(dir!, false)).toThrow(/is not empty/);
    expect(() => checkOutputDirectory(dir!, true)).not.toThrow();
    expect(() => checkOutputDirectory(join(dir!, 'applications', 'x.yaml'), true)).toThrow(/not a directory/);
  });
});

describe('export when connection options could not be read', () => {
  it('says so in the summary and writes the connection without options', () => {
    const result = exportTenant(
      snapshot({ connections: [{ id: 'con_g', name: 'google-oauth2', strategy: 'google-oauth2', is_domain_connection: false, realms: ['google-oauth2'] }] }),
      { environment: 'dev', domain: LIVE_DOMAIN },
    );
    const file = result.files.find((item) => item.path.startsWith('connections/'));
    expect(file?.text).not.toMatch(/^options:/m);
    expect(result.unread).toEqual([{ object: 'connection "google-oauth2"', message: expect.stringContaining('read:connections_options') }]);
    expect(describeExport(result, { dir: 'tenant', domain: LIVE_DOMAIN, environment: 'dev' })).toMatch(
      /Not read from the tenant.*\n {2}connection "google-oauth2": options \(the token lacks read:connections_options\)/,
    );
  });
});
