// loadConfig: environment selection, variables, undeclared policies, the config hash and the
// guarantee that a config is only returned when there is no error.
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, loadConfigFromSource } from '../../src/validate/load.js';
import { parseTenantFiles } from '../../src/config/source.js';
import { TENANT_YAML } from '../fixtures/validate/in-memory.js';

function load(files: Record<string, string>, options: { env?: string; processEnv?: Record<string, string> } = {}) {
  const raw = Object.entries(files).map(([relative, text]) => ({ relative, text }));
  return loadConfigFromSource(parseTenantFiles('tenant', raw), { processEnv: {}, ...options });
}

const APP = 'name: Portal\napp_type: regular_web\ncallbacks: ["${APP_URL}/cb"]\ndescription: build ${env:BUILD}\n';

describe('loadConfig', () => {
  it('asks for --env when several environments are declared without a default', () => {
    const { config, diagnostics } = load({ 'tenant.yaml': TENANT_YAML });
    expect(config).toBeUndefined();
    expect(diagnostics.map((d) => d.rule)).toEqual(['environment-required']);
    expect(diagnostics[0]?.hint).toContain('--env');
  });

  it('uses default_environment, or the only environment', () => {
    expect(load({ 'tenant.yaml': `${TENANT_YAML}default_environment: prod\n` }).config?.environment.name).toBe('prod');
    expect(load({ 'tenant.yaml': 'environments:\n  only:\n    domain: only.eu.auth0.com\n' }).config?.environment).toEqual({
      name: 'only',
      domain: 'only.eu.auth0.com',
      allowLocalhost: false,
      vars: {},
      production: false,
    });
  });

  it('reports an unknown --env with a suggestion', () => {
    const { diagnostics } = load({ 'tenant.yaml': TENANT_YAML }, { env: 'prd' });
    expect(diagnostics).toMatchObject([{ rule: 'unknown-environment', hint: 'did you mean "prod"?' }]);
  });

  it('gives each declared object the position of its key, also when only serialized or copied', () => {
    const files = {
      'tenant.yaml': 'environments:\n  dev:\n    domain: d.us.auth0.com\n',
      // A plain file (read by the fast path) and one only the full parser reads (a block scalar).
      'applications/job.yaml': '# the nightly job\nname: Job\napp_type: non_interactive\ngrants:\n  - api: https://api.example.com/\n    scopes: [read:things]\n',
      'applications/web.yaml': 'description: |\n  The web app.\nname:   Web\napp_type: regular_web\n',
      'apis/api.yaml': 'name: API\nidentifier: https://api.example.com/\nscopes:\n  - value: read:things\n',
    };
    const { config, diagnostics } = load(files);
    expect(diagnostics).toEqual([]);
    const positions = Object.fromEntries(config!.desired.map((object) => [`${object.kind} ${object.key}`, object.at]));
    expect(positions).toEqual({
      'application Job': { file: 'tenant/applications/job.yaml', line: 2, column: 7 },
      'application Web': { file: 'tenant/applications/web.yaml', line: 3, column: 9 },
      'api https://api.example.com/': { file: 'tenant/apis/api.yaml', line: 2, column: 13 },
      'grant Job -> https://api.example.com/': { file: 'tenant/applications/job.yaml', line: 5, column: 10 },
    });
    const grant = config!.desired.find((object) => object.kind === 'grant')!;
    expect(JSON.parse(JSON.stringify(grant)).at).toEqual({ file: 'tenant/applications/job.yaml', line: 5, column: 10 });
    expect({ ...grant }.at).toEqual(grant.at);
    expect(Object.keys(grant)).toEqual(['kind', 'key', 'fields', 'at']);
  });

  it('substitutes ${NAME} and ${env:NAME}, including ${env:NAME} inside vars', () => {
    const tenant = `environments:\n  dev:\n    domain: d.us.auth0.com\n    allow_localhost: true\n    vars:\n      APP_URL: \${env:DEV_URL}\n`;
    const { config, diagnostics } = load({ 'tenant.yaml': tenant, 'applications/p.yaml': APP }, { processEnv: { DEV_URL: 'http://localhost:8000', BUILD: '42' } });
    expect(diagnostics).toEqual([]);
    expect(config?.desired[0]?.fields).toMatchObject({ callbacks: ['http://localhost:8000/cb'], description: 'build 42' });
  });

  it('returns no config when any error exists, and reports an unset ${env:NAME} at its column', () => {
    const { config, diagnostics } = load({ 'tenant.yaml': TENANT_YAML, 'applications/p.yaml': APP }, { env: 'dev' });
    expect(config).toBeUndefined();
    expect(diagnostics).toMatchObject([{ rule: 'undefined-variable', at: { file: 'tenant/applications/p.yaml', line: 4, column: 20 } }]);
  });

  it('reads undeclared policies with managed as the default', () => {
    const tenant = `${TENANT_YAML}default_environment: dev\nundeclared:\n  apis: ignore\n  grants: all\n`;
    expect(load({ 'tenant.yaml': tenant }).config?.undeclared).toEqual({ applications: 'managed', connections: 'managed', apis: 'ignore', grants: 'all', organizations: 'managed' });
  });

  it('reports a missing tenant.yaml', () => {
    const { config, diagnostics } = load({ 'applications/p.yaml': APP });
    expect(config).toBeUndefined();
    expect(diagnostics.map((d) => d.rule)).toEqual(['missing-tenant-file']);
  });

  it('lowers connections with the sorted names of the applications that use them', () => {
    const files = {
      'tenant.yaml': `${TENANT_YAML}default_environment: prod\n`,
      'connections/db.yaml': 'name: Username-Password-Authentication\nstrategy: auth0\n',
      'applications/b.yaml': 'name: Beta\napp_type: spa\nconnections: [Username-Password-Authentication]\n',
      'applications/a.yaml': 'name: Alpha\napp_type: spa\nconnections: [Username-Password-Authentication]\n',
    };
    const connection = load(files).config?.desired.find((object) => object.kind === 'connection');
    expect(connection).toEqual({
      kind: 'connection',
      key: 'Username-Password-Authentication',
      fields: { name: 'Username-Password-Authentication', strategy: 'auth0', enabled_clients: ['Alpha', 'Beta'] },
      at: { file: 'tenant/connections/db.yaml', line: 1, column: 7 },
    });
  });

  describe('on disk', () => {
    const root = mkdtempSync(join(tmpdir(), 'tenantctl-config-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('lists files sorted and hashes content and environment, not the folder location', () => {
      const write = (dir: string, description: string) => {
        mkdirSync(join(dir, 'applications'), { recursive: true });
        writeFileSync(join(dir, 'tenant.yaml'), `${TENANT_YAML}default_environment: prod\n`);
        writeFileSync(join(dir, 'applications', 'p.yaml'), `name: P\napp_type: spa\ndescription: ${description}\n`);
      };
      write(join(root, 'one'), 'same');
      write(join(root, 'two'), 'same');
      write(join(root, 'three'), 'different');
      const one = loadConfig({ dir: join(root, 'one'), processEnv: {} }).config!;
      expect(one.files).toEqual([join(root, 'one', 'applications', 'p.yaml'), join(root, 'one', 'tenant.yaml')]);
      expect(one.configHash).toMatch(/^[0-9a-f]{64}$/);
      expect(loadConfig({ dir: join(root, 'two'), processEnv: {} }).config?.configHash).toBe(one.configHash);
      expect(loadConfig({ dir: join(root, 'three'), processEnv: {} }).config?.configHash).not.toBe(one.configHash);
      expect(loadConfig({ dir: join(root, 'one'), env: 'dev', processEnv: {} }).config?.configHash).not.toBe(one.configHash);
    });

    it('reports a missing directory as a diagnostic', () => {
      expect(loadConfig({ dir: join(root, 'missing') }).diagnostics).toMatchObject([{ rule: 'no-directory' }]);
    });

    it('warns about YAML it does not read', () => {
      const dir = join(root, 'stray');
      mkdirSync(join(dir, 'application'), { recursive: true });
      writeFileSync(join(dir, 'tenant.yaml'), 'environments:\n  dev:\n    domain: d.us.auth0.com\n');
      writeFileSync(join(dir, 'application', 'p.yaml'), 'name: P\n');
      const { diagnostics, config } = loadConfig({ dir, processEnv: {} });
      expect(config).toBeDefined();
      expect(diagnostics).toMatchObject([{ severity: 'warning', rule: 'unexpected-file', at: { file: join(dir, 'application') } }]);
    });
  });
});
