// The shape of a resource kind's rules: which fields are read-only, immutable, sets, defaults.
// src/plan reads only these specs, so a new Auth0 quirk is fixed in one kind file, not in the planner.
import type { Kind } from './types.js';

/** How undeclared objects of a kind are treated, set per kind in the config. */
export type UndeclaredPolicy = 'ignore' | 'managed' | 'all';
export type KindGroup = 'applications' | 'connections' | 'apis' | 'grants';

export interface KindSpec {
  kind: Kind;
  /** The config's name for the kind, also the key of the `undeclared` policy. */
  group: KindGroup;
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
  /** What Auth0 fills in when a field is absent, given the live object (defaults can depend on its type). */
  serverDefaults(live: Record<string, unknown>): Record<string, unknown>;
}

/** The ownership marker written into `client_metadata` / `metadata` of objects tenantctl created or adopted. */
export const MARKER_KEY = 'managed_by';
export const MARKER_VALUE = 'tenantctl';
