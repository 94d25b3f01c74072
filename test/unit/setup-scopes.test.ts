// The setup texts ask for the exact Management API scopes tenantctl needs (issue 12), as src/model/scopes.ts
// defines them: the options scopes Auth0 requires for connection options, and the read-only set that is enough
// for plan and the drift check. The files `init` writes for other repositories say the same.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { initFiles } from '../../src/init/files.js';
import { ORGANIZATION_SCOPES, READ_SCOPES, WRITE_SCOPES } from '../../src/model/scopes.js';
import { KIND_SPECS } from '../../src/model/kinds.js';

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const READ_ONLY = READ_SCOPES.join(' ');
const flat = (text: string): string => text.replace(/\n#?\s*/g, ' ').replace(/\s+/g, ' ');
/** The scopes a text names, in order. */
const scopesIn = (text: string): string[] => text.match(/\b(?:read|create|update|delete):[a-z_]+/g) ?? [];

describe('setup scopes', () => {
  it('the lists hold both connection options scopes and only read scopes for reading', () => {
    expect(READ_SCOPES).toContain('read:connections_options');
    expect(WRITE_SCOPES).toContain('update:connections_options');
    expect(READ_SCOPES.every((scope) => scope.startsWith('read:'))).toBe(true);
  });

  it('README lists both connection options scopes for apply and the read-only set for plan and drift', () => {
    const setup = flat(read('README.md'));
    expect(setup).toContain('read:connections_options update:connections_options');
    expect(setup).toContain(READ_ONLY);
  });

  it.each(['tenant-plan.yml', 'tenant-drift.yml'])('%s names the read-only scopes', (file) => {
    expect(flat(read(`.github/workflows/${file}`))).toContain(READ_ONLY);
  });

  it('tenant-apply.yml names the options scopes too', () => {
    expect(flat(read('.github/workflows/tenant-apply.yml'))).toContain('read:connections_options update:connections_options');
  });

  it('the workflows and README section that init writes name exactly the scopes each needs', () => {
    const files = initFiles({ environments: [{ name: 'dev', domain: 'dev-acme.us.auth0.com' }], dir: 'tenant', schemaDir: '../node_modules/tenantctl/schemas', actionPath: './node_modules/tenantctl' });
    const text = (path: string) => files.find((file) => file.path === path)!.text;
    expect(scopesIn(text('.github/workflows/tenant-plan.yml'))).toEqual([...READ_SCOPES]);
    expect(scopesIn(text('.github/workflows/tenant-drift.yml'))).toEqual([...READ_SCOPES]);
    expect(new Set(scopesIn(text('.github/workflows/tenant-apply.yml')))).toEqual(new Set([...READ_SCOPES, ...WRITE_SCOPES]));
    expect(new Set(scopesIn(text('README.md')))).toEqual(new Set([...READ_SCOPES, ...WRITE_SCOPES]));
  });

  it('README names the organization scopes, the first of them being the one whose absence skips organizations', () => {
    expect(flat(read('README.md'))).toContain(ORGANIZATION_SCOPES.join(' '));
    expect(ORGANIZATION_SCOPES[0]).toBe(KIND_SPECS.organization.optionalReadScope);
  });
});
