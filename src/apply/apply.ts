// Executes a Plan against the tenant: phase by phase in dependency order, independent writes side by side,
// one request per object, no blind retry of creates, and a report of what was done, failed and skipped.
import { ApiError, TenantctlError, UncertainCreateError } from '../errors.js';
import { LOCK_API_IDENTIFIER } from '../model/api.js';
import { ENABLEMENT_BATCH } from '../model/connection.js';
import { changePhase, ENABLEMENT, KIND_SPECS, KINDS, type ChangeKind } from '../model/kinds.js';
import { rawById, readContext, systemIds, type TenantSnapshot } from '../model/snapshot.js';
import type { DesiredObject, Kind } from '../model/types.js';
import type { Change, EnablementPayload, Plan } from '../plan/types.js';
import { changeRef } from '../plan/types.js';
import { resolveSensitiveValues } from '../plan/payload.js';
import { Semaphore } from '../remote/transport.js';

type Raw = Record<string, unknown>;

/**
 * The writes apply needs, by kind: RemoteTenant provides them through its per-kind adapters (src/remote/adapters.ts),
 * tests an in-memory fake.
 */
export interface WriteTarget {
  create(kind: Kind, body: Raw, object: string): Promise<Raw>;
  update(kind: Kind, id: string, body: Raw, object: string): Promise<Raw>;
  remove(kind: Kind, id: string, object: string): Promise<void>;
  /** Looks an object up by its natural key (read from the create body), after a create whose outcome is unknown. */
  find(kind: Kind, body: Raw): Promise<Raw | undefined>;
  updateEnabledClients(id: string, changes: { client_id: string; status: boolean }[], object: string): Promise<void>;
}

export interface ApplyOptions {
  allowDelete: boolean;
  /** Database connections (strategy auth0) whose destruction, and users' loss, was explicitly allowed. */
  allowDestroyConnections: readonly string[];
  concurrency: number;
  /** The tenant as read for this apply: resolves names to ids and marks what must never be written. */
  snapshot: TenantSnapshot;
  /** The declared objects, for values the plan keeps out of its payloads (sensitive placeholders). */
  desired: readonly DesiredObject[];
  onEvent?: (event: ApplyEvent) => void;
  /**
   * Longest wait, in ms, for the name of a connection just deleted by a replace to become free again (Auth0
   * deletes connections in the background); default 5 minutes.
   */
  connectionNameWaitMs?: number;
  /** The clock for that wait; tests may provide another. */
  sleep?: (ms: number) => Promise<void>;
  /** Asked before each write starts: a reason (interrupted, lock lost) skips it; writes in flight still finish. */
  shouldStop?: () => string | undefined;
}

export type Outcome = 'created' | 'updated' | 'replaced' | 'deleted';

/** What a report item is about: the object's kind and natural key, and how it is named for people. */
export interface ItemSubject {
  kind: ChangeKind;
  key: string;
  object: string;
}

export interface DoneItem extends ItemSubject {
  action: Change['action'];
  outcome: Outcome;
  /** Write requests this object took (enablement batches, replace = delete + create). */
  requests: number;
}
export interface FailedItem extends ItemSubject {
  action: Change['action'];
  request: string;
  status?: number;
  message: string;
}
export interface SkippedItem extends ItemSubject {
  action: Change['action'];
  why: string;
}

/** Version of the report's JSON (`apply --report`), described by schemas/apply-report.schema.json. */
export const REPORT_FORMAT_VERSION = 1;

export interface ApplyReport {
  format_version: typeof REPORT_FORMAT_VERSION;
  environment: string;
  domain: string;
  done: DoneItem[];
  failed: FailedItem[];
  skipped: SkippedItem[];
  summary: { added: number; changed: number; destroyed: number };
}

export type ApplyEvent =
  | { type: 'start'; object: string; index: number; total: number }
  /** A write is waiting for Auth0 (a replaced connection's name, still being deleted); said again as it goes on. */
  | { type: 'waiting'; object: string; why: string; waitedMs: number; limitMs: number }
  | { type: 'done'; item: DoneItem; finished: number; total: number }
  | { type: 'failed'; item: FailedItem; finished: number; total: number }
  | { type: 'skipped'; item: SkippedItem; finished: number; total: number };

/** Phase of a change, from the kind registry: creates and updates in CHANGE_ORDER, then deletes in reverse. */
function phaseOf(change: Change): number {
  return changePhase(change.kind, change.action);
}

export function describeObject(change: Pick<Change, 'kind' | 'key'>): string {
  return `${change.kind} "${change.key}"`;
}

function subject(change: Change): ItemSubject {
  return { kind: change.kind, key: change.key, object: describeObject(change) };
}

/** How many times a create is attempted when each attempt fails with an unknown outcome and the lookup finds nothing. */
const CREATE_ATTEMPTS = 3;

export async function applyPlan(plan: Plan, target: WriteTarget, options: ApplyOptions): Promise<ApplyReport> {
  const report: ApplyReport = {
    format_version: REPORT_FORMAT_VERSION,
    environment: plan.environment,
    domain: plan.domain,
    done: [],
    failed: [],
    skipped: [],
    summary: { added: 0, changed: 0, destroyed: 0 },
  };
  const ids = new IdDirectory(options.snapshot);
  const protectedIds = systemIds(options.snapshot);
  const desiredByRef = new Map(options.desired.map((d) => [`${d.kind}:${d.key}`, d]));
  const status = new Map<string, 'ok' | 'failed' | 'skipped'>();
  const total = plan.changes.length;
  let finished = 0;
  const emit = (event: ApplyEvent) => options.onEvent?.(event);

  const finish = (change: Change, result: DoneItem | FailedItem | SkippedItem, kind: 'done' | 'failed' | 'skipped') => {
    finished++;
    status.set(changeRef(change), kind === 'done' ? 'ok' : kind);
    if (kind === 'done') {
      const item = result as DoneItem;
      report.done.push(item);
      if (item.outcome === 'created') report.summary.added++;
      else if (item.outcome === 'updated') report.summary.changed++;
      else if (item.outcome === 'deleted') report.summary.destroyed++;
      else {
        report.summary.added++;
        report.summary.destroyed++;
      }
      emit({ type: 'done', item, finished, total });
    } else if (kind === 'failed') {
      report.failed.push(result as FailedItem);
      emit({ type: 'failed', item: result as FailedItem, finished, total });
    } else {
      report.skipped.push(result as SkippedItem);
      emit({ type: 'skipped', item: result as SkippedItem, finished, total });
    }
  };

  const phases = new Map<number, Change[]>();
  for (const change of plan.changes) {
    const phase = phaseOf(change);
    phases.set(phase, [...(phases.get(phase) ?? []), change]);
  }
  const slots = new Semaphore(Math.max(1, options.concurrency));

  for (const phase of [...phases.keys()].sort((a, b) => a - b)) {
    await Promise.all(
      (phases.get(phase) ?? []).map(async (change) => {
        const about = subject(change);
        const blocker = change.dependsOn.find((ref) => status.has(ref) && status.get(ref) !== 'ok');
        if (blocker) {
          finish(change, { ...about, action: change.action, why: `depends on ${blocker.replace(':', ' ')}, which was not applied` }, 'skipped');
          return;
        }
        const refusal = refuse(change, options, protectedIds);
        if (refusal) {
          finish(change, { ...about, action: change.action, why: refusal }, 'skipped');
          return;
        }
        await slots.acquire();
        const stop = options.shouldStop?.();
        if (stop) {
          slots.release();
          finish(change, { ...about, action: change.action, why: `not started: ${stop}` }, 'skipped');
          return;
        }
        const progress: Progress = { deleted: false };
        try {
          emit({ type: 'start', object: about.object, index: finished, total });
          const executed = await execute(change, target, ids, desiredByRef, options, progress);
          finish(change, { ...about, action: change.action, ...executed }, 'done');
        } catch (error) {
          // A replace whose delete went through before its create failed did destroy something: say so.
          if (progress.deleted) recordPartialDelete(report, change);
          finish(change, failure(change, error), 'failed');
        } finally {
          slots.release();
        }
      }),
    );
  }
  return destructiveFirst(report);
}

/** What a change has already done to the tenant, for the report when it fails half-way. */
interface Progress {
  deleted: boolean;
}

function recordPartialDelete(report: ApplyReport, change: Change): void {
  report.done.push({ ...subject(change), action: change.action, outcome: 'deleted', requests: 1 });
  report.summary.destroyed++;
}

/** The report with its writes in the order a reader must see them: what destroyed something first. */
function destructiveFirst(report: ApplyReport): ApplyReport {
  const rank = (item: DoneItem) => (item.outcome === 'deleted' ? 0 : item.outcome === 'replaced' ? 1 : 2);
  return { ...report, done: [...report.done].sort((a, b) => rank(a) - rank(b)) };
}

/** Why a change must not run, or undefined when it may. */
function refuse(change: Change, options: ApplyOptions, protectedIds: Set<string>): string | undefined {
  if (change.id && protectedIds.has(change.id)) return 'a system object or the tool’s own client: never written';
  const { deletes, destroysData } = change.impact;
  if (deletes && !options.allowDelete) return 'deletes need --allow-delete';
  if (destroysData && !options.allowDestroyConnections.includes(change.key)) {
    return `destroying ${destroysData.object} "${change.key}" deletes ${destroysData.loses}: pass --allow-destroy-connection "${change.key}" to allow it`;
  }
  return undefined;
}

function failure(change: Change, error: unknown): FailedItem {
  const about = subject(change);
  if (error instanceof ApiError) {
    return {
      ...about,
      action: change.action,
      request: `${error.request.method} ${error.request.path}`,
      ...(error.status !== undefined ? { status: error.status } : {}),
      message: error.auth0Message,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { ...about, action: change.action, request: '-', message };
}

async function execute(
  change: Change,
  target: WriteTarget,
  ids: IdDirectory,
  desiredByRef: Map<string, DesiredObject>,
  options: ApplyOptions,
  progress: Progress,
): Promise<{ outcome: Outcome; requests: number }> {
  const snapshot = options.snapshot;
  const object = describeObject(change);
  if (change.kind === ENABLEMENT) {
    const connectionId = ids.of('connection', change.key);
    const payload = change.payload as unknown as EnablementPayload;
    const items = [
      ...payload.add.map((name) => ({ client_id: ids.of('application', name), status: true })),
      ...payload.remove.map((name) => ({ client_id: ids.of('application', name), status: false })),
    ];
    await target.updateEnabledClients(connectionId, items, object);
    return { outcome: 'updated', requests: Math.ceil(items.length / ENABLEMENT_BATCH) };
  }

  const writer = writerFor(change.kind, target, ids);
  if (change.action === 'delete') {
    await writer.remove(requireId(change), object);
    return { outcome: 'deleted', requests: 1 };
  }
  const body = resolveSensitiveValues(
    change.payload ?? {},
    { desired: desiredByRef.get(`${change.kind}:${change.key}`)?.fields, live: change.id ? rawById(snapshot, change.kind, change.id) : undefined },
    object,
  );
  if (change.action === 'update') {
    await writer.update(requireId(change), writer.prepare(body), object);
    return { outcome: 'updated', requests: 1 };
  }
  let requests = 0;
  if (change.action === 'replace') {
    await writer.remove(requireId(change), object);
    progress.deleted = true;
    requests++;
  }
  const prepared = writer.prepare(body);
  const created =
    change.action === 'replace' && KIND_SPECS[change.kind].deletedInBackground
      ? await createWhenNameFree(writer, prepared, object, options)
      : await createOnce(writer, prepared, object);
  requests += created.requests;
  ids.remember(change.kind, change.key, created.object);
  return { outcome: change.action === 'replace' ? 'replaced' : 'created', requests };
}

interface KindWriter {
  /** Turns the plan payload into the request body (references by name become ids). */
  prepare(body: Raw): Raw;
  create(body: Raw, object: string): Promise<Raw>;
  update(id: string, body: Raw, object: string): Promise<Raw>;
  remove(id: string, object: string): Promise<void>;
  /** Looks the object up by its natural key, after a create whose outcome is unknown. */
  find(body: Raw): Promise<Raw | undefined>;
}

function writerFor(kind: Kind, target: WriteTarget, ids: IdDirectory): KindWriter {
  return {
    prepare: (body) => KIND_SPECS[kind].toRequest(body, (referenced, key) => ids.of(referenced, key)),
    create: (body, object) => target.create(kind, body, object),
    update: (id, body, object) => target.update(kind, id, body, object),
    remove: (id, object) => target.remove(kind, id, object),
    find: (body) => target.find(kind, body),
  };
}

/**
 * Creates an object exactly once. When Auth0's answer is lost (5xx, dropped connection), the create
 * may still have landed, so the object is looked up by its natural key before any new attempt.
 */
async function createOnce(writer: KindWriter, body: Raw, object: string): Promise<{ object: Raw; requests: number }> {
  let requests = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      requests++;
      return { object: await writer.create(body, object), requests };
    } catch (error) {
      if (!(error instanceof UncertainCreateError) || attempt >= CREATE_ATTEMPTS) throw error;
      const landed = await writer.find(body);
      if (landed) return { object: landed, requests };
    }
  }
}

/** Default bound of the wait for a replaced connection's name. */
const CONNECTION_NAME_WAIT_MS = 5 * 60_000;

/**
 * Creates the new connection of a replace. Auth0 deletes a connection in the background after answering 202, and
 * until it is done the name is taken (the v7 SDK's connections.create: creating one with a recently deleted name
 * "may fail"): a 409 for the name is a definite "not created", so the create is tried again after a growing
 * pause, with progress events, until it lands or the bound is reached.
 */
async function createWhenNameFree(writer: KindWriter, body: Raw, object: string, options: ApplyOptions): Promise<{ object: Raw; requests: number }> {
  const limitMs = options.connectionNameWaitMs ?? CONNECTION_NAME_WAIT_MS;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let requests = 0;
  let waitedMs = 0;
  for (let pause = 500; ; pause = Math.min(pause * 2, 10_000)) {
    try {
      const created = await createOnce(writer, body, object);
      return { object: created.object, requests: requests + created.requests };
    } catch (error) {
      requests++;
      const nameTaken = error instanceof ApiError && error.status === 409;
      if (!nameTaken || waitedMs >= limitMs) {
        if (nameTaken) {
          throw new ApiError(
            error.request,
            error.status,
            `${error.auth0Message} (the deleted connection's name was still taken after ${Math.round(waitedMs / 1000)} s; run apply again to create it)`,
            error.errorCode,
            error.object,
          );
        }
        throw error;
      }
      const step = Math.min(pause, limitMs - waitedMs);
      options.onEvent?.({ type: 'waiting', object, why: 'the deleted connection’s name is still being freed by Auth0', waitedMs, limitMs });
      await sleep(step);
      waitedMs += step;
    }
  }
}

function requireId(change: Change): string {
  if (!change.id) throw new TenantctlError(`${describeObject(change)}: the plan has no live id for this ${change.action}`);
  return change.id;
}

/** Natural key to id, from the snapshot and from objects created during this apply. */
class IdDirectory {
  private readonly ids = new Map<string, string>();

  constructor(snapshot: TenantSnapshot) {
    const context = readContext(snapshot);
    for (const kind of KINDS) {
      const { read } = KIND_SPECS[kind];
      for (const raw of snapshot[read.list] ?? []) this.ids.set(`${kind}:${read.key(raw, context)}`, String(raw[read.idField]));
    }
  }

  remember(kind: Kind, key: string, created: Raw): void {
    this.ids.set(`${kind}:${key}`, String(created[KIND_SPECS[kind].read.idField]));
  }

  of(kind: Kind, key: string): string {
    const id = this.ids.get(`${kind}:${key}`);
    if (!id) throw new TenantctlError(`${kind} "${key}" does not exist in the tenant`);
    return id;
  }
}
