// Organizations through the built CLI against the emulator: validate catches an unknown connection, plan shows the
// organization, apply creates it with its enabled connection, the next plan is clean, --target narrows to it,
// export writes it back, and app add --organization ties a new application to it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { envFor, runCli } from '../support/cli.js';
import { startTestEmulator } from '../support/emulator.js';

let emulator: RunningEmulator;
let dir: string;

function write(relative: string, text: string): void {
  mkdirSync(join(dir, relative, '..'), { recursive: true });
  writeFileSync(join(dir, relative), text);
}

beforeAll(async () => {
  emulator = await startTestEmulator();
  dir = mkdtempSync(join(tmpdir(), 'tenantctl-orgs-'));
  write('tenant.yaml', 'environments:\n  dev:\n    domain: acme-dev.eu.auth0.com\n');
  write('connections/partners-db.yaml', 'name: partners-db\nstrategy: auth0\n');
  write('organizations/acme.yaml', 'name: acme\ndisplay_name: Acme Logistics\nenabled_connections:\n  - connection: partners-dbb\n');
});
afterAll(() => {
  emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('organizations through the CLI', () => {
  it('validate names an unknown connection with did-you-mean, at its line', async () => {
    const result = await runCli(['validate', '--dir', dir], { cwd: dir, env: {} });
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toMatch(/organizations\/acme\.yaml:4:\d+.*connection "partners-dbb" is not declared/);
    expect(result.stdout + result.stderr).toContain('did you mean "partners-db"?');
    write('organizations/acme.yaml', 'name: acme\ndisplay_name: Acme Logistics\nenabled_connections:\n  - connection: partners-db\n    assign_membership_on_login: true\n');
  });

  it('plans, applies, and plans again with no changes; --target narrows to the organization', async () => {
    const env = envFor(emulator);
    const plan = await runCli(['plan', '--dir', dir, '--target', 'organizations/acme'], { cwd: dir, env });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('+ organization "acme"');
    // The connection it enables is created first, so the narrowed plan keeps it.
    expect(plan.stdout).toContain('+ connection "partners-db"');
    expect(plan.stdout).toContain('Plan: 2 to add, 0 to change, 0 to destroy.');
    const applied = await runCli(['apply', '--dir', dir, '--auto-approve'], { cwd: dir, env });
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    const organization = emulator.store.organizations.getByName('acme');
    expect(emulator.store.organizations.connections(String(organization.id))).toEqual([
      expect.objectContaining({ assign_membership_on_login: true, connection: { name: 'partners-db', strategy: 'auth0' } }),
    ]);
    const again = await runCli(['plan', '--dir', dir, '--detailed-exitcode'], { cwd: dir, env });
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toContain('No changes');
  });

  it('export writes the organization back, and app add --organization requires the declared one', async () => {
    const out = join(dir, 'exported');
    const exported = await runCli(['export', '--out', out, '--domain', 'acme-dev.eu.auth0.com'], { cwd: dir, env: envFor(emulator) });
    expect(exported.code, exported.stderr).toBe(0);
    expect(readFileSync(join(out, 'organizations', 'acme.yaml'), 'utf8')).toContain('enabled_connections:\n  - connection: partners-db\n    assign_membership_on_login: true\n');
    const added = await runCli(['app', 'add', 'Acme Fleet', '--type', 'regular_web', '--callback', 'https://fleet.acme.example/callback', '--organization', 'acme', '--dir', dir], { cwd: dir, env: {} });
    expect(added.code, added.stderr).toBe(0);
    expect(readFileSync(join(dir, 'applications', 'acme-fleet.yaml'), 'utf8')).toContain('organization_usage: require');
  });
});
