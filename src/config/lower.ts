// Lowers validated declarations to the planner's DesiredObject[] with Auth0 Management API field names.
// tenantctl-only fields (an application's connections and grants) become connection enablement and client grants.
import { DEFAULT_SUBJECT_TYPE, grantKey } from '../model/grant.js';
import type { DesiredObject } from '../model/types.js';
import { record, stringItems, text, type Declaration } from './declaration.js';
import { locate, type DeclaredFileKind } from './source.js';

const CONNECTION_FIELDS = ['name', 'strategy', 'display_name', 'options', 'metadata'] as const;
const APPLICATION_ONLY_FIELDS = new Set(['connections', 'grants']);

export function lowerDeclarations(declared: Readonly<Record<DeclaredFileKind, Declaration[]>>): DesiredObject[] {
  const desired: DesiredObject[] = [];
  const usersOf = new Map<string, Set<string>>();
  for (const app of declared.application) {
    const name = text(app, 'name')!;
    for (const { value } of stringItems(app.data.connections)) {
      const users = usersOf.get(value) ?? new Set<string>();
      users.add(name);
      usersOf.set(value, users);
    }
    const fields = Object.fromEntries(Object.entries(app.data).filter(([field]) => !APPLICATION_ONLY_FIELDS.has(field)));
    desired.push({ kind: 'application', key: name, fields, at: locate(app.source, ['name']) });
  }
  for (const connection of declared.connection) {
    const name = text(connection, 'name')!;
    const fields: Record<string, unknown> = {};
    for (const field of CONNECTION_FIELDS) if (connection.data[field] !== undefined) fields[field] = connection.data[field];
    fields.enabled_clients = [...(usersOf.get(name) ?? [])].sort();
    desired.push({ kind: 'connection', key: name, fields, at: locate(connection.source, ['name']) });
  }
  for (const api of declared.api) {
    desired.push({ kind: 'api', key: text(api, 'identifier')!, fields: { ...api.data }, at: locate(api.source, ['identifier']) });
  }
  for (const app of declared.application) {
    const client = text(app, 'name')!;
    if (!Array.isArray(app.data.grants)) continue;
    app.data.grants.forEach((entry, index) => {
      const grant = record(entry)!;
      const audience = grant.api as string;
      const subjectType = typeof grant.subject_type === 'string' ? grant.subject_type : DEFAULT_SUBJECT_TYPE;
      desired.push({
        kind: 'grant',
        key: grantKey(client, audience, subjectType),
        fields: {
          client,
          audience,
          scope: stringItems(grant.scopes).map((scope) => scope.value),
          // Sent only for user access: a grant created without it is a client grant, as before.
          ...(subjectType === DEFAULT_SUBJECT_TYPE ? {} : { subject_type: subjectType }),
        },
        at: locate(app.source, ['grants', index, 'api']),
      });
    });
  }
  return desired;
}
