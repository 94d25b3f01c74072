// Rules for APIs (Auth0 resource servers): identifier is the key and immutable, scopes are a set keyed by value.
// APIs carry no metadata, so they never hold the ownership marker.
import { frozen, sameBody, textOf, type KindSpec } from './kind-spec.js';

const API_DEFAULTS = frozen({
  token_lifetime: 86400,
  token_lifetime_for_web: 7200,
  signing_alg: 'RS256',
  allow_offline_access: false,
  skip_consent_for_verifiable_first_party_clients: false,
  scopes: [],
});

export const apiSpec: KindSpec = {
  kind: 'api',
  group: 'apis',
  names: { one: 'API', many: 'APIs', keyName: 'identifier' },
  files: { folder: 'apis', schema: 'api.schema.json', keyField: 'identifier' },
  phase: 10,
  dependsOn: [],
  // APIs carry no marker, so `managed` keeps every undeclared one.
  undeclaredDefault: 'managed',
  references: () => [],
  toRequest: sameBody,
  path: 'resource-servers',
  read: {
    list: 'resourceServers',
    idField: 'id',
    key: (raw) => textOf(raw.identifier),
    // Auth0's system APIs, and tenantctl's apply lock (an API that exists only while an apply runs).
    isSystem: (raw, snapshot) => raw.is_system === true || raw.identifier === managementApiIdentifier(snapshot.domain) || raw.identifier === LOCK_API_IDENTIFIER,
    managed: () => false,
  },
  systemKey: (key, domain) => key === managementApiIdentifier(domain),
  systemReason: () => "a system API (the Management API, another is_system API, or tenantctl's apply lock); tenantctl never writes it",
  readOnly: new Set(['id', 'is_system', 'signing_secret', 'created_at', 'updated_at']),
  immutable: new Set(['identifier']),
  notCompared: new Set(),
  notSent: new Set(),
  setPaths: new Set(['scopes']),
  setElementKey: { scopes: 'value' },
  alwaysSentOnUpdate: [],
  updateShape: {},
  refusedOnUpdate: [],
  serverDefaults: () => API_DEFAULTS,
};

/** The identifier of the tenant's Management API, a system API that is never written. */
export function managementApiIdentifier(domain: string): string {
  return `https://${domain}/api/v2/`;
}

/**
 * The identifier of tenantctl's apply lock, an API that exists only while an apply runs (src/lock/).
 * Auth0 keeps API identifiers unique, so creating it is the atomic "take the lock"; it is a system
 * object of tenantctl's: never planned, exported or deleted by a plan.
 */
export const LOCK_API_IDENTIFIER = 'urn:tenantctl:lock';
