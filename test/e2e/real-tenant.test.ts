// Issue 12: behaviours where Auth0 differs from a naive emulator, end to end with the built CLI against an emulator
// that follows Auth0 — connection options behind their own scopes, client grants per subject_type, and
// flags.enable_client_connections enabling every new application on every connection.
import { describe, expect, it, type TestContext } from 'vitest';
import { knownScopes, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';
import { STACK_TRACE, writesSince } from '../support/cli.js';
import { tenantScenario, type TenantScenario } from '../support/scenario.js';

const GOOGLE = 'tenant/connections/google-oauth2.yaml';
const WITHOUT_OPTIONS_SCOPES = knownScopes.filter((scope) => !scope.endsWith(':connections_options'));
/** What the live Google connection holds beyond what tenant/ declares: a secret and an undeclared option. */
const LIVE_GOOGLE_OPTIONS = { email: true, profile: true, scope: ['email', 'profile'], client_id: 'google-live-id', client_secret: 'google-live-secret-Zq81', upstream_params: { hd: { value: 'example.com' } } };

interface Scenario extends TenantScenario {
  liveConnection(name: string): Record<string, unknown>;
}

async function scenario(context: TestContext, options: EmulatorOptions = {}): Promise<Scenario> {
  const base = await tenantScenario(context, 'tenantctl-real-e2e-', options);
  const { emulator } = base;
  return {
    ...base,
    liveConnection(name) {
      const found = emulator.store.connections.all().find((connection) => connection.name === name);
      if (!found) throw new Error(`no live connection ${name}`);
      return found;
    },
  };
}

interface JsonPlan {
  changes: { kind: string; key: string; action: string; fields: { path: string }[] }[];
  notes: { kind: string; key: string; message: string }[];
}

async function jsonPlan(s: Scenario): Promise<JsonPlan> {
  const result = await s.run(['plan', '--env', 'dev', '--format', 'json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as JsonPlan;
}

describe.concurrent('connection options and their scopes', () => {
  it('without the options scopes: plan says options were not compared, apply leaves them whole, the next plan is clean', async (context) => {
    const s = await scenario(context, { scopes: WITHOUT_OPTIONS_SCOPES });
    s.emulator.seed('connections', [{ name: 'google-oauth2', strategy: 'google-oauth2', display_name: 'Google', options: LIVE_GOOGLE_OPTIONS }]);
    const plan = await jsonPlan(s);
    expect(plan.changes.filter((change) => change.kind === 'connection')).toEqual([]);
    expect(plan.notes).toEqual([
      { kind: 'connection', key: 'google-oauth2', message: expect.stringMatching(/options not compared.*read:connections_options/) },
    ]);
    const text = await s.run(['plan', '--env', 'dev']);
    expect(text.stdout).toMatch(/Notes:\n {2}connection "google-oauth2": options not compared/);

    const applied = await s.run(['apply', '--env', 'dev', '--auto-approve']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(s.liveConnection('google-oauth2').options).toEqual(LIVE_GOOGLE_OPTIONS);
    const again = await s.run(['plan', '--env', 'dev', '--detailed-exitcode']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
  });

  it('with read but not update:connections_options: apply stops before any write and names the scope to add', async (context) => {
    const s = await scenario(context, { scopes: knownScopes.filter((scope) => scope !== 'update:connections_options') });
    s.emulator.seed('connections', [{ name: 'google-oauth2', strategy: 'google-oauth2', display_name: 'Google', options: LIVE_GOOGLE_OPTIONS }]);
    s.edit(GOOGLE, (text) => text.replace('scope: [email, profile]', 'scope: [email]'));
    const plan = await jsonPlan(s);
    expect(plan.changes.find((change) => change.kind === 'connection')?.fields.map((field) => field.path)).toContain('options.scope');
    const before = s.emulator.requests.length;
    const applied = await s.run(['apply', '--env', 'dev', '--auto-approve']);
    expect(applied.code).toBe(1);
    expect(applied.stderr).not.toMatch(STACK_TRACE);
    expect(applied.stderr).toMatch(/error: the token lacks update:connections_options \(needed to update connection "google-oauth2"\); nothing was changed/);
    expect(applied.stderr).toMatch(/grant update:connections_options/);
    expect(writesSince(s.emulator, before)).toEqual([]);
  });

  it('with both scopes: an options change keeps the secret and every undeclared option', async (context) => {
    const s = await scenario(context);
    s.emulator.seed('connections', [{ name: 'google-oauth2', strategy: 'google-oauth2', display_name: 'Google', options: LIVE_GOOGLE_OPTIONS }]);
    s.edit(GOOGLE, (text) => text.replace('scope: [email, profile]', 'scope: [email]'));
    const applied = await s.run(['apply', '--env', 'dev', '--auto-approve']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout + applied.stderr).not.toContain(LIVE_GOOGLE_OPTIONS.client_secret);
    expect(s.liveConnection('google-oauth2').options).toEqual({ ...LIVE_GOOGLE_OPTIONS, scope: ['email'] });
    const again = await s.run(['plan', '--env', 'dev', '--detailed-exitcode']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
  });
});

/** Application names enabled on each connection of the emulated tenant, system clients left out. */
function enablementByConnection(emulator: RunningEmulator): Record<string, string[]> {
  const names = new Map(emulator.store.clients.all().map((client) => [String(client.client_id), String(client.name)]));
  const out: Record<string, string[]> = {};
  for (const connection of emulator.store.connections.all()) {
    out[String(connection.name)] = emulator.store
      .enabledClients(String(connection.id))
      .filter((id) => id !== emulator.clientId)
      .map((id) => names.get(id) ?? id)
      .sort();
  }
  return out;
}

const DECLARED_ENABLEMENT = {
  'Username-Password-Authentication': ['AutoShares Partner Dashboard', 'AutoShares Partner Portal'],
  'google-oauth2': ['AutoShares Partner Dashboard', 'AutoShares Partner Portal'],
};

describe.concurrent('new applications and flags.enable_client_connections', () => {
  const cases = [
    { flag: true, scopes: knownScopes, reason: /flags\.enable_client_connections is on/ },
    { flag: false, scopes: knownScopes, reason: undefined },
    { flag: true, scopes: knownScopes.filter((scope) => scope !== 'read:tenant_settings'), reason: /could not read flags\.enable_client_connections \(grant read:tenant_settings\)/ },
  ];
  for (const { flag, scopes, reason } of cases) {
    const readable = scopes.includes('read:tenant_settings') ? 'read' : 'not readable';
    it(`flag ${String(flag)} (${readable}): one apply enables each new application on exactly its listed connections, and the next plan is clean`, async (context) => {
      const s = await scenario(context, { scopes: [...scopes] });
      s.emulator.store.updateSettings({ flags: { enable_client_connections: flag } });
      // Connections the config does not declare: an employee database and a social login made by hand.
      s.emulator.seed('connections', [{ name: 'employees-db', strategy: 'auth0' }, { name: 'github', strategy: 'github' }]);
      const plan = await s.run(['plan', '--env', 'dev']);
      expect(plan.code, plan.stderr).toBe(0);
      if (reason) expect(plan.stdout).toMatch(reason);
      else expect(plan.stdout).not.toMatch(/enable_client_connections/);

      const applied = await s.run(['apply', '--env', 'dev', '--auto-approve']);
      expect(applied.code, applied.stdout + applied.stderr).toBe(0);
      expect(enablementByConnection(s.emulator)).toEqual({ ...DECLARED_ENABLEMENT, 'employees-db': [], github: [] });
      const again = await s.run(['plan', '--env', 'dev', '--detailed-exitcode']);
      expect(again.code, again.stdout + again.stderr).toBe(0);
    });
  }

  it('drift: a managed application enabled by hand on an undeclared connection shows in the plan and apply removes it', async (context) => {
    const s = await scenario(context);
    s.emulator.store.updateSettings({ flags: { enable_client_connections: false } });
    const [employees] = s.emulator.seed('connections', [{ name: 'employees-db', strategy: 'auth0' }]);
    expect((await s.run(['apply', '--env', 'dev', '--auto-approve'])).code).toBe(0);
    const portal = s.emulator.store.clients.all().find((client) => client.name === 'AutoShares Partner Portal');
    s.emulator.store.setEnabledClients(String(employees!.id), [{ client_id: String(portal!.client_id), status: true }]);

    const drift = await s.run(['plan', '--env', 'dev', '--detailed-exitcode']);
    expect(drift.code, drift.stdout + drift.stderr).toBe(2);
    expect(drift.stdout).toMatch(/enabled applications of connection "employees-db"[\s\S]*- "AutoShares Partner Portal"/);
    expect(drift.stdout).toContain('this connection is not declared');
    expect((await s.run(['apply', '--env', 'dev', '--auto-approve'])).code).toBe(0);
    expect(enablementByConnection(s.emulator)['employees-db']).toEqual([]);
  });
});

/**
 * Issue 12's "done when": a tenant whose flags.enable_client_connections is on, a connection with options beyond the
 * declared ones, a user-access grant beside the declared client grant, an application whose jwt_configuration
 * carries secret_encoded, and hand-made objects; one apply, then a clean plan, nothing undeclared lost, nothing
 * duplicated — first with a token without the options scopes, then with them.
 */
describe.concurrent('a real-tenant-like tenant converges in one apply', () => {
  const INVENTORY_SYNC = { name: 'AutoShares Inventory Sync', description: 'Machine-to-machine job that syncs vehicle inventory', app_type: 'non_interactive', grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_post', oidc_conformant: true };
  const API = 'https://api.autoshares.example.com/';

  for (const withOptionsScopes of [false, true]) {
    it(`${withOptionsScopes ? 'with' : 'without'} the options scopes`, async (context) => {
      const s = await scenario(context, withOptionsScopes ? {} : { scopes: WITHOUT_OPTIONS_SCOPES });
      expect(s.emulator.store.settings.flags).toMatchObject({ enable_client_connections: true });
      s.emulator.seed('connections', [
        { name: 'google-oauth2', strategy: 'google-oauth2', display_name: 'Google', options: LIVE_GOOGLE_OPTIONS },
        { name: 'employees-db', strategy: 'auth0' },
      ]);
      s.emulator.seed('resourceServers', [{ name: 'AutoShares API', identifier: API, scopes: [{ value: 'read:vehicles' }] }]);
      // Seeded clients are enabled on both connections and the database by the flag, as Auth0 would.
      const [inventory, portal] = s.emulator.seed('clients', [
        INVENTORY_SYNC,
        { name: 'AutoShares Partner Portal', app_type: 'regular_web', jwt_configuration: { alg: 'HS256', secret_encoded: true, lifetime_in_seconds: 36000 } },
        { name: 'Hand Made Reporting', app_type: 'regular_web', callbacks: ['https://reports.example.com/cb'] },
      ]);
      const [userGrant] = s.emulator.seed('clientGrants', [{ client_id: inventory!.client_id, audience: API, scope: ['read:vehicles'], subject_type: 'user' }]);
      expect(s.emulator.store.clients.get(String(portal!.client_id))?.jwt_configuration).toMatchObject({ secret_encoded: true });

      const applied = await s.run(['apply', '--env', 'dev', '--auto-approve']);
      expect(applied.code, applied.stdout + applied.stderr).toBe(0);
      const again = await s.run(['plan', '--env', 'dev', '--detailed-exitcode']);
      expect(again.code, again.stdout + again.stderr).toBe(0);

      // Nothing undeclared lost: the connection's secret and extra options, the user grant, the hand-made app's enablement.
      expect(s.liveConnection('google-oauth2').options).toEqual(LIVE_GOOGLE_OPTIONS);
      expect(s.emulator.store.getClientGrant(String(userGrant!.id))).toMatchObject({ subject_type: 'user', scope: ['read:vehicles'] });
      // Declared applications on exactly their listed connections (off the undeclared employee database); the
      // hand-made application stays wherever the flag enabled it.
      const withHandMade = (names: string[]) => [...names, 'Hand Made Reporting'].sort();
      expect(enablementByConnection(s.emulator)).toEqual({
        'Username-Password-Authentication': withHandMade(DECLARED_ENABLEMENT['Username-Password-Authentication']),
        'google-oauth2': withHandMade(DECLARED_ENABLEMENT['google-oauth2']),
        'employees-db': ['Hand Made Reporting'],
      });
      // The declared client grant exists beside the user grant, and nothing is duplicated.
      const grants = s.emulator.store.clientGrants.all().filter((grant) => grant.client_id === inventory!.client_id);
      expect(grants.map((grant) => `${String(grant.subject_type)} ${[...(grant.scope as string[])].sort().join(',')}`).sort()).toEqual([
        'client read:vehicles,write:inventory',
        'user read:vehicles',
      ]);
      const names = (items: readonly Record<string, unknown>[]) => items.map((item) => String(item.name ?? item.identifier));
      for (const list of [s.emulator.store.clients.all(), s.emulator.store.connections.all(), s.emulator.store.resourceServers.all()]) {
        expect(new Set(names(list)).size).toBe(list.length);
      }
      expect(s.emulator.store.clients.get(String(portal!.client_id))?.jwt_configuration).toMatchObject({ alg: 'RS256' });
    });
  }
});

describe('plan and the drift check with read-only scopes', () => {
  const READ_ONLY = ['read:clients', 'read:connections', 'read:connections_options', 'read:resource_servers', 'read:client_grants', 'read:tenant_settings'];

  it('plan --detailed-exitcode works with only the read scopes: 2 with changes, 0 once applied, and never writes', async (context) => {
    const s = await scenario(context);
    const ownGrant = s.emulator.store.clientGrants.all().find((grant) => grant.client_id === s.emulator.clientId)!;
    s.emulator.store.updateClientGrant(String(ownGrant.id), { scope: READ_ONLY });
    const before = s.emulator.requests.length;
    const pending = await s.run(['plan', '--env', 'dev', '--detailed-exitcode']);
    expect(pending.code, pending.stdout + pending.stderr).toBe(2);
    expect(pending.stderr).not.toMatch(/error|insufficient/i);
    expect(writesSince(s.emulator, before)).toEqual([]);

    s.emulator.store.updateClientGrant(String(ownGrant.id), { scope: knownScopes });
    expect((await s.run(['apply', '--env', 'dev', '--auto-approve'])).code).toBe(0);
    s.emulator.store.updateClientGrant(String(ownGrant.id), { scope: READ_ONLY });
    const after = s.emulator.requests.length;
    const clean = await s.run(['plan', '--env', 'dev', '--detailed-exitcode']);
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    expect(writesSince(s.emulator, after)).toEqual([]);
  });
});
