// The pure planner: desired objects + live tenant -> an ordered, field-level Plan. No I/O, deterministic.
//
// Decisions worth knowing:
// - Ownership: objects tenantctl creates get `client_metadata.managed_by: tenantctl` (applications) or
//   `metadata.managed_by: tenantctl` (connections). A declared object that exists without the marker is
//   ADOPTED lazily: the marker rides along with the object's next real update (shown as a field change
//   with an "adopted" reason), but a missing marker alone is not a change. So `tenantctl export` followed
//   by `plan` is clean, and until the marker is written the object counts as unmanaged, which only ever
//   protects it: under the `managed` policy an object without the marker is never deleted.
//   Grants count as managed when their application is; APIs carry no marker.
// - Management API grants: the config names `https://<environment domain>/api/v2/`; when a loopback
//   emulator stands in for the environment, they are matched against the emulator's Management API.
// - Deletes: undeclared, non-system objects allowed by the kind's `undeclared` policy (`managed`: marker
//   required, `all`: any, `ignore`: none). They are planned with `requiresAllowDelete`; apply decides.
//   Grants of an application being deleted are not planned: Auth0 deletes them with the application.
// - Enablement (which applications may use a connection) is its own change, kind `enablement`, after all
//   connection changes and before grants. Only applications that are declared or managed are added or
//   removed; enablement of any other client is never touched. Such an application is enabled on exactly the
//   declared connections its file lists, so it is also removed from undeclared connections. A new application
//   may be enabled everywhere by Auth0 itself (`flags.enable_client_connections`); see planEnablement.
// - Order: APIs, applications, connections, enablement, grants; then deletes of grants, connections,
//   applications, APIs. Within a group, by key.
// - Staleness: `live_fingerprint` hashes the live objects the plan depends on (every declared key, every
//   managed object, every object to delete). Apply re-plans on a fresh snapshot and compares fingerprints.
import { managementApiIdentifier } from '../model/api.js';
import { OPTIONS_READ_SCOPE, OPTIONS_UPDATE_SCOPE } from '../model/connection.js';
import { grantKey, subjectTypeOf } from '../model/grant.js';
import { deepMerge, getPath, isPlainObject, compareText, sameValue } from '../model/canonical.js';
import { MARKER_KEY, MARKER_VALUE, type KindSpec } from '../model/kind-spec.js';
import { APPLY_ORDER, CHANGE_ORDER, KIND_SPECS, KINDS, type ChangeKind } from '../model/kinds.js';
import { countByKind, fingerprintLive, liveByRef as groupByRef, objectRef, toLiveObjects, type TenantSnapshot } from '../model/snapshot.js';
import type { DesiredObject, Kind, LiveObject, SourceRef } from '../model/types.js';
import { describeNew, diffDeclared, makeFieldChange, type FieldDiff } from './diff.js';
import { withPlaceholders } from './payload.js';
import {
  PLAN_FORMAT_VERSION,
  changeRef,
  type Change,
  type FieldChange,
  type Plan,
  type PlanNote,
  type PlanOptions,
  type SkippedObject,
} from './types.js';
import { impactOf } from './impact.js';
import { summarize } from './summary.js';

type Outcome = 'create' | 'update' | 'replace' | 'unchanged' | 'skipped';

function byKey<T extends { key: string }>(a: T, b: T): number {
  return compareText(a.key, b.key);
}

/** Whether an undeclared live object may be deleted under the kind's policy. */
function deletable(object: LiveObject, options: PlanOptions): boolean {
  if (object.system) return false;
  const policy = options.undeclared[KIND_SPECS[object.kind].group];
  return policy === 'all' || (policy === 'managed' && object.managed);
}

function withMarker(spec: KindSpec, body: Record<string, unknown>): Record<string, unknown> {
  if (!spec.markerField) return body;
  const holder = isPlainObject(body[spec.markerField]) ? (body[spec.markerField] as Record<string, unknown>) : {};
  return { ...body, [spec.markerField]: { ...holder, [MARKER_KEY]: MARKER_VALUE } };
}

function createPayload(spec: KindSpec, desired: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(desired)) {
    if (!spec.readOnly.has(name) && !spec.notSent.has(name) && value !== undefined) body[name] = value;
  }
  return withPlaceholders(withMarker(spec, body), () => 'desired');
}

function updatePayload(
  spec: KindSpec,
  desired: Record<string, unknown>,
  live: LiveObject,
  changedTopLevel: ReadonlySet<string>,
): Record<string, unknown> {
  let body: Record<string, unknown> = {};
  for (const name of changedTopLevel) body[name] = updateValue(spec, name, desired[name], live.fields[name]);
  for (const name of spec.alwaysSentOnUpdate) {
    const value = desired[name] ?? live.fields[name];
    if (value !== undefined) body[name] = value;
  }
  if (spec.markerField && (changedTopLevel.has(spec.markerField) || !live.managed)) {
    body[spec.markerField] = deepMerge(live.fields[spec.markerField] ?? {}, desired[spec.markerField] ?? {});
    body = withMarker(spec, body);
  }
  return withPlaceholders(withoutRefused(spec, body), (path) => (getPath(desired, path) !== undefined ? 'desired' : 'live'));
}

/**
 * One changed top-level field in Auth0's update shape. An object Auth0 merges gets only its changed members; one
 * it replaces (or whose members it requires) goes out as the live value overlaid with the declared one, so
 * undeclared members survive.
 */
function updateValue(spec: KindSpec, name: string, desired: unknown, live: unknown): unknown {
  if (!isPlainObject(desired)) return desired;
  if (spec.updateShape[name] !== 'merge') return deepMerge(live ?? {}, desired);
  const liveObject = isPlainObject(live) ? live : {};
  return Object.fromEntries(Object.entries(desired).filter(([member, value]) => value !== undefined && !sameValue(value, liveObject[member])));
}

/** The body without the members Auth0 returns on reads but refuses in a PATCH (they would come from the live value). */
function withoutRefused(spec: KindSpec, body: Record<string, unknown>): Record<string, unknown> {
  let result = body;
  for (const dotted of spec.refusedOnUpdate) {
    const [head, ...rest] = dotted.split('.');
    if (head === undefined || !(head in result)) continue;
    result = { ...result, [head]: rest.length === 0 ? undefined : withoutPath(result[head], rest) };
    if (result[head] === undefined) delete result[head];
  }
  return result;
}

function withoutPath(value: unknown, path: readonly string[]): unknown {
  if (!isPlainObject(value)) return value;
  const [head, ...rest] = path;
  if (head === undefined || !(head in value)) return value;
  const copy = { ...value };
  if (rest.length === 0) delete copy[head];
  else copy[head] = withoutPath(copy[head], rest);
  return copy;
}

function markerAdoption(spec: KindSpec, live: LiveObject): FieldChange[] {
  if (!spec.markerField || live.managed) return [];
  const before = getPath(live.fields, [spec.markerField, MARKER_KEY]);
  return [makeFieldChange([spec.markerField, MARKER_KEY], { before: before ?? null, after: MARKER_VALUE })];
}

/**
 * What planning one object reads and writes. The work is split into small functions on purpose: on a large tenant
 * each runs tens of thousands of times, and V8 compiles small, steady functions much faster than one large one.
 */
interface Planning {
  options: PlanOptions;
  liveByRef: ReadonlyMap<string, LiveObject[]>;
  /** Kinds the token could not read (an optional read scope it lacks): nothing of them is known, so nothing is written. */
  unreadKinds: ReadonlySet<Kind>;
  outcomes: Map<string, Outcome>;
  changes: Map<ChangeKind, Change[]>;
  skipped: SkippedObject[];
  notes: PlanNote[];
}

export function computePlan(
  desired: readonly DesiredObject[],
  liveInput: TenantSnapshot | readonly LiveObject[],
  options: PlanOptions,
): Plan {
  const live: readonly LiveObject[] = Array.isArray(liveInput) ? liveInput : toLiveObjects(liveInput as TenantSnapshot);
  const unreadKinds = new Set(
    Array.isArray(liveInput) ? [] : KINDS.filter((kind) => KIND_SPECS[kind].optionalReadScope && (liveInput as TenantSnapshot)[KIND_SPECS[kind].read.list] === undefined),
  );
  // Each object's ref string is made once and reused as its key in every map below: a fresh `kind:key` text would
  // be hashed again on each lookup, and the planner looks up every object several times.
  const liveByRef = groupByRef(live);
  const planning: Planning = { options, liveByRef, unreadKinds, outcomes: new Map(), changes: new Map(), skipped: [], notes: [] };
  const desiredByRef = firstDeclarations(withLiveManagementAudience(desired, options), planning.skipped);

  for (const kind of APPLY_ORDER) planKind(planning, kind, desiredByRef);
  const { outcomes, changes, skipped, notes } = planning;

  planEnablement(desiredByRef, liveByRef, outcomes, Array.isArray(liveInput) ? undefined : (liveInput as TenantSnapshot).enableClientConnections, (change) =>
    push(planning, change),
  );

  const deletes = planDeletes(liveByRef, desiredByRef, options);
  const ordered: Change[] = [];
  for (const kind of CHANGE_ORDER) {
    ordered.push(...(changes.get(kind) ?? []).sort(byKey));
  }
  ordered.push(...deletes);

  const scope = new Set<string>(desiredByRef.keys());
  liveByRef.forEach((objects, ref) => {
    if (objects.some((object) => object.managed)) scope.add(ref);
  });
  for (const change of deletes) scope.add(changeRef(change));
  // Enablement changes on undeclared connections depend on those connections' live enabled clients too.
  for (const change of changes.get('enablement') ?? []) scope.add(objectRef('connection', change.key));

  return {
    format_version: PLAN_FORMAT_VERSION,
    environment: options.environment,
    domain: options.domain,
    config_hash: options.configHash,
    live_fingerprint: fingerprintLive(liveByRef, scope),
    changes: ordered,
    skipped,
    notes,
    summary: summarize(ordered, [...outcomes.values()].filter((outcome) => outcome === 'unchanged').length),
    stats: { reads: null, objects: countByKind(live) },
  };
}

/** Declared objects by ref, in key order; a ref declared again is skipped. */
function firstDeclarations(declared: readonly DesiredObject[], skipped: SkippedObject[]): Map<string, DesiredObject> {
  const desiredByRef = new Map<string, DesiredObject>();
  for (const object of [...declared].sort(byKey)) {
    const ref = objectRef(object.kind, object.key);
    if (desiredByRef.has(ref)) {
      skipped.push({ kind: object.kind, key: object.key, reason: 'declared more than once; only the first declaration is planned' });
    } else desiredByRef.set(ref, object);
  }
  return desiredByRef;
}

function planKind(planning: Planning, kind: Kind, desiredByRef: ReadonlyMap<string, DesiredObject>): void {
  const spec = KIND_SPECS[kind];
  // forEach rather than for-of: no [ref, object] pair is allocated per entry, and this runs once per kind.
  desiredByRef.forEach((object, ref) => {
    if (object.kind === kind) planDeclared(planning, spec, ref, object);
  });
}

function push(planning: Planning, change: Change): void {
  const ofKind = planning.changes.get(change.kind);
  if (ofKind) ofKind.push(change);
  else planning.changes.set(change.kind, [change]);
}

function skip(planning: Planning, ref: string, object: DesiredObject, reason: string): void {
  planning.outcomes.set(ref, 'skipped');
  planning.skipped.push({ kind: object.kind, key: object.key, reason });
}

/** One declared object against its live match: skipped, created, replaced, updated or unchanged. */
function planDeclared(planning: Planning, spec: KindSpec, ref: string, object: DesiredObject): void {
  const { kind, names: noun } = spec;
  if (planning.unreadKinds.has(kind)) {
    skip(planning, ref, object, `${noun.many} were not read: the token lacks ${spec.optionalReadScope}; grant it to manage them`);
    return;
  }
  const matches = planning.liveByRef.get(ref);
  const match = matches?.[0];
  if (matches !== undefined && matches.length > 1) {
    skip(planning, ref, object, `${matches.length} live ${noun.many} share this ${noun.keyName}; tenantctl matches by ${noun.keyName}, so rename or remove the extra ones`);
    return;
  }
  if (match?.system || spec.systemKey?.(object.key, planning.options.domain)) {
    skip(planning, ref, object, spec.systemReason(match?.fields ?? object.fields));
    return;
  }
  const dependsOn: string[] = [];
  // What it refers to comes earlier in APPLY_ORDER, so its outcome is known.
  for (const reference of spec.references(object.fields)) {
    const referenceRef = objectRef(reference.kind, reference.key);
    const outcome = planning.outcomes.get(referenceRef);
    if (outcome === 'skipped') {
      skip(planning, ref, object, `its ${KIND_SPECS[reference.kind].names.one} "${reference.key}" is not written by tenantctl (see above)`);
      return;
    }
    if (outcome === 'create') dependsOn.push(referenceRef);
  }
  if (!match) {
    planCreate(planning, spec, ref, object, dependsOn);
    return;
  }
  const unread = match.unread?.filter((field) => object.fields[field] !== undefined) ?? [];
  for (const field of unread) planning.notes.push({ kind, key: object.key, message: unreadNote(kind, field) });
  const diff = diffDeclared(spec, unread.length === 0 ? object.fields : withoutFields(object.fields, unread), match.fields);
  if (diff.changes.length === 0) planning.outcomes.set(ref, 'unchanged');
  else if (diff.changes.some((change) => change.forcesReplacement)) planReplace(planning, spec, ref, object, match, diff, dependsOn);
  else planUpdate(planning, spec, ref, object, match, diff);
}

function planCreate(planning: Planning, spec: KindSpec, ref: string, object: DesiredObject, dependsOn: string[]): void {
  planning.outcomes.set(ref, 'create');
  const fields = describeNew(spec, object.fields);
  if (spec.markerField) fields.push(makeFieldChange([spec.markerField, MARKER_KEY], { after: MARKER_VALUE }));
  push(planning, {
    kind: spec.kind,
    key: object.key,
    action: 'create',
    fields,
    unchanged: 0,
    dependsOn,
    payload: createPayload(spec, object.fields),
    requiresAllowDelete: false,
    impact: impactOf(spec.kind, 'create'),
    at: object.at,
  });
}

function planReplace(planning: Planning, spec: KindSpec, ref: string, object: DesiredObject, match: LiveObject, diff: FieldDiff, dependsOn: string[]): void {
  planning.outcomes.set(ref, 'replace');
  const what = diff.changes
    .filter((change) => change.forcesReplacement)
    .map((change) => change.path)
    .join(', ');
  const impact = impactOf(spec.kind, 'replace', match.fields);
  const users = impact.destroysData ? `; deleting a ${impact.destroysData.object} deletes ${impact.destroysData.loses}` : '';
  push(planning, {
    kind: spec.kind,
    key: object.key,
    action: 'replace',
    id: match.id,
    reason: `${what} cannot change in place, so the ${spec.names.one} is deleted and created again${users}`,
    fields: diff.changes,
    unchanged: diff.compared - diff.changes.length,
    dependsOn,
    payload: createPayload(spec, object.fields),
    requiresAllowDelete: impact.deletes,
    impact,
    at: object.at,
  });
}

function planUpdate(planning: Planning, spec: KindSpec, ref: string, object: DesiredObject, match: LiveObject, diff: FieldDiff): void {
  const adoption = markerAdoption(spec, match);
  planning.outcomes.set(ref, 'update');
  const changedTopLevel = new Set(diff.changes.map((change) => change.path.split(/[.[]/)[0] ?? change.path));
  push(planning, {
    kind: spec.kind,
    key: object.key,
    action: 'update',
    id: match.id,
    ...(adoption.length > 0 ? { reason: `adopted: tenantctl adds its ownership marker because the config declares this ${spec.names.one}` } : {}),
    fields: [...diff.changes, ...adoption],
    unchanged: diff.compared - diff.changes.length,
    dependsOn: [],
    payload: updatePayload(spec, object.fields, match, changedTopLevel),
    requiresAllowDelete: false,
    impact: impactOf(spec.kind, 'update'),
    at: object.at,
  });
}

function withoutFields(fields: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const rest = { ...fields };
  for (const name of names) delete rest[name];
  return rest;
}

/** Why a declared field was not compared: its live value could not be read. */
function unreadNote(kind: Kind, field: string): string {
  if (kind === 'connection' && field === 'options') {
    return `options not compared: the tenant answered without them (the token lacks ${OPTIONS_READ_SCOPE}), so tenantctl leaves them as they are; grant ${OPTIONS_READ_SCOPE} and ${OPTIONS_UPDATE_SCOPE} to manage them`;
  }
  return `${field} not compared: the tenant answered without it, so tenantctl leaves it as it is`;
}

/** Desired grants to the environment's Management API, re-aimed at the Management API of the tenant read. */
function withLiveManagementAudience(desired: readonly DesiredObject[], options: PlanOptions): readonly DesiredObject[] {
  if (options.environmentDomain === undefined || options.environmentDomain.toLowerCase() === options.domain.toLowerCase()) return desired;
  const configured = managementApiIdentifier(options.environmentDomain);
  const actual = managementApiIdentifier(options.domain);
  return desired.map((object) => {
    if (object.kind !== 'grant' || object.fields.audience !== configured) return object;
    const client = String(object.fields.client ?? '');
    return { ...object, key: grantKey(client, actual, subjectTypeOf(object.fields)), fields: { ...object.fields, audience: actual } };
  });
}

/**
 * Enabled applications per connection, over the domain of declared or managed applications: each of them is enabled
 * on exactly the declared connections its file lists, so it is removed from any other connection, declared or not.
 * A new application may already be enabled everywhere when apply reaches this step: with
 * `flags.enable_client_connections` on, Auth0 enables a new client on every connection that exists when it is
 * created (`autoEnable` true). When the flag could not be read (`autoEnable` null or undefined), tenantctl adds the
 * listed connections and also removes the others, which is a no-op where Auth0 enabled nothing.
 */
function planEnablement(
  desiredByRef: ReadonlyMap<string, DesiredObject>,
  liveByRef: ReadonlyMap<string, LiveObject[]>,
  outcomes: ReadonlyMap<string, Outcome>,
  autoEnable: boolean | null | undefined,
  push: (change: Change) => void,
): void {
  const { writableApps, newApps, connections } = enablementScope(desiredByRef, liveByRef, outcomes);
  const surelyEnabled = autoEnable === true ? newApps : [];
  const maybeEnabled = autoEnable === false ? [] : newApps;

  for (const { ref, key, declared, at } of connections) {
    const listed = declared?.fields.enabled_clients;
    if (declared && !Array.isArray(listed)) continue;
    const wanted = new Set((Array.isArray(listed) ? listed : []).map(String).filter((name) => writableApps.has(name)));
    const fresh = outcomes.get(ref) === 'create' || outcomes.get(ref) === 'replace';
    const match = liveByRef.get(ref)?.[0];
    const liveEnabled = fresh || !Array.isArray(match?.fields.enabled_clients) ? [] : (match.fields.enabled_clients as unknown[]).map(String);
    // Auth0 enables a new application on the connections that exist when it is created; created ones come later.
    const existing = !fresh && match !== undefined;
    const current = new Set([...liveEnabled, ...(existing ? surelyEnabled : [])]);
    const possible = new Set([...current, ...(existing ? maybeEnabled : [])]);
    const add = [...wanted].filter((name) => !current.has(name)).sort(compareText);
    const remove = [...possible].filter((name) => writableApps.has(name) && !wanted.has(name)).sort(compareText);
    if (add.length === 0 && remove.length === 0) continue;
    const created = (name: string): boolean => outcomes.get(objectRef('application', name)) === 'create';
    const dependsOn = [...(fresh ? [ref] : []), ...[...add, ...remove].filter(created).map((name) => objectRef('application', name))];
    const reasons: string[] = [];
    if (!declared) reasons.push('this connection is not declared, and declared or managed applications are enabled only on the connections their files list');
    if (existing && remove.some(created)) {
      reasons.push(
        autoEnable === true
          ? 'Auth0 enables a new application on every connection (flags.enable_client_connections is on), so tenantctl removes the new ones this connection does not list'
          : 'tenantctl could not read flags.enable_client_connections (grant read:tenant_settings); if it is on, Auth0 enables a new application on every connection, so tenantctl removes the new ones this connection does not list',
      );
    }
    push({
      kind: 'enablement',
      key,
      action: 'update',
      ...(fresh || !match ? {} : { id: match.id }),
      ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
      fields: [makeFieldChange(['enabled_clients'], { added: add, removed: remove })],
      unchanged: wanted.size - add.length,
      dependsOn,
      payload: { add, remove },
      requiresAllowDelete: false,
      impact: impactOf('enablement', 'update'),
      ...(at ? { at } : {}),
    });
  }
}

interface EnablementTarget {
  ref: string;
  key: string;
  declared?: DesiredObject;
  at?: SourceRef;
}

/**
 * What planEnablement works over, in one pass over the declared and one over the live objects: the applications
 * whose enablement tenantctl writes (declared and not skipped, or managed), the new ones among them, and the
 * connections to plan, declared ones first.
 */
function enablementScope(
  desiredByRef: ReadonlyMap<string, DesiredObject>,
  liveByRef: ReadonlyMap<string, LiveObject[]>,
  outcomes: ReadonlyMap<string, Outcome>,
): { writableApps: Set<string>; newApps: string[]; connections: EnablementTarget[] } {
  const writableApps = new Set<string>();
  const newApps: string[] = [];
  const connections: EnablementTarget[] = [];
  desiredByRef.forEach((object, ref) => {
    if (outcomes.get(ref) === 'skipped') return;
    if (object.kind === 'application') {
      writableApps.add(object.key);
      if (outcomes.get(ref) === 'create') newApps.push(object.key);
    } else if (object.kind === 'connection') connections.push({ ref, key: object.key, declared: object, at: object.at });
  });
  liveByRef.forEach((objects, ref) => {
    for (const object of objects) if (object.kind === 'application' && object.managed) writableApps.add(object.key);
    if (objects[0]?.kind === 'connection' && objects.length === 1 && !desiredByRef.has(ref)) connections.push({ ref, key: objects[0].key });
  });
  return { writableApps, newApps, connections };
}

/** Undeclared objects the policy allows deleting, in reverse apply order. */
function planDeletes(liveByRef: ReadonlyMap<string, readonly LiveObject[]>, desiredByRef: ReadonlyMap<string, DesiredObject>, options: PlanOptions): Change[] {
  const candidates = deleteCandidates(liveByRef, desiredByRef, options);
  const deletes: Change[] = [];
  for (const kind of [...APPLY_ORDER].reverse()) {
    const parent = KIND_SPECS[kind].deletedWith;
    const deletedParents = new Set(candidates.filter((object) => object.kind === parent?.kind).map((object) => object.id));
    const ofKind = candidates
      .filter((object) => object.kind === kind)
      .filter((object) => !parent || !deletedParents.has(String(object.fields[parent.idField])))
      .sort((a, b) => byKey(a, b) || compareText(a.id, b.id));
    for (const object of ofKind) {
      deletes.push({
        kind,
        key: object.key,
        action: 'delete',
        id: object.id,
        fields: [],
        unchanged: 0,
        dependsOn: [],
        payload: null,
        requiresAllowDelete: true,
        impact: impactOf(kind, 'delete', object.fields),
      });
    }
  }
  return deletes;
}

function deleteCandidates(liveByRef: ReadonlyMap<string, readonly LiveObject[]>, desiredByRef: ReadonlyMap<string, DesiredObject>, options: PlanOptions): LiveObject[] {
  const candidates: LiveObject[] = [];
  liveByRef.forEach((objects, ref) => {
    if (!desiredByRef.has(ref)) for (const object of objects) if (deletable(object, options)) candidates.push(object);
  });
  return candidates;
}

export { computePlan as plan };
