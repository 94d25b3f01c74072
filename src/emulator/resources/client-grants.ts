// Client grants: which application may call which API with which scopes.
// `client_id`, `audience` and `subject_type` are immutable; (client_id, audience, subject_type) is unique per tenant.
import type { Json } from '../collection.js';
import { invalidBody } from '../errors.js';
import { newClientGrantId } from '../ids.js';
import { clone, optionalStringArray, rejectUnknownKeys, requireObject, requireString } from './validate.js';

const updatable = ['scope', 'organization_usage', 'allow_any_organization', 'authorization_details_types', 'allow_all_scopes'];
export const clientGrantCreateFields: ReadonlySet<string> = new Set(['client_id', 'audience', 'default_for', 'subject_type', ...updatable]);
export const clientGrantUpdateFields: ReadonlySet<string> = new Set(updatable);

export function createClientGrantRecord(input: unknown): Json {
  const body = clone(requireObject(input));
  rejectUnknownKeys(body, clientGrantCreateFields);
  const audience = requireString(body, 'audience');
  if (body.default_for === undefined) requireString(body, 'client_id');
  const scope = optionalStringArray(body, 'scope');
  if (scope === undefined && body.allow_all_scopes !== true) throw invalidBody('Missing required property: scope');
  const record: Json = { id: newClientGrantId() };
  if (body.client_id !== undefined) record.client_id = body.client_id;
  record.audience = audience;
  if (scope !== undefined && body.allow_all_scopes !== true) record.scope = scope;
  for (const key of ['organization_usage', 'allow_any_organization', 'default_for', 'allow_all_scopes']) {
    if (body[key] !== undefined) record[key] = body[key];
  }
  record.subject_type = body.subject_type ?? 'client';
  if (body.authorization_details_types !== undefined) record.authorization_details_types = body.authorization_details_types;
  return record;
}

export function updateClientGrantRecord(record: Json, input: unknown): Json {
  const body = clone(requireObject(input));
  rejectUnknownKeys(body, clientGrantUpdateFields);
  optionalStringArray(body, 'scope');
  const next = clone(record);
  for (const [key, value] of Object.entries(body)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  // With all scopes allowed, Auth0 answers without a `scope` list.
  if (next.allow_all_scopes === true) delete next.scope;
  return next;
}

/**
 * An application may hold one grant per API and subject type: `client` (client credentials) and `user` (user access).
 * Auth0 docs, "Application access to APIs: client grants"; recorded traffic shows `subject_type: "user"` grants created
 * (201) for clients and audiences that also hold client grants; auth0-deploy-cli's clientGrants handler matches
 * grants on (client_id, audience, subject_type). A grant without `subject_type` is a `client` grant.
 */
export function grantKey(clientId: unknown, audience: unknown, subjectType: unknown = 'client'): string {
  return `${String(clientId)}\n${String(audience)}\n${String(subjectType ?? 'client')}`;
}
