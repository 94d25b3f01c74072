// Reads what export needs from the live tenant: the snapshot with the enablement of every connection.
import type { TenantSnapshot } from '../model/snapshot.js';
import type { RemoteTenant } from '../remote/tenant.js';

export function readTenantForExport(remote: RemoteTenant): Promise<TenantSnapshot> {
  return remote.readSnapshot({ enablementFor: 'all' });
}
