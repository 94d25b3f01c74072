// Tells the tenant lock's own requests (take, renew, release) from writes of tenant objects in an emulator's
// request log, for tests and the benchmark. The log has no answers, so the ids of lock APIs are noted as the
// emulator's store creates them.
import type { RequestLogEntry, RunningEmulator } from '../../src/emulator/index.js';
import { LOCK_API_IDENTIFIER } from '../../src/model/api.js';

/** Starts noting the lock ids of this emulator; returns the test for one logged request. */
export function lockRequestFilter(emulator: RunningEmulator): (entry: RequestLogEntry) => boolean {
  const ids = new Set<string>();
  const store = emulator.store;
  const create = store.createResourceServer.bind(store);
  store.createResourceServer = (...args: Parameters<typeof create>) => {
    const record = create(...args);
    if (record.identifier === LOCK_API_IDENTIFIER) ids.add(String(record.id));
    return record;
  };
  return (entry) => {
    if (!entry.path.startsWith('/api/v2/resource-servers')) return false;
    if (entry.method === 'POST') return (entry.body as { identifier?: unknown } | undefined)?.identifier === LOCK_API_IDENTIFIER;
    const id = decodeURIComponent(entry.path.slice('/api/v2/resource-servers/'.length));
    return id === LOCK_API_IDENTIFIER || ids.has(id);
  };
}
