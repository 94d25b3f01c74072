// The Plan: pure data, saved as versioned JSON, read by the renderers and by apply.
// Top-level keys are snake_case because they are the saved file's format; see docs in plan.ts.
import type { KindGroup, UndeclaredPolicy } from '../model/kind-spec.js';
import { defaultUndeclared, type ChangeKind } from '../model/kinds.js';
import type { Key, Kind, SourceRef } from '../model/types.js';

export const PLAN_FORMAT_VERSION = 1;

/** `enablement` is the set of applications enabled on a connection, applied as its own step. */
export type { ChangeKind } from '../model/kinds.js';
export type Action = 'create' | 'update' | 'replace' | 'delete';

/** One changed field. Secret values never appear: `sensitive` is set and values are omitted. */
export interface FieldChange {
  /** Dotted path from the object root, e.g. `jwt_configuration.lifetime_in_seconds`. */
  path: string;
  before?: unknown;
  after?: unknown;
  /** For set-valued lists: elements only in the desired / only in the live list. */
  added?: unknown[];
  removed?: unknown[];
  sensitive?: boolean;
  /** An immutable field: changing it is why the object is replaced. */
  forcesReplacement?: boolean;
}

/** A value in a payload that apply must fill in from the config (`desired`) or the re-read tenant (`live`). */
export interface SensitivePlaceholder {
  $sensitive: { from: 'desired' | 'live'; path: string };
}

/** The enablement step's body: application NAMES, resolved to client ids by apply. */
export interface EnablementPayload {
  add: string[];
  remove: string[];
}

export interface Change {
  kind: ChangeKind;
  key: Key;
  action: Action;
  /** Live id, for update, replace (the object deleted first) and delete. */
  id?: string;
  /** Why a replace is needed, or other context shown next to the action. */
  reason?: string;
  fields: FieldChange[];
  /** Declared fields compared and found equal (shown as a hidden count). */
  unchanged: number;
  /** Refs (`kind:key`, see changeRef) of changes that must run before this one. */
  dependsOn: string[];
  /**
   * The request body apply sends. create/replace: the full desired body plus the ownership marker;
   * update: only changed top-level fields (whole merged objects for `options` and metadata);
   * grants name their application in `client` for apply to resolve; enablement: EnablementPayload;
   * delete: null. Secrets are SensitivePlaceholders.
   */
  payload: Record<string, unknown> | null;
  /** Deletes and replaces destroy something: apply runs them only with --allow-delete (the same as impact.deletes). */
  requiresAllowDelete: boolean;
  /** What the change does beyond its fields, computed once by the planner; renderers and apply's safety checks read it. */
  impact: Impact;
  at?: SourceRef;
}

/** The typed consequences of a change (cloudformation-diff's ResourceImpact, Terraform's Action). */
export interface Impact {
  /** An object is deleted (a delete, or the first half of a replace): apply runs it only with --allow-delete. */
  deletes: boolean;
  /** The object is deleted and created again, under a new Auth0 id. */
  replaces: boolean;
  /**
   * Deleting it destroys data Auth0 keeps with it (a database connection's users): apply runs it only when the
   * object is named with --allow-destroy-connection.
   */
  destroysData?: { object: string; loses: string };
}

export interface SkippedObject {
  kind: Kind;
  key: Key;
  reason: string;
}

/** Something the plan could not check or will do on its own account, said next to the changes. */
export interface PlanNote {
  kind: ChangeKind;
  key: Key;
  message: string;
}

export interface PlanSummary {
  /** Terraform's counting: a replace counts once in `add` and once in `destroy`, and in `replace`. */
  add: number;
  change: number;
  destroy: number;
  replace: number;
  /** Declared objects that already match the tenant. */
  unchanged: number;
}

export interface PlanStats {
  /** Management API read requests made to build the snapshot; filled by the caller. */
  reads: number | null;
  /** Live objects per kind in the snapshot. */
  objects: Record<Kind, number>;
}

export interface Plan {
  format_version: typeof PLAN_FORMAT_VERSION;
  environment: string;
  domain: string;
  config_hash: string;
  live_fingerprint: string;
  /** Already in a valid apply order. */
  changes: Change[];
  skipped: SkippedObject[];
  /** Declared fields that were not compared because the tenant could not be read for them, and similar notes. */
  notes: PlanNote[];
  summary: PlanSummary;
  stats: PlanStats;
}

export type UndeclaredPolicies = Record<KindGroup, UndeclaredPolicy>;

export interface PlanOptions {
  undeclared: UndeclaredPolicies;
  environment: string;
  /** The domain the tenant was read from (a loopback emulator may stand in for the environment's). */
  domain: string;
  /**
   * The environment's domain from tenant.yaml, when it differs from `domain`: grants the config
   * declares to its Management API then mean the Management API of the tenant actually read.
   */
  environmentDomain?: string;
  configHash: string;
}

/** Each kind's default from the registry, when tenant.yaml sets no `undeclared:` policy. */
export const DEFAULT_UNDECLARED: UndeclaredPolicies = defaultUndeclared();

export function changeRef(change: Pick<Change, 'kind' | 'key'>): string {
  return `${change.kind}:${change.key}`;
}
