// The emulated tenant: one collection per kind plus the indexes and rules that span kinds.
// Routes and the seeding API both go through these methods, so HTTP and seeded data obey the same rules.
import { Collection, type Json } from './collection.js';
import { HttpError, conflict, invalidBody, notFound } from './errors.js';
import { createClientRecord, rotateClientSecret, updateClientRecord } from './resources/clients.js';
import { createConnectionRecord, renderConnection, updateConnectionRecord } from './resources/connections.js';
import { createResourceServerRecord, updateResourceServerRecord } from './resources/resource-servers.js';
import { createClientGrantRecord, grantKey, updateClientGrantRecord } from './resources/client-grants.js';
import { knownScopes } from './scopes.js';

export type SeedKind = 'clients' | 'connections' | 'resourceServers' | 'clientGrants';

/** Everything needed to restore a tenant; written to the --state file. */
export interface TenantSnapshot {
  version: 1;
  tenant: string;
  /** The host the snapshot was taken under; the Management API audience depends on it. */
  domain: string;
  managementClientId: string;
  clients: Json[];
  connections: Json[];
  resourceServers: Json[];
  clientGrants: Json[];
  enabledClients: Record<string, string[]>;
  deletedConnections: Record<string, string>;
}

export class TenantStore {
  readonly clients = new Collection<Json>((client) => String(client.client_id));
  readonly connections = new Collection<Json>((connection) => String(connection.id));
  readonly resourceServers = new Collection<Json>((api) => String(api.id));
  readonly clientGrants = new Collection<Json>((grant) => String(grant.id));
  private readonly connectionIdByName = new Map<string, string>();
  private readonly resourceServerIdByIdentifier = new Map<string, string>();
  private readonly grantIdByClientAudience = new Map<string, string>();
  private readonly enabledClientsByConnection = new Map<string, Set<string>>();
  /** Connections deleted in this tenant, so a repeated DELETE answers 204 as Auth0 mostly does. */
  private readonly deletedConnections = new Map<string, string>();
  private readonly listeners: Array<() => void> = [];
  managementClientId = '';

  constructor(
    readonly tenant: string,
    readonly domain: string,
  ) {}

  get managementAudience(): string {
    return `https://${this.domain}/api/v2/`;
  }

  /** Called after every successful write (the state file saver listens). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  // ---- clients ----

  createClient(body: unknown, options: { global?: boolean } = {}): Json {
    const record = createClientRecord(body, { tenant: this.tenant }, options);
    this.clients.put(record);
    this.linkResourceServerClient(record);
    this.changed();
    return record;
  }

  /** An app of type resource_server created for an API shows up as that API's `client_id` (recorded, Go-Auth0 1.26-1.38). */
  private linkResourceServerClient(client: Json): void {
    if (client.app_type !== 'resource_server' || typeof client.resource_server_identifier !== 'string') return;
    const api = this.findResourceServer(client.resource_server_identifier);
    if (api) this.resourceServers.put({ ...api, client_id: client.client_id });
  }

  getClient(id: string): Json {
    const client = this.clients.get(id);
    if (!client) throw notFound.client();
    return client;
  }

  updateClient(id: string, body: unknown): Json {
    const next = updateClientRecord(this.getClient(id), body);
    this.clients.put(next);
    this.changed();
    return next;
  }

  rotateSecret(id: string): Json {
    const next = rotateClientSecret(this.getClient(id));
    this.clients.put(next);
    this.changed();
    return next;
  }

  /** Deleting an application also removes its grants and its connection enablements, as Auth0 does. */
  deleteClient(id: string): void {
    if (!this.clients.delete(id)) return;
    for (const grant of [...this.clientGrants.all()]) {
      if (grant.client_id === id) this.removeGrant(grant);
    }
    for (const enabled of this.enabledClientsByConnection.values()) enabled.delete(id);
    this.changed();
  }

  // ---- connections ----

  createConnection(body: unknown): Json {
    const { record, enabledClients } = createConnectionRecord(body, `${this.tenant}.us.auth0.com`);
    const name = String(record.name);
    if (this.connectionIdByName.has(name)) throw conflict('A connection with the same name already exists', 'connection_conflict');
    this.requireClients(enabledClients);
    this.connections.put(record);
    this.connectionIdByName.set(name, String(record.id));
    this.enabledClientsByConnection.set(String(record.id), new Set(enabledClients));
    this.deletedConnections.delete(String(record.id));
    this.changed();
    return record;
  }

  getConnection(id: string): Json {
    const connection = this.connections.get(id);
    if (!connection) throw notFound.connection();
    return connection;
  }

  updateConnection(id: string, body: unknown): Json {
    const { record, enabledClients } = updateConnectionRecord(this.getConnection(id), body);
    if (enabledClients) {
      this.requireClients(enabledClients);
      this.enabledClientsByConnection.set(id, new Set(enabledClients));
    }
    this.connections.put(record);
    this.changed();
    return record;
  }

  /**
   * Returns the deletion timestamp (202), or undefined for a connection this tenant already deleted: a repeated
   * DELETE answered 204 in most recorded cases (fidelity fact 9). Auth0 answers 202 even for ids it does not know.
   */
  deleteConnection(id: string): string | undefined {
    const connection = this.connections.get(id);
    if (!connection) return this.deletedConnections.has(id) ? undefined : new Date().toISOString();
    const deletedAt = new Date().toISOString();
    this.connections.delete(id);
    this.connectionIdByName.delete(String(connection.name));
    this.enabledClientsByConnection.delete(id);
    this.deletedConnections.set(id, deletedAt);
    this.changed();
    return deletedAt;
  }

  renderConnection(record: Json): Json {
    return renderConnection(record, this.enabledClientsByConnection.get(String(record.id)) ?? []);
  }

  enabledClients(connectionId: string): string[] {
    this.getConnection(connectionId);
    return [...(this.enabledClientsByConnection.get(connectionId) ?? [])];
  }

  /** Applies `[{client_id, status}]` changes; unknown clients are rejected before anything changes. */
  setEnabledClients(connectionId: string, changes: Array<{ client_id: string; status: boolean }>): void {
    this.getConnection(connectionId);
    this.requireClients(changes.map((change) => change.client_id));
    let enabled = this.enabledClientsByConnection.get(connectionId);
    if (!enabled) {
      enabled = new Set();
      this.enabledClientsByConnection.set(connectionId, enabled);
    }
    for (const change of changes) {
      if (change.status) enabled.add(change.client_id);
      else enabled.delete(change.client_id);
    }
    this.changed();
  }

  /** Only the id format is checked: recorded Auth0 traffic shows enablement of ids this tenant never listed. */
  private requireClients(ids: string[]): void {
    const malformed = ids.filter((id) => !/^[A-Za-z0-9_-]{1,64}$/.test(id));
    if (malformed.length > 0) throw invalidBody(`Invalid client_id: ${malformed.join(', ')}`);
  }

  // ---- resource servers ----

  createResourceServer(body: unknown, options: { system?: boolean } = {}): Json {
    const record = createResourceServerRecord(body);
    if (options.system) record.is_system = true;
    const identifier = String(record.identifier);
    // Auth0 answers a second API with the same identifier 409 (node-auth0's generated client, from Auth0's API
    // definition: POST /resource-servers throws ConflictError on 409); tenantctl's apply lock relies on it.
    if (this.resourceServerIdByIdentifier.has(identifier)) {
      throw conflict('A resource server with the same identifier already exists', 'resource_server_conflict');
    }
    this.resourceServers.put(record);
    this.resourceServerIdByIdentifier.set(identifier, String(record.id));
    this.changed();
    return record;
  }

  /** Finds an API by id or by identifier (the path segment may be URL-encoded more than once). */
  findResourceServer(idOrIdentifier: string): Json | undefined {
    let candidate = idOrIdentifier;
    for (let round = 0; round < 3; round++) {
      const byId = this.resourceServers.get(candidate);
      if (byId) return byId;
      const id = this.resourceServerIdByIdentifier.get(candidate);
      if (id) return this.resourceServers.get(id);
      let decoded: string;
      try {
        decoded = decodeURIComponent(candidate);
      } catch {
        return undefined;
      }
      if (decoded === candidate) return undefined;
      candidate = decoded;
    }
    return undefined;
  }

  getResourceServer(idOrIdentifier: string): Json {
    const api = this.findResourceServer(idOrIdentifier);
    if (!api) throw notFound.resourceServer();
    return api;
  }

  updateResourceServer(idOrIdentifier: string, body: unknown): Json {
    const current = this.getResourceServer(idOrIdentifier);
    // Recorded: a PATCH of a system API answered 400 (its body was lost by the recorder; the message is ours).
    if (current.is_system === true) throw new HttpError(400, 'You cannot update a system resource server', 'operation_not_supported');
    const next = updateResourceServerRecord(current, body);
    this.resourceServers.put(next);
    this.changed();
    return next;
  }

  deleteResourceServer(idOrIdentifier: string): void {
    const api = this.findResourceServer(idOrIdentifier);
    if (!api) return;
    if (api.is_system === true && api.identifier === this.managementAudience) {
      throw new HttpError(403, 'You cannot delete a system resource server', 'operation_not_supported');
    }
    this.resourceServers.delete(String(api.id));
    this.resourceServerIdByIdentifier.delete(String(api.identifier));
    for (const grant of [...this.clientGrants.all()]) {
      if (grant.audience === api.identifier) this.removeGrant(grant);
    }
    this.changed();
  }

  // ---- client grants ----

  createClientGrant(body: unknown): Json {
    const record = createClientGrantRecord(body);
    if (record.client_id !== undefined && !this.clients.has(String(record.client_id))) throw notFound.client();
    this.findResourceServerByIdentifier(String(record.audience));
    const key = grantKey(record.client_id, record.audience);
    if (record.client_id !== undefined && this.grantIdByClientAudience.has(key)) {
      throw conflict('A client grant for this client and audience already exists', 'client_grant_conflict');
    }
    this.clientGrants.put(record);
    if (record.client_id !== undefined) this.grantIdByClientAudience.set(key, String(record.id));
    this.changed();
    return record;
  }

  getClientGrant(id: string): Json {
    const grant = this.clientGrants.get(id);
    if (!grant) throw notFound.grant();
    return grant;
  }

  updateClientGrant(id: string, body: unknown): Json {
    // Auth0 accepts grant scopes the API does not define (recorded: POST and PATCH answered 200/201), so neither do we check.
    const next = updateClientGrantRecord(this.getClientGrant(id), body);
    this.clientGrants.put(next);
    this.changed();
    return next;
  }

  deleteClientGrant(id: string): void {
    const grant = this.clientGrants.get(id);
    if (!grant) return;
    this.removeGrant(grant);
    this.changed();
  }

  /** The grant that lets a client call an API, if any (used to issue tokens). */
  grantFor(clientId: string, audience: string): Json | undefined {
    const id = this.grantIdByClientAudience.get(grantKey(clientId, audience));
    return id === undefined ? undefined : this.clientGrants.get(id);
  }

  private findResourceServerByIdentifier(identifier: string): Json {
    const id = this.resourceServerIdByIdentifier.get(identifier);
    const api = id === undefined ? undefined : this.resourceServers.get(id);
    if (!api) throw new HttpError(404, `No resource server found by specified audience: ${identifier}`, 'inexistent_resource_server');
    return api;
  }

  private removeGrant(grant: Json): void {
    this.clientGrants.delete(String(grant.id));
    const key = grantKey(grant.client_id, grant.audience);
    if (this.grantIdByClientAudience.get(key) === grant.id) this.grantIdByClientAudience.delete(key);
  }

  // ---- seeding and snapshots ----

  /** Creates many objects without HTTP, through the same rules as POST; returns the stored records. */
  seed(kind: SeedKind, bodies: unknown[]): Json[] {
    switch (kind) {
      case 'clients':
        return bodies.map((body) => this.createClient(body));
      case 'connections':
        return bodies.map((body) => this.createConnection(body));
      case 'resourceServers':
        return bodies.map((body) => this.createResourceServer(body));
      case 'clientGrants':
        return bodies.map((body) => this.createClientGrant(body));
    }
  }

  /** A new tenant: global client, Management API, default database, and the emulator's own M2M client. */
  initialize(scopes: readonly string[]): { clientId: string; clientSecret: string } {
    this.createClient({ name: 'All Applications', callbacks: [] }, { global: true });
    this.createResourceServer(
      {
        name: 'Auth0 Management API',
        identifier: this.managementAudience,
        scopes: knownScopes.map((value) => ({ value, description: value.replace(':', ' ').replace('_', ' ') })),
        token_lifetime: 86400,
        subject_type_authorization: { user: { policy: 'require_client_grant' }, client: { policy: 'deny_all' } },
      },
      { system: true },
    );
    const management = this.createClient({ name: 'tenantctl emulator (Management API)', app_type: 'non_interactive', grant_types: ['client_credentials'] });
    this.managementClientId = String(management.client_id);
    this.createClientGrant({ client_id: this.managementClientId, audience: this.managementAudience, scope: [...scopes] });
    this.createConnection({ name: 'Username-Password-Authentication', strategy: 'auth0', enabled_clients: [this.managementClientId] });
    return { clientId: this.managementClientId, clientSecret: String(management.client_secret) };
  }

  snapshot(): TenantSnapshot {
    const enabledClients: Record<string, string[]> = {};
    for (const [id, set] of this.enabledClientsByConnection) enabledClients[id] = [...set];
    return {
      version: 1,
      tenant: this.tenant,
      domain: this.domain,
      managementClientId: this.managementClientId,
      clients: [...this.clients.all()],
      connections: [...this.connections.all()],
      resourceServers: [...this.resourceServers.all()],
      clientGrants: [...this.clientGrants.all()],
      enabledClients,
      deletedConnections: Object.fromEntries(this.deletedConnections),
    };
  }

  /** Replaces the whole tenant with a snapshot (state file load); indexes are rebuilt. */
  restore(snapshot: TenantSnapshot): void {
    // A restart on another port changes the Management API audience; move the system API and its grants along.
    const oldAudience = `https://${snapshot.domain}/api/v2/`;
    const moveAudience = (value: unknown): unknown => (value === oldAudience ? this.managementAudience : value);
    for (const api of snapshot.resourceServers) api.identifier = moveAudience(api.identifier);
    for (const grant of snapshot.clientGrants) grant.audience = moveAudience(grant.audience);
    for (const client of snapshot.clients) this.clients.put(client);
    for (const connection of snapshot.connections) {
      this.connections.put(connection);
      this.connectionIdByName.set(String(connection.name), String(connection.id));
    }
    for (const api of snapshot.resourceServers) {
      this.resourceServers.put(api);
      this.resourceServerIdByIdentifier.set(String(api.identifier), String(api.id));
    }
    for (const grant of snapshot.clientGrants) {
      this.clientGrants.put(grant);
      if (grant.client_id !== undefined) this.grantIdByClientAudience.set(grantKey(grant.client_id, grant.audience), String(grant.id));
    }
    for (const [id, clients] of Object.entries(snapshot.enabledClients)) this.enabledClientsByConnection.set(id, new Set(clients));
    for (const [id, at] of Object.entries(snapshot.deletedConnections ?? {})) this.deletedConnections.set(id, at);
    this.managementClientId = snapshot.managementClientId;
  }
}
