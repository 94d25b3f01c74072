// `app add` in process: the file it writes per type, validity for `validate`, and every refusal.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { addApplication } from '../../src/onboard/app-add.js';
import { slugify, type NewApplication } from '../../src/onboard/app-file.js';
import { validateTenantDirectory } from '../../src/validate/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tenantctl-appadd-'));
  writeFileSync(
    join(dir, 'tenant.yaml'),
    ['environments:', '  dev:', '    domain: dev.example.auth0.com', '    allow_localhost: true', '  prod:', '    domain: prod.example.auth0.com', ''].join('\n'),
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function app(overrides: Partial<NewApplication>): NewApplication {
  return { name: 'Partner Portal', type: 'regular_web', callbacks: [], logoutUrls: [], origins: [], connections: [], grants: [], ...overrides };
}

function writtenYaml(file: string): Record<string, unknown> {
  return parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

describe('slugify', () => {
  it.each([
    ['Partner Portal', 'partner-portal'],
    ['  Acme  (Prod) App ', 'acme-prod-app'],
    ['Crème Brûlée', 'creme-brulee'],
  ])('%s -> %s', (name, slug) => expect(slugify(name)).toBe(slug));
});

describe('addApplication', () => {
  it('writes a regular_web file with the modeline and defaults, valid for validate', () => {
    const result = addApplication({ dir, app: app({ callbacks: ['https://partner.example.com/callback'], logoutUrls: ['https://partner.example.com/'] }) });
    expect(result.file).toBe(join(dir, 'applications', 'partner-portal.yaml'));
    const text = readFileSync(result.file!, 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schemas/application.schema.json');
    expect(writtenYaml(result.file!)).toEqual({
      name: 'Partner Portal',
      app_type: 'regular_web',
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_post',
      oidc_conformant: true,
      callbacks: ['https://partner.example.com/callback'],
      allowed_logout_urls: ['https://partner.example.com/'],
    });
    expect(validateTenantDirectory(dir).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('spa: no secret auth, origins to web_origins and allowed_origins', () => {
    const result = addApplication({
      dir,
      app: app({ name: 'Broker SPA', type: 'spa', callbacks: ['https://broker.example.com'], logoutUrls: ['https://broker.example.com'], origins: ['https://broker.example.com'] }),
    });
    expect(writtenYaml(result.file!)).toMatchObject({
      app_type: 'spa',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      web_origins: ['https://broker.example.com'],
      allowed_origins: ['https://broker.example.com'],
      allowed_logout_urls: ['https://broker.example.com'],
    });
  });

  it('native: public client', () => {
    const result = addApplication({ dir, app: app({ name: 'Mobile', type: 'native', callbacks: ['com.autoshares.app://callback'] }) });
    expect(writtenYaml(result.file!)).toMatchObject({ app_type: 'native', token_endpoint_auth_method: 'none', callbacks: ['com.autoshares.app://callback'] });
  });

  it('m2m: non_interactive with client_credentials and the requested grant', () => {
    mkdirSync(join(dir, 'apis'));
    writeFileSync(join(dir, 'apis', 'quotes.yaml'), 'identifier: https://api.example.com/quotes\nname: Quotes\nscopes:\n  - value: read:quotes\n    description: Read quotes\n');
    const result = addApplication({ dir, app: app({ name: 'Nightly Sync', type: 'm2m', grants: [{ api: 'https://api.example.com/quotes', scopes: ['read:quotes'] }] }) });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(writtenYaml(result.file!)).toEqual({
      name: 'Nightly Sync',
      app_type: 'non_interactive',
      grant_types: ['client_credentials'],
      grants: [{ api: 'https://api.example.com/quotes', scopes: ['read:quotes'] }],
    });
  });

  it('rejects a localhost callback for prod with the url-localhost rule, naming the environment, and writes nothing', () => {
    const result = addApplication({ dir, app: app({ callbacks: ['http://localhost:3000/callback'] }) });
    expect(result.file).toBeUndefined();
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ rule: 'url-localhost' });
    expect(result.diagnostics[0]!.message).toContain('environment prod');
    expect(existsSync(join(dir, 'applications'))).toBe(false);
  });

  it('accepts the same localhost callback when only dev is chosen', () => {
    const result = addApplication({ dir, env: 'dev', app: app({ callbacks: ['http://localhost:3000/callback'] }) });
    expect(result.file).toBeDefined();
  });

  it('gives the same rule and message as validate for a bad URL', () => {
    const bad = 'https://app.*.example.com/callback';
    const result = addApplication({ dir, env: 'dev', app: app({ callbacks: [bad] }) });
    expect(result.file).toBeUndefined();
    // The same URL written by hand is what validate reports on.
    mkdirSync(join(dir, 'applications'));
    writeFileSync(join(dir, 'applications', 'hand.yaml'), `name: Hand\napp_type: regular_web\ncallbacks:\n  - ${bad}\n`);
    const fromValidate = validateTenantDirectory(dir, { env: 'dev' }).diagnostics.filter((d) => d.rule === 'url-wildcard');
    expect(result.diagnostics.map((d) => [d.rule, d.message])).toEqual(fromValidate.map((d) => [d.rule, d.message]));
  });

  it('refuses an existing application name and an existing file', () => {
    addApplication({ dir, app: app({}) });
    expect(() => addApplication({ dir, app: app({}) })).toThrow(/already declared/);
    writeFileSync(join(dir, 'applications', 'other-app.yaml'), 'name: Different Name\napp_type: spa\n');
    expect(() => addApplication({ dir, app: app({ name: 'Other App' }) })).toThrow(/already exists/);
    expect(readFileSync(join(dir, 'applications', 'other-app.yaml'), 'utf8')).toContain('Different Name');
  });

  it('removes the file again when the validator finds an error it caused (unknown connection)', () => {
    const result = addApplication({ dir, app: app({ connections: ['no-such-connection'] }) });
    expect(result.file).toBeUndefined();
    expect(result.diagnostics.some((d) => d.severity === 'error' && d.message.includes('no-such-connection'))).toBe(true);
    expect(readdirSync(join(dir, 'applications'))).toEqual([]);
  });

  it('refuses flag combinations that make no sense', () => {
    expect(() => addApplication({ dir, app: app({ type: 'm2m', callbacks: ['https://x.example.com/cb'] }) })).toThrow(/m2m applications do not log users in/);
    expect(() => addApplication({ dir, app: app({ grants: [{ api: 'https://api.example.com', scopes: ['a'] }] }) })).toThrow(/only m2m/);
    expect(() => addApplication({ dir, app: app({ type: 'm2m', grants: [{ api: 'https://api.example.com', scopes: [] }] }) })).toThrow(/needs --scopes/);
    expect(() => addApplication({ dir: join(dir, 'nope'), app: app({}) })).toThrow(/does not exist/);
    expect(() => addApplication({ dir, env: 'staging', app: app({}) })).toThrow(/staging/);
  });
});

describe('addApplication with variables', () => {
  it('checks a URL after substituting the environment vars, per environment', () => {
    writeFileSync(
      join(dir, 'tenant.yaml'),
      ['environments:', '  dev:', '    domain: dev.example.auth0.com', '    allow_localhost: true', '    vars:', '      PORTAL: http://localhost:8000', '  prod:', '    domain: prod.example.auth0.com', '    vars:', '      PORTAL: https://portal.example.com', ''].join('\n'),
    );
    const ok = addApplication({ dir, app: app({ callbacks: ['${PORTAL}/callback'] }) });
    expect(ok.file).toBeDefined();
    expect(writtenYaml(ok.file!).callbacks).toEqual(['${PORTAL}/callback']);
    rmSync(ok.file!);
    writeFileSync(join(dir, 'tenant.yaml'), readFileSync(join(dir, 'tenant.yaml'), 'utf8').replace('https://portal.example.com', 'http://portal.example.com'));
    const bad = addApplication({ dir, app: app({ callbacks: ['${PORTAL}/callback'] }) });
    expect(bad.file).toBeUndefined();
    expect(bad.diagnostics.map((d) => d.rule)).toEqual(['url-https']);
    expect(bad.diagnostics[0]!.message).toContain('http://portal.example.com/callback');
  });
});

describe('addApplication --organization', () => {
  beforeEach(() => {
    mkdirSync(join(dir, 'organizations'));
    writeFileSync(join(dir, 'organizations', 'acme.yaml'), 'name: acme\ndisplay_name: Acme Logistics\n');
  });

  it('makes the application log its users in through a declared organization, and the file validates', () => {
    const result = addApplication({ dir, app: app({ callbacks: ['https://partner.example.com/callback'], organizations: ['acme'] }) });
    expect(writtenYaml(result.file!)).toMatchObject({ organization_usage: 'require', organization_require_behavior: 'pre_login_prompt' });
    expect(validateTenantDirectory(dir).diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
  });

  it('refuses an organization no file declares, with did-you-mean, and writes nothing', () => {
    expect(() => addApplication({ dir, app: app({ organizations: ['acne'] }) })).toThrow(/organization "acne" is not declared/);
    try {
      addApplication({ dir, app: app({ organizations: ['acne'] }) });
    } catch (error) {
      expect((error as { hint?: string }).hint).toBe('did you mean "acme"?');
    }
    expect(existsSync(join(dir, 'applications'))).toBe(false);
  });

  it('refuses it for an m2m application, which logs no user in', () => {
    expect(() => addApplication({ dir, app: app({ type: 'm2m', organizations: ['acme'] }) })).toThrow(/--organization does not apply/);
  });
});
