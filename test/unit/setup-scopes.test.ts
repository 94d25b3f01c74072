// The setup texts ask for the exact Management API scopes tenantctl needs (issue 12): the options scopes Auth0
// requires for connection options, and the read-only set that is enough for plan and the drift check.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const READ_ONLY = 'read:clients read:connections read:connections_options read:resource_servers read:client_grants read:tenant_settings';
const flat = (text: string): string => text.replace(/\n#?\s*/g, ' ').replace(/\s+/g, ' ');

describe('setup scopes', () => {
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
});
