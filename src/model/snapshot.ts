// The live tenant as the remote layer reads it (raw Management API objects), and its conversion to
// LiveObjects keyed by natural key with the system and ownership flags the planner relies on, each as the kind
// registry's spec says (src/model/kinds.ts).
import { createHash } from 'node:crypto';
import { canonicalWriter, compareText } from './canonical.js';
import { textOf, type ReadContext } from './kind-spec.js';
import { KIND_SPECS, KINDS } from './kinds.js';
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
  /** Absent when not read (a snapshot built by hand); readSnapshot always reads them. */
  organizations?: Record<string, unknown>[];
  /** Organization id -> its enabled connections as Auth0 lists them, only for organizations whose connections were read. */
  organizationConnections?: Record<string, Record<string, unknown>[]>;
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

/** Application names and ownership by client id, for kinds whose objects name a client. */
export function readContext(snapshot: TenantSnapshot): ReadContext {
  const spec = KIND_SPECS.application;
  const names = new Map(snapshot.clients.map((client) => [textOf(client.client_id), textOf(client.name)]));
  const managed = new Set<string>();
  const context: ReadContext = { snapshot, clientName: (id) => names.get(id) ?? id, clientManaged: (id) => managed.has(id) };
  for (const client of snapshot.clients) {
    if (!spec.read.isSystem(client, snapshot) && spec.read.managed(client, context)) managed.add(textOf(client.client_id));
  }
  return context;
}

/** Keys every live object by its natural key, with the system and ownership flags, as each kind's spec reads it. */
export function toLiveObjects(snapshot: TenantSnapshot): LiveObject[] {
  const context = readContext(snapshot);
  const live: LiveObject[] = [];
  for (const kind of KINDS) {
    const { read } = KIND_SPECS[kind];
    for (const raw of snapshot[read.list] ?? []) {
      const system = read.isSystem(raw, snapshot);
      live.push({
        kind,
        key: read.key(raw, context),
        id: textOf(raw[read.idField]),
        // Shared with the snapshot, not copied: nothing changes a read object, and a large tenant has tens of thousands.
        fields: read.fields ? read.fields(raw, context) : raw,
        system,
        managed: !system && read.managed(raw, context),
        ...(read.unread?.(raw)?.length ? { unread: read.unread(raw) } : {}),
      });
    }
  }
  return live;
}

/** Ids of the snapshot's objects that must never be written, by every kind's system-object test. */
export function systemIds(snapshot: TenantSnapshot): Set<string> {
  const ids = new Set<string>([snapshot.ownClientId]);
  for (const kind of KINDS) {
    const { read } = KIND_SPECS[kind];
    for (const raw of snapshot[read.list] ?? []) if (read.isSystem(raw, snapshot)) ids.add(textOf(raw[read.idField]));
  }
  return ids;
}

/** The raw object of a kind with this id, as read. */
export function rawById(snapshot: TenantSnapshot, kind: Kind, id: string): Record<string, unknown> | undefined {
  const { read } = KIND_SPECS[kind];
  return (snapshot[read.list] ?? []).find((raw) => textOf(raw[read.idField]) === id);
}

/** The live objects under each ref (`kind:key`): usually one, several when live objects share a key. */
export function liveByRef(live: readonly LiveObject[]): Map<string, LiveObject[]> {
  const byRef = new Map<string, LiveObject[]>();
  for (const object of live) {
    const ref = objectRef(object.kind, object.key);
    const same = byRef.get(ref);
    if (same) same.push(object);
    else byRef.set(ref, [object]);
  }
  return byRef;
}

/**
 * A stable hash of the live objects a plan depends on: each ref in `scope`, present or absent, with the objects
 * `liveByRef` holds under it. Objects outside the scope may change freely without making a saved plan stale.
 */
export function fingerprintLive(byRef: ReadonlyMap<string, readonly LiveObject[]>, scope: Iterable<string>): string {
  // The hash of canonicalJson([[ref, matches], ...]), fed entry by entry: the whole text of a large tenant
  // would be tens of megabytes held at once. The default sort compares UTF-16 code units, as compareText does.
  const hash = createHash('sha256').update('[');
  const canonical = canonicalWriter();
  const refs = scope instanceof Set ? [...(scope as Set<string>)] : [...new Set(scope)];
  refs.sort().forEach((ref, index) => {
    const matches = (byRef.get(ref) ?? []).map((object) => ({ id: object.id, fields: object.fields }));
    if (matches.length > 1) matches.sort((a, b) => compareText(a.id, b.id));
    // The separator goes in on its own: joined to the entry, it would make a copy of the entry's whole text.
    if (index > 0) hash.update(',');
    hash.update(canonical.json([ref, matches]));
  });
  return `sha256:${hash.update(']').digest('hex')}`;
}

export function countByKind(live: readonly LiveObject[]): Record<Kind, number> {
  const counts = Object.fromEntries(KINDS.map((kind) => [kind, 0])) as Record<Kind, number>;
  for (const object of live) counts[object.kind] += 1;
  return counts;
}
