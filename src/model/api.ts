// Rules for APIs (Auth0 resource servers): identifier is the key and immutable, scopes are a set keyed by value.
// APIs carry no metadata, so they never hold the ownership marker.
import type { KindSpec } from './kind-spec.js';

export const apiSpec: KindSpec = {
  kind: 'api',
  group: 'apis',
  readOnly: new Set(['id', 'is_system', 'signing_secret', 'created_at', 'updated_at']),
  immutable: new Set(['identifier']),
  notCompared: new Set(),
  notSent: new Set(),
  setPaths: new Set(['scopes']),
  setElementKey: { scopes: 'value' },
  alwaysSentOnUpdate: [],
  updateShape: {},
  refusedOnUpdate: [],
  serverDefaults() {
    return {
      token_lifetime: 86400,
      token_lifetime_for_web: 7200,
      signing_alg: 'RS256',
      allow_offline_access: false,
      skip_consent_for_verifiable_first_party_clients: false,
      scopes: [],
    };
  },
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
