// The core vocabulary shared by config, validate, remote, plan, render and apply.
// Pure type declarations: every layer speaks in these shapes, none of them does I/O.

/** The resource kinds tenantctl manages, from the kind registry. */
export type { Kind } from './kinds.js';
import type { Kind } from './kinds.js';

/** A natural key: application/connection name, API identifier, or "app name -> api identifier" for grants. */
export type Key = string;

/** A position in a source file, 1-based line and column. */
export interface SourceRef {
  file: string;
  line: number;
  column: number;
}

export type Severity = 'error' | 'warning';

/** One finding about the configuration; collected, never thrown one at a time. */
export interface Diagnostic {
  severity: Severity;
  /** Stable rule id shown in the message, e.g. `url-https`. */
  rule: string;
  message: string;
  at?: SourceRef;
  hint?: string;
}

/** One object the configuration declares, with Auth0 field names. */
export interface DesiredObject {
  kind: Kind;
  key: Key;
  fields: Record<string, unknown>;
  at: SourceRef;
}

/** One object read from the tenant, already keyed by natural key. */
export interface LiveObject {
  kind: Kind;
  key: Key;
  id: string;
  fields: Record<string, unknown>;
  /** Auth0 system objects and the tool's own client: never written. */
  system: boolean;
  /** Carries tenantctl's ownership marker, so it may be deleted once no longer declared. */
  managed: boolean;
  /**
   * Top-level fields the read could not see (a connection's `options` without `read:connections_options`):
   * their live value is unknown, so they are neither compared nor written from a guess.
   */
  unread?: string[];
}
