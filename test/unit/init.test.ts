// `tenantctl init`'s files and how they are written: a valid tenant.yaml, workflows that use the
// composite action and pass the GitHub Actions schema, and no file overwritten without --force.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateExport } from '../../src/export/index.js';
import { exportedSettings, initFiles, parseEnvironmentFlag, type InitOptions } from '../../src/init/files.js';
import { performWrites, planWrites } from '../../src/init/write.js';
import { actionUseProblems, actionValidatorProblems } from '../support/actions.js';

const options: InitOptions = {
  environments: [
    { name: 'dev', domain: 'dev-acme.us.auth0.com' },
    { name: 'prod', domain: 'acme.us.auth0.com' },
  ],
  dir: 'tenant',
  schemaDir: '../node_modules/tenantctl/schemas',
  actionPath: './node_modules/tenantctl',
};
const dirs: string[] = [];
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tenantctl-init-unit-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const fileOf = (path: string) => initFiles(options).find((file) => file.path === path)!;

describe('init --env', () => {
  it('reads NAME=DOMAIN, accepting a pasted https:// URL', () => {
    expect(parseEnvironmentFlag('dev=https://dev-acme.us.auth0.com/')).toEqual({ name: 'dev', domain: 'dev-acme.us.auth0.com' });
  });

  it.each([
    ['dev', 'expected NAME=DOMAIN'],
    ['dev=', 'expected NAME=DOMAIN'],
    ['Prod=acme.us.auth0.com', '"Prod" is not an environment name'],
  ])('refuses %s with a clear message and exit 2', (value, message) => {
    expect(() => parseEnvironmentFlag(value)).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringContaining(message) }));
  });
});

describe('init files', () => {
  it('tenant.yaml declares every environment, the first as default, with a modeline into the installed package, and validates', () => {
    const text = fileOf('tenant/tenant.yaml').text;
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../node_modules/tenantctl/schemas/tenant.schema.json');
    expect(text).toContain('environments:\n  dev:\n    domain: dev-acme.us.auth0.com\n  prod:\n    domain: acme.us.auth0.com\ndefault_environment: dev\n');
    for (const env of ['dev', 'prod']) expect(validateExport('tenant', [{ path: 'tenant.yaml', text }], env)).toEqual([]);
  });

  it('keeps what an exported tenant.yaml says about the environment (allow_localhost), but not its domain', () => {
    const exported = 'environments:\n  dev:\n    domain: 127.0.0.1:8443\n    allow_localhost: true\ndefault_environment: dev\n';
    expect(exportedSettings(exported, 'dev')).toEqual({ allow_localhost: true });
    const text = initFiles({ ...options, environments: [{ name: 'dev', domain: 'dev-acme.us.auth0.com', settings: { allow_localhost: true } }] })[0]!.text;
    expect(text).toContain('  dev:\n    domain: dev-acme.us.auth0.com\n    allow_localhost: true\n');
  });

  it.each(['tenant-plan.yml', 'tenant-apply.yml', 'tenant-drift.yml'])('%s passes @action-validator/cli and uses the installed action with its inputs', (name) => {
    const file = fileOf(`.github/workflows/${name}`);
    const dir = project();
    writeFileSync(join(dir, name), file.text);
    expect(actionValidatorProblems(join(dir, name))).toEqual([]);
    const { uses, problems } = actionUseProblems(file.text, ['./node_modules/tenantctl']);
    expect(uses).toBe(1);
    expect(problems).toEqual([]);
    expect(file.text).toContain('matrix:\n        env: [dev, prod]');
    if (name !== 'tenant-drift.yml') expect(file.text).toContain("- 'tenant/**'");
  });
});

describe('writing init files', () => {
  it('never overwrites a file without --force, names every one it would, and writes nothing then', () => {
    const dir = project();
    mkdirSync(join(dir, 'tenant'));
    writeFileSync(join(dir, 'tenant', 'tenant.yaml'), 'environments: {}\n');
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(dir, '.github', 'workflows', 'tenant-plan.yml'), 'name: mine\n');
    expect(() => planWrites(dir, initFiles(options), false)).toThrow(
      expect.objectContaining({ exitCode: 2, message: 'init would overwrite tenant/tenant.yaml, .github/workflows/tenant-plan.yml; nothing was written' }),
    );
    const writes = planWrites(dir, initFiles(options), true);
    expect(writes.map((w) => `${w.outcome} ${w.path}`)).toEqual([
      'replaced tenant/tenant.yaml',
      'created .gitignore',
      'replaced .github/workflows/tenant-plan.yml',
      'created .github/workflows/tenant-apply.yml',
      'created .github/workflows/tenant-drift.yml',
      'created README.md',
    ]);
    performWrites(dir, writes);
    expect(readFileSync(join(dir, 'tenant', 'tenant.yaml'), 'utf8')).toBe(fileOf('tenant/tenant.yaml').text);
  });

  it('adds only the missing .gitignore lines and the README section once, keeping what was there', () => {
    const dir = project();
    writeFileSync(join(dir, '.gitignore'), 'node_modules/\n.env\n');
    writeFileSync(join(dir, 'README.md'), '# Acme\n\nOur app.\n');
    performWrites(dir, planWrites(dir, initFiles(options), false));
    const gitignore = readFileSync(join(dir, '.gitignore'), 'utf8');
    expect(gitignore.startsWith('node_modules/\n.env\n\n# tenantctl')).toBe(true);
    expect(gitignore.split('\n').filter((line) => line === '.env')).toHaveLength(1);
    expect(gitignore).toContain('.env.*\nplan.json\n*.plan.json\nreport.json\n');
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme.startsWith('# Acme\n\nOur app.\n\n## Auth0 tenant configuration\n')).toBe(true);

    const again = planWrites(dir, initFiles(options), false);
    expect(again.map((w) => w.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged', 'unchanged', 'unchanged']);
  });
});
