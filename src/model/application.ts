// Rules for applications (Auth0 clients): read-only fields, set-valued lists and create-time defaults.
// Defaults follow recorded Management API traffic (shared/fidelity "Observed facts" 10).
import { carriesMarker, frozen, sameBody, textOf, type KindSpec } from './kind-spec.js';

const BROWSER_GRANTS = ['authorization_code', 'implicit', 'refresh_token'];

/** What Auth0 fills in on a client; single-page and native applications get other grant types and no secret. */
function clientDefaults(browserOrDevice: boolean): Record<string, unknown> {
  return frozen({
    is_first_party: true,
    is_token_endpoint_ip_header_trusted: false,
    sso_disabled: false,
    custom_login_page_on: true,
    cross_origin_authentication: false,
    oidc_conformant: false,
    grant_types: browserOrDevice ? BROWSER_GRANTS : [...BROWSER_GRANTS, 'client_credentials'],
    token_endpoint_auth_method: browserOrDevice ? 'none' : 'client_secret_post',
    jwt_configuration: { secret_encoded: false, lifetime_in_seconds: 36000 },
    refresh_token: {
      rotation_type: 'non-rotating',
      expiration_type: 'non-expiring',
      leeway: 0,
      token_lifetime: 2592000,
      infinite_token_lifetime: true,
      infinite_idle_token_lifetime: true,
      idle_token_lifetime: 1296000,
    },
    callbacks: [],
    allowed_logout_urls: [],
    web_origins: [],
    allowed_origins: [],
    client_aliases: [],
    client_metadata: {},
  });
}
const BROWSER_OR_DEVICE_DEFAULTS = clientDefaults(true);
const OTHER_DEFAULTS = clientDefaults(false);

export const applicationSpec: KindSpec = {
  kind: 'application',
  group: 'applications',
  names: { one: 'application', many: 'applications', keyName: 'name' },
  files: { folder: 'applications', schema: 'application.schema.json', keyField: 'name' },
  phase: 20,
  dependsOn: [],
  undeclaredDefault: 'managed',
  references: () => [],
  toRequest: sameBody,
  path: 'clients',
  read: {
    list: 'clients',
    idField: 'client_id',
    key: (raw) => textOf(raw.name),
    // The global client and the tool's own client (AUTH0_CLIENT_ID).
    isSystem: (raw, snapshot) => raw.global === true || textOf(raw.client_id) === snapshot.ownClientId,
    managed: (raw) => carriesMarker(raw.client_metadata),
  },
  systemReason: (fields) =>
    fields.global === true
      ? 'the global client is an Auth0 system object; tenantctl never writes it'
      : "this is tenantctl's own client (AUTH0_CLIENT_ID); tenantctl never writes it",
  readOnly: new Set([
    'client_id',
    'tenant',
    'global',
    'signing_keys',
    'callback_url_template',
    'created_at',
    'updated_at',
    'client_secret',
    'encrypted',
    'owners',
  ]),
  immutable: new Set(),
  notCompared: new Set(),
  notSent: new Set(),
  setPaths: new Set(['callbacks', 'allowed_logout_urls', 'web_origins', 'allowed_origins', 'grant_types', 'client_aliases']),
  setElementKey: {},
  alwaysSentOnUpdate: [],
  // Auth0 merges jwt_configuration (recorded PATCH bodies send `{alg}` alone); refresh_token needs rotation_type
  // and expiration_type in every PATCH (SDK type ClientRefreshTokenConfiguration), so it goes whole, as every
  // recorded PATCH sends it; client_metadata is a flat map of strings with nothing read-only in it.
  updateShape: { jwt_configuration: 'merge', refresh_token: 'whole', client_metadata: 'whole' },
  // Read back on every client but refused in a PATCH (node-auth0 v4 ClientUpdateJwtConfiguration has no such
  // member; auth0-deploy-cli strips it from updates).
  refusedOnUpdate: ['jwt_configuration.secret_encoded'],
  markerField: 'client_metadata',
  serverDefaults: (live) => (live.app_type === 'spa' || live.app_type === 'native' ? BROWSER_OR_DEVICE_DEFAULTS : OTHER_DEFAULTS),
};
