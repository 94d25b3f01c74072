// Safety: a config that names system objects and tenantctl's own client, in a tenant holding hand-made
// objects nobody declares. Under every `undeclared:` policy, with and without --allow-delete, no write reaches them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RequestLogEntry, RunningEmulator } from '../../src/emulator/index.js';
import { sdkFor, startTestEmulator } from '../support/emulator.js';
import { envFor, hasStackTrace, recordFigures, runCli, type CliRun } from './support.js';

type Policy = 'ignore' | 'managed' | 'all';

interface Protected {
  /** Object id → what it is, for every object no write may reach. */
  ids: Map<string, string>;
  /** Ids of the hand-made (not system) objects among them. */
  handMade: Set<string>;
  /** The names and identifiers a create must never reuse. */
  keys: Set<string>;
}

interface Scenario {
  policy: Policy;
  allowDelete: boolean;
  apply: CliRun;
  plan: CliRun;
  writes: RequestLogEntry[];
  guarded: Protected;
  emulator: RunningEmulator;
}

const scenarios: Scenario[] = [];
const closers: Array<() => Promise<void>> = [];
const dirs: string[] = [];

afterAll(async () => {
  const offending = scenarios.flatMap((scenario) => forbiddenWrites(scenario, scenario.policy === 'all' && scenario.allowDelete));
  recordFigures('safety', {
    'scenarios (policy × --allow-delete)': scenarios.length,
    'writes made': scenarios.reduce((sum, scenario) => sum + scenario.writes.length, 0),
    'writes reaching system, own or hand-made objects': offending.length,
  });
  for (const close of closers) await close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A tenant with hand-made objects made through the SDK, as an admin clicking in the dashboard would. */
async function tenantWithHandMadeObjects(): Promise<{ emulator: RunningEmulator; guarded: Protected }> {
  const emulator = await startTestEmulator();
  closers.push(() => emulator.close());
  const sdk = sdkFor(emulator);
  const app = await sdk.clients.create({ name: 'Hand-made Billing Export', app_type: 'non_interactive', grant_types: ['client_credentials'] });
  const api = await sdk.resourceServers.create({ name: 'Hand-made Billing API', identifier: 'https://billing.handmade.example.com/', scopes: [{ value: 'export:invoices' }] });
  const connection = await sdk.connections.create({ name: 'handmade-partners-db', strategy: 'auth0' });
  const grant = await sdk.clientGrants.create({ client_id: app.client_id!, audience: api.identifier!, scope: ['export:invoices'] });
  await sdk.connections.clients.update(connection.id!, [{ client_id: app.client_id!, status: true }]);
  // The hand-made app also uses the database the config declares: enablement tenantctl must leave alone.
  const database = [...emulator.store.connections.all()].find((record) => record.name === 'Username-Password-Authentication')!;
  await sdk.connections.clients.update(String(database.id), [{ client_id: app.client_id!, status: true }]);

  const ids = new Map<string, string>();
  const global = [...emulator.store.clients.all()].find((client) => client.global === true)!;
  ids.set(String(global.client_id), 'the global client');
  ids.set(emulator.clientId, "tenantctl's own client");
  const managementApi = [...emulator.store.resourceServers.all()].find((record) => record.is_system === true)!;
  ids.set(String(managementApi.id), 'the Management API');
  for (const record of emulator.store.clientGrants.all()) if (record.client_id === emulator.clientId) ids.set(String(record.id), "the own client's grant");
  const handMade = new Map([
    [app.client_id!, 'the hand-made application'],
    [api.id!, 'the hand-made API'],
    [connection.id!, 'the hand-made connection'],
    [grant.id!, 'the hand-made grant'],
  ]);
  for (const [id, what] of handMade) ids.set(id, what);
  const keys = new Set(['All Applications', 'tenantctl emulator (Management API)', String(managementApi.identifier), 'Hand-made Billing Export', 'https://billing.handmade.example.com/', 'handmade-partners-db']);
  return { emulator, guarded: { ids, handMade: new Set(handMade.keys()), keys } };
}

/** A config that declares the system objects and the own client by their names, plus one ordinary app. */
function writeConfig(dir: string, emulator: RunningEmulator, policy: Policy): void {
  const managementAudience = `https://${emulator.domain}/api/v2/`;
  for (const folder of ['applications', 'apis', 'connections']) mkdirSync(join(dir, folder), { recursive: true });
  const files: Record<string, string[]> = {
    'tenant.yaml': [
      'environments:',
      '  dev:',
      '    domain: safety-dev.us.auth0.com',
      'default_environment: dev',
      'undeclared:',
      ...['applications', 'connections', 'apis', 'grants'].map((kind) => `  ${kind}: ${policy}`),
    ],
    'applications/own.yaml': [
      'name: tenantctl emulator (Management API)',
      'app_type: non_interactive',
      'description: renamed by the config',
      'grant_types: [client_credentials]',
      'grants:',
      `  - api: ${managementAudience}`,
      '    scopes: [read:clients]',
    ],
    'apis/management.yaml': ['name: Auth0 Management API (taken over)', `identifier: ${managementAudience}`, 'token_lifetime: 60', 'scopes:', '  - value: read:clients', '    description: Read clients'],
    'applications/safety-web.yaml': [
      'name: Safety Web',
      'app_type: regular_web',
      'callbacks:',
      '  - https://web.safety.example.com/callback',
      'connections:',
      '  - Username-Password-Authentication',
    ],
    'connections/database.yaml': ['name: Username-Password-Authentication', 'strategy: auth0'],
  };
  for (const [path, lines] of Object.entries(files)) writeFileSync(join(dir, path), `${lines.join('\n')}\n`);
}

/** Writes whose path or body names a guarded object; deletes of hand-made objects are allowed when `handMadeDeletesAllowed`. */
function forbiddenWrites(scenario: Pick<Scenario, 'writes' | 'guarded'>, handMadeDeletesAllowed: boolean): string[] {
  const found: string[] = [];
  for (const entry of scenario.writes) {
    const path = decodeURIComponent(entry.path);
    const body = JSON.stringify(entry.body ?? null);
    // Taking a declared application off a hand-made connection, where Auth0 enabled it by itself
    // (flags.enable_client_connections), changes that application's access, not the connection; the body names
    // no guarded client.
    const declaredAppsOnly =
      entry.method === 'PATCH' && /^\/api\/v2\/connections\/[^/]+\/clients$/.test(path) && ![...scenario.guarded.ids.keys()].some((id) => body.includes(id));
    for (const [id, what] of scenario.guarded.ids) {
      const allowed = (handMadeDeletesAllowed && scenario.guarded.handMade.has(id) && entry.method === 'DELETE') || (declaredAppsOnly && path.includes(id));
      // Disabling the hand-made app on a deleted hand-made connection goes with that delete.
      if (!allowed && (path.includes(id) || body.includes(id))) found.push(`${entry.method} ${path} reaches ${what}`);
    }
    if (entry.method === 'POST' && entry.body && typeof entry.body === 'object') {
      const record = entry.body as Record<string, unknown>;
      for (const key of [record.name, record.identifier]) {
        if (typeof key === 'string' && scenario.guarded.keys.has(key)) found.push(`POST ${path} creates a second "${key}"`);
      }
    }
  }
  return found;
}

const cases = (['ignore', 'managed', 'all'] as const).flatMap((policy) => [false, true].map((allowDelete) => ({ policy, allowDelete })));

describe.concurrent.each(cases)('undeclared: $policy, --allow-delete: $allowDelete', ({ policy, allowDelete }) => {
  it('apply writes nothing to system objects, the own client or hand-made objects; the rest converges', async () => {
    const { emulator, guarded } = await tenantWithHandMadeObjects();
    const dir = mkdtempSync(join(tmpdir(), `tenantctl-reliability-safety-${policy}-`));
    dirs.push(dir);
    writeConfig(join(dir, 'tenant'), emulator, policy);
    const before = emulator.requests.length;
    const apply = await runCli(['apply', '--auto-approve', ...(allowDelete ? ['--allow-delete'] : [])], { cwd: dir, env: envFor(emulator), timeoutMs: 60_000 });
    const writes = emulator.requests.slice(before).filter((entry) => entry.method !== 'GET' && entry.path.startsWith('/api/v2/'));
    const plan = await runCli(['plan'], { cwd: dir, env: envFor(emulator), timeoutMs: 60_000 });
    const scenario: Scenario = { policy, allowDelete, apply, plan, writes, guarded, emulator };
    scenarios.push(scenario);

    const shown = `${apply.stdout}\n${apply.stderr}\nwrites:\n${writes.map((entry) => `${entry.method} ${entry.path} ${JSON.stringify(entry.body ?? '')}`).join('\n')}`;
    expect(apply.timedOut, shown).toBe(false);
    expect(hasStackTrace(apply.stdout + apply.stderr), shown).toBe(false);
    expect([0, 1], shown).toContain(apply.code);
    // Under `all` with --allow-delete deleting undeclared hand-made objects is what the admin asked for;
    // everywhere else not even that.
    expect(forbiddenWrites(scenario, policy === 'all' && allowDelete), shown).toEqual([]);

    // The ordinary app was still created and enabled on the declared database, beside the untouched enablements.
    const web = [...emulator.store.clients.all()].find((client) => client.name === 'Safety Web');
    expect(web, shown).toBeDefined();
    const database = [...emulator.store.connections.all()].find((record) => record.name === 'Username-Password-Authentication')!;
    const enabled = emulator.store.enabledClients(String(database.id));
    expect(enabled).toEqual(expect.arrayContaining([String(web!.client_id), emulator.clientId]));
    const handMadeApp = [...guarded.handMade].find((id) => emulator.store.clients.get(id));
    if (!(policy === 'all' && allowDelete)) {
      for (const id of guarded.handMade) expect(guarded.ids.get(id) && (emulator.store.clients.get(id) ?? emulator.store.resourceServers.get(id) ?? emulator.store.connections.get(id) ?? emulator.store.clientGrants.get(id)), guarded.ids.get(id)).toBeTruthy();
      expect(enabled).toContain(handMadeApp);
    }
    // System objects and the own client are exactly as they were: the names still belong to one object each.
    expect([...emulator.store.clients.all()].filter((client) => client.name === 'All Applications')).toHaveLength(1);
    expect(emulator.store.clients.get(emulator.clientId)?.description).not.toBe('renamed by the config');
    expect([...emulator.store.resourceServers.all()].find((record) => record.is_system === true)?.token_lifetime).not.toBe(60);

    // The plan after apply says why the system objects are left alone, and nothing is retried against them.
    expect(plan.stdout + plan.stderr).toMatch(/never writes it/);
  });
});

describe('a config naming the global client', () => {
  it('is refused before any request: validate and apply exit 1 with the file:line, the tenant sees nothing', async () => {
    const { emulator } = await tenantWithHandMadeObjects();
    const dir = mkdtempSync(join(tmpdir(), 'tenantctl-reliability-safety-global-'));
    dirs.push(dir);
    writeConfig(join(dir, 'tenant'), emulator, 'all');
    writeFileSync(join(dir, 'tenant', 'applications', 'global.yaml'), 'name: All Applications\napp_type: regular_web\ncallbacks:\n  - https://takeover.example.com/callback\n');
    const before = emulator.requests.length;
    const validate = await runCli(['validate'], { cwd: dir, timeoutMs: 30_000 });
    const apply = await runCli(['apply', '--auto-approve', '--allow-delete'], { cwd: dir, env: envFor(emulator), timeoutMs: 30_000 });
    for (const run of [validate, apply]) {
      expect(run.code).toBe(1);
      expect(run.stdout + run.stderr).toMatch(/tenant\/applications\/global\.yaml:1:\d+: error \[system-object\]/);
      expect(hasStackTrace(run.stdout + run.stderr)).toBe(false);
    }
    expect(emulator.requests.slice(before)).toEqual([]);
  });
});

describe('the policies differ where they should', () => {
  it('only `all` with --allow-delete removes the hand-made objects', () => {
    const survivors = (scenario: Scenario): string[] =>
      [...scenario.guarded.handMade]
        .filter((id) => scenario.emulator.store.clients.get(id) ?? scenario.emulator.store.resourceServers.get(id) ?? scenario.emulator.store.connections.get(id) ?? scenario.emulator.store.clientGrants.get(id))
        .map((id) => scenario.guarded.ids.get(id) ?? id)
        .sort();
    const table = Object.fromEntries(scenarios.map((scenario) => [`${scenario.policy}${scenario.allowDelete ? '+delete' : ''}`, survivors(scenario)]));
    const all = ['the hand-made API', 'the hand-made application', 'the hand-made connection', 'the hand-made grant'];
    // The hand-made database survives even then: destroying a database connection also needs --allow-destroy-connection.
    expect(table).toEqual({ ignore: all, 'ignore+delete': all, managed: all, 'managed+delete': all, all, 'all+delete': ['the hand-made connection'] });
  });
});
