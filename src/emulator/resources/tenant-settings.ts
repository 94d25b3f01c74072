// Tenant settings: `GET`/`PATCH /api/v2/tenants/settings`. Only what a tenant's behaviour here depends on is
// modelled: `flags.enable_client_connections`, which makes Auth0 enable every new application on every connection.
import type { Json } from '../collection.js';
import { invalidBody } from '../errors.js';
import { clone, isPlainObject, rejectUnknownKeys, requireObject, typeOf } from './validate.js';

/**
 * A new tenant's settings. `enable_client_connections` defaults to true: node-auth0 v7's TenantSettingsFlags says
 * "Whether all current connections should be enabled when a new client (application) is created (true, default) or
 * not (false)", and auth0.net's TenantFlags "Default value is true". The other values are what a new tenant answered
 * in auth0-deploy-cli's own export recording, so that tool's export and import run unmodified.
 */
export function defaultTenantSettings(): Json {
  return {
    enabled_locales: ['en'],
    sandbox_version: '22',
    session_lifetime: 168,
    idle_session_lifetime: 72,
    flags: { enable_client_connections: true },
  };
}

/** Top-level settings a PATCH may carry: every member of node-auth0 v7's UpdateTenantSettingsRequestContent. */
const updatable = new Set([
  'change_password', 'device_flow', 'guardian_mfa_page', 'default_audience', 'default_directory', 'error_page',
  'default_token_quota', 'flags', 'friendly_name', 'picture_url', 'support_email', 'support_url', 'allowed_logout_urls',
  'session_lifetime', 'session_lifetime_in_minutes', 'idle_session_lifetime', 'idle_session_lifetime_in_minutes',
  'ephemeral_session_lifetime', 'idle_ephemeral_session_lifetime', 'ephemeral_session_lifetime_in_minutes',
  'idle_ephemeral_session_lifetime_in_minutes', 'sandbox_version', 'legacy_sandbox_version', 'default_redirection_uri',
  'enabled_locales', 'security_headers', 'session_cookie', 'sessions', 'oidc_logout', 'customize_mfa_in_postlogin_action',
  'allow_organization_name_in_authentication_api', 'acr_values_supported', 'mtls', 'pushed_authorization_requests_supported',
  'authorization_response_iss_parameter_supported', 'skip_non_verifiable_callback_uri_confirmation_prompt',
  'resource_parameter_profile', 'client_id_metadata_document_supported', 'enable_ai_guide', 'phone_consolidated_experience',
  'include_session_metadata_in_tenant_logs', 'dynamic_client_registration_security_mode', 'country_codes',
]);

/** PATCH semantics: `flags` members merge into the stored flags (one flag can be set alone); other fields replace. */
export function updateTenantSettings(settings: Json, input: unknown): Json {
  const body = clone(requireObject(input));
  rejectUnknownKeys(body, updatable);
  const next = clone(settings);
  for (const [key, value] of Object.entries(body)) {
    if (key === 'flags') {
      if (!isPlainObject(value)) throw invalidBody(`Expected type object but found type ${typeOf(value)}`, 'flags');
      for (const [flag, setting] of Object.entries(value)) {
        if (typeof setting !== 'boolean') throw invalidBody(`Expected type boolean but found type ${typeOf(setting)}`, `flags.${flag}`);
      }
      next.flags = { ...(isPlainObject(next.flags) ? next.flags : {}), ...value };
    } else if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

export function enablesNewClientsEverywhere(settings: Json): boolean {
  return !isPlainObject(settings.flags) || settings.flags.enable_client_connections !== false;
}
