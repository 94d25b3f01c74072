// The Management API scopes a plan's writes need beyond the usual create/update/delete ones, checked against
// the token before the first write, so a missing scope stops apply with nothing changed instead of half-way.
import { OPTIONS_UPDATE_SCOPE } from '../model/connection.js';
import { isPlainObject } from '../model/canonical.js';
import type { Plan } from '../plan/types.js';
import { describeObject } from './apply.js';

export interface MissingScope {
  scope: string;
  /** The objects whose change needs it. */
  objects: string[];
}

/**
 * Scopes the plan needs that the token lacks. Auth0 refuses a PATCH of a connection whose body contains `options`
 * without `update:connections_options` (docs: "Migrate to Management API Connection Options Scopes"). When the
 * token's scopes are unknown, nothing is reported: Auth0's own answer then says it.
 */
export function missingScopes(plan: Plan, granted: ReadonlySet<string> | undefined): MissingScope[] {
  if (!granted) return [];
  const objects = plan.changes
    .filter((change) => change.kind === 'connection' && change.action === 'update' && isPlainObject(change.payload) && 'options' in change.payload)
    .map(describeObject);
  return objects.length > 0 && !granted.has(OPTIONS_UPDATE_SCOPE) ? [{ scope: OPTIONS_UPDATE_SCOPE, objects }] : [];
}
