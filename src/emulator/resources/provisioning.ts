// Per-connection sub-resources: inbound SCIM configuration and its tokens, directory provisioning with its
// synchronized groups, and the connection's signing keys. Shapes, defaults and errors follow recorded Auth0 answers
// (fidelity facts 3, 7, 8, 9; docs/EMULATOR.md "Rules and their evidence"). The caller checks the connection exists.
import { createHash, randomBytes } from 'node:crypto';
import type { Json } from '../collection.js';
import { HttpError, invalidBody } from '../errors.js';
import { placeholderPem } from '../ids.js';
import { directoryMappingGoogle, scimMappingOkta, scimMappingWaad } from './provisioning-defaults.js';
import { clone, isPlainObject, rejectUnknownKeys, requireObject } from './validate.js';

/** What the store keeps for one connection; every part is created on demand. */
export interface ConnectionExtras {
  scim?: Json;
  scimTokens?: Json[];
  directory?: Json;
  groups?: Json[];
  keys?: Json[];
}

interface ConnectionInfo {
  id: string;
  name: string;
  strategy: string;
}

/** Recorded: GET of a SCIM configuration that was never made (or was deleted) answers 404 "Not Found" without errorCode. */
const plainNotFound = (): HttpError => new HttpError(404, 'Not Found');

/**
 * Strategies Auth0 offers inbound SCIM for (Auth0 docs "Configure Inbound SCIM": SAML, OpenID Connect, Okta
 * Workforce, Microsoft Entra ID, PingFederate, AD FS). Recorded: okta and waad accepted, auth0 refused.
 */
const scimStrategies = new Set(['samlp', 'oidc', 'okta', 'waad', 'pingfederate', 'adfs']);
/** Directory provisioning is Google Workspace's (every recorded configuration is on google-apps). */
const directoryStrategies = new Set(['google-apps']);

const pairs = (mapping: ReadonlyArray<readonly [string, string]>, external: string): Json[] =>
  mapping.map(([auth0, other]) => ({ [external]: other, auth0 }));

function scimDefaultMapping(strategy: string): Json[] {
  return pairs(strategy === 'waad' ? scimMappingWaad : scimMappingOkta, 'scim');
}

function requireMapping(value: unknown, external: 'scim' | 'idp'): Json[] {
  if (!Array.isArray(value) || value.some((item) => !isPlainObject(item) || typeof item.auth0 !== 'string' || typeof item[external] !== 'string')) {
    throw invalidBody(`Expected an array of {auth0, ${external}} objects`, 'mapping');
  }
  return (value as Json[]).map((item) => ({ [external]: item[external], auth0: item.auth0 }));
}

// ---- SCIM configuration ----

/** POST /connections/{id}/scim-configuration: 201 with the configuration (recorded 13 times). */
export function createScimConfiguration(connection: ConnectionInfo, tenant: string, input: unknown): Json {
  if (!scimStrategies.has(connection.strategy)) {
    throw new HttpError(
      404,
      'This connection type does not support SCIM. Please see our documentation for the currently supported connection types: https://auth0.com/docs/authenticate/protocols/scim/configure-inbound-scim.',
    );
  }
  const body = requireObject(input);
  rejectUnknownKeys(body, new Set(['user_id_attribute', 'mapping']));
  const now = new Date().toISOString();
  return {
    tenant_name: tenant,
    connection_id: connection.id,
    connection_name: connection.name,
    strategy: connection.strategy,
    mapping: body.mapping === undefined ? scimDefaultMapping(connection.strategy) : requireMapping(body.mapping, 'scim'),
    updated_on: now,
    created_at: now,
    user_id_attribute: typeof body.user_id_attribute === 'string' ? body.user_id_attribute : 'externalId',
  };
}

export function requireScim(extras: ConnectionExtras): Json {
  if (!extras.scim) throw plainNotFound();
  return extras.scim;
}

/** PATCH: the sent fields replace theirs; `updated_on` moves, `created_at` stays (recorded). */
export function updateScimConfiguration(current: Json, input: unknown): Json {
  const body = requireObject(input);
  rejectUnknownKeys(body, new Set(['user_id_attribute', 'mapping']));
  const next = clone(current);
  if (body.mapping !== undefined) next.mapping = requireMapping(body.mapping, 'scim');
  if (typeof body.user_id_attribute === 'string') next.user_id_attribute = body.user_id_attribute;
  next.updated_on = new Date().toISOString();
  return next;
}

export function scimDefaultMappingBody(strategy: string): Json {
  return { mapping: scimDefaultMapping(strategy).map((item) => ({ auth0: item.auth0, scim: item.scim })) };
}

/**
 * POST .../scim-configuration/tokens: 201 `{token_id, token, scopes, created_at}` (+ `valid_until` with a lifetime);
 * the list shows `{token_id, created_at, scopes}` without the token (recorded).
 */
export function newScimToken(input: unknown): { stored: Json; answer: Json } {
  const body = requireObject(input);
  rejectUnknownKeys(body, new Set(['scopes', 'token_lifetime']));
  const scopes = Array.isArray(body.scopes) ? body.scopes : [];
  const created = new Date();
  const stored: Json = { token_id: `tok_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x').slice(0, 16)}`, created_at: created.toISOString(), scopes };
  if (typeof body.token_lifetime === 'number') stored.valid_until = new Date(created.getTime() + body.token_lifetime * 1000).toISOString();
  const answer: Json = { token_id: stored.token_id, token: randomBytes(32).toString('base64url'), scopes, created_at: stored.created_at };
  if (stored.valid_until !== undefined) answer.valid_until = stored.valid_until;
  return { stored, answer };
}

// ---- directory provisioning ----

/** POST /connections/{id}/directory-provisioning: 201 (recorded 10 times, all google-apps). */
export function createDirectoryProvisioning(connection: ConnectionInfo, input: unknown): Json {
  if (!directoryStrategies.has(connection.strategy)) {
    throw new HttpError(400, 'This connection type does not support directory provisioning.', 'operation_not_supported');
  }
  const body = requireObject(input);
  rejectUnknownKeys(body, new Set(['mapping', 'synchronize_automatically', 'synchronize_groups']));
  const now = new Date().toISOString();
  return {
    connection_id: connection.id,
    connection_name: connection.name,
    strategy: connection.strategy,
    mapping: body.mapping === undefined ? pairs(directoryMappingGoogle, 'idp') : requireMapping(body.mapping, 'idp'),
    synchronize_automatically: body.synchronize_automatically === true,
    created_at: now,
    updated_at: now,
    synchronize_groups: typeof body.synchronize_groups === 'string' ? body.synchronize_groups : 'off',
  };
}

export function requireDirectory(extras: ConnectionExtras): Json {
  if (!extras.directory) throw plainNotFound();
  return extras.directory;
}

export function updateDirectoryProvisioning(current: Json, input: unknown): Json {
  const body = requireObject(input);
  rejectUnknownKeys(body, new Set(['mapping', 'synchronize_automatically', 'synchronize_groups']));
  const next = clone(current);
  if (body.mapping !== undefined) next.mapping = requireMapping(body.mapping, 'idp');
  if (typeof body.synchronize_automatically === 'boolean') next.synchronize_automatically = body.synchronize_automatically;
  if (typeof body.synchronize_groups === 'string') next.synchronize_groups = body.synchronize_groups;
  next.updated_at = new Date().toISOString();
  return next;
}

export function directoryDefaultMappingBody(): Json {
  return { mapping: pairs(directoryMappingGoogle, 'idp') };
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** `{groups: [{id, name?, email?, direct_members_count?}]}`; a present email must be one (recorded 400 and message). */
export function requireGroups(input: unknown): Json[] {
  const body = requireObject(input);
  if (!Array.isArray(body.groups)) throw invalidBody('Missing required property: groups');
  return body.groups.map((group: unknown, index: number) => {
    if (!isPlainObject(group) || typeof group.id !== 'string') throw invalidBody('Missing required property: id', `groups[${index}]`);
    if (group.email !== undefined && (typeof group.email !== 'string' || !emailPattern.test(group.email))) {
      throw invalidBody(`Object didn't pass validation for format email: ${String(group.email)}`, `groups[${index}].email (Google Workspace Directory group email)`);
    }
    return clone(group);
  });
}

/** Synchronized groups are listed by id (recorded: a group added last appears in id order). */
export function sortGroups(groups: Json[]): Json[] {
  return [...groups].sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

/** `q=name:prefix*` (the only form recorded) keeps the groups whose name starts with the prefix. */
export function filterGroups(groups: Json[], q: string | undefined): Json[] {
  if (!q) return groups;
  const match = /^name:(.*?)(\*?)$/.exec(q);
  if (!match) return groups;
  const [, text = '', wildcard] = match;
  return groups.filter((group) => (typeof group.name === 'string' ? (wildcard ? group.name.startsWith(text) : group.name === text) : false));
}

// ---- signing keys ----

function newKey(connectionName: string, role: 'current' | 'next'): Json {
  const cert = placeholderPem('CERTIFICATE');
  const digest = createHash('sha1').update(cert).digest('hex').toUpperCase();
  const key: Json = {
    kid: randomBytes(32).toString('base64url').slice(0, 43),
    algorithm: 'RS256',
    key_use: 'signing',
    subject_dn: `/CN=${connectionName}`,
    cert,
    fingerprint: digest.match(/.{2}/g)?.join(':') ?? digest,
    thumbprint: digest,
    pkcs: placeholderPem('PKCS7'),
  };
  if (role === 'current') {
    key.current = true;
    key.current_since = new Date().toISOString();
  } else key.next = true;
  return key;
}

/** A connection has a current and a next signing key (recorded: oidc and okta connections, GET /keys). */
export function initialKeys(connectionName: string): Json[] {
  return [newKey(connectionName, 'current'), newKey(connectionName, 'next')];
}

/**
 * POST /keys/rotate: the next key becomes current, the current one previous, a new next key is made; the answer is
 * the new key whole, as in the newer of the two recorded rotations (terraform, Go-Auth0 1.32.1); the older one
 * (go-auth0, 1.21.0) answered only its `kid` and `cert`.
 */
export function rotateKeys(keys: Json[], connectionName: string): { keys: Json[]; answer: Json } {
  const current = keys.find((key) => key.current === true);
  const next = keys.find((key) => key.next === true);
  const rotated: Json[] = [];
  if (next) {
    const { next: _wasNext, ...rest } = next;
    rotated.push({ ...rest, current: true, current_since: new Date().toISOString() });
  }
  if (current) {
    const { current: _wasCurrent, current_since: _since, ...rest } = current;
    rotated.push({ ...rest, previous: true });
  }
  const fresh = newKey(connectionName, 'next');
  rotated.push(fresh);
  return { keys: rotated, answer: clone(fresh) };
}
