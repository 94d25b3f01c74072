// The live tenant through the official Auth0 SDK: paged reads into a TenantSnapshot, and single writes.
// The only module that imports `auth0`; every SDK failure leaves here as a typed error naming the request.
import { ManagementClient, ManagementError } from 'auth0';
import { ApiError, MissingScopeError, SettingsError, TenantctlError, UncertainCreateError } from '../errors.js';
import { ENABLEMENT_BATCH } from '../model/connection.js';
import type { SnapshotList } from '../model/kind-spec.js';
import { KIND_SPECS, KINDS } from '../model/kinds.js';
import { subjectTypeOf } from '../model/grant.js';
import type { TenantSnapshot } from '../model/snapshot.js';
import type { Kind } from '../model/types.js';
import { remoteAdapters, type KindOperations } from './adapters.js';
import { createTransport, Semaphore, UncertainWriteError, type RequestStats } from './transport.js';

export interface TenantCredentials {
  domain: string;
  clientId: string;
  clientSecret: string;
}

export interface ConnectOptions {
  /** Requests in flight at once (reads and writes). */
  concurrency?: number;
  maxAttempts?: number;
  baseBackoffMs?: number;
  /** How long one request may wait for its answer once sent (default: the SDK's 60 s). */
  requestTimeoutMs?: number;
}

/**
 * The SDK's own timer starts when a call starts, so it would also run while the transport holds the request
 * for a slot or a rate-limit token. It is set past any real wait (below Node's 24.8-day timer limit) and the
 * transport times each attempt from the moment it is sent instead.
 */
const SDK_TIMEOUT_SECONDS = 24 * 60 * 60;

type Raw = Record<string, unknown>;

export const PAGE_SIZE = 100;
/** Reads of an offset-paged list before a list that keeps changing under the read is reported as an error. */
export const OFFSET_READ_ATTEMPTS = 3;

/**
 * What is wrong with one offset-paged read, or undefined when it is whole: the same total on every page, full
 * pages before the last, no id twice, and as many objects as the total.
 */
export function offsetReadProblem(pages: readonly { items: readonly Raw[]; total: number }[], pageSize: number, idKey: string): string | undefined {
  const total = pages[0]?.total ?? 0;
  const otherTotal = pages.find((page) => page.total !== total);
  if (otherTotal) return `the total went from ${total} to ${otherTotal.total}`;
  const short = pages.findIndex((page, index) => index < pages.length - 1 && page.items.length !== pageSize);
  if (short >= 0) return `page ${short} held ${pages[short]!.items.length} of ${pageSize}`;
  const ids = new Set<string>();
  for (const item of pages.flatMap((page) => page.items)) {
    const id = String(item[idKey]);
    if (ids.has(id)) return `${id} appeared twice`;
    ids.add(id);
  }
  if (ids.size !== total) return `${ids.size} read of ${total}`;
  return undefined;
}

export class RemoteTenant implements KindOperations {
  readonly stats: RequestStats;
  private readonly sdk: ManagementClient;
  private readonly concurrency: number;
  private tokenScopes: ReadonlySet<string> | undefined;

  constructor(
    readonly credentials: TenantCredentials,
    options: ConnectOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 4;
    const transport = createTransport({
      concurrency: this.concurrency,
      ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
      ...(options.baseBackoffMs !== undefined ? { baseBackoffMs: options.baseBackoffMs } : {}),
      ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    });
    this.stats = transport.stats;
    this.sdk = new ManagementClient({
      domain: credentials.domain,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      fetch: answeringFetch(scopeRecordingFetch(transport.fetch, (scopes) => (this.tokenScopes = scopes))),
      maxRetries: 0, // retries are the transport's job: it knows which ones are safe
      timeoutInSeconds: SDK_TIMEOUT_SECONDS,
    });
  }

  /**
   * The scopes of the Management API token in use, from the token answer (`scope`, or the JWT's `scope` claim);
   * undefined before the first request or when Auth0 said neither.
   */
  get grantedScopes(): ReadonlySet<string> | undefined {
    return this.tokenScopes;
  }

  /** The per-kind adapters (list, create, update, remove, find) the generic operations below go through. */
  private readonly adapters = remoteAdapters(this);

  /** Reads every kind of the registry, plus enabled clients of the named connections, with list requests only. */
  async readSnapshot(options: { enablementFor?: Iterable<string> | 'all' } = {}): Promise<TenantSnapshot> {
    const lists = Object.fromEntries(
      await Promise.all(KINDS.map(async (kind) => [KIND_SPECS[kind].read.list, await this.listIfAllowed(kind)] as const)),
    ) as Record<SnapshotList, Raw[] | undefined>;
    const clients = lists.clients ?? [];
    const connections = lists.connections ?? [];
    const wanted = options.enablementFor === 'all' ? undefined : new Set(options.enablementFor ?? []);
    const enabledClients: Record<string, string[]> = {};
    const limit = new Semaphore(this.concurrency);
    await Promise.all(
      connections
        .filter((c) => wanted === undefined || wanted.has(String(c.name)))
        .map(async (c) => {
          await limit.acquire();
          try {
            enabledClients[String(c.id)] = await this.readEnabledClients(String(c.id));
          } finally {
            limit.release();
          }
        }),
    );
    const organizationConnections: Record<string, Raw[]> = {};
    await Promise.all(
      (lists.organizations ?? []).map(async (organization) => {
        await limit.acquire();
        try {
          organizationConnections[String(organization.id)] = await this.readOrganizationConnections(String(organization.id));
        } finally {
          limit.release();
        }
      }),
    );
    return {
      // Only kinds with an optional read scope can be undefined, and TenantSnapshot declares exactly those optional.
      ...(lists as Pick<TenantSnapshot, SnapshotList>),
      organizationConnections,
      domain: this.credentials.domain,
      ownClientId: this.credentials.clientId,
      clients: clients.map(withoutSecret),
      enabledClients,
    };
  }

  /** A kind's objects, or undefined when the kind's read scope is optional and the token lacks it. */
  private async listIfAllowed(kind: Kind): Promise<Raw[] | undefined> {
    try {
      return await this.adapters[kind].list();
    } catch (error) {
      if (error instanceof MissingScopeError && KIND_SPECS[kind].optionalReadScope) return undefined;
      throw error;
    }
  }

  create(kind: Kind, body: Raw, object: string): Promise<Raw> {
    return this.adapters[kind].create(body, object);
  }
  update(kind: Kind, id: string, body: Raw, object: string): Promise<Raw> {
    return this.adapters[kind].update(id, body, object);
  }
  remove(kind: Kind, id: string, object: string): Promise<void> {
    return this.adapters[kind].remove(id, object);
  }
  find(kind: Kind, body: Raw): Promise<Raw | undefined> {
    return this.adapters[kind].find(body);
  }

  listClients(): Promise<Raw[]> {
    return this.readOffsetPaged('clients', (page) =>
      this.sdk.clients.list({ page, per_page: PAGE_SIZE, include_totals: true }).then((p) => ({
        items: p.response.clients ?? [],
        total: p.response.total,
      })),
    );
  }
  listResourceServers(): Promise<Raw[]> {
    return this.readOffsetPaged('resource-servers', (page) =>
      this.sdk.resourceServers.list({ page, per_page: PAGE_SIZE, include_totals: true }).then((p) => ({
        items: p.response.resource_servers ?? [],
        total: p.response.total,
      })),
    );
  }
  listConnections(): Promise<Raw[]> {
    return this.readCheckpointPaged('connections', (from) =>
      this.sdk.connections.list({ take: PAGE_SIZE, ...(from ? { from } : {}) }).then((p) => ({
        items: p.response.connections ?? [],
        next: p.response.next,
      })),
    );
  }
  listClientGrants(): Promise<Raw[]> {
    return this.readCheckpointPaged('client-grants', (from) =>
      this.sdk.clientGrants.list({ take: PAGE_SIZE, ...(from ? { from } : {}) }).then((p) => ({
        items: p.response.client_grants ?? [],
        next: p.response.next,
      })),
    );
  }

  /**
   * The tenant's `flags.enable_client_connections` (Auth0's default is true), or null when the token lacks
   * `read:tenant_settings`: plan and drift then still work, and the plan says what it assumed.
   */
  async readEnableClientConnections(): Promise<boolean | null> {
    try {
      const settings = await this.call({ method: 'GET', path: '/api/v2/tenants/settings' }, () =>
        this.sdk.tenants.settings.get({ fields: 'flags', include_fields: true }),
      );
      return (settings as { flags?: { enable_client_connections?: boolean } }).flags?.enable_client_connections !== false;
    } catch (error) {
      if (error instanceof MissingScopeError) return null;
      throw error;
    }
  }

  listOrganizations(): Promise<Raw[]> {
    return this.readCheckpointPaged('organizations', (from) =>
      this.sdk.organizations.list({ take: PAGE_SIZE, ...(from ? { from } : {}) }).then((p) => ({
        items: (p.response.organizations ?? []) as Raw[],
        next: p.response.next,
      })),
    );
  }

  /** An organization's enabled connections; offset paging is the only paging the endpoint offers (SDK list parameters). */
  readOrganizationConnections(organizationId: string): Promise<Raw[]> {
    return this.readOffsetPaged(
      `organizations/${organizationId}/enabled_connections`,
      (page) =>
        this.sdk.organizations.enabledConnections.list(organizationId, { page, per_page: PAGE_SIZE, include_totals: true }).then((p) => ({
          items: (p.response.enabled_connections ?? []) as unknown[],
          total: p.response.total,
        })),
      'connection_id',
    );
  }

  createOrganization(body: Raw, object: string): Promise<Raw> {
    return this.write('POST', '/api/v2/organizations', object, () => this.sdk.organizations.create(body as never));
  }

  /**
   * An organization's PATCH takes no `enabled_connections` (SDK UpdateOrganizationRequestContent), so a changed set
   * is written through /organizations/{id}/enabled_connections: one POST per connection added, PATCH per changed
   * setting, DELETE per connection removed; the rest of the body goes in one PATCH.
   */
  async updateOrganization(id: string, body: Raw, object: string): Promise<Raw> {
    const { enabled_connections: wanted, ...rest } = body;
    if (Array.isArray(wanted)) {
      const current = new Map((await this.readOrganizationConnections(id)).map((entry) => [String(entry.connection_id), entry]));
      const path = `/api/v2/organizations/${id}/enabled_connections`;
      for (const entry of wanted as Raw[]) {
        const { connection_id: connectionId, ...settings } = entry;
        const live = current.get(String(connectionId));
        current.delete(String(connectionId));
        if (!live) {
          await this.write('POST', path, object, () => this.sdk.organizations.enabledConnections.add(id, entry as never));
        } else if (Object.entries(settings).some(([name, value]) => live[name] !== value)) {
          await this.write('PATCH', `${path}/${String(connectionId)}`, object, () =>
            this.sdk.organizations.enabledConnections.update(id, String(connectionId), settings as never),
          );
        }
      }
      for (const connectionId of current.keys()) {
        await this.write<void>('DELETE', `${path}/${connectionId}`, object, () => this.sdk.organizations.enabledConnections.delete(id, connectionId));
      }
    }
    if (Object.keys(rest).length === 0) return { id, ...body };
    return this.write('PATCH', `/api/v2/organizations/${id}`, object, () => this.sdk.organizations.update(id, rest as never));
  }

  deleteOrganization(id: string, object: string): Promise<void> {
    return this.write<void>('DELETE', `/api/v2/organizations/${id}`, object, () => this.sdk.organizations.delete(id));
  }

  async findOrganizationByName(name: string): Promise<Raw | undefined> {
    try {
      return (await this.call({ method: 'GET', path: `/api/v2/organizations/name/${name}`, object: `organization "${name}"` }, () =>
        this.sdk.organizations.getByName(name),
      )) as Raw;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  async readEnabledClients(connectionId: string): Promise<string[]> {
    const ids = await this.readCheckpointPaged(`connections/${connectionId}/clients`, (from) =>
      this.sdk.connections.clients.get(connectionId, { take: PAGE_SIZE, ...(from ? { from } : {}) }).then((p) => ({
        items: (p.response.clients ?? []) as Raw[],
        next: p.response.next,
      })),
    );
    return ids.map((c) => String(c.client_id));
  }

  /** Reads one application with its secret; needs `read:client_keys`. */
  async readClientWithSecret(name: string): Promise<Raw | undefined> {
    const clients = await this.readOffsetPaged('clients', (page) =>
      this.sdk.clients
        .list({ page, per_page: PAGE_SIZE, include_totals: true, fields: 'client_id,name', include_fields: true })
        .then((p) => ({ items: p.response.clients ?? [], total: p.response.total })),
    );
    const match = clients.find((c) => c.name === name);
    if (!match) return undefined;
    const id = String(match.client_id);
    return this.call({ method: 'GET', path: `/api/v2/clients/${id}`, object: `application "${name}"` }, () =>
      this.sdk.clients.get(id, { fields: 'client_id,name,client_secret,app_type', include_fields: true }),
    );
  }

  createClient(body: Raw, object: string): Promise<Raw> {
    return this.write('POST', '/api/v2/clients', object, () => this.sdk.clients.create(body as never)).then(withoutSecret);
  }
  updateClient(id: string, body: Raw, object: string): Promise<Raw> {
    return this.write('PATCH', `/api/v2/clients/${id}`, object, () => this.sdk.clients.update(id, body as never)).then(
      withoutSecret,
    );
  }
  deleteClient(id: string, object: string): Promise<void> {
    return this.write<void>('DELETE', `/api/v2/clients/${id}`, object, () => this.sdk.clients.delete(id));
  }

  createConnection(body: Raw, object: string): Promise<Raw> {
    return this.write('POST', '/api/v2/connections', object, () => this.sdk.connections.create(body as never));
  }
  updateConnection(id: string, body: Raw, object: string): Promise<Raw> {
    return this.write('PATCH', `/api/v2/connections/${id}`, object, () => this.sdk.connections.update(id, body as never));
  }
  deleteConnection(id: string, object: string): Promise<void> {
    return this.write<void>('DELETE', `/api/v2/connections/${id}`, object, () => this.sdk.connections.delete(id));
  }
  /** Enables/disables clients on a connection, in batches Auth0 accepts. */
  async updateEnabledClients(id: string, changes: { client_id: string; status: boolean }[], object: string): Promise<void> {
    for (let i = 0; i < changes.length; i += ENABLEMENT_BATCH) {
      const batch = changes.slice(i, i + ENABLEMENT_BATCH);
      await this.write<void>('PATCH', `/api/v2/connections/${id}/clients`, object, () =>
        this.sdk.connections.clients.update(id, batch as never),
      );
    }
  }

  createResourceServer(body: Raw, object: string): Promise<Raw> {
    return this.write('POST', '/api/v2/resource-servers', object, () => this.sdk.resourceServers.create(body as never));
  }
  updateResourceServer(id: string, body: Raw, object: string): Promise<Raw> {
    return this.write('PATCH', `/api/v2/resource-servers/${id}`, object, () =>
      this.sdk.resourceServers.update(id, body as never),
    );
  }
  deleteResourceServer(id: string, object: string): Promise<void> {
    return this.write<void>('DELETE', `/api/v2/resource-servers/${id}`, object, () => this.sdk.resourceServers.delete(id));
  }

  createClientGrant(body: Raw, object: string): Promise<Raw> {
    return this.write('POST', '/api/v2/client-grants', object, () => this.sdk.clientGrants.create(body as never));
  }
  updateClientGrant(id: string, body: Raw, object: string): Promise<Raw> {
    return this.write('PATCH', `/api/v2/client-grants/${id}`, object, () => this.sdk.clientGrants.update(id, body as never));
  }
  deleteClientGrant(id: string, object: string): Promise<void> {
    return this.write<void>('DELETE', `/api/v2/client-grants/${id}`, object, () => this.sdk.clientGrants.delete(id));
  }

  /** Finds objects by natural key after an uncertain create; list requests with Auth0's filters. */
  async findClientByName(name: string): Promise<Raw | undefined> {
    const clients = await this.readOffsetPaged('clients', (page) =>
      this.sdk.clients
        .list({ page, per_page: PAGE_SIZE, include_totals: true })
        .then((p) => ({ items: p.response.clients ?? [], total: p.response.total })),
    );
    const found = clients.find((c) => c.name === name);
    return found && withoutSecret(found);
  }
  async findConnectionByName(name: string): Promise<Raw | undefined> {
    const found = await this.call({ method: 'GET', path: '/api/v2/connections', object: `connection "${name}"` }, () =>
      this.sdk.connections.list({ name, take: PAGE_SIZE }).then((p) => p.response.connections ?? []),
    );
    return (found as Raw[]).find((c) => c.name === name);
  }
  async findResourceServerByIdentifier(identifier: string): Promise<Raw | undefined> {
    const found = await this.call(
      { method: 'GET', path: '/api/v2/resource-servers', object: `api "${identifier}"` },
      () => this.sdk.resourceServers.list({ identifiers: [identifier], per_page: PAGE_SIZE }).then((p) => p.data),
    );
    return (found as Raw[]).find((r) => r.identifier === identifier);
  }
  async findClientGrant(clientId: string, audience: string, subjectType: string): Promise<Raw | undefined> {
    const found = await this.call({ method: 'GET', path: '/api/v2/client-grants', object: `grant ${clientId} -> ${audience} [${subjectType}]` }, () =>
      this.sdk.clientGrants
        .list({ client_id: clientId, audience, subject_type: subjectType as never, take: PAGE_SIZE })
        .then((p) => p.response.client_grants ?? []),
    );
    return (found as Raw[]).find((g) => g.client_id === clientId && g.audience === audience && subjectTypeOf(g) === subjectType);
  }

  /**
   * Offset paging, the only paging Auth0 offers for clients and resource servers (the SDK's list parameters have
   * no from/take for them). Pages after the first are read side by side, then the read is checked: every page
   * reports the same total, every page but the last is full, no id appears twice, and as many objects arrived as
   * the total says. A tenant changing during the read, or a cap on offset paging, fails that check: the read is
   * repeated, and after the last attempt it fails loudly instead of returning a tenant with objects missing.
   */
  private async readOffsetPaged(
    path: string,
    fetchPage: (page: number) => Promise<{ items: unknown[]; total: number | undefined }>,
    idKey = path === 'clients' ? 'client_id' : 'id', // resource servers are keyed by id
  ): Promise<Raw[]> {
    const request = (page: number) =>
      this.call({ method: 'GET', path: `/api/v2/${path}?page=${page}` }, () => fetchPage(page));
    let problem = '';
    for (let attempt = 1; attempt <= OFFSET_READ_ATTEMPTS; attempt++) {
      const first = await request(0);
      const total = first.total ?? first.items.length;
      const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
      const rest = await Promise.all(Array.from({ length: pages - 1 }, (_, i) => request(i + 1)));
      const read = [first, ...rest].map((page) => ({ items: page.items as Raw[], total: page.total ?? total }));
      const found = offsetReadProblem(read, PAGE_SIZE, idKey);
      if (!found) return read.flatMap((page) => page.items);
      problem = found;
    }
    throw new TenantctlError(
      `GET /api/v2/${path}: the list changed while it was read (${problem}), ${OFFSET_READ_ATTEMPTS} times in a row; it was stopped rather than return a partial list`,
      1,
      'run the command again when nobody else is changing the tenant',
    );
  }

  private async readCheckpointPaged(
    path: string,
    fetchPage: (from: string | undefined) => Promise<{ items: unknown[]; next: string | undefined | null }>,
  ): Promise<Raw[]> {
    const items: Raw[] = [];
    let from: string | undefined;
    for (;;) {
      const page = await this.call({ method: 'GET', path: `/api/v2/${path}` }, () => fetchPage(from));
      items.push(...(page.items as Raw[]));
      if (!page.next || page.items.length === 0) return items;
      from = page.next;
    }
  }

  /** One write request; the SDK's typed answer is handled as the raw object it is. */
  private write<T = Raw>(method: string, path: string, object: string, run: () => Promise<unknown>): Promise<T> {
    return this.call({ method, path, object }, run) as Promise<T>;
  }

  private async call<T>(request: { method: string; path: string; object?: string }, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toTypedError(error, request, this.credentials.domain);
    }
  }
}

/** Status of the stand-in answer for a request that got no usable answer; never sent by Auth0. */
const TRANSPORT_FAILURE_STATUS = 599;
const TRANSPORT_FAILURE_KEY = 'tenantctl_transport_failure';

interface TransportFailure {
  /** A write that may have landed (POST after a 5xx or a dropped connection). */
  uncertain: boolean;
  status?: number;
  detail: string;
}

/**
 * The SDK (auth0 v7) arms a 60 s timeout timer per request and clears it only when fetch resolves, so a
 * fetch that throws leaves the timer holding the process open for a minute. Failures are therefore
 * answered with a stand-in response that carries them, and `toTypedError` turns it back into the failure.
 */
function answeringFetch(inner: typeof fetch): typeof fetch {
  const answering = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    try {
      return await inner(input, init);
    } catch (error) {
      // An abort comes from a timer that has already fired (or from the caller): nothing is left pending.
      if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) throw error;
      const failure: TransportFailure =
        error instanceof UncertainWriteError
          ? { uncertain: true, ...(error.status !== undefined ? { status: error.status } : {}), detail: error.detail }
          : { uncertain: false, detail: describeThrown(error) };
      return new Response(JSON.stringify({ [TRANSPORT_FAILURE_KEY]: failure }), {
        status: TRANSPORT_FAILURE_STATUS,
        headers: { 'content-type': 'application/json' },
      });
    }
  };
  return answering as typeof fetch;
}

/** Notes the scopes of every access token the SDK obtains, without consuming the answer it reads. */
function scopeRecordingFetch(inner: typeof fetch, record: (scopes: ReadonlySet<string>) => void): typeof fetch {
  const recording = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const response = await inner(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (response.ok && new URL(url).pathname === '/oauth/token') {
      const scopes = tokenScopesOf(await response.clone().json().catch(() => undefined));
      if (scopes) record(scopes);
    }
    return response;
  };
  return recording as typeof fetch;
}

/** The scopes of a token answer: its `scope` member, else the `scope` claim of a JWT access token. */
export function tokenScopesOf(answer: unknown): ReadonlySet<string> | undefined {
  if (typeof answer !== 'object' || answer === null) return undefined;
  const { scope, access_token: token } = answer as { scope?: unknown; access_token?: unknown };
  let text = typeof scope === 'string' ? scope : undefined;
  if (text === undefined && typeof token === 'string' && token.split('.').length === 3) {
    try {
      const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { scope?: unknown };
      if (typeof claims.scope === 'string') text = claims.scope;
    } catch {
      return undefined;
    }
  }
  return text === undefined ? undefined : new Set(text.split(/\s+/).filter((item) => item !== ''));
}

function transportFailureOf(error: ManagementError): TransportFailure | undefined {
  if (error.statusCode !== TRANSPORT_FAILURE_STATUS) return undefined;
  const body = error.body as Record<string, unknown> | undefined;
  const failure = body?.[TRANSPORT_FAILURE_KEY] as TransportFailure | undefined;
  return failure && typeof failure.detail === 'string' ? failure : undefined;
}

function describeThrown(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const code = cause && typeof cause === 'object' && 'code' in cause ? ` (${String(cause.code)})` : '';
  const inner = cause instanceof Error && cause.message !== error.message ? `: ${cause.message}` : '';
  return `${error.message}${inner}${code}`;
}

function withoutSecret(client: Raw): Raw {
  if (!('client_secret' in client)) return client;
  const { client_secret: _secret, ...rest } = client;
  return rest;
}

/** Maps an SDK failure to a typed error that names the request and says what Auth0 answered. */
export function toTypedError(
  error: unknown,
  request: { method: string; path: string; object?: string },
  domain: string,
): Error {
  if (!(error instanceof ManagementError)) {
    if (error instanceof Error && error.name === 'ManagementTimeoutError') {
      return new ApiError(request, undefined, 'no answer within the timeout', undefined, request.object);
    }
    return new ApiError(request, undefined, error instanceof Error ? error.message : String(error), undefined, request.object);
  }
  const cause = error.cause;
  if (cause instanceof UncertainWriteError) {
    return new UncertainCreateError(request, cause.status, cause.detail, undefined, request.object);
  }
  const failure = transportFailureOf(error);
  if (failure?.uncertain) return new UncertainCreateError(request, failure.status, failure.detail, undefined, request.object);
  const statusCode = failure ? undefined : error.statusCode;
  const body = (failure ? {} : (error.body ?? {})) as { message?: unknown; error?: unknown; error_description?: unknown; errorCode?: unknown };
  const message =
    failure?.detail ??
    (typeof body.message === 'string'
      ? body.message
      : typeof body.error_description === 'string'
        ? body.error_description
        : statusCode === undefined
          ? describeNetworkError(error)
          : error.message);
  const errorCode = typeof body.errorCode === 'string' ? body.errorCode : typeof body.error === 'string' ? body.error : undefined;
  if (error.message.includes('token request')) {
    if (statusCode === undefined || statusCode === 408) {
      return new SettingsError(`cannot reach https://${domain}/oauth/token: ${message}`, 1, 'check AUTH0_DOMAIN and the network');
    }
    return new SettingsError(
      `Auth0 refused the client credentials (${statusCode}${errorCode ? ` ${errorCode}` : ''}: ${message})`,
      1,
      'check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET, and that the application is authorized for the Auth0 Management API',
    );
  }
  if (statusCode === 403 && errorCode === 'insufficient_scope') {
    return new MissingScopeError(
      `${request.method} ${request.path}: ${message}`,
      1,
      "grant that scope to tenantctl's machine-to-machine application (Dashboard: Applications > APIs > Auth0 Management API > Machine to Machine Applications)",
    );
  }
  if (statusCode === 401) {
    return new SettingsError(`${request.method} ${request.path}: Auth0 refused the access token (${message})`);
  }
  return new ApiError(request, statusCode, message, errorCode, request.object);
}

function describeNetworkError(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    const code = inner && typeof inner === 'object' && 'code' in inner ? ` (${String(inner.code)})` : '';
    return `${cause.message}${code}`;
  }
  return error.message;
}
