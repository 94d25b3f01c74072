// The shape of one entry of the kind registry (src/model/kinds.ts): everything the layers need to know about a
// resource kind, from its files and key to how it is read, compared, ordered and protected. The planner, apply,
// the renderers, the config reader and export read these specs, so a kind is added in one place.
import type { TenantSnapshot } from './snapshot.js';
import type { Kind } from './types.js';

/** How undeclared objects of a kind are treated, set per kind in the config. */
export type UndeclaredPolicy = 'ignore' | 'managed' | 'all';
/** The config's plural name for a kind (`undeclared:` keys, `--target` prefixes, folders). */
export type KindGroup = string;

/** The raw lists of a TenantSnapshot, one per kind. */
export type SnapshotList = { [K in keyof TenantSnapshot]-?: NonNullable<TenantSnapshot[K]> extends Record<string, unknown>[] ? K : never }[keyof TenantSnapshot];

/** What reading a raw object of another kind may need: names and ownership of the tenant's applications by client id. */
export interface ReadContext {
  snapshot: TenantSnapshot;
  /** Application name of a client id (the id itself when unknown). */
  clientName(clientId: string): string;
  /** Whether the client is one tenantctl manages. */
  clientManaged(clientId: string): boolean;
}

/** Another object a declared one refers to: it must be written first, and skipping it skips this one. */
export interface Reference {
  kind: Kind;
  key: string;
}

export interface KindSpec {
  kind: Kind;
  /** The config's name for the kind, also the key of the `undeclared` policy and the `--target` prefix. */
  group: KindGroup;
  /** How people call it: `API`/`APIs`, and what its key is (`identifier`). */
  names: { one: string; many: string; keyName: string; /** How a key is written after `--target GROUP/` (default: the key name in capitals). */ keyForm?: string };
  /** Declared in its own files: `tenant/<folder>/*.yaml`, checked by `schemas/<schema>`, keyed by `keyField`. */
  files?: { folder: string; schema: string; keyField: string };
  /**
   * Creates and updates run in ascending phase, deletes in the reverse (src/model/kinds.ts derives the orders).
   * A kind's phase is after the phases of every kind its references point to.
   */
  phase: number;
  /** Kinds its objects refer to (checked against the phases by the registry test). */
  dependsOn: readonly Kind[];
  /** The `undeclared:` policy when tenant.yaml sets none. */
  undeclaredDefault: UndeclaredPolicy;
  /** The objects a declared one refers to, from its declared fields. */
  references(fields: Record<string, unknown>): Reference[];
  /**
   * The request body from a plan payload: references by name become Auth0 ids (`idOf` throws for an unknown one).
   * Pure; apply calls it just before sending.
   */
  toRequest(body: Record<string, unknown>, idOf: (kind: Kind, key: string) => string): Record<string, unknown>;
  /**
   * Its collection in the Management API (`/api/v2/<path>`): what src/remote's adapter reads and writes and the
   * emulator serves.
   */
  path: string;
  /**
   * A kind added after tenantctl's setup scopes were settled: a token without this scope reads none of its objects,
   * and declared ones are skipped with a note instead of failing every plan.
   */
  optionalReadScope?: string;
  /** How its objects are read from a TenantSnapshot. */
  read: {
    list: SnapshotList;
    /** The member holding Auth0's id. */
    idField: string;
    key(raw: Record<string, unknown>, context: ReadContext): string;
    /** The fields the planner compares (default: the raw object). */
    fields?(raw: Record<string, unknown>, context: ReadContext): Record<string, unknown>;
    /** An Auth0 system object or the tool's own client: never written, never deleted. */
    isSystem(raw: Record<string, unknown>, snapshot: TenantSnapshot): boolean;
    /** Counts as tenantctl's (may be deleted when no longer declared); system objects never are. */
    managed(raw: Record<string, unknown>, context: ReadContext): boolean;
    /** Top-level fields the read could not see (left out for lack of a scope): neither compared nor written from a guess. */
    unread?(raw: Record<string, unknown>): string[] | undefined;
  };
  /** A key naming a system object even when the tenant has none yet (the tenant's Management API), given the domain. */
  systemKey?(key: string, domain: string): boolean;
  /** Why a system object of this kind is never written, shown next to a skipped declaration. */
  systemReason(fields: Record<string, unknown>): string;
  /** Its objects are deleted by Auth0 with an object of another kind (grants with their application): that delete is not planned. */
  deletedWith?: { kind: Kind; idField: string };
  /** The object a key belongs to, for `--target` of the owner (a grant's application). */
  ownerOf?(key: string): Reference | undefined;
  /**
   * Its deletion destroys data beyond the object (a database connection's users), so apply needs the object named
   * with --allow-destroy-connection: what the object is and what it loses, or undefined when nothing is lost.
   */
  destroysData?(live: Record<string, unknown>): { object: string; loses: string } | undefined;
  /**
   * Auth0 deletes it in the background: after a delete, a create with the same key answers 409 for a while, so the
   * create of a replace is tried again (a 409 is a definite "not created").
   */
  deletedInBackground?: boolean;
  /** Set by Auth0: never compared, never sent. */
  readOnly: ReadonlySet<string>;
  /** Can only change by deleting and creating the object again. */
  immutable: ReadonlySet<string>;
  /** Declared fields the planner handles on its own, not as Auth0 fields (references, enablement). */
  notCompared: ReadonlySet<string>;
  /** Declared fields that must not be in the create body. */
  notSent: ReadonlySet<string>;
  /** Dotted paths of lists whose order means nothing. */
  setPaths: ReadonlySet<string>;
  /** For sets of objects: the member that identifies an element (API scopes by `value`). */
  setElementKey: Readonly<Record<string, string>>;
  /** Top-level fields repeated in every update body because Auth0 resets them when omitted. */
  alwaysSentOnUpdate: readonly string[];
  /**
   * How a PATCH treats each object-valued field: `merge` (Auth0 keeps the members a PATCH leaves out, so only
   * the changed members are sent) or `whole` (Auth0 replaces the object, or requires members of it, so the live
   * value overlaid with the declared one is sent). Unlisted object fields are sent whole.
   */
  updateShape: Readonly<Record<string, 'merge' | 'whole'>>;
  /** Dotted paths Auth0 returns on reads but refuses in a PATCH body (create-only settings): never in an update. */
  refusedOnUpdate: readonly string[];
  /** The object field holding the ownership marker, when the kind has one. */
  markerField?: 'client_metadata' | 'metadata';
  /**
   * What Auth0 fills in when a field is absent, given the live object (defaults can depend on its type). Callers only
   * read the result, so a spec may hand out the same frozen object for every live object (see `frozen`).
   */
  serverDefaults(live: Record<string, unknown>): Record<string, unknown>;
}

/** The ownership marker written into `client_metadata` / `metadata` of objects tenantctl created or adopted. */
export const MARKER_KEY = 'managed_by';
export const MARKER_VALUE = 'tenantctl';

/** Whether a marker holder (client_metadata / metadata) carries tenantctl's marker. */
export function carriesMarker(holder: unknown): boolean {
  return holder !== null && typeof holder === 'object' && !Array.isArray(holder) && (holder as Record<string, unknown>)[MARKER_KEY] === MARKER_VALUE;
}

/** The text of a member, '' when it is not a string. */
export function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * Spec data made once and shared by every object of the kind (server defaults), frozen at every level so that no
 * caller can change it for the others. The planner asks for every object's defaults, so building them anew each
 * time would cost a large tenant tens of thousands of copies.
 */
export function frozen<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const member of Object.values(value)) frozen(member);
    Object.freeze(value);
  }
  return value;
}

/** A toRequest for kinds whose payload already is the request body. */
export function sameBody(body: Record<string, unknown>): Record<string, unknown> {
  return body;
}
