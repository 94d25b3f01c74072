// The Management API scopes the emulator knows and which one each route needs.
// A token carries the scopes of its client's grant to the Management API audience.

// organizations / organization_connections: the scopes of /organizations and its enabled_connections (Auth0 Management
// API reference, "Organizations": read:organizations ... delete:organization_connections).
const kinds = ['clients', 'connections', 'resource_servers', 'client_grants', 'client_keys', 'client_credentials', 'users', 'organizations', 'organization_connections'] as const;

/**
 * Scopes that only exist as read/update: connection options (Auth0 docs, "Migrate to Management API Connection
 * Options Scopes": `read:connections_options` / `update:connections_options`) and tenant settings
 * (`GET`/`PATCH /api/v2/tenants/settings` need `read:tenant_settings` / `update:tenant_settings`).
 */
export const CONNECTION_OPTIONS_READ = 'read:connections_options';
export const CONNECTION_OPTIONS_UPDATE = 'update:connections_options';
const readUpdateOnly = [CONNECTION_OPTIONS_READ, CONNECTION_OPTIONS_UPDATE, 'read:tenant_settings', 'update:tenant_settings'];

/** Every scope the emulator checks, in a stable order (also the system API's scope list). */
export const knownScopes: readonly string[] = [
  ...kinds.flatMap((kind) => ['read', 'create', 'update', 'delete'].map((verb) => `${verb}:${kind}`)),
  ...readUpdateOnly,
];

export type ScopedKind = (typeof kinds)[number];

const verbByMethod: Record<string, string> = { GET: 'read', POST: 'create', PATCH: 'update', DELETE: 'delete' };

export function scopeFor(method: string, kind: ScopedKind): string {
  return `${verbByMethod[method] ?? 'read'}:${kind}`;
}
