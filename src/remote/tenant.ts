// The live tenant: paged reads into a TenantSnapshot, and single writes through the official Auth0 SDK.
// The only module that imports `auth0`; every failure leaves here as a typed error naming the request.
// Reads are plain GETs through the transport with the token this module obtains: a plan of a large tenant sends
// hundreds of them, and the SDK (loaded only when something is written) costs more CPU to load and per request
// than the reading itself. The SDK's writes use the same token.
import type { ManagementClient } from 'auth0';
import { ApiError, MissingScopeError, SettingsError, TenantctlError, UncertainCreateError } from '../errors.js';
import { ENABLEMENT_BATCH } from '../model/connection.js';
import type { SnapshotList } from '../model/kind-spec.js';
import { KIND_SPECS, KINDS } from '../model/kinds.js';
import { subjectTypeOf } from '../model/grant.js';
import type { TenantSnapshot } from '../model/snapshot.js';
import type { Kind } from '../model/types.js';
import { remoteAdapters, type KindOperations } from './adapters.js';
import type { Answer } from './https-fetch.js';
import { createTransport, Semaphore, UncertainWriteError, type RequestStats, type Sender } from './transport.js';

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
  private sdkClient: Promise<ManagementClient> | undefined;
  private readonly concurrency: number;
  private tokenScopes: ReadonlySet<string> | undefined;
  /** The transport, noting the scopes of each token answer: the token request and the SDK's writes. */
  private readonly send: typeof fetch;
  /** The transport's lighter path for the reads (GETs whose answers this module parses itself). */
  private readonly read: Sender<Answer>;
  private token: { value: string; expiresAt: number } | undefined;
  private pendingToken: Promise<{ value: string; expiresAt: number }> | undefined;

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
    this.send = scopeRecordingFetch(transport.fetch, (scopes) => (this.tokenScopes = scopes));
    this.read = transport.read;
  }

  /** The SDK, loaded on first use (a write, or a lookup after an uncertain write); it asks this object for tokens. */
  private sdk(): Promise<ManagementClient> {
    this.sdkClient ??= import('auth0').then(
      ({ ManagementClient }) =>
        new ManagementClient({
          domain: this.credentials.domain,
          token: () => this.accessToken(),
          fetch: answeringFetch(this.send),
          maxRetries: 0, // retries are the transport's job: it knows which ones are safe
          timeoutInSeconds: SDK_TIMEOUT_SECONDS,
        }),
    );
    return this.sdkClient;
  }

  /** A Management API token by client credentials, renewed shortly before it expires (as the SDK's own provider does). */
  private async accessToken(): Promise<string> {
    if (!this.token || Date.now() > this.token.expiresAt - TOKEN_LEEWAY_MS) {
      this.pendingToken ??= this.requestToken().finally(() => (this.pendingToken = undefined));
      this.token = await this.pendingToken;
    }
    return this.token.value;
  }

  /** The client credentials grant, with the SDK's form body and 10 s limit, its failures described as the SDK did. */
  private async requestToken(): Promise<{ value: string; expiresAt: number }> {
    const { domain, clientId, clientSecret } = this.credentials;
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, audience: `https://${domain}/api/v2/` });
    body.set('client_secret', clientSecret);
    let response: Response;
    try {
      response = await this.send(`https://${domain}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
        signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
      });
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        throw new AnswerError({ message: 'ManagementClient: token request timed out', statusCode: 408 });
      }
      throw new AnswerError({ message: 'ManagementClient: token request failed', failure: { uncertain: false, detail: describeThrown(error) } });
    }
    if (!response.ok) {
      const raw = await response.text().catch(() => '');
      let errorBody: unknown;
      try {
        errorBody = raw ? JSON.parse(raw) : response.statusText;
      } catch {
        errorBody = raw || response.statusText;
      }
      throw new AnswerError({ message: 'ManagementClient: token request failed', statusCode: response.status, body: errorBody });
    }
    const answer = (await response.json()) as { access_token: string; expires_in: number };
    return { value: answer.access_token, expiresAt: Date.now() + answer.expires_in * 1000 };
  }

  /** One Management API GET; the answer's JSON, or an AnswerError carrying Auth0's status and body. */
  private async getJson<T>(path: string, query: Record<string, string | number | boolean | undefined>): Promise<T> {
    const url = new URL(`https://${this.credentials.domain}/api/v2/${path}`);
    for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.append(name, String(value));
    const token = await this.accessToken();
    let response: Answer;
    try {
      // The URL itself, not its text: the transport and the sender below it read it without parsing it again.
      response = await this.read(url, { method: 'GET', headers: { authorization: `Bearer ${token}` } });
    } catch (error) {
      if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) throw error;
      throw new AnswerError({ failure: { uncertain: false, detail: describeThrown(error) } });
    }
    const text = await response.text();
    if (!response.ok) {
      const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      let errorBody: unknown = text;
      if (/^(application\/([\w.+-]+\+)?json|text\/json)$/.test(type) && text.length > 0) {
        try {
          errorBody = JSON.parse(text);
        } catch {
          errorBody = text;
        }
      }
      throw new AnswerError({
        ...(SDK_ERROR_NAMES[response.status] ? { message: SDK_ERROR_NAMES[response.status] } : {}),
        statusCode: response.status,
        body: text.length > 0 || type === '' ? errorBody : undefined,
      });
    }
    return (text.length > 0 ? JSON.parse(text) : undefined) as T;
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

  /**
   * Reads every kind of the registry, plus enabled clients of the named connections, with list requests only.
   * The reads of one connection's clients (and one organization's connections) start as soon as that list is in,
   * alongside the lists still being paged: the client grants are read page after page, and the free slots carry
   * these instead of waiting for the last grant page. The requests and their number are the same.
   */
  async readSnapshot(options: { enablementFor?: Iterable<string> | 'all' } = {}): Promise<TenantSnapshot> {
    // Once a read has failed the snapshot is lost: the reads not yet started are dropped, so the error is not
    // followed by hundreds of requests paced by the rate limit before the process can end.
    let failed = false;
    const noting = <T>(read: Promise<T>): Promise<T> =>
      read.catch((error: unknown) => {
        failed = true;
        throw error;
      });
    const listed = new Map(KINDS.map((kind) => [kind, noting(this.listIfAllowed(kind))] as const));
    const wanted = options.enablementFor === 'all' ? undefined : new Set(options.enablementFor ?? []);
    const limit = new Semaphore(this.concurrency);
    const each = async (ids: string[], read: (id: string) => Promise<unknown>): Promise<void> => {
      await Promise.all(
        ids.map(async (id) => {
          await limit.acquire();
          try {
            if (!failed) await noting(read(id));
          } finally {
            limit.release();
          }
        }),
      );
    };
    const enabledClients: Record<string, string[]> = {};
    const organizationConnections: Record<string, Raw[]> = {};
    const [lists] = await Promise.all([
      Promise.all(KINDS.map(async (kind) => [KIND_SPECS[kind].read.list, await listed.get(kind)] as const)).then(
        (entries) => Object.fromEntries(entries) as Record<SnapshotList, Raw[] | undefined>,
      ),
      listed.get('connection')!.then((connections = []) =>
        each(
          connections.filter((c) => wanted === undefined || wanted.has(String(c.name))).map((c) => String(c.id)),
          async (id) => (enabledClients[id] = await this.readEnabledClients(id)),
        ),
      ),
      listed.get('organization')!.then((organizations = []) =>
        each(
          organizations.map((organization) => String(organization.id)),
          async (id) => (organizationConnections[id] = await this.readOrganizationConnections(id)),
        ),
      ),
    ]);
    return {
      // Only kinds with an optional read scope can be undefined, and TenantSnapshot declares exactly those optional.
      ...(lists as Pick<TenantSnapshot, SnapshotList>),
      organizationConnections,
      domain: this.credentials.domain,
      ownClientId: this.credentials.clientId,
      clients: (lists.clients ?? []).map(withoutSecret),
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

  /**
   * Every client without its `signing_keys`: certificates tenantctl never reads (read-only in the application spec),
   * and most of the bytes of each client Auth0 sends. `fields` with `include_fields=false` excludes them (Auth0 docs,
   * "Get clients"; SDK v7 `ListClientsRequestParameters`).
   */
  listClients(): Promise<Raw[]> {
    return this.readOffsetPaged('clients', (page) =>
      this.getJson<{ clients?: Raw[]; total?: number }>('clients', {
        page,
        per_page: PAGE_SIZE,
        include_totals: true,
        fields: 'signing_keys',
        include_fields: false,
      }).then((p) => ({
        items: p.clients ?? [],
        total: p.total,
      })),
    );
  }
  listResourceServers(): Promise<Raw[]> {
    return this.readOffsetPaged('resource-servers', (page) =>
      this.getJson<{ resource_servers?: Raw[]; total?: number }>('resource-servers', { page, per_page: PAGE_SIZE, include_totals: true }).then((p) => ({
        items: p.resource_servers ?? [],
        total: p.total,
      })),
    );
  }
  listConnections(): Promise<Raw[]> {
    return this.readCheckpointPaged('connections', (from) =>
      this.getJson<{ connections?: Raw[]; next?: string }>('connections', { take: PAGE_SIZE, from }).then((p) => ({
        items: p.connections ?? [],
        next: p.next,
      })),
    );
  }
  listClientGrants(): Promise<Raw[]> {
    return this.readCheckpointPaged('client-grants', (from) =>
      this.getJson<{ client_grants?: Raw[]; next?: string }>('client-grants', { take: PAGE_SIZE, from }).then((p) => ({
        items: p.client_grants ?? [],
        next: p.next,
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
        this.getJson<unknown>('tenants/settings', { fields: 'flags', include_fields: true }),
      );
      return (settings as { flags?: { enable_client_connections?: boolean } }).flags?.enable_client_connections !== false;
    } catch (error) {
      if (error instanceof MissingScopeError) return null;
      throw error;
    }
  }

  listOrganizations(): Promise<Raw[]> {
    return this.readCheckpointPaged('organizations', (from) =>
      this.getJson<{ organizations?: Raw[]; next?: string }>('organizations', { take: PAGE_SIZE, from }).then((p) => ({
        items: p.organizations ?? [],
        next: p.next,
      })),
    );
  }

  /** An organization's enabled connections; offset paging is the only paging the endpoint offers (SDK list parameters). */
  readOrganizationConnections(organizationId: string): Promise<Raw[]> {
    return this.readOffsetPaged(
      `organizations/${organizationId}/enabled_connections`,
      (page) =>
        this.getJson<{ enabled_connections?: Raw[]; total?: number }>(`organizations/${encodeURIComponent(organizationId)}/enabled_connections`, {
          page,
          per_page: PAGE_SIZE,
          include_totals: true,
        }).then((p) => ({
          items: p.enabled_connections ?? [],
          total: p.total,
        })),
      'connection_id',
    );
  }

  createOrganization(body: Raw, object: string): Promise<Raw> {
    return this.write('POST', '/api/v2/organizations', object, async () => (await this.sdk()).organizations.create(body as never));
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
          await this.write('POST', path, object, async () => (await this.sdk()).organizations.enabledConnections.add(id, entry as never));
        } else if (Object.entries(settings).some(([name, value]) => live[name] !== value)) {
          await this.write('PATCH', `${path}/${String(connectionId)}`, object, async () =>
            (await this.sdk()).organizations.enabledConnections.update(id, String(connectionId), settings as never),
          );
        }
      }
      for (const connectionId of current.keys()) {
        await this.write<void>('DELETE', `${path}/${connectionId}`, object, async () => (await this.sdk()).organizations.enabledConnections.delete(id, connectionId));
      }
    }
    if (Object.keys(rest).length === 0) return { id, ...body };
    return this.write('PATCH', `/api/v2/organizations/${id}`, object, async () => (await this.sdk()).organizations.update(id, rest as never));
  }

  deleteOrganization(id: string, object: string): Promise<void> {
    return this.write<void>('DELETE', `/api/v2/organizations/${id}`, object, async () => (await this.sdk()).organizations.delete(id));
  }

  async findOrganizationByName(name: string): Promise<Raw | undefined> {
    try {
      return (await this.call({ method: 'GET', path: `/api/v2/organizations/name/${name}`, object: `organization "${name}"` }, async () =>
        (await this.sdk()).organizations.getByName(name),
      )) as Raw;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  async readEnabledClients(connectionId: string): Promise<string[]> {
    const ids = await this.readCheckpointPaged(`connections/${connectionId}/clients`, (from) =>
      this.getJson<{ clients?: Raw[]; next?: string }>(`connections/${encodeURIComponent(connectionId)}/clients`, { take: PAGE_SIZE, from }).then((p) => ({
        items: p.clients ?? [],
        next: p.next,
      })),
    );
    return ids.map((c) => String(c.client_id));
  }

  /** Reads one application with its secret; needs `read:client_keys`. */
  async readClientWithSecret(name: string): Promise<Raw | undefined> {
    const clients = await this.readOffsetPaged('clients', async (page) =>
      (await this.sdk()).clients
        .list({ page, per_page: PAGE_SIZE, include_totals: true, fields: 'client_id,name', include_fields: true })
        .then((p) => ({ items: p.response.clients ?? [], total: p.response.total })),
    );
    const match = clients.find((c) => c.name === name);
    if (!match) return undefined;
    const id = String(match.client_id);
    return this.call({ method: 'GET', path: `/api/v2/clients/${id}`, object: `application "${name}"` }, async () =>
      (await this.sdk()).clients.get(id, { fields: 'client_id,name,client_secret,app_type', include_fields: true }),
    );
  }

  createClient(body: Raw, object: string): Promise<Raw> {
    return this.write('POST', '/api/v2/clients', object, async () => (await this.sdk()).clients.create(body as never)).then(withoutSecret);
  }
  updateClient(id: string, body: Raw, object: string): Promise<Raw> {
    return this.write('PATCH', `/api/v2/clients/${id}`, object, async () => (await this.sdk()).clients.update(id, body as never)).then(
      withoutSecret,
    );
  }
  deleteClient(id: string, object: string): Promise<void> {
    return this.write<void>('DELETE', `/api/v2/clients/${id}`, object, async () => (await this.sdk()).clients.delete(id));
  }

  createConnection(body: Raw, object: string): Promise<Raw> {
    return this.write('POST', '/api/v2/connections', object, async () => (await this.sdk()).connections.create(body as never));
  }
  updateConnection(id: string, body: Raw, object: string): Promise<Raw> {
    return this.write('PATCH', `/api/v2/connections/${id}`, object, async () => (await this.sdk()).connections.update(id, body as never));
  }
  deleteConnection(id: string, object: string): Promise<void> {
    return this.write<void>('DELETE', `/api/v2/connections/${id}`, object, async () => (await this.sdk()).connections.delete(id));
  }
  /** Enables/disables clients on a connection, in batches Auth0 accepts. */
  async updateEnabledClients(id: string, changes: { client_id: string; status: boolean }[], object: string): Promise<void> {
    for (let i = 0; i < changes.length; i += ENABLEMENT_BATCH) {
      const batch = changes.slice(i, i + ENABLEMENT_BATCH);
      await this.write<void>('PATCH', `/api/v2/connections/${id}/clients`, object, async () =>
        (await this.sdk()).connections.clients.update(id, batch as never),
      );
    }
  }

  createResourceServer(body: Raw, object: string): Promise<Raw> {
    return this.write('POST', '/api/v2/resource-servers', object, async () => (await this.sdk()).resourceServers.create(body as never));
  }
  updateResourceServer(id: string, body: Raw, object: string): Promise<Raw> {
    return this.write('PATCH', `/api/v2/resource-servers/${id}`, object, async () =>
      (await this.sdk()).resourceServers.update(id, body as never),
    );
  }
  deleteResourceServer(id: string, object: string): Promise<void> {
    return this.write<void>('DELETE', `/api/v2/resource-servers/${id}`, object, async () => (await this.sdk()).resourceServers.delete(id));
  }

  createClientGrant(body: Raw, object: string): Promise<Raw> {
    return this.write('POST', '/api/v2/client-grants', object, async () => (await this.sdk()).clientGrants.create(body as never));
  }
  updateClientGrant(id: string, body: Raw, object: string): Promise<Raw> {
    return this.write('PATCH', `/api/v2/client-grants/${id}`, object, async () => (await this.sdk()).clientGrants.update(id, body as never));
  }
  deleteClientGrant(id: string, object: string): Promise<void> {
    return this.write<void>('DELETE', `/api/v2/client-grants/${id}`, object, async () => (await this.sdk()).clientGrants.delete(id));
  }

  /** Finds objects by natural key after an uncertain create; list requests with Auth0's filters. */
  async findClientByName(name: string): Promise<Raw | undefined> {
    const clients = await this.listClients();
    const found = clients.find((c) => c.name === name);
    return found && withoutSecret(found);
  }
  async findConnectionByName(name: string): Promise<Raw | undefined> {
    const found = await this.call({ method: 'GET', path: '/api/v2/connections', object: `connection "${name}"` }, async () =>
      (await this.sdk()).connections.list({ name, take: PAGE_SIZE }).then((p) => p.response.connections ?? []),
    );
    return (found as Raw[]).find((c) => c.name === name);
  }
  async findResourceServerByIdentifier(identifier: string): Promise<Raw | undefined> {
    const found = await this.call(
      { method: 'GET', path: '/api/v2/resource-servers', object: `api "${identifier}"` },
      async () => (await this.sdk()).resourceServers.list({ identifiers: [identifier], per_page: PAGE_SIZE }).then((p) => p.data),
    );
    return (found as Raw[]).find((r) => r.identifier === identifier);
  }
  async findClientGrant(clientId: string, audience: string, subjectType: string): Promise<Raw | undefined> {
    const found = await this.call({ method: 'GET', path: '/api/v2/client-grants', object: `grant ${clientId} -> ${audience} [${subjectType}]` }, async () =>
      (await this.sdk()).clientGrants
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

/**
 * An answer that was not a success, described as the SDK's ManagementError describes one (the message it
 * builds, the status and the body), so reads made without the SDK fail with the same typed errors.
 */
class AnswerError extends Error {
  readonly statusCode: number | undefined;
  readonly body: unknown;
  readonly failure: TransportFailure | undefined;

  constructor(answer: { message?: string; statusCode?: number; body?: unknown; failure?: TransportFailure }) {
    const lines: string[] = [];
    if (answer.message !== undefined) lines.push(answer.message);
    if (answer.statusCode !== undefined) lines.push(`Status code: ${answer.statusCode}`);
    if (answer.body !== undefined) lines.push(`Body: ${JSON.stringify(answer.body, undefined, 2)}`);
    super(lines.join('\n'));
    this.name = 'AnswerError';
    this.statusCode = answer.statusCode;
    this.body = answer.body;
    this.failure = answer.failure;
  }
}

/** A failure carrying Auth0's answer: the SDK's ManagementError (and its per-status subclasses) or an AnswerError. */
type FailedAnswer = Error & { statusCode?: number; body?: unknown; failure?: TransportFailure };

function isFailedAnswer(error: unknown): error is FailedAnswer {
  return error instanceof AnswerError || (error instanceof Error && Object.hasOwn(error, 'statusCode') && Object.hasOwn(error, 'body'));
}

/** The SDK's error classes for the statuses its list endpoints name; their names lead the message it builds. */
const SDK_ERROR_NAMES: Record<number, string> = {
  400: 'BadRequestError',
  401: 'UnauthorizedError',
  403: 'ForbiddenError',
  404: 'NotFoundError',
  429: 'TooManyRequestsError',
};

/** How long a token request may take, and how long before its expiry a token is renewed (the SDK's values). */
const TOKEN_TIMEOUT_MS = 10_000;
const TOKEN_LEEWAY_MS = 10_000;

function transportFailureOf(error: FailedAnswer): TransportFailure | undefined {
  if (error instanceof AnswerError) return error.failure;
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

/** Maps a failed request (the SDK's or a read's) to a typed error that names the request and says what Auth0 answered. */
export function toTypedError(
  error: unknown,
  request: { method: string; path: string; object?: string },
  domain: string,
): Error {
  if (!isFailedAnswer(error)) {
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
