// Lowers validated declarations to the planner's DesiredObject[] with Auth0 Management API field names.
// tenantctl-only fields (an application's connections and grants) become connection enablement and client grants.
import { DEFAULT_SUBJECT_TYPE, grantKey } from '../model/grant.js';
import { DECLARED_KINDS, KIND_SPECS } from '../model/kinds.js';
import type { DesiredObject, Kind, SourceRef } from '../model/types.js';
import { record, stringItems, text, type Declaration } from './declaration.js';
import { locate, type DeclaredFileKind, type PathSegment, type SourceFile } from './source.js';

const CONNECTION_FIELDS = ['name', 'strategy', 'display_name', 'options', 'metadata'] as const;
const APPLICATION_ONLY_FIELDS = new Set(['connections', 'grants']);

/** The declared fields of one file as the planner compares them; a kind without an entry keeps its file's fields. */
const FIELDS_OF: Partial<Record<DeclaredFileKind, (data: Record<string, unknown>, usersOf: ReadonlyMap<string, Set<string>>) => Record<string, unknown>>> = {
  application: (data) => Object.fromEntries(Object.entries(data).filter(([field]) => !APPLICATION_ONLY_FIELDS.has(field))),
  connection(data, usersOf) {
    const fields: Record<string, unknown> = {};
    for (const field of CONNECTION_FIELDS) if (data[field] !== undefined) fields[field] = data[field];
    fields.enabled_clients = [...(usersOf.get(String(data.name)) ?? [])].sort();
    return fields;
  },
};

export function lowerDeclarations(declared: Readonly<Record<DeclaredFileKind, Declaration[]>>): DesiredObject[] {
  const desired: DesiredObject[] = [];
  // Which applications use each connection: declared on the application, applied as the connection's enablement.
  const usersOf = new Map<string, Set<string>>();
  for (const app of declared.application) {
    for (const { value } of stringItems(app.data.connections)) {
      const users = usersOf.get(value) ?? new Set<string>();
      users.add(text(app, 'name')!);
      usersOf.set(value, users);
    }
  }
  for (const kind of DECLARED_KINDS) {
    const keyField = KIND_SPECS[kind].files!.keyField;
    for (const declaration of declared[kind]) {
      const fields = FIELDS_OF[kind]?.(declaration.data, usersOf) ?? { ...declaration.data };
      desired.push(new DeclaredObject(kind, text(declaration, keyField)!, fields, declaration.source, [keyField]));
    }
  }
  for (const app of declared.application) {
    const client = text(app, 'name')!;
    if (!Array.isArray(app.data.grants)) continue;
    app.data.grants.forEach((entry, index) => {
      const grant = record(entry)!;
      const audience = grant.api as string;
      const subjectType = typeof grant.subject_type === 'string' ? grant.subject_type : DEFAULT_SUBJECT_TYPE;
      const fields: Record<string, unknown> = { client, audience, scope: stringItems(grant.scopes).map((scope) => scope.value) };
      // Sent only for user access: a grant created without it is a client grant, as before.
      if (subjectType !== DEFAULT_SUBJECT_TYPE) fields.subject_type = subjectType;
      desired.push(new DeclaredObject('grant', grantKey(client, audience, subjectType), fields, app.source, ['grants', index, 'api']));
    });
  }
  return desired;
}

/**
 * A declared object whose `at` is found the first time it is read: locating a file's nodes means reading it again,
 * and only the objects a plan changes (or a diagnostic names) are ever located, a few of a large tenant's thousands.
 * `at` stays an own enumerable property (copies, JSON and comparisons see it) through one accessor all instances
 * share, so the objects keep one shape: the planner reads tens of thousands of them.
 */
class DeclaredObject implements DesiredObject {
  readonly #source: SourceFile;
  readonly #path: PathSegment[];
  #at: SourceRef | undefined;
  declare at: SourceRef;

  static readonly #AT: PropertyDescriptor = {
    enumerable: true,
    configurable: true,
    get(this: DeclaredObject): SourceRef {
      return (this.#at ??= locate(this.#source, this.#path));
    },
    set(this: DeclaredObject, value: SourceRef): void {
      this.#at = value;
    },
  };

  constructor(
    public kind: Kind,
    public key: string,
    public fields: Record<string, unknown>,
    source: SourceFile,
    path: PathSegment[],
  ) {
    this.#source = source;
    this.#path = path;
    Object.defineProperty(this, 'at', DeclaredObject.#AT);
  }
}
