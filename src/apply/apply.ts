// Executes a Plan against the tenant: phase by phase in dependency order, independent writes side by side,
// one request per object, no blind retry of creates, and a report of what was done, failed and skipped.
import { ApiError, TenantctlError, UncertainCreateError } from '../errors.js';
import { LOCK_API_IDENTIFIER } from '../model/api.js';
import { ENABLEMENT_BATCH } from '../model/connection.js';
import { subjectTypeOf } from '../model/grant.js';
import type { TenantSnapshot } from '../model/snapshot.js';
import type { DesiredObject } from '../model/types.js';
import type { Change, EnablementPayload, Plan } from '../plan/types.js';
import { changeRef } from '../plan/types.js';
import { resolveSensitiveValues } from '../plan/payload.js';
import { Semaphore } from '../remote/transport.js';

type Raw = Record<string, unknown>;

/** The writes apply needs; RemoteTenant provides them, tests may provide others. */
export interface WriteTarget {
  createClient(body: Raw, object: string): Promise<Raw>;
  updateClient(id: string, body: Raw, object: string): Promise<Raw>;
  deleteClient(id: string, object: string): Promise<void>;
  createConnection(body: Raw, object: string): Promise<Raw>;
  updateConnection(id: string, body: Raw, object: string): Promise<Raw>;
  deleteConnection(id: string, object: string): Promise<void>;
  updateEnabledClients(id: string, changes: { client_id: string; status: boolean }[], object: string): Promise<void>;
  createResourceServer(body: Raw, object: string): Promise<Raw>;
  updateResourceServer(id: string, body: Raw, object: string): Promise<Raw>;
  deleteResourceServer(id: string, object: string): Promise<void>;
  createClientGrant(body: Raw, object: string): Promise<Raw>;
  updateClientGrant(id: string, body: Raw, object: string): Promise<Raw>;
  deleteClientGrant(id: string, object: string): Promise<void>;
  findClientByName(name: string): Promise<Raw | undefined>;
  findConnectionByName(name: string): Promise<Raw | undefined>;
  findResourceServerByIdentifier(identifier: string): Promise<Raw | undefined>;
  findClientGrant(clientId: string, audience: string, subjectType: string): Promise<Raw | undefined>;
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

export interface DoneItem {
  object: string;
  action: Change['action'];
  outcome: Outcome;
  /** Write requests this object took (enablement batches, replace = delete + create). */
  requests: number;
}
export interface FailedItem {
  object: string;
  action: Change['action'];
  request: string;
  status?: number;
  message: string;
}
export interface SkippedItem {
  object: string;
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

/** Phase of a change: creates and updates go APIs -> applications -> connections -> enablement -> grants, deletes in reverse. */
function phaseOf(change: Change): number {
  const forward = { api: 0, application: 1, connection: 2, enablement: 3, grant: 4 } as const;
  const backward = { grant: 5, enablement: 6, connection: 7, application: 8, api: 9 } as const;
  return change.action === 'delete' ? backward[change.kind] : forward[change.kind];
}

export function describeObject(change: Pick<Change, 'kind' | 'key'>): string {
  return `${change.kind} "${change.key}"`;
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
        const object = describeObject(change);
        const blocker = change.dependsOn.find((ref) => status.has(ref) && status.get(ref) !== 'ok');
        if (blocker) {
          finish(change, { object, action: change.action, why: `depends on ${blocker.replace(':', ' ')}, which was not applied` }, 'skipped');
          return;
        }
        const refusal = refuse(change, options, protectedIds);
        if (refusal) {
          finish(change, { object, action: change.action, why: refusal }, 'skipped');
          return;
        }
        await slots.acquire();
        const stop = options.shouldStop?.();
        if (stop) {
          slots.release();
          finish(change, { object, action: change.action, why: `not started: ${stop}` }, 'skipped');
          return;
        }
        const progress: Progress = { deleted: false };
        try {
          emit({ type: 'start', object, index: finished, total });
          const executed = await execute(change, target, ids, desiredByRef, options, progress);
          finish(change, { object, action: change.action, ...executed }, 'done');
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
  report.done.push({ object: describeObject(change), action: change.action, outcome: 'deleted', requests: 1 });
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
  if (change.requiresAllowDelete && !options.allowDelete) return 'deletes need --allow-delete';
  if (change.kind === 'connection' && (change.action === 'delete' || change.action === 'replace')) {
    const live = options.snapshot.connections.find((c) => c.id === change.id);
    if (live?.strategy === 'auth0' && !options.allowDestroyConnections.includes(change.key)) {
      return `destroying database connection "${change.key}" deletes its users: pass --allow-destroy-connection "${change.key}" to allow it`;
    }
  }
  return undefined;
}

function failure(change: Change, error: unknown): FailedItem {
  const object = describeObject(change);
  if (error instanceof ApiError) {
    return {
      object,
      action: change.action,
      request: `${error.request.method} ${error.request.path}`,
      ...(error.status !== undefined ? { status: error.status } : {}),
      message: error.auth0Message,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { object, action: change.action, request: '-', message };
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
  if (change.kind === 'enablement') {
    const connectionId = ids.connection(change.key);
    const payload = change.payload as unknown as EnablementPayload;
    const items = [
      ...payload.add.map((name) => ({ client_id: ids.client(name), status: true })),
      ...payload.remove.map((name) => ({ client_id: ids.client(name), status: false })),
    ];
    await target.updateEnabledClients(connectionId, items, object);
    return { outcome: 'updated', requests: Math.ceil(items.length / ENABLEMENT_BATCH) };
  }

  const writer = writers(target, ids)[change.kind];
  if (change.action === 'delete') {
    await writer.remove(requireId(change), object);
    return { outcome: 'deleted', requests: 1 };
  }
  const body = resolveSensitiveValues(
    change.payload ?? {},
    { desired: desiredByRef.get(`${change.kind}:${change.key}`)?.fields, live: liveFields(change, snapshot) },
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
    change.action === 'replace' && change.kind === 'connection'
      ? await createWhenNameFree(writer, prepared, object, options)
      : await createOnce(writer, prepared, object);
  requests += created.requests;
  writer.remember(change.key, created.object);
  return { outcome: change.action === 'replace' ? 'replaced' : 'created', requests };
}

interface KindWriter {
  /** Turns the plan payload into the request body (grants: application name to client_id). */
  prepare(body: Raw): Raw;
  create(body: Raw, object: string): Promise<Raw>;
  update(id: string, body: Raw, object: string): Promise<Raw>;
  remove(id: string, object: string): Promise<void>;
  /** Looks the object up by its natural key, after a create whose outcome is unknown. */
  find(body: Raw): Promise<Raw | undefined>;
  remember(key: string, created: Raw): void;
}

function writers(target: WriteTarget, ids: IdDirectory): Record<Exclude<Change['kind'], 'enablement'>, KindWriter> {
  const plain = (body: Raw) => body;
  return {
    api: {
      prepare: plain,
      create: (b, o) => target.createResourceServer(b, o),
      update: (id, b, o) => target.updateResourceServer(id, b, o),
      remove: (id, o) => target.deleteResourceServer(id, o),
      find: (b) => target.findResourceServerByIdentifier(String(b.identifier)),
      remember: () => undefined,
    },
    application: {
      prepare: plain,
      create: (b, o) => target.createClient(b, o),
      update: (id, b, o) => target.updateClient(id, b, o),
      remove: (id, o) => target.deleteClient(id, o),
      find: (b) => target.findClientByName(String(b.name)),
      remember: (key, created) => ids.rememberClient(key, String(created.client_id)),
    },
    connection: {
      prepare: plain,
      create: (b, o) => target.createConnection(b, o),
      update: (id, b, o) => target.updateConnection(id, b, o),
      remove: (id, o) => target.deleteConnection(id, o),
      find: (b) => target.findConnectionByName(String(b.name)),
      remember: (key, created) => ids.rememberConnection(key, String(created.id)),
    },
    grant: {
      prepare: (body) => {
        if (!('client' in body)) return body;
        const { client, ...rest } = body;
        return { client_id: ids.client(String(client)), ...rest };
      },
      create: (b, o) => target.createClientGrant(b, o),
      update: (id, b, o) => target.updateClientGrant(id, b, o),
      remove: (id, o) => target.deleteClientGrant(id, o),
      // Auth0 holds a client and a user grant per application and API: the lookup must ask for the right one.
      find: (b) => target.findClientGrant(String(b.client_id), String(b.audience), subjectTypeOf(b)),
      remember: () => undefined,
    },
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

function liveFields(change: Change, snapshot: TenantSnapshot): Raw | undefined {
  const lists: Record<string, Raw[]> = {
    application: snapshot.clients,
    connection: snapshot.connections,
    api: snapshot.resourceServers,
    grant: snapshot.clientGrants,
  };
  return lists[change.kind]?.find((o) => (o.id ?? o.client_id) === change.id);
}

/** Ids of objects that must never be written: the global client, the tool's own client, system APIs (the lock too) and grants. */
function systemIds(snapshot: TenantSnapshot): Set<string> {
  const ids = new Set<string>([snapshot.ownClientId]);
  for (const c of snapshot.clients) if (c.global === true) ids.add(String(c.client_id));
  for (const r of snapshot.resourceServers) if (r.is_system === true || r.identifier === LOCK_API_IDENTIFIER) ids.add(String(r.id));
  for (const g of snapshot.clientGrants) if (g.is_system === true || g.client_id === snapshot.ownClientId) ids.add(String(g.id));
  return ids;
}

/** Natural key to id, from the snapshot and from objects created during this apply. */
class IdDirectory {
  private readonly clients = new Map<string, string>();
  private readonly connections = new Map<string, string>();

  constructor(snapshot: TenantSnapshot) {
    for (const c of snapshot.clients) if (typeof c.name === 'string') this.clients.set(c.name, String(c.client_id));
    for (const c of snapshot.connections) if (typeof c.name === 'string') this.connections.set(c.name, String(c.id));
  }

  rememberClient(name: string, id: string): void {
    this.clients.set(name, id);
  }
  rememberConnection(name: string, id: string): void {
    this.connections.set(name, id);
  }
  client(name: string): string {
    const id = this.clients.get(name);
    if (!id) throw new TenantctlError(`application "${name}" does not exist in the tenant`);
    return id;
  }
  connection(name: string): string {
    const id = this.connections.get(name);
    if (!id) throw new TenantctlError(`connection "${name}" does not exist in the tenant`);
    return id;
  }
}
