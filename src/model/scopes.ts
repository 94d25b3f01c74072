// The Management API scopes tenantctl's own machine-to-machine application needs, in one place: the setup texts
// (README, this repository's workflows, the files `init` writes) are checked against these lists.
import { OPTIONS_READ_SCOPE, OPTIONS_UPDATE_SCOPE } from './connection.js';

/** Enough for `plan`, `export` and the drift check. The options scope exists since Auth0's "connection options
 * scope" migration; `read:tenant_settings` reads flags.enable_client_connections. */
export const READ_SCOPES = [
  'read:clients',
  'read:connections',
  OPTIONS_READ_SCOPE,
  'read:resource_servers',
  'read:client_grants',
  'read:tenant_settings',
] as const;

/** What `apply` needs on top of reading, per kind in apply order. */
export const WRITE_SCOPES = [
  'create:clients', 'update:clients', 'delete:clients',
  'create:connections', 'update:connections', 'delete:connections', OPTIONS_UPDATE_SCOPE,
  'create:resource_servers', 'update:resource_servers', 'delete:resource_servers',
  'create:client_grants', 'update:client_grants', 'delete:client_grants',
] as const;

/**
 * What managing organizations needs on top (read and write). Optional: a token without `read:organizations` still
 * plans, reading no organization and skipping declared ones (the organization spec's optionalReadScope).
 */
export const ORGANIZATION_SCOPES = [
  'read:organizations', 'create:organizations', 'update:organizations', 'delete:organizations',
  'read:organization_connections', 'create:organization_connections', 'update:organization_connections', 'delete:organization_connections',
] as const;

/** A scope list as a comment block of at most `width` characters per line, each line starting with `prefix`. */
export function scopeLines(scopes: readonly string[], prefix: string, width = 110): string[] {
  const lines: string[] = [];
  let line = prefix;
  for (const scope of scopes) {
    if (line.length > prefix.length && line.length + 1 + scope.length > width) {
      lines.push(line);
      line = prefix;
    }
    line += line.length > prefix.length ? ` ${scope}` : scope;
  }
  if (line.length > prefix.length) lines.push(line);
  return lines;
}
