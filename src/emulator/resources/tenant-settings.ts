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

/** Top-level settings a PATCH may carry (node-auth0 v7 UpdateTenantSettingsRequestContent, the part kept here). */
const updatable = new Set([
  'flags', 'friendly_name', 'picture_url', 'support_email', 'support_url', 'allowed_logout_urls', 'session_lifetime',
  'idle_session_lifetime', 'default_audience', 'default_directory', 'sandbox_version', 'enabled_locales',
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
