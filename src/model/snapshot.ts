// The live tenant as the remote layer reads it (raw Management API objects), and its conversion to
// LiveObjects keyed by natural key with the system and ownership flags the planner relies on.
import { LOCK_API_IDENTIFIER, managementApiIdentifier } from './api.js';
import { canonicalJson, compareText, isPlainObject, sha256Hex } from './canonical.js';
import { grantKey, subjectTypeOf } from './grant.js';
import { MARKER_KEY, MARKER_VALUE } from './kind-spec.js';
import type { Kind, LiveObject } from './types.js';

export interface TenantSnapshot {
  domain: string;
  /** The tool's own client (from AUTH0_CLIENT_ID): never written. */
  ownClientId: string;
  /** Raw client objects as the Management API returns them (no client_secret). */
  clients: Record<string, unknown>[];
  connections: Record<string, unknown>[];
  /** Connection id -> enabled client ids, only for connections whose enablement was read. */
  enabledClients: Record<string, string[]>;
  resourceServers: Record<string, unknown>[];
  clientGrants: Record<string, unknown>[];
  /**
   * The tenant's `flags.enable_client_connections`: true makes Auth0 enable every new application on every existing
   * connection. null: it could not be read (the token lacks read:tenant_settings); absent: not read, because the
   * configuration creates no application.
   */
  enableClientConnections?: boolean | null;
}

/** `kind:key`, unique across kinds (an application and a connection may share a name). */
export function objectRef(kind: string, key: string): string {
  return `${kind}:${key}`;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function carriesMarker(holder: unknown): boolean {
  return isPlainObject(holder) && holder[MARKER_KEY] === MARKER_VALUE;
}

/**
 * Keys every live object by its natural key. Connection `enabled_clients` becomes the sorted
 * application NAMES from the enablement read, and is absent when enablement was not read.
 */
export function toLiveObjects(snapshot: TenantSnapshot): LiveObject[] {
  const clientNameById = new Map<string, string>();
  const managedClientIds = new Set<string>();
  const live: LiveObject[] = [];

  for (const client of snapshot.clients) {
    const id = text(client.client_id);
    const name = text(client.name);
    clientNameById.set(id, name);
    const system = client.global === true || id === snapshot.ownClientId;
    const managed = !system && carriesMarker(client.client_metadata);
    if (managed) managedClientIds.add(id);
    live.push({ kind: 'application', key: name, id, fields: { ...client }, system, managed });
  }

  for (const connection of snapshot.connections) {
    const id = text(connection.id);
    const fields: Record<string, unknown> = { ...connection };
    delete fields.enabled_clients;
    const enabledIds = snapshot.enabledClients[id];
    if (enabledIds) {
      fields.enabled_clients = enabledIds.map((clientId) => clientNameById.get(clientId) ?? clientId).sort(compareText);
    }
    live.push({
      kind: 'connection',
      key: text(connection.name),
      id,
      fields,
      system: false,
      managed: carriesMarker(connection.metadata),
      // Auth0 leaves `options` out unless the token has read:connections_options ("connection options scope" migration).
      ...('options' in connection ? {} : { unread: ['options'] }),
    });
  }

  const managementApi = managementApiIdentifier(snapshot.domain);
  for (const api of snapshot.resourceServers) {
    const identifier = text(api.identifier);
    live.push({
      kind: 'api',
      key: identifier,
      id: text(api.id),
      fields: { ...api },
      system: api.is_system === true || identifier === managementApi || identifier === LOCK_API_IDENTIFIER,
      managed: false,
    });
  }

  for (const grant of snapshot.clientGrants) {
    const clientId = text(grant.client_id);
    const clientName = clientNameById.get(clientId) ?? clientId;
    const system = grant.is_system === true || clientId === '' || clientId === snapshot.ownClientId;
    live.push({
      kind: 'grant',
      key: grantKey(clientName, text(grant.audience), subjectTypeOf(grant)),
      id: text(grant.id),
      fields: { ...grant },
      system,
      managed: !system && managedClientIds.has(clientId),
    });
  }
  return live;
}

/**
 * A stable hash of the live objects a plan depends on: each ref in `scope`, present or absent.
 * Objects outside the scope may change freely without making a saved plan stale.
 */
export function fingerprintLive(live: readonly LiveObject[], scope: Iterable<string>): string {
  const byRef = new Map<string, LiveObject[]>();
  for (const object of live) {
    const ref = objectRef(object.kind, object.key);
    byRef.set(ref, [...(byRef.get(ref) ?? []), object]);
  }
  const entries = [...new Set(scope)].sort(compareText).map((ref) => {
    const matches = (byRef.get(ref) ?? []).map((object) => ({ id: object.id, fields: object.fields }));
    matches.sort((a, b) => compareText(a.id, b.id));
    return [ref, matches];
  });
  return `sha256:${sha256Hex(canonicalJson(entries))}`;
}

export function countByKind(live: readonly LiveObject[]): Record<Kind, number> {
  const counts: Record<Kind, number> = { api: 0, application: 0, connection: 0, grant: 0 };
  for (const object of live) counts[object.kind] += 1;
  return counts;
}
