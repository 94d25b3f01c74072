// The remote half of the kind registry: for each kind, how RemoteTenant lists, creates, updates, removes and finds
// (by natural key) its objects through the SDK. Keyed by Kind, so a kind added to src/model/kinds.ts without an
// adapter does not compile; test/unit/kind-registry.test.ts checks it as well.
import { subjectTypeOf } from '../model/grant.js';
import type { Kind } from '../model/types.js';

type Raw = Record<string, unknown>;

export interface RemoteAdapter {
  /** Every object of the kind, read with list requests only. */
  list(): Promise<Raw[]>;
  create(body: Raw, object: string): Promise<Raw>;
  update(id: string, body: Raw, object: string): Promise<Raw>;
  remove(id: string, object: string): Promise<void>;
  /** The object with the natural key of `body` (a create body), or undefined. */
  find(body: Raw): Promise<Raw | undefined>;
}

/** The per-kind operations RemoteTenant offers, gathered into adapters. */
export interface KindOperations {
  listClients(): Promise<Raw[]>;
  listConnections(): Promise<Raw[]>;
  listResourceServers(): Promise<Raw[]>;
  listClientGrants(): Promise<Raw[]>;
  createClient(body: Raw, object: string): Promise<Raw>;
  updateClient(id: string, body: Raw, object: string): Promise<Raw>;
  deleteClient(id: string, object: string): Promise<void>;
  createConnection(body: Raw, object: string): Promise<Raw>;
  updateConnection(id: string, body: Raw, object: string): Promise<Raw>;
  deleteConnection(id: string, object: string): Promise<void>;
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
  listOrganizations(): Promise<Raw[]>;
  createOrganization(body: Raw, object: string): Promise<Raw>;
  updateOrganization(id: string, body: Raw, object: string): Promise<Raw>;
  deleteOrganization(id: string, object: string): Promise<void>;
  findOrganizationByName(name: string): Promise<Raw | undefined>;
}

export function remoteAdapters(remote: KindOperations): Record<Kind, RemoteAdapter> {
  return {
    application: {
      list: () => remote.listClients(),
      create: (body, object) => remote.createClient(body, object),
      update: (id, body, object) => remote.updateClient(id, body, object),
      remove: (id, object) => remote.deleteClient(id, object),
      find: (body) => remote.findClientByName(String(body.name)),
    },
    connection: {
      list: () => remote.listConnections(),
      create: (body, object) => remote.createConnection(body, object),
      update: (id, body, object) => remote.updateConnection(id, body, object),
      remove: (id, object) => remote.deleteConnection(id, object),
      find: (body) => remote.findConnectionByName(String(body.name)),
    },
    api: {
      list: () => remote.listResourceServers(),
      create: (body, object) => remote.createResourceServer(body, object),
      update: (id, body, object) => remote.updateResourceServer(id, body, object),
      remove: (id, object) => remote.deleteResourceServer(id, object),
      find: (body) => remote.findResourceServerByIdentifier(String(body.identifier)),
    },
    grant: {
      list: () => remote.listClientGrants(),
      create: (body, object) => remote.createClientGrant(body, object),
      update: (id, body, object) => remote.updateClientGrant(id, body, object),
      remove: (id, object) => remote.deleteClientGrant(id, object),
      // Auth0 holds a client and a user grant per application and API: the lookup asks for the right one.
      find: (body) => remote.findClientGrant(String(body.client_id), String(body.audience), subjectTypeOf(body)),
    },
    organization: {
      list: () => remote.listOrganizations(),
      create: (body, object) => remote.createOrganization(body, object),
      update: (id, body, object) => remote.updateOrganization(id, body, object),
      remove: (id, object) => remote.deleteOrganization(id, object),
      find: (body) => remote.findOrganizationByName(String(body.name)),
    },
  };
}
