// The emulator's --state and --request-log files: the tenant survives a restart, and the log has one line per request.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sdkFor, startTestEmulator } from '../support/emulator.js';

const dir = mkdtempSync(join(tmpdir(), 'tenantctl-emulator-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('emulator: state file and request log file', () => {
  it('keeps the tenant across a restart, with the same credentials', async () => {
    const statePath = join(dir, 'state.json');
    const first = await startTestEmulator({ statePath });
    const sdk = sdkFor(first);
    const app = await sdk.clients.create({ name: 'Survivor', callbacks: ['https://s.example.com'] });
    const connection = await sdk.connections.create({ name: 'survivor-db', strategy: 'auth0' });
    await sdk.connections.clients.update(connection.id!, [{ client_id: app.client_id!, status: true }]);
    await sdk.tenants.settings.update({ flags: { enable_client_connections: false } });
    await first.close();
    expect(existsSync(statePath)).toBe(true);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    const second = await startTestEmulator({ statePath });
    try {
      expect(second.clientId).toBe(first.clientId);
      const again = sdkFor(second);
      expect((await again.clients.get(app.client_id!)).callbacks).toEqual(['https://s.example.com']);
      expect((await again.connections.get(connection.id!)).enabled_clients).toEqual([app.client_id]);
      await expect(again.connections.create({ name: 'survivor-db', strategy: 'auth0' })).rejects.toMatchObject({ statusCode: 409 });
      expect((await again.tenants.settings.get()).flags).toMatchObject({ enable_client_connections: false });
    } finally {
      await second.close();
    }
  });

  it('appends one JSON line per request to the request log without bodies', async () => {
    const requestLogPath = join(dir, 'requests.jsonl');
    const emulator = await startTestEmulator({ requestLogPath });
    try {
      await sdkFor(emulator).clients.list({ per_page: 5 }).catch(() => undefined);
      const lines = readFileSync(requestLogPath, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.map((line) => `${line.method} ${line.path} ${line.status}`)).toEqual(['POST /oauth/token 200', 'GET /api/v2/clients 200']);
      expect(lines[1]).toMatchObject({ query: { per_page: '5', page: '0' }, ms: expect.any(Number) });
      expect(readFileSync(requestLogPath, 'utf8')).not.toContain(emulator.clientSecret);
    } finally {
      await emulator.close();
    }
  });
});
