// Rules for client grants: keyed by (application name, API identifier); only the scope set is usually declared.
// The client is named in config and resolved to a client_id at apply time, possibly of an app created in the same run.
import type { KindSpec } from './kind-spec.js';

export const grantSpec: KindSpec = {
  kind: 'grant',
  group: 'grants',
  readOnly: new Set(['id', 'is_system', 'client_id', 'created_at', 'updated_at']),
  immutable: new Set(['audience', 'subject_type', 'default_for']),
  notCompared: new Set(['client']),
  notSent: new Set(),
  setPaths: new Set(['scope']),
  setElementKey: {},
  alwaysSentOnUpdate: [],
  updateShape: {},
  refusedOnUpdate: [],
  serverDefaults() {
    return { subject_type: 'client', scope: [] };
  },
};

/** The natural key of a grant, the same on the desired and the live side. */
export function grantKey(applicationName: string, apiIdentifier: string): string {
  return `${applicationName} -> ${apiIdentifier}`;
}
