// Rules for client grants: keyed by (application name, API identifier, subject type); only the scope set is usually declared.
// The client is named in config and resolved to a client_id at apply time, possibly of an app created in the same run.
import { frozen, textOf, type KindSpec } from './kind-spec.js';

const GRANT_DEFAULTS = frozen({ subject_type: 'client', scope: [] });

export const grantSpec: KindSpec = {
  kind: 'grant',
  group: 'grants',
  names: { one: 'grant', many: 'grants', keyName: 'application and API', keyForm: '"APP -> API"' },
  // Declared inside its application's file (`grants:`), so it has no files of its own.
  phase: 50,
  dependsOn: ['application', 'api'],
  undeclaredDefault: 'managed',
  references: (fields) => [
    { kind: 'application', key: textOf(fields.client) },
    { kind: 'api', key: textOf(fields.audience) },
  ],
  toRequest(body, idOf) {
    if (!('client' in body)) return body;
    const { client, ...rest } = body;
    return { client_id: idOf('application', textOf(client)), ...rest };
  },
  path: 'client-grants',
  read: {
    list: 'clientGrants',
    idField: 'id',
    key: (raw, context) => grantKey(context.clientName(textOf(raw.client_id)), textOf(raw.audience), subjectTypeOf(raw)),
    // is_system grants, and those of the tool's own client.
    isSystem: (raw, snapshot) => raw.is_system === true || textOf(raw.client_id) === '' || raw.client_id === snapshot.ownClientId,
    // A grant counts as managed when its application is.
    managed: (raw, context) => context.clientManaged(textOf(raw.client_id)),
  },
  systemReason: () => "a system grant (is_system, or a grant of tenantctl's own client); tenantctl never writes it",
  // Auth0 deletes an application's grants with it.
  deletedWith: { kind: 'application', idField: 'client_id' },
  ownerOf(key) {
    const arrow = key.indexOf(' -> ');
    return arrow < 0 ? undefined : { kind: 'application', key: key.slice(0, arrow) };
  },
  readOnly: new Set(['id', 'is_system', 'client_id', 'created_at', 'updated_at']),
  immutable: new Set(['audience', 'subject_type', 'default_for']),
  notCompared: new Set(['client']),
  notSent: new Set(),
  setPaths: new Set(['scope']),
  setElementKey: {},
  alwaysSentOnUpdate: [],
  updateShape: {},
  refusedOnUpdate: [],
  serverDefaults: () => GRANT_DEFAULTS,
};

/**
 * Auth0's subject types: `client` grants let the application call the API on its own behalf (client credentials),
 * `user` grants let it get tokens for the API on behalf of its users (user access). An application may hold one of
 * each per API (Auth0 docs, "Application access to APIs: client grants"); a grant without the field is `client`.
 */
export type GrantSubjectType = 'client' | 'user';
export const DEFAULT_SUBJECT_TYPE = 'client';

/** A live or declared grant's subject type, `client` when absent. */
export function subjectTypeOf(fields: Record<string, unknown>): string {
  return typeof fields.subject_type === 'string' ? fields.subject_type : DEFAULT_SUBJECT_TYPE;
}

/**
 * The natural key of a grant, the same on the desired and the live side: Auth0 identifies a grant by
 * (client_id, audience, subject_type). Client grants keep the short form `APP -> API`; other subject types
 * add it, `APP -> API [user]`.
 */
export function grantKey(applicationName: string, apiIdentifier: string, subjectType: string = DEFAULT_SUBJECT_TYPE): string {
  const base = `${applicationName} -> ${apiIdentifier}`;
  return subjectType === DEFAULT_SUBJECT_TYPE ? base : `${base} [${subjectType}]`;
}
