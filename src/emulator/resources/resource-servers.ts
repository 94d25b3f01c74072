// APIs (resource servers): writable fields, create defaults, and rendering.
// `identifier` is immutable and unique per tenant; the store checks uniqueness.
import type { Json } from '../collection.js';
import { invalidBody } from '../errors.js';
import { newResourceServerId } from '../ids.js';
import { clone, isPlainObject, rejectUnknownKeys, requireObject, requireString, typeOf } from './validate.js';

const updatable = [
  'name', 'scopes', 'signing_alg', 'signing_secret', 'skip_consent_for_verifiable_first_party_clients',
  'allow_offline_access', 'allow_online_access', 'allow_online_access_with_ephemeral_sessions', 'token_lifetime',
  'token_lifetime_for_web', 'token_lifetime_for_anonymous_access_tokens', 'token_dialect', 'enforce_policies',
  'token_encryption', 'consent_policy', 'authorization_details', 'proof_of_possession', 'subject_type_authorization',
  'authorization_policy', 'verificationLocation', 'client',
];
export const resourceServerCreateFields: ReadonlySet<string> = new Set(['identifier', ...updatable]);
export const resourceServerUpdateFields: ReadonlySet<string> = new Set(updatable);

const leadingKeys = [
  'allow_offline_access', 'skip_consent_for_verifiable_first_party_clients', 'subject_type_authorization',
  'token_lifetime', 'token_lifetime_for_web', 'signing_alg',
];

function checkScopes(body: Json): void {
  const scopes = body.scopes;
  if (scopes === undefined) return;
  if (!Array.isArray(scopes)) throw invalidBody(`Expected type array but found type ${typeOf(scopes)}`, 'scopes');
  scopes.forEach((scope, index) => {
    if (!isPlainObject(scope) || typeof scope.value !== 'string' || scope.value.length === 0) {
      throw invalidBody('Missing required property: value', `scopes[${index}]`);
    }
  });
}

/**
 * System APIs Auth0 adds when asked to create their identifier: the answer is the system API whatever else was
 * sent, it can be deleted and created again, and not modified (recorded, Go-Auth0 1.31).
 */
const activatableSystemApis: Record<string, Json> = {
  'urn:auth0:express-configure': {
    name: 'Okta OIN Express Configuration API',
    scopes: [
      { value: 'express_configure:sso', description: 'Ability to create SSO configurations' },
      { value: 'express_configure:scim', description: 'Ability to create scim configurations' },
    ],
    allow_offline_access: false,
    skip_consent_for_verifiable_first_party_clients: false,
    subject_type_authorization: { user: { policy: 'allow_all' }, client: { policy: 'deny_all' } },
    token_lifetime: 300,
    token_lifetime_for_web: 7200,
    signing_alg: 'RS256',
    enforce_policies: true,
    is_system: true,
  },
};

export function createResourceServerRecord(input: unknown): Json {
  const system = isPlainObject(input) && typeof input.identifier === 'string' ? activatableSystemApis[input.identifier] : undefined;
  if (system) return { id: newResourceServerId(), name: system.name, identifier: (input as Json).identifier, ...clone(system) };
  const body = clone(requireObject(input));
  rejectUnknownKeys(body, resourceServerCreateFields);
  const identifier = requireString(body, 'identifier');
  if (body.name !== undefined) requireString(body, 'name');
  checkScopes(body);
  const record: Json = { id: newResourceServerId() };
  if (body.name !== undefined) record.name = body.name;
  record.identifier = identifier;
  const defaults: Json = {
    allow_offline_access: false,
    skip_consent_for_verifiable_first_party_clients: false,
    token_lifetime: 86400,
    token_lifetime_for_web: 7200,
    signing_alg: 'RS256',
    // Added by Auth0 since 2024 (fidelity fact 12): every create recorded with Go-Auth0 1.32 or later has it.
    subject_type_authorization: { user: { policy: 'allow_all' }, client: { policy: 'require_client_grant' } },
  };
  for (const key of leadingKeys) {
    const value = body[key] ?? defaults[key];
    if (value !== undefined) record[key] = value;
  }
  for (const [key, value] of Object.entries(body)) {
    if (!(key in record) && value !== null) record[key] = value;
  }
  return record;
}

export function updateResourceServerRecord(record: Json, input: unknown): Json {
  const body = clone(requireObject(input));
  rejectUnknownKeys(body, resourceServerUpdateFields);
  if (body.name !== undefined) requireString(body, 'name');
  checkScopes(body);
  const next = clone(record);
  for (const [key, value] of Object.entries(body)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}
