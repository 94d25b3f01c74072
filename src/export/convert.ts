// Turns a live tenant snapshot into tenant/ YAML files: Auth0 field names, server defaults and
// read-only fields left out, secrets never written, only fields the JSON Schemas know. Pure: no I/O.
import { stringify } from 'yaml';
import { managementApiIdentifier } from '../model/api.js';
import { OPTIONS_READ_SCOPE } from '../model/connection.js';
import { grantKey, subjectTypeOf } from '../model/grant.js';
import { compareText, isPlainObject, sameValue } from '../model/canonical.js';
import { MARKER_KEY, type KindSpec } from '../model/kind-spec.js';
import { DECLARED_KINDS, KIND_SPECS, KINDS, type DeclaredKind } from '../model/kinds.js';
import { hasSensitiveName, isSensitive } from '../model/sensitive.js';
import { toLiveObjects, type TenantSnapshot } from '../model/snapshot.js';
import type { LiveObject } from '../model/types.js';
import { slugify } from '../onboard/app-file.js';
import { loadSchemas, schemaModeline, type JsonSchema } from '../config/schema-files.js';
import { MANAGEMENT_API_SCOPES } from '../validate/management-api.js';
import { isLoopbackDomain } from '../remote/credentials.js';

export interface ExportOptions {
  /** The environment written to tenant.yaml. */
  environment: string;
  /** The environment's real domain; differs from the snapshot's when an emulator stands in for it. */
  domain: string;
  /** The schemas folder as seen from the output directory, for the modelines (default `../schemas`). */
  schemaDir?: string;
}

export interface ExportedFile {
  /** Relative to the output directory, with forward slashes. */
  path: string;
  text: string;
}

/** Something about one live object that the files do not carry, said once in the summary. */
export interface ExportNote {
  object: string;
  message: string;
}

export interface ExportResult {
  files: ExportedFile[];
  /** Objects exported per kind, by the kind's group name (`applications`, ...). */
  counts: Record<string, number>;
  /** Fields left out because the schemas have no place for them (non-default values only). */
  dropped: ExportNote[];
  /** Secrets left out; the tenant keeps them, the file says how to manage them. */
  secrets: ExportNote[];
  /** Whole objects not exported, and why. */
  skipped: ExportNote[];
  /** Fields the tenant did not show to this token, so the files cannot carry them. */
  unread: ExportNote[];
}

const APP_TYPES = new Set(['regular_web', 'spa', 'native', 'non_interactive']);
/** Declared as tenantctl-only fields (connections, grants), never copied from Auth0's object. */
const TENANTCTL_ONLY = new Set(['connections', 'grants']);
const LOCAL_URL = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])([:/?#]|$)/i;

type Fields = Record<string, unknown>;

export function exportTenant(snapshot: TenantSnapshot, options: ExportOptions): ExportResult {
  const schemas = loadSchemas();
  const counts = Object.fromEntries(KINDS.map((kind) => [KIND_SPECS[kind].group, 0]));
  const result: ExportResult = { files: [], counts, dropped: [], secrets: [], skipped: [], unread: [] };
  const live = toLiveObjects(snapshot).filter((object) => !object.system);
  const liveManagementApi = managementApiIdentifier(snapshot.domain);
  const configManagementApi = managementApiIdentifier(options.domain);

  const apps = uniqueByKey(live.filter((object) => object.kind === 'application'), 'application', result);
  const connections = uniqueByKey(live.filter((object) => object.kind === 'connection'), 'connection', result);
  const apis = uniqueByKey(live.filter((object) => object.kind === 'api' && object.key !== liveManagementApi), 'API', result);

  const appFiles = new Map<string, Fields>();
  for (const app of apps) {
    const label = `application "${app.key}"`;
    if (typeof app.fields.app_type !== 'string' || !APP_TYPES.has(app.fields.app_type)) {
      const what = typeof app.fields.app_type === 'string' ? `app_type ${app.fields.app_type}` : 'no app_type';
      result.skipped.push({ object: label, message: `has ${what}; tenantctl manages regular_web, spa, native and non_interactive applications` });
      continue;
    }
    const fields = declarationOf(KIND_SPECS.application, app, schemas.application, label, result);
    for (const field of TENANTCTL_ONLY) delete fields[field];
    appFiles.set(app.key, fields);
  }

  const connectionFiles = new Map<string, Fields>();
  const connectionNamePattern = new RegExp(String(schemas.connection.properties?.name?.pattern ?? '.*'));
  for (const connection of connections) {
    const label = `connection "${connection.key}"`;
    if (!connectionNamePattern.test(connection.key)) {
      result.skipped.push({ object: label, message: 'its name does not fit the schema (letters, digits and inner dashes)' });
      continue;
    }
    const fields = declarationOf(KIND_SPECS.connection, connection, schemas.connection, label, result);
    if (connection.unread?.includes('options')) {
      result.unread.push({ object: label, message: `options (the token lacks ${OPTIONS_READ_SCOPE}); the file leaves them out, so plan and apply leave them as they are` });
    }
    connectionFiles.set(connection.key, fields);
    const enabled = Array.isArray(connection.fields.enabled_clients) ? connection.fields.enabled_clients.map(String) : [];
    for (const appName of enabled) {
      const app = appFiles.get(appName);
      if (app) app.connections = [...((app.connections as string[] | undefined) ?? []), connection.key];
    }
  }

  const apiFiles = new Map<string, Fields>();
  for (const api of apis) {
    apiFiles.set(api.key, declarationOf(KIND_SPECS.api, api, schemas.api, `API "${api.key}"`, result));
  }

  for (const grant of live.filter((object) => object.kind === 'grant').sort((a, b) => compareText(a.key, b.key))) {
    const clientName = appNameOfGrant(grant, apps);
    const audience = String(grant.fields.audience ?? '');
    const subjectType = subjectTypeOf(grant.fields);
    const label = `grant ${grantKey(clientName ?? String(grant.fields.client_id), audience, subjectType)}`;
    const app = clientName === undefined ? undefined : appFiles.get(clientName);
    if (!app) {
      result.skipped.push({ object: label, message: 'its application is not exported' });
      continue;
    }
    if (subjectType !== 'client' && subjectType !== 'user') {
      result.skipped.push({ object: label, message: `subject_type ${subjectType} cannot be declared; the grant stays as it is` });
      continue;
    }
    const scopes = Array.isArray(grant.fields.scope) ? grant.fields.scope.map(String) : [];
    let api: string;
    if (audience === liveManagementApi) {
      const unknown = scopes.filter((scope) => !MANAGEMENT_API_SCOPES.includes(scope));
      if (unknown.length > 0) {
        result.skipped.push({ object: label, message: `Management API scopes ${unknown.join(', ')} are not among those the config accepts; the grant stays as it is` });
        continue;
      }
      api = configManagementApi;
    } else if (apiFiles.has(audience)) {
      api = audience;
    } else {
      result.skipped.push({ object: label, message: 'its API is not exported' });
      continue;
    }
    const grants = (app.grants as Fields[] | undefined) ?? [];
    // User access keeps its subject type: exporting it as a client grant would hand the app client credentials.
    grants.push({ api, scopes, ...(subjectType === 'client' ? {} : { subject_type: subjectType }) });
    app.grants = grants;
    counted(result, 'grants');
  }

  const usesLocalhost = [...appFiles.values()].some((app) =>
    ['callbacks', 'allowed_logout_urls', 'web_origins', 'allowed_origins', 'initiate_login_uri'].some((field) =>
      [app[field]].flat().some((url) => typeof url === 'string' && LOCAL_URL.test(url)),
    ),
  );
  result.files.push({ path: 'tenant.yaml', text: tenantFile(snapshot, options, usesLocalhost) });

  const slugs = new SlugBook();
  for (const [name, fields] of [...appFiles].sort(([a], [b]) => compareText(a, b))) {
    if (Array.isArray(fields.connections)) fields.connections = [...(fields.connections as string[])].sort(compareText);
    result.files.push(yamlFile('applications', slugs.take('applications', name, 'application'), 'application', fields, secretNotesFor(`application "${name}"`, result), options.schemaDir));
    counted(result, 'applications');
  }
  for (const [name, fields] of [...connectionFiles].sort(([a], [b]) => compareText(a, b))) {
    result.files.push(yamlFile('connections', slugs.take('connections', name, 'connection'), 'connection', fields, secretNotesFor(`connection "${name}"`, result), options.schemaDir));
    counted(result, 'connections');
  }
  for (const [identifier, fields] of [...apiFiles].sort(([a], [b]) => compareText(a, b))) {
    const base = typeof fields.name === 'string' && slugify(fields.name) !== '' ? fields.name : identifier;
    result.files.push(yamlFile('apis', slugs.take('apis', base, 'api'), 'api', fields, secretNotesFor(`API "${identifier}"`, result), options.schemaDir));
    counted(result, 'apis');
  }

  // Kinds without a conversion of their own above: their fields as the registry reads them, through their schema.
  for (const kind of DECLARED_KINDS.filter((each) => !CONVERTED_ABOVE.has(each))) {
    const spec = KIND_SPECS[kind];
    const folder = spec.files!.folder;
    for (const object of uniqueByKey(live.filter((candidate) => candidate.kind === kind), spec.names.one, result).sort((a, b) => compareText(a.key, b.key))) {
      const label = `${spec.names.one} "${object.key}"`;
      const fields = declarationOf(spec, object, schemas[kind], label, result);
      result.files.push(yamlFile(folder, slugs.take(folder, object.key, kind), kind, fields, secretNotesFor(label, result), options.schemaDir));
      counted(result, spec.group);
    }
  }
  return result;
}

function counted(result: ExportResult, group: string): void {
  result.counts[group] = (result.counts[group] ?? 0) + 1;
}

/** Kinds exportTenant converts with rules of their own (applications carry their connections and grants). */
const CONVERTED_ABOVE: ReadonlySet<DeclaredKind> = new Set(['application', 'connection', 'api']);

/** Objects of one kind whose natural key is used once; a shared key cannot be declared, so those are skipped. */
function uniqueByKey(objects: LiveObject[], noun: string, result: ExportResult): LiveObject[] {
  const count = new Map<string, number>();
  for (const object of objects) count.set(object.key, (count.get(object.key) ?? 0) + 1);
  const unique: LiveObject[] = [];
  for (const object of objects) {
    const times = count.get(object.key) ?? 0;
    if (object.key === '') result.skipped.push({ object: `${noun} ${object.id}`, message: 'has no name' });
    else if (times > 1) result.skipped.push({ object: `${noun} "${object.key}" (id ${object.id})`, message: `${times} live objects share this key; rename them so each is unique` });
    else unique.push(object);
  }
  return unique;
}

function appNameOfGrant(grant: LiveObject, apps: readonly LiveObject[]): string | undefined {
  return apps.find((app) => app.id === grant.fields.client_id)?.key;
}

/** The object's declaration: writable, non-default, non-secret, schema-known fields only. */
function declarationOf(spec: KindSpec, object: LiveObject, schema: JsonSchema, label: string, result: ExportResult): Fields {
  const defaults = spec.serverDefaults(object.fields);
  const fields: Fields = {};
  for (const [name, value] of Object.entries(object.fields)) {
    if (spec.readOnly.has(name) || spec.notCompared.has(name)) continue;
    const kept = withoutDefaults(value, defaults[name], spec.setPaths.has(name));
    if (kept !== undefined) fields[name] = withRequiredMembers(kept, value, schema.properties?.[name]);
  }
  if (spec.markerField && isPlainObject(fields[spec.markerField])) {
    const holder = { ...(fields[spec.markerField] as Fields) };
    delete holder[MARKER_KEY];
    if (Object.keys(holder).length > 0) fields[spec.markerField] = holder;
    else delete fields[spec.markerField];
  }
  const secrets: string[] = [];
  const withoutSecrets = removeSecrets(fields, [], secrets) as Fields;
  if (secrets.length > 0) result.secrets.push({ object: label, message: secrets.join(', ') });
  const dropped: string[] = [];
  const known = pruneToSchema(withoutSecrets, schema, [], dropped) as Fields;
  if (dropped.length > 0) result.dropped.push({ object: label, message: dropped.join(', ') });
  return escapeVariables(known) as Fields;
}

/**
 * A default-stripped object with the members its schema requires put back from the live value: Auth0 wants
 * e.g. refresh_token's rotation_type and expiration_type in every write, even when they hold the default.
 */
function withRequiredMembers(kept: unknown, live: unknown, schema: JsonSchema | undefined): unknown {
  const required = schema?.required;
  if (!isPlainObject(kept) || !isPlainObject(live) || !Array.isArray(required)) return kept;
  const whole: Fields = { ...kept };
  for (const member of required) if (!(member in whole) && member in live) whole[member] = live[member];
  return whole;
}

/**
 * The value with every member equal to Auth0's default removed; undefined when nothing is left.
 * Empty lists and objects go too: declaring them would compare nothing the tenant does not already hold.
 */
export function withoutDefaults(value: unknown, defaultValue: unknown, isSet = false): unknown {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    if (Array.isArray(defaultValue) && (isSet ? sameSet(value, defaultValue) : sameValue(value, defaultValue))) return undefined;
    return value;
  }
  if (isPlainObject(value)) {
    const defaults = isPlainObject(defaultValue) ? defaultValue : {};
    const kept: Fields = {};
    for (const [name, member] of Object.entries(value)) {
      const rest = withoutDefaults(member, defaults[name]);
      if (rest !== undefined) kept[name] = rest;
    }
    return Object.keys(kept).length > 0 ? kept : undefined;
  }
  return sameValue(value, defaultValue) ? undefined : value;
}

function sameSet(a: unknown[], b: unknown[]): boolean {
  const key = (item: unknown) => JSON.stringify(item);
  const left = new Set(a.map(key));
  const right = new Set(b.map(key));
  return left.size === right.size && [...left].every((item) => right.has(item));
}

function removeSecrets(value: unknown, path: string[], found: string[]): unknown {
  if (Array.isArray(value)) return value.map((item, index) => removeSecrets(item, [...path, String(index)], found));
  if (!isPlainObject(value)) return value;
  const kept: Fields = {};
  for (const [name, member] of Object.entries(value)) {
    const memberPath = [...path, name];
    // A secret-named member with a value (string, number, list) is never written, whatever its shape.
    if (isSensitive(name, member) || (hasSensitiveName(name) && Array.isArray(member))) {
      found.push(memberPath.join('.'));
      continue;
    }
    kept[name] = removeSecrets(member, memberPath, found);
  }
  return kept;
}

/** Keeps what the schema allows: known members, enum values it lists; records the rest by path. */
export function pruneToSchema(value: unknown, schema: JsonSchema | undefined, path: string[], dropped: string[]): unknown {
  if (!schema) return value;
  if (Array.isArray(value)) return schema.items ? value.map((item) => pruneToSchema(item, schema.items, path, dropped)) : value;
  if (!isPlainObject(value) || !schema.properties) return value;
  const kept: Fields = {};
  for (const [name, member] of Object.entries(value)) {
    const memberPath = [...path, name];
    const memberSchema = schema.properties[name] ?? (isPlainObject(schema.additionalProperties) ? (schema.additionalProperties as JsonSchema) : undefined);
    if (!memberSchema && schema.additionalProperties === false) {
      dropped.push(memberPath.join('.'));
      continue;
    }
    if (memberSchema?.enum && !memberSchema.enum.some((allowed) => sameValue(allowed, member))) {
      dropped.push(`${memberPath.join('.')} (${JSON.stringify(member)})`);
      continue;
    }
    kept[name] = pruneToSchema(member, memberSchema, memberPath, dropped);
  }
  return kept;
}

/** `${` in a live value is literal text, so it is written as `$${`, which the config reads back as `${`. */
export function escapeVariables(value: unknown): unknown {
  // A function replacement: in a replacement string, `$$` would itself mean one `$`.
  if (typeof value === 'string') return value.replaceAll('${', () => '$${');
  if (Array.isArray(value)) return value.map(escapeVariables);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([name, member]) => [name, escapeVariables(member)]));
}

function secretNotesFor(label: string, result: ExportResult): string[] {
  const note = result.secrets.find((entry) => entry.object === label);
  if (!note) return [];
  return [
    `TODO: not exported because secrets are never written to files: ${note.message}.`,
    'The tenant keeps its current value while this file does not declare it. To manage it here, add it',
    'with a process environment variable, e.g. `client_secret: ${env:NAME}` under options.',
  ];
}

function yamlFile(folder: string, slug: string, kind: DeclaredKind, fields: Fields, notes: string[], schemaDir?: string): ExportedFile {
  const header = [schemaModeline(kind, schemaDir), ...notes.map((line) => `# ${line}`)];
  return { path: `${folder}/${slug}.yaml`, text: `${header.join('\n')}\n${stringify(ordered(kind, fields), { lineWidth: 0 })}` };
}

const FIRST_FIELDS: Partial<Record<DeclaredKind, string[]>> = {
  application: ['name', 'description', 'app_type'],
  connection: ['name', 'strategy', 'display_name'],
  api: ['name', 'identifier'],
};

/** Identity first (name, strategy or identifier), then the rest alphabetically, tenantctl-only fields last. */
function ordered(kind: DeclaredKind, fields: Fields): Fields {
  const first = FIRST_FIELDS[kind] ?? [KIND_SPECS[kind].files!.keyField];
  const last = ['connections', 'grants'];
  const middle = Object.keys(fields)
    .filter((name) => !first.includes(name) && !last.includes(name))
    .sort(compareText);
  const result: Fields = {};
  for (const name of [...first, ...middle, ...last]) if (fields[name] !== undefined) result[name] = fields[name];
  return result;
}

function tenantFile(snapshot: TenantSnapshot, options: ExportOptions, usesLocalhost: boolean): string {
  const environment: Fields = { domain: options.domain };
  if (usesLocalhost) environment.allow_localhost = true;
  const emulated = isLoopbackDomain(snapshot.domain) ? ` (read through the emulator at ${snapshot.domain})` : '';
  const header = [
    schemaModeline('tenant', options.schemaDir),
    `# Exported by \`tenantctl export\` from ${options.domain}${emulated}.`,
    ...(usesLocalhost ? ['# allow_localhost: the tenant has localhost URLs; turn it off for a production environment.'] : []),
  ];
  const body = { environments: { [options.environment]: environment }, default_environment: options.environment };
  return `${header.join('\n')}\n${stringify(body, { lineWidth: 0 })}`;
}

/** File names from object names: unique per folder, `-2`, `-3`… when two names give the same slug. */
class SlugBook {
  private readonly taken = new Map<string, Set<string>>();

  take(folder: string, name: string, fallback: string): string {
    const used = this.taken.get(folder) ?? new Set<string>();
    this.taken.set(folder, used);
    const base = slugify(name) || fallback;
    let slug = base;
    for (let n = 2; used.has(slug); n++) slug = `${base}-${n}`;
    used.add(slug);
    return slug;
  }
}
