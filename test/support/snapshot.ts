// Test helper: a TenantSnapshot holding what every new Auth0 tenant has (the global client, the tool's
// own client and its Management API grant, the Management API), plus the parts a test adds.
import type { TenantSnapshot } from '../../src/model/snapshot.js';

export const OWN_CLIENT_ID = 'OWNCLIENT0000000000000000000000A';

export function tenantSnapshot(parts: Partial<TenantSnapshot> = {}, domain = 'acme.eu.auth0.com'): TenantSnapshot {
  return {
    domain,
    ownClientId: OWN_CLIENT_ID,
    clients: [
      { client_id: 'GLOBAL', name: 'All Applications', global: true },
      { client_id: OWN_CLIENT_ID, name: 'tenantctl deployer', app_type: 'non_interactive' },
      ...(parts.clients ?? []),
    ],
    connections: parts.connections ?? [],
    enabledClients: parts.enabledClients ?? {},
    resourceServers: [
      { id: 'mgmt', identifier: `https://${domain}/api/v2/`, name: 'Auth0 Management API', is_system: true },
      ...(parts.resourceServers ?? []),
    ],
    clientGrants: [
      { id: 'cgr_own', client_id: OWN_CLIENT_ID, audience: `https://${domain}/api/v2/`, scope: ['read:clients'] },
      ...(parts.clientGrants ?? []),
    ],
    organizations: parts.organizations ?? [],
    organizationConnections: parts.organizationConnections ?? {},
    // Off unless a test says otherwise, so new applications get only the enablement the config lists.
    enableClientConnections: parts.enableClientConnections === undefined ? false : parts.enableClientConnections,
  };
}
