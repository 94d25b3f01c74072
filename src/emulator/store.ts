// The emulated tenant: one collection per kind plus the indexes and rules that span kinds.
// Routes and the seeding API both go through these methods, so HTTP and seeded data obey the same rules.
import { managementApiIdentifier } from '../model/api.js';
import { Collection, type Json } from './collection.js';
import { HttpError, conflict, invalidBody, notFound } from './errors.js';
import { createClientRecord, rotateClientSecret, updateClientRecord } from './resources/clients.js';
import { createConnectionRecord, renderConnection, updateConnectionRecord } from './resources/connections.js';
import { createResourceServerRecord, updateResourceServerRecord } from './resources/resource-servers.js';
import { createClientGrantRecord, grantKey, updateClientGrantRecord } from './resources/client-grants.js';
import { credentialHolders, credentialIdsInUse, credentialNotFound, newCredential, updateCredential } from './resources/credentials.js';
import { clone, isPlainObject } from './resources/validate.js';
import type { ConnectionExtras } from './resources/provisioning.js';
import { Organizations } from './resources/organizations.js';
import { knownScopes } from './scopes.js';
import { defaultTenantSettings, enablesNewClientsEverywhere, updateTenantSettings } from './resources/tenant-settings.js';
import { UserDirectory } from './authn/users.js';

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
  /** Absent in state files written before tenant settings were modelled: the defaults apply. */
  settings?: Json;
  /** Users of database connections, with their password hashes (never their passwords). */
  users?: Json[];
  /** Client credentials by client id (absent in state files written before they were emulated). */
  credentials?: Record<string, Json[]>;
  /** SCIM, directory provisioning and signing keys by connection id (absent in older state files). */
  connectionExtras?: Record<string, ConnectionExtras>;
  /** Settings of kinds the emulator does not model (unmodelled.ts), by API path (absent in older state files). */
  unmodelledSettings?: Record<string, unknown>;
  /** Organizations and their enabled connections by organization id (absent in older state files). */
  organizations?: Json[];
  organizationConnections?: Record<string, Json[]>;
}

export class TenantStore {
  readonly clients = new Collection<Json>((client) => String(client.client_id));
  readonly connections = new Collection<Json>((connection) => String(connection.id));
  readonly resourceServers = new Collection<Json>((api) => String(api.id));
  readonly clientGrants = new Collection<Json>((grant) => String(grant.id));
  private readonly connectionIdByName = new Map<string, string>();
  private readonly resourceServerIdByIdentifier = new Map<string, string>();
  private readonly grantIdByKey = new Map<string, string>();
  private readonly enabledClientsByConnection = new Map<string, Set<string>>();
  /** Connections deleted in this tenant, so a repeated DELETE answers 204 as Auth0 mostly does. */
  private readonly deletedConnections = new Map<string, string>();
  /** `/clients/{id}/credentials`, in creation order per client. */
  private readonly credentialsByClient = new Map<string, Json[]>();
  private readonly extrasByConnection = new Map<string, ConnectionExtras>();
  /** Tenant-wide settings of kinds the emulator does not model (unmodelled.ts), by API path. */
  readonly unmodelledSettings = new Map<string, unknown>();
  private readonly listeners: Array<() => void> = [];
  /** Names of deleted connections whose background deletion is still running, with the time it ends. */
  private readonly connectionNamesPending = new Map<string, number>();
  /** Users of database connections, for /api/v2/users and the login page. */
  readonly users = new UserDirectory();
  /** Organizations and their enabled connections (resources/organizations.ts). */
  readonly organizations = new Organizations((id) => this.getConnection(id), () => this.changed());
  managementClientId = '';
  /**
   * How long a deleted connection's name stays taken. Auth0 answers DELETE /connections/{id} with 202 and deletes
   * in the background; the v7 SDK's connections.create documents that creating a connection with the name of a
   * recently deleted one "may fail" while the deletion is processing. 0 (the default) releases it at once.
   */
  connectionDeleteDelayMs = 0;
  private tenantSettings: Json = defaultTenantSettings();

  constructor(
    readonly tenant: string,
    readonly domain: string,
  ) {}

  get managementAudience(): string {
    return managementApiIdentifier(this.domain);
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
    // Inline credentials become the client's credentials; the stored client refers to them by id, as reads show.
    const stored = clone(record);
    const credentials: Json[] = [];
    for (const holder of credentialHolders(stored)) {
      holder.credentials = (holder.credentials as unknown[]).map((credential) => {
        if (!isPlainObject(credential) || credential.credential_type === undefined) return credential;
        credentials.push(credential);
        return { id: credential.id };
      });
    }
    this.credentialsByClient.set(String(record.client_id), credentials);
    this.clients.put(stored);
    this.linkResourceServerClient(record);
    // flags.enable_client_connections (default true): "all current connections" are enabled for a new client.
    if (!options.global && enablesNewClientsEverywhere(this.tenantSettings)) {
      for (const connection of this.connections.all()) this.enabledClientsFor(String(connection.id)).add(String(record.client_id));
    }
    this.changed();
    return record;
  }

  // ---- tenant settings ----

  get settings(): Json {
    return this.tenantSettings;
  }

  updateSettings(body: unknown): Json {
    this.tenantSettings = updateTenantSettings(this.tenantSettings, body);
    this.changed();
    return this.tenantSettings;
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
    this.credentialsByClient.delete(id);
    for (const grant of [...this.clientGrants.all()]) {
      if (grant.client_id === id) this.removeGrant(grant);
    }
    for (const enabled of this.enabledClientsByConnection.values()) enabled.delete(id);
    this.changed();
  }

  // ---- client credentials ----

  listCredentials(clientId: string): Json[] {
    this.getClient(clientId);
    return this.credentialsByClient.get(clientId) ?? [];
  }

  createCredential(clientId: string, body: unknown): Json {
    const credentials = this.listCredentials(clientId);
    const credential = newCredential(body);
    this.credentialsByClient.set(clientId, [...credentials, credential]);
    this.changed();
    return credential;
  }

  getCredential(clientId: string, credentialId: string): Json {
    const credential = this.listCredentials(clientId).find((item) => item.id === credentialId);
    if (!credential) throw credentialNotFound();
    return credential;
  }

  updateCredential(clientId: string, credentialId: string, body: unknown): Json {
    const next = updateCredential(this.getCredential(clientId, credentialId), body);
    this.credentialsByClient.set(clientId, this.listCredentials(clientId).map((item) => (item.id === credentialId ? next : item)));
    this.changed();
    return next;
  }

  /**
   * Auth0 refuses to delete a credential the client still uses ("Cannot delete credential still associated with a
   * client", quoted by terraform-provider-auth0's handling of that 400); an unknown one is a no-op 204 like other deletes.
   */
  deleteCredential(clientId: string, credentialId: string): void {
    const credentials = this.listCredentials(clientId);
    if (credentialIdsInUse(this.getClient(clientId)).has(credentialId)) {
      throw new HttpError(400, 'Cannot delete credential still associated with a client');
    }
    this.credentialsByClient.set(clientId, credentials.filter((item) => item.id !== credentialId));
    this.changed();
  }

  // ---- connections ----

  createConnection(body: unknown): Json {
    const { record, enabledClients } = createConnectionRecord(body, `${this.tenant}.us.auth0.com`);
    const name = String(record.name);
    // While the deletion runs, the name answers like a live duplicate: Auth0's 409 for a taken connection name
    // (auth0-deploy-cli issue 221 quotes it); no recording shows a distinct message for a pending deletion.
    if (this.connectionIdByName.has(name) || (this.connectionNamesPending.get(name) ?? 0) > Date.now()) {
      throw conflict('A connection with the same name already exists', 'connection_conflict');
    }
    this.connectionNamesPending.delete(name);
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
    if (this.connectionDeleteDelayMs > 0) this.connectionNamesPending.set(String(connection.name), Date.now() + this.connectionDeleteDelayMs);
    this.enabledClientsByConnection.delete(id);
    this.extrasByConnection.delete(id);
    this.deletedConnections.set(id, deletedAt);
    this.users.deleteConnectionUsers(String(connection.name));
    this.organizations.forgetConnection(id);
    this.changed();
    return deletedAt;
  }

  /** SCIM, directory provisioning and keys of a connection (404 for an unknown connection); call markChanged() after a write. */
  connectionExtras(connectionId: string): ConnectionExtras {
    this.getConnection(connectionId);
    let extras = this.extrasByConnection.get(connectionId);
    if (!extras) {
      extras = {};
      this.extrasByConnection.set(connectionId, extras);
    }
    return extras;
  }

  allConnectionExtras(): ConnectionExtras[] {
    return [...this.extrasByConnection.values()];
  }

  /** For writes made outside the store's own methods (connection sub-resources, unmodelled settings). */
  markChanged(): void {
    this.changed();
  }

  /** The connections a client is enabled on, for GET /clients/{id}/connections. */
  connectionsOfClient(clientId: string): Json[] {
    this.getClient(clientId);
    return this.connections.all().filter((connection) => this.enabledClientsByConnection.get(String(connection.id))?.has(clientId));
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
    const enabled = this.enabledClientsFor(connectionId);
    for (const change of changes) {
      if (change.status) enabled.add(change.client_id);
      else enabled.delete(change.client_id);
    }
    this.changed();
  }

  private enabledClientsFor(connectionId: string): Set<string> {
    let enabled = this.enabledClientsByConnection.get(connectionId);
    if (!enabled) {
      enabled = new Set();
      this.enabledClientsByConnection.set(connectionId, enabled);
    }
    return enabled;
  }

  /** Only the id format is checked: recorded Auth0 traffic shows enablement of ids this tenant never listed. */
  private requireClients(ids: string[]): void {
    const malformed = ids.filter((id) => !/^[A-Za-z0-9_-]{1,64}$/.test(id));
    if (malformed.length > 0) throw invalidBody(`Invalid client_id: ${malformed.join(', ')}`);
  }

  /** The connection with this name, if any. */
  connectionByName(name: string): Json | undefined {
    const id = this.connectionIdByName.get(name);
    return id === undefined ? undefined : this.connections.get(id);
  }

  /** Whether a client may log users in through a connection (its enabled clients). */
  isConnectionEnabled(connectionId: string, clientId: string): boolean {
    return this.enabledClientsByConnection.get(connectionId)?.has(clientId) === true;
  }

  // ---- users ----

  createUser(body: unknown): Json {
    const name = body && typeof body === 'object' ? (body as Json).connection : undefined;
    const user = this.users.create(body, typeof name === 'string' ? this.connectionByName(name) : undefined);
    this.changed();
    return user;
  }

  deleteUser(userId: string): void {
    if (this.users.delete(userId)) this.changed();
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
    const key = grantKey(record.client_id, record.audience, record.subject_type);
    if (record.client_id !== undefined && this.grantIdByKey.has(key)) {
      throw conflict('A client grant for this client and audience already exists', 'client_grant_conflict');
    }
    this.clientGrants.put(record);
    if (record.client_id !== undefined) this.grantIdByKey.set(key, String(record.id));
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

  /** The client-credentials grant that lets a client call an API, if any (used to issue tokens). */
  grantFor(clientId: string, audience: string): Json | undefined {
    const id = this.grantIdByKey.get(grantKey(clientId, audience, 'client'));
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
    const key = grantKey(grant.client_id, grant.audience, grant.subject_type);
    if (this.grantIdByKey.get(key) === grant.id) this.grantIdByKey.delete(key);
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
      settings: this.tenantSettings,
      users: [...this.users.records.all()],
      credentials: Object.fromEntries(this.credentialsByClient),
      connectionExtras: Object.fromEntries(this.extrasByConnection),
      unmodelledSettings: Object.fromEntries(this.unmodelledSettings),
      organizations: [...this.organizations.records.all()],
      organizationConnections: Object.fromEntries(this.organizations.enabled),
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
      if (grant.client_id !== undefined) this.grantIdByKey.set(grantKey(grant.client_id, grant.audience, grant.subject_type), String(grant.id));
    }
    for (const [id, clients] of Object.entries(snapshot.enabledClients)) this.enabledClientsByConnection.set(id, new Set(clients));
    for (const [id, at] of Object.entries(snapshot.deletedConnections ?? {})) this.deletedConnections.set(id, at);
    for (const user of snapshot.users ?? []) this.users.records.put(user);
    for (const [id, credentials] of Object.entries(snapshot.credentials ?? {})) this.credentialsByClient.set(id, credentials);
    for (const [id, extras] of Object.entries(snapshot.connectionExtras ?? {})) this.extrasByConnection.set(id, extras);
    for (const [path, value] of Object.entries(snapshot.unmodelledSettings ?? {})) this.unmodelledSettings.set(path, value);
    for (const organization of snapshot.organizations ?? []) this.organizations.records.put(organization);
    for (const [id, list] of Object.entries(snapshot.organizationConnections ?? {})) this.organizations.enabled.set(id, list);
    this.managementClientId = snapshot.managementClientId;
    if (snapshot.settings) this.tenantSettings = snapshot.settings;
  }
}
