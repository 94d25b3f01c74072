// Reads that never miss objects (issue #12, item 5): clients and resource servers only have offset paging, so a
// tenant that changes during the read shifts objects between pages. The read checks itself, reads again, and
// fails loudly when the tenant keeps changing, rather than planning from a partial tenant.
import { describe, expect, it } from 'vitest';
import type { AnsweredRequest, EmulatorOptions } from '../../src/emulator/index.js';
import { TenantctlError } from '../../src/errors.js';
import { RemoteTenant } from '../../src/remote/tenant.js';
import { emulatorPerTest } from '../support/emulator.js';

const start = emulatorPerTest();

const firstPage = (request: AnsweredRequest, path: string) =>
  request.method === 'GET' && request.path === path && (request.query.page ?? '0') === '0';

async function tenantWith250Apps(hook: EmulatorOptions['beforeAnswer']) {
  const emulator = await start({ beforeAnswer: hook });
  emulator.seed('clients', Array.from({ length: 248 }, (_, i) => ({ name: `App ${String(i).padStart(3, '0')}` })));
  const remote = new RemoteTenant(
    { domain: emulator.domain, clientId: emulator.clientId, clientSecret: emulator.clientSecret },
    { baseBackoffMs: 1 },
  );
  return { emulator, remote };
}

describe('RemoteTenant: offset-paged reads of a tenant that changes during the read', () => {
  it('an application deleted while page 0 is answered shifts the others: the read notices, reads again, misses none', async () => {
    let deleted = false;
    const { emulator, remote } = await tenantWith250Apps((request, store) => {
      if (deleted || !firstPage(request, '/api/v2/clients')) return;
      deleted = true;
      const victim = store.clients.all().find((client) => client.name === 'App 010');
      store.deleteClient(String(victim?.client_id));
    });
    const snapshot = await remote.readSnapshot();
    const read = new Set(snapshot.clients.map((client) => client.client_id));
    const live = emulator.store.clients.all().map((client) => client.client_id);
    expect(live).toHaveLength(249);
    expect(live.filter((id) => !read.has(id))).toEqual([]);
    expect(snapshot.clients).toHaveLength(249);
    // Read twice: 3 pages, then 3 pages again.
    const pages = emulator.requests.filter((entry) => entry.method === 'GET' && entry.path === '/api/v2/clients');
    expect(pages).toHaveLength(6);
  });

  it('a tenant that keeps changing during every read fails loudly instead of returning a partial tenant', async () => {
    let n = 0;
    const { emulator, remote } = await tenantWith250Apps((request, store) => {
      if (!firstPage(request, '/api/v2/resource-servers')) return;
      store.seed('resourceServers', [{ identifier: `https://api-${n++}.example.com`, name: `API ${n}` }]);
    });
    emulator.seed('resourceServers', Array.from({ length: 120 }, (_, i) => ({ identifier: `https://seed-${i}.example.com`, name: `Seed ${i}` })));
    const error = await remote.readSnapshot().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TenantctlError);
    expect((error as Error).message).toMatch(
      /^GET \/api\/v2\/resource-servers: the list changed while it was read \(the total went from 12\d to 12\d\), 3 times in a row; it was stopped rather than return a partial list$/,
    );
  });
});
