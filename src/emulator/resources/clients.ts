// Applications (clients): writable fields, the defaults Auth0 adds on create per app_type, and rendering.
// Rendering decides what a caller sees: client_secret only on create or with read:client_keys.
import type { Json } from '../collection.js';
import { newClientId, newClientSecret, newThirdPartyClientId, placeholderPem } from '../ids.js';
import { credentialHolders, newCredential } from './credentials.js';
import { invalidBody } from '../errors.js';
import { clone, isPlainObject, optionalStringArray, rejectUnknownKeys, requireObject, requireString } from './validate.js';

const sharedWritable = [
  'name', 'description', 'logo_uri', 'callbacks', 'oidc_logout', 'oidc_backchannel_logout', 'session_transfer',
  'allowed_origins', 'web_origins', 'client_aliases', 'allowed_clients', 'allowed_logout_urls', 'grant_types',
  'token_endpoint_auth_method', 'is_token_endpoint_ip_header_trusted', 'app_type', 'is_first_party', 'oidc_conformant',
  'jwt_configuration', 'encryption_key', 'sso', 'cross_origin_authentication', 'cross_origin_loc', 'sso_disabled',
  'custom_login_page_on', 'custom_login_page', 'custom_login_page_preview', 'form_template', 'addons', 'client_metadata',
  'mobile', 'initiate_login_uri', 'native_social_login', 'fedcm_login', 'refresh_token', 'default_organization',
  'organization_usage', 'organization_require_behavior', 'organization_discovery_methods', 'client_authentication_methods',
  'require_pushed_authorization_requests', 'require_proof_of_possession', 'signed_request_object',
  'token_vault_privileged_access', 'compliance_level', 'skip_non_verifiable_callback_uri_confirmation_prompt',
  'token_exchange', 'par_request_expiry', 'token_quota', 'identity_assertion_authorization_grant', 'anonymous_sessions',
  'third_party_security_mode', 'redirection_policy', 'express_configuration', 'my_organization_configuration',
  'async_approval_notification_channels',
];

/** Fields accepted by POST /clients. */
export const clientCreateFields: ReadonlySet<string> = new Set([...sharedWritable, 'resource_server_identifier']);
/** Fields accepted by PATCH /clients/{id}; Auth0 lets a PATCH set client_secret, but never client_id, tenant or global. */
export const clientUpdateFields: ReadonlySet<string> = new Set([...sharedWritable, 'client_secret']);

/**
 * Objects that a PATCH merges into the stored value instead of replacing: Auth0 keeps the sub-keys a PATCH
 * leaves out, and a sub-key sent as null is removed (recorded: `session_transfer.delegation: null`,
 * `mobile: {android}` keeping `mobile.ios`, `signed_request_object: {required}` keeping its credentials).
 */
const mergedOnUpdate = new Set(['jwt_configuration', 'refresh_token', 'session_transfer', 'mobile', 'native_social_login', 'signed_request_object']);

/** What Auth0 fills into a `session_transfer` object around the sub-keys a request sets (recorded, Go-Auth0 1.43). */
const sessionTransferDefaults: Json = {
  can_create_session_transfer_token: false,
  allowed_authentication_methods: [],
  enforce_device_binding: 'ip',
  allow_refresh_token: false,
};

function mergeWithoutNulls(base: Json, update: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(update)) {
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out;
}

/** Keys the server places itself, in the order Auth0 answers with; request fields go between name and these. */
const serverPlacedKeys = new Set([
  'tenant', 'global', 'is_token_endpoint_ip_header_trusted', 'name', 'cross_origin_authentication', 'is_first_party',
  'oidc_conformant', 'refresh_token', 'sso_disabled', 'cross_origin_auth', 'signing_keys', 'client_id',
  'callback_url_template', 'client_secret', 'jwt_configuration', 'grant_types', 'custom_login_page_on',
]);

export interface ClientContext {
  tenant: string;
}

function defaultGrantTypes(appType: unknown, firstParty: boolean): string[] {
  switch (appType) {
    case 'spa':
    case 'native':
      return ['authorization_code', 'implicit', 'refresh_token'];
    case 'resource_server':
      return [];
    case 'express_configuration':
      return ['authorization_code', 'client_credentials'];
    case 'regular_web':
      return firstParty ? ['authorization_code', 'implicit', 'refresh_token', 'client_credentials'] : ['authorization_code'];
    default:
      return ['authorization_code', 'implicit', 'refresh_token', 'client_credentials'];
  }
}

function defaultRefreshToken(firstParty: boolean, authMethod: unknown): Json {
  if (!firstParty && authMethod === 'client_secret_post') {
    return {
      rotation_type: 'non-rotating', expiration_type: 'expiring', leeway: 0, token_lifetime: 31557600,
      infinite_token_lifetime: true, infinite_idle_token_lifetime: false, idle_token_lifetime: 2592000,
    };
  }
  if (!firstParty) {
    return {
      rotation_type: 'rotating', expiration_type: 'expiring', leeway: 0, token_lifetime: 2592000,
      infinite_token_lifetime: false, infinite_idle_token_lifetime: false, idle_token_lifetime: 1296000,
    };
  }
  const secretPost = authMethod === 'client_secret_post';
  return {
    rotation_type: 'non-rotating', expiration_type: 'non-expiring', leeway: 0,
    token_lifetime: secretPost ? 31557600 : 2592000,
    infinite_token_lifetime: true, infinite_idle_token_lifetime: true,
    idle_token_lifetime: secretPost ? 2592000 : 1296000,
  };
}

/** A refresh_token sent as `expiring` without the infinite flags gets them switched off (recorded, Go-Auth0 1.19). */
function refreshTokenFor(firstParty: boolean, authMethod: unknown, sent: unknown): Json {
  const defaults = defaultRefreshToken(firstParty, authMethod);
  if (!isPlainObject(sent)) return defaults;
  if (sent.expiration_type === 'expiring') {
    defaults.infinite_token_lifetime = false;
    defaults.infinite_idle_token_lifetime = false;
  }
  return { ...defaults, ...sent };
}

function defaultJwtConfiguration(appType: unknown, strictThirdParty: boolean): Json {
  if (strictThirdParty) return { secret_encoded: false, alg: 'RS256', lifetime_in_seconds: 3600 };
  if (appType === 'resource_server' || appType === 'express_configuration') return { secret_encoded: false, alg: 'RS256' };
  return { secret_encoded: false, lifetime_in_seconds: 36000 };
}

function signingKeys(tenant: string): Json[] {
  return [{ cert: placeholderPem('CERTIFICATE'), key: placeholderPem('PRIVATE KEY'), pkcs7: placeholderPem('PKCS7'), subject: `/CN=${tenant}.us.auth0.com` }];
}

/**
 * Credentials sent inline on create (`client_authentication_methods.*.credentials`, `signed_request_object.credentials`)
 * become credential objects; the create answer lists them whole (recorded: 30 creates), later reads only by `{id}`.
 */
function storeInlineCredentials(record: Json): void {
  for (const holder of credentialHolders(record)) {
    holder.credentials = (holder.credentials as unknown[]).map((credential) =>
      isPlainObject(credential) && credential.id === undefined ? newCredential(credential) : credential,
    );
  }
}

function checkClientBody(body: Json): void {
  for (const key of ['callbacks', 'allowed_logout_urls', 'web_origins', 'allowed_origins', 'grant_types', 'client_aliases', 'allowed_clients']) {
    optionalStringArray(body, key);
  }
  // The SDK's ClientRefreshTokenConfiguration requires both (create and update share it); every recorded body
  // sending refresh_token carries them. The description is the API's for refresh_token (as auth0-deploy-cli quotes it).
  if (isPlainObject(body.refresh_token)) {
    for (const key of ['rotation_type', 'expiration_type']) {
      if (body.refresh_token[key] === undefined) throw invalidBody(`Missing required property: ${key}`, 'refresh_token (Refresh token configuration)');
    }
  }
  // Recorded: a default_organization naming only flows, or only organization_id, answered 400.
  const defaultOrganization = body.default_organization;
  if (isPlainObject(defaultOrganization)) {
    for (const key of ['organization_id', 'flows']) {
      if (defaultOrganization[key] === undefined) throw invalidBody(`Missing required property: ${key}`, 'default_organization');
    }
  }
}

/**
 * `oidc_backchannel_logout` is the older name of `oidc_logout.backchannel_logout_urls`; Auth0 answers both and
 * keeps them in step (recorded: every answer with `oidc_logout` URLs also shows `oidc_backchannel_logout`).
 */
function syncBackchannelLogout(record: Json, sent: Json): void {
  if (sent.oidc_backchannel_logout === null) {
    delete record.oidc_logout;
    delete record.oidc_backchannel_logout;
    return;
  }
  const sentUrls = isPlainObject(sent.oidc_backchannel_logout) ? sent.oidc_backchannel_logout.backchannel_logout_urls : undefined;
  if (sent.oidc_logout === undefined && Array.isArray(sentUrls)) {
    record.oidc_logout = { ...(isPlainObject(record.oidc_logout) ? record.oidc_logout : {}), backchannel_logout_urls: sentUrls };
  }
  const logout = record.oidc_logout;
  if (isPlainObject(logout) && Array.isArray(logout.backchannel_logout_urls)) {
    record.oidc_backchannel_logout = { backchannel_logout_urls: clone(logout.backchannel_logout_urls) };
  }
}

/** Builds the stored record for POST /clients (also used for seeding). */
export function createClientRecord(input: unknown, context: ClientContext, extra: { global?: boolean } = {}): Json {
  const body = clone(requireObject(input));
  rejectUnknownKeys(body, clientCreateFields);
  const name = requireString(body, 'name');
  checkClientBody(body);
  const firstParty = body.is_first_party !== false;
  const appType = body.app_type;
  const record: Json = {
    tenant: context.tenant,
    global: extra.global === true,
    is_token_endpoint_ip_header_trusted: body.is_token_endpoint_ip_header_trusted ?? false,
    name,
  };
  for (const [key, value] of Object.entries(body)) {
    if (!serverPlacedKeys.has(key) && value !== null) record[key] = value;
  }
  if ((appType === 'spa' || appType === 'native') && record.token_endpoint_auth_method === undefined) {
    record.token_endpoint_auth_method = 'none';
  }
  if (appType === 'express_configuration') {
    record.callbacks ??= ['https://system-admin.okta.com/admin/app/generic/oauth20redirect'];
    record.organization_usage ??= 'require';
    // Recorded with Go-Auth0 1.31-1.32: an express configuration app starts with these when not sent.
    record.organization_require_behavior ??= 'pre_login_prompt';
    record.client_authentication_methods ??= { private_key_jwt: { credentials: [] } };
  }
  // Third-party apps get a security mode; `strict` ones get `tpc_` ids and short-lived RS256 tokens (recorded, Go-Auth0 1.38-1.45).
  if (!firstParty) record.third_party_security_mode ??= 'permissive';
  const strictThirdParty = !firstParty && record.third_party_security_mode === 'strict';
  if (isPlainObject(body.session_transfer)) record.session_transfer = mergeWithoutNulls(sessionTransferDefaults, body.session_transfer);
  syncBackchannelLogout(record, body);
  const crossOrigin = body.cross_origin_authentication ?? false;
  record.cross_origin_authentication = crossOrigin;
  record.is_first_party = firstParty;
  record.oidc_conformant =
    body.oidc_conformant ?? (!firstParty || appType === 'express_configuration' || appType === 'resource_server');
  record.refresh_token = refreshTokenFor(firstParty, body.token_endpoint_auth_method, body.refresh_token);
  record.sso_disabled = body.sso_disabled ?? false;
  record.cross_origin_auth = crossOrigin;
  record.signing_keys = signingKeys(context.tenant);
  record.client_id = strictThirdParty ? newThirdPartyClientId() : newClientId();
  record.callback_url_template = false;
  record.client_secret = newClientSecret();
  record.jwt_configuration = { ...defaultJwtConfiguration(appType, strictThirdParty), ...(isPlainObject(body.jwt_configuration) ? body.jwt_configuration : {}) };
  record.grant_types = body.grant_types ?? defaultGrantTypes(appType, firstParty);
  record.custom_login_page_on = body.custom_login_page_on ?? true;
  storeInlineCredentials(record);
  return record;
}

/**
 * Members of `jwt_configuration` a PATCH may carry. `secret_encoded` comes back on every read but is a create-time
 * setting: Auth0's update schema has only these three (node-auth0 v4 `ClientUpdateJwtConfiguration`; auth0-deploy-cli
 * strips `jwt_configuration.secret_encoded` from client updates, the Terraform provider sends it only on create).
 */
const jwtConfigurationUpdateFields: ReadonlySet<string> = new Set(['lifetime_in_seconds', 'scopes', 'alg']);

/**
 * Auth0's validator names a nested property with its schema description (recorded: "... on property
 * groups[0].email (Google Workspace Directory group email)."); this is the API's description of jwt_configuration.
 */
const JWT_CONFIGURATION_DESCRIPTION = 'An object that holds settings related to how JWTs are created';

function checkJwtConfigurationUpdate(body: Json): void {
  const sent = body.jwt_configuration;
  if (!isPlainObject(sent)) return;
  const refused = Object.keys(sent).filter((key) => !jwtConfigurationUpdateFields.has(key));
  if (refused.length > 0) {
    throw invalidBody(`Additional properties not allowed: ${refused.join(',')}`, `jwt_configuration (${JWT_CONFIGURATION_DESCRIPTION})`);
  }
}

/** Applies a PATCH body to a stored record; returns the new record. */
export function updateClientRecord(record: Json, input: unknown): Json {
  const body = clone(requireObject(input));
  rejectUnknownKeys(body, clientUpdateFields);
  checkJwtConfigurationUpdate(body);
  if (body.name !== undefined) requireString(body, 'name');
  checkClientBody(body);
  const next = clone(record);
  for (const [key, value] of Object.entries(body)) {
    if (value === null) delete next[key];
    else if (key === 'session_transfer' && isPlainObject(value)) {
      next[key] = mergeWithoutNulls(isPlainObject(next[key]) ? next[key] : sessionTransferDefaults, value);
    } else if (mergedOnUpdate.has(key) && isPlainObject(value) && isPlainObject(next[key])) next[key] = mergeWithoutNulls(next[key], value);
    else next[key] = value;
  }
  if (body.cross_origin_authentication !== undefined) next.cross_origin_auth = next.cross_origin_authentication ?? false;
  syncBackchannelLogout(next, body);
  return next;
}

export function rotateClientSecret(record: Json): Json {
  return { ...clone(record), client_secret: newClientSecret() };
}

export interface ClientView {
  /** POST answers carry `encrypted` and the private part of the signing key, as Auth0's do. */
  created?: boolean;
  /** Reads show the signing key's subject as "deprecated"; write answers show the real one (recorded traffic). */
  read?: boolean;
  withSecret: boolean;
}

export function renderClient(record: Json, view: ClientView): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === 'client_secret' && !view.withSecret) continue;
    if (key === 'signing_keys' && Array.isArray(value)) {
      if (view.created) out.encrypted = true;
      out.signing_keys = value.map((signingKey: Json) =>
        view.created
          ? { ...signingKey }
          : { cert: signingKey.cert, pkcs7: signingKey.pkcs7, subject: view.read ? 'deprecated' : signingKey.subject },
      );
      continue;
    }
    out[key] = clone(value);
  }
  return out;
}

/** `fields`/`include_fields` projection shared by list and get. */
export function projectFields(object: Json, fields: string[] | undefined, include: boolean): Json {
  if (!fields || fields.length === 0) return object;
  const wanted = new Set(fields);
  const out: Json = {};
  for (const [key, value] of Object.entries(object)) {
    if (wanted.has(key) === include) out[key] = value;
  }
  return out;
}
