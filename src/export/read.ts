// Reads what export needs from the live tenant: the snapshot plus the enablement of every connection
// (plan reads enablement only for declared connections; export declares them all).
import type { TenantSnapshot } from '../model/snapshot.js';
import type { RemoteTenant } from '../remote/tenant.js';

export async function readTenantForExport(remote: RemoteTenant): Promise<TenantSnapshot> {
  const snapshot = await remote.readSnapshot();
  const enabled = await Promise.all(
    snapshot.connections.map(async (connection) => [String(connection.id), await remote.readEnabledClients(String(connection.id))] as const),
  );
  return { ...snapshot, enabledClients: Object.fromEntries(enabled) };
}
