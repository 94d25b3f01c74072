// The repository's own tenant/ is AutoShares' worked example: it must validate cleanly in every environment.
// It also pins the lowering the planner relies on: keys, substituted vars, enablement and grants.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/validate/load.js';
import { validateTenantDirectory } from '../../src/validate/index.js';

const dir = 'tenant';

describe('the example tenant', () => {
  it.each(['dev', 'prod'])('has no diagnostics in %s', (env) => {
    expect(validateTenantDirectory(dir, { env, processEnv: {} }).diagnostics).toEqual([]);
  });

  it('lowers to the objects the planner expects', () => {
    const { config, diagnostics } = loadConfig({ dir, env: 'prod', processEnv: {} });
    expect(diagnostics).toEqual([]);
    expect(config?.environment.domain).toBe('autoshares.us.auth0.com');
    expect(config?.environments).toEqual(['dev', 'prod']);
    const keys = config?.desired.map((object) => `${object.kind}:${object.key}`);
    expect(keys).toEqual([
      'application:AutoShares Inventory Sync',
      'application:AutoShares Partner Dashboard',
      'application:AutoShares Partner Portal',
      'connection:google-oauth2',
      'connection:Username-Password-Authentication',
      'api:https://api.autoshares.example.com/',
      'grant:AutoShares Inventory Sync -> https://api.autoshares.example.com/',
    ]);
    const portal = config?.desired.find((object) => object.key === 'AutoShares Partner Portal');
    expect(portal?.fields.callbacks).toEqual(['https://partner-portal.example.com/callback']);
    expect(portal?.fields).not.toHaveProperty('connections');
    const google = config?.desired.find((object) => object.key === 'google-oauth2');
    expect(google?.fields.enabled_clients).toEqual(['AutoShares Partner Dashboard', 'AutoShares Partner Portal']);
    const grant = config?.desired.find((object) => object.kind === 'grant');
    expect(grant?.fields).toEqual({ client: 'AutoShares Inventory Sync', audience: 'https://api.autoshares.example.com/', scope: ['read:vehicles', 'write:inventory'] });
    expect(grant?.at).toEqual({ file: 'tenant/applications/inventory-sync.yaml', line: 10, column: 10 });
  });
});
