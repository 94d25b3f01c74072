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
//   removed; enablement of any other client is never touched.
// - Order: APIs, applications, connections, enablement, grants; then deletes of grants, connections,
//   applications, APIs. Within a group, by key.
// - Staleness: `live_fingerprint` hashes the live objects the plan depends on (every declared key, every
//   managed object, every object to delete). Apply re-plans on a fresh snapshot and compares fingerprints.
import { managementApiIdentifier } from '../model/api.js';
import { grantKey } from '../model/grant.js';
import { deepMerge, getPath, isPlainObject, compareText } from '../model/canonical.js';
import { MARKER_KEY, MARKER_VALUE, type KindSpec } from '../model/kind-spec.js';
import { APPLY_ORDER, KIND_SPECS } from '../model/kinds.js';
import { countByKind, fingerprintLive, objectRef, toLiveObjects, type TenantSnapshot } from '../model/snapshot.js';
import type { DesiredObject, Kind, LiveObject } from '../model/types.js';
import { describeNew, diffDeclared, makeFieldChange } from './diff.js';
import { withPlaceholders } from './payload.js';
import {
  PLAN_FORMAT_VERSION,
  changeRef,
  type Change,
  type FieldChange,
  type Plan,
  type PlanOptions,
  type SkippedObject,
} from './types.js';

type Outcome = 'create' | 'update' | 'replace' | 'unchanged' | 'skipped';

const KIND_NOUN: Record<Kind, { one: string; many: string; keyName: string }> = {
  application: { one: 'application', many: 'applications', keyName: 'name' },
  connection: { one: 'connection', many: 'connections', keyName: 'name' },
  api: { one: 'API', many: 'APIs', keyName: 'identifier' },
  grant: { one: 'grant', many: 'grants', keyName: 'application and API' },
};

function byKey<T extends { key: string }>(a: T, b: T): number {
  return compareText(a.key, b.key);
}

function systemReason(object: LiveObject): string {
  switch (object.kind) {
    case 'application':
      return object.fields.global === true
        ? 'the global client is an Auth0 system object; tenantctl never writes it'
        : "this is tenantctl's own client (AUTH0_CLIENT_ID); tenantctl never writes it";
    case 'api':
      return "a system API (the Management API, another is_system API, or tenantctl's apply lock); tenantctl never writes it";
    case 'grant':
      return "a system grant (is_system, or a grant of tenantctl's own client); tenantctl never writes it";
    case 'connection':
      return 'a system connection; tenantctl never writes it';
  }
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
  for (const name of changedTopLevel) {
    // Object fields go out as the live object overlaid with the desired one: Auth0 replaces some of
    // them whole (connection options), and undeclared members must survive.
    body[name] = isPlainObject(desired[name]) ? deepMerge(live.fields[name] ?? {}, desired[name]) : desired[name];
  }
  for (const name of spec.alwaysSentOnUpdate) {
    const value = desired[name] ?? live.fields[name];
    if (value !== undefined) body[name] = value;
  }
  if (spec.markerField && (changedTopLevel.has(spec.markerField) || !live.managed)) {
    body[spec.markerField] = deepMerge(live.fields[spec.markerField] ?? {}, desired[spec.markerField] ?? {});
    body = withMarker(spec, body);
  }
  return withPlaceholders(body, (path) => (getPath(desired, path) !== undefined ? 'desired' : 'live'));
}

function markerAdoption(spec: KindSpec, live: LiveObject): FieldChange[] {
  if (!spec.markerField || live.managed) return [];
  const before = getPath(live.fields, [spec.markerField, MARKER_KEY]);
  return [makeFieldChange([spec.markerField, MARKER_KEY], { before: before ?? null, after: MARKER_VALUE })];
}

export function computePlan(
  desired: readonly DesiredObject[],
  liveInput: TenantSnapshot | readonly LiveObject[],
  options: PlanOptions,
): Plan {
  const live: readonly LiveObject[] = Array.isArray(liveInput) ? liveInput : toLiveObjects(liveInput as TenantSnapshot);
  const declared = withLiveManagementAudience(desired, options);
  const liveByRef = new Map<string, LiveObject[]>();
  for (const object of live) {
    const ref = objectRef(object.kind, object.key);
    liveByRef.set(ref, [...(liveByRef.get(ref) ?? []), object]);
  }

  const skipped: SkippedObject[] = [];
  const outcomes = new Map<string, Outcome>();
  const desiredByRef = new Map<string, DesiredObject>();
  for (const object of [...declared].sort(byKey)) {
    const ref = objectRef(object.kind, object.key);
    if (desiredByRef.has(ref)) {
      skipped.push({ kind: object.kind, key: object.key, reason: 'declared more than once; only the first declaration is planned' });
    } else desiredByRef.set(ref, object);
  }

  const changes = new Map<Kind | 'enablement', Change[]>();
  const push = (change: Change): void => {
    changes.set(change.kind, [...(changes.get(change.kind) ?? []), change]);
  };
  const willCreate = (ref: string): boolean => outcomes.get(ref) === 'create';
  const managementApi = managementApiIdentifier(options.domain);

  for (const kind of APPLY_ORDER) {
    const spec = KIND_SPECS[kind];
    for (const object of [...desiredByRef.values()].filter((candidate) => candidate.kind === kind)) {
      const ref = objectRef(kind, object.key);
      const skip = (reason: string): void => {
        outcomes.set(ref, 'skipped');
        skipped.push({ kind, key: object.key, reason });
      };
      const matches = liveByRef.get(ref) ?? [];
      const match = matches[0];
      const noun = KIND_NOUN[kind];
      if (matches.length > 1) {
        skip(`${matches.length} live ${noun.many} share this ${noun.keyName}; tenantctl matches by ${noun.keyName}, so rename or remove the extra ones`);
        continue;
      }
      if (match?.system) {
        skip(systemReason(match));
        continue;
      }
      if (kind === 'api' && object.key === managementApi) {
        skip("the tenant's Management API is a system API; tenantctl never writes it");
        continue;
      }
      const dependsOn: string[] = [];
      if (kind === 'grant') {
        const appName = String(object.fields.client ?? '');
        const appRef = objectRef('application', appName);
        const apiRef = objectRef('api', String(object.fields.audience ?? ''));
        if (outcomes.get(appRef) === 'skipped' || liveByRef.get(appRef)?.[0]?.system) {
          skip(`its application "${appName}" is not written by tenantctl (see above)`);
          continue;
        }
        if (outcomes.get(apiRef) === 'skipped') {
          skip(`its API "${String(object.fields.audience)}" is not written by tenantctl (see above)`);
          continue;
        }
        if (willCreate(appRef)) dependsOn.push(appRef);
        if (willCreate(apiRef)) dependsOn.push(apiRef);
      }

      if (!match) {
        outcomes.set(ref, 'create');
        const fields = describeNew(spec, object.fields);
        if (spec.markerField) fields.push(makeFieldChange([spec.markerField, MARKER_KEY], { after: MARKER_VALUE }));
        push({
          kind,
          key: object.key,
          action: 'create',
          fields,
          unchanged: 0,
          dependsOn,
          payload: createPayload(spec, object.fields),
          requiresAllowDelete: false,
          at: object.at,
        });
        continue;
      }

      const diff = diffDeclared(spec, object.fields, match.fields);
      const forcing = diff.changes.filter((change) => change.forcesReplacement);
      if (forcing.length > 0) {
        outcomes.set(ref, 'replace');
        const what = forcing.map((change) => change.path).join(', ');
        const users = kind === 'connection' && match.fields.strategy === 'auth0' ? '; deleting a database connection deletes its users' : '';
        push({
          kind,
          key: object.key,
          action: 'replace',
          id: match.id,
          reason: `${what} cannot change in place, so the ${noun.one} is deleted and created again${users}`,
          fields: diff.changes,
          unchanged: diff.compared - diff.changes.length,
          dependsOn,
          payload: createPayload(spec, object.fields),
          requiresAllowDelete: true,
          at: object.at,
        });
        continue;
      }

      if (diff.changes.length === 0) {
        outcomes.set(ref, 'unchanged');
        continue;
      }
      const adoption = markerAdoption(spec, match);
      outcomes.set(ref, 'update');
      const changedTopLevel = new Set(diff.changes.map((change) => change.path.split(/[.[]/)[0] ?? change.path));
      push({
        kind,
        key: object.key,
        action: 'update',
        id: match.id,
        ...(adoption.length > 0 ? { reason: `adopted: tenantctl adds its ownership marker because the config declares this ${noun.one}` } : {}),
        fields: [...diff.changes, ...adoption],
        unchanged: diff.compared - diff.changes.length,
        dependsOn: [],
        payload: updatePayload(spec, object.fields, match, changedTopLevel),
        requiresAllowDelete: false,
        at: object.at,
      });
    }
  }

  planEnablement(desiredByRef, liveByRef, outcomes, push);

  const deletes = planDeletes(live, desiredByRef, options);
  const ordered: Change[] = [];
  for (const kind of [...APPLY_ORDER.slice(0, 3), 'enablement' as const, 'grant' as const]) {
    ordered.push(...(changes.get(kind) ?? []).sort(byKey));
  }
  ordered.push(...deletes);

  const scope = new Set<string>(desiredByRef.keys());
  for (const object of live) if (object.managed) scope.add(objectRef(object.kind, object.key));
  for (const change of deletes) scope.add(changeRef(change));

  const count = (action: Change['action']): number => ordered.filter((change) => change.action === action).length;
  return {
    format_version: PLAN_FORMAT_VERSION,
    environment: options.environment,
    domain: options.domain,
    config_hash: options.configHash,
    live_fingerprint: fingerprintLive(live, scope),
    changes: ordered,
    skipped,
    summary: {
      add: count('create') + count('replace'),
      change: count('update'),
      destroy: count('delete') + count('replace'),
      replace: count('replace'),
      unchanged: [...outcomes.values()].filter((outcome) => outcome === 'unchanged').length,
    },
    stats: { reads: null, objects: countByKind(live) },
  };
}

/** Desired grants to the environment's Management API, re-aimed at the Management API of the tenant read. */
function withLiveManagementAudience(desired: readonly DesiredObject[], options: PlanOptions): readonly DesiredObject[] {
  if (options.environmentDomain === undefined || options.environmentDomain.toLowerCase() === options.domain.toLowerCase()) return desired;
  const configured = managementApiIdentifier(options.environmentDomain);
  const actual = managementApiIdentifier(options.domain);
  return desired.map((object) => {
    if (object.kind !== 'grant' || object.fields.audience !== configured) return object;
    const client = String(object.fields.client ?? '');
    return { ...object, key: grantKey(client, actual), fields: { ...object.fields, audience: actual } };
  });
}

/** Enabled applications per declared connection, over the domain of declared or managed applications. */
function planEnablement(
  desiredByRef: ReadonlyMap<string, DesiredObject>,
  liveByRef: ReadonlyMap<string, LiveObject[]>,
  outcomes: ReadonlyMap<string, Outcome>,
  push: (change: Change) => void,
): void {
  const writableApps = new Set<string>();
  for (const [ref, object] of desiredByRef) {
    if (object.kind === 'application' && outcomes.get(ref) !== 'skipped') writableApps.add(object.key);
  }
  for (const objects of liveByRef.values()) {
    for (const object of objects) if (object.kind === 'application' && object.managed) writableApps.add(object.key);
  }
  for (const [ref, connection] of desiredByRef) {
    if (connection.kind !== 'connection' || outcomes.get(ref) === 'skipped') continue;
    const declared = connection.fields.enabled_clients;
    if (!Array.isArray(declared)) continue;
    const wanted = new Set(declared.map(String).filter((name) => writableApps.has(name)));
    const fresh = outcomes.get(ref) === 'create' || outcomes.get(ref) === 'replace';
    const match = liveByRef.get(ref)?.[0];
    const liveEnabled = fresh || !Array.isArray(match?.fields.enabled_clients) ? [] : (match.fields.enabled_clients as unknown[]).map(String);
    const current = new Set(liveEnabled);
    const add = [...wanted].filter((name) => !current.has(name)).sort(compareText);
    const remove = liveEnabled.filter((name) => writableApps.has(name) && !wanted.has(name)).sort(compareText);
    if (add.length === 0 && remove.length === 0) continue;
    const dependsOn = [...(fresh ? [ref] : []), ...add.map((name) => objectRef('application', name)).filter((appRef) => outcomes.get(appRef) === 'create')];
    push({
      kind: 'enablement',
      key: connection.key,
      action: 'update',
      ...(fresh || !match ? {} : { id: match.id }),
      fields: [makeFieldChange(['enabled_clients'], { added: add, removed: remove })],
      unchanged: wanted.size - add.length,
      dependsOn,
      payload: { add, remove },
      requiresAllowDelete: false,
      at: connection.at,
    });
  }
}

/** Undeclared objects the policy allows deleting, in reverse apply order. */
function planDeletes(live: readonly LiveObject[], desiredByRef: ReadonlyMap<string, DesiredObject>, options: PlanOptions): Change[] {
  const candidates = live.filter((object) => !desiredByRef.has(objectRef(object.kind, object.key)) && deletable(object, options));
  const deletedClientIds = new Set(candidates.filter((object) => object.kind === 'application').map((object) => object.id));
  const deletes: Change[] = [];
  for (const kind of [...APPLY_ORDER].reverse()) {
    const ofKind = candidates
      .filter((object) => object.kind === kind)
      .filter((object) => kind !== 'grant' || !deletedClientIds.has(String(object.fields.client_id)))
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
      });
    }
  }
  return deletes;
}

export { computePlan as plan };
