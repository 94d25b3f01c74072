// The JSON other tools read (plan --format json, apply --report, validate --format json) against the
// schemas published in schemas/: real outputs of the built CLI, with creates, updates, deletes and skips.
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaProblems } from '../support/output-schema.js';
import { copyRepoTenant, envFor, runCli, REPO_TENANT } from '../support/cli.js';
import { emulatorPerTest } from '../support/emulator.js';

const startEmulator = emulatorPerTest();
const BROKEN = join(REPO_TENANT, '..', 'test', 'fixtures', 'validate', 'broken');

describe('published output schemas', () => {
  it('validate --format json matches schemas/validate-output.schema.json, clean and broken', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tenantctl-schemas-'));
    try {
      const clean = await runCli(['validate', '--dir', REPO_TENANT, '--format', 'json'], { cwd });
      expect(clean.code, clean.stderr).toBe(0);
      const broken = await runCli(['validate', '--dir', BROKEN, '--format', 'json'], { cwd });
      expect(broken.code).toBe(1);
      for (const run of [clean, broken]) expect(schemaProblems('validate-output.schema.json', JSON.parse(run.stdout))).toEqual([]);
      const document = JSON.parse(broken.stdout) as { format_version: number; summary: { errors: number }; diagnostics: { severity: string }[] };
      expect(document.format_version).toBe(1);
      expect(document.summary.errors).toBe(document.diagnostics.filter((d) => d.severity === 'error').length);
      expect(document.summary.errors).toBeGreaterThan(0);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('plan --format json and apply --report match their schemas through create, update, delete and skip', async () => {
    const emulator = await startEmulator();
    const dir = copyRepoTenant('tenantctl-schemas-');
    const env = envFor(emulator);
    try {
      const creating = await runCli(['plan', '--format', 'json'], { cwd: dir, env });
      expect(creating.code, creating.stderr).toBe(0);
      const createPlan = JSON.parse(creating.stdout) as { format_version: number; changes: { action: string }[] };
      expect(createPlan.format_version).toBe(1);
      expect(createPlan.changes.map((c) => c.action)).toContain('create');
      expect(schemaProblems('plan-output.schema.json', createPlan)).toEqual([]);

      const applied = await runCli(['apply', '--auto-approve', '--report', 'created.json'], { cwd: dir, env });
      expect(applied.code, applied.stderr).toBe(0);
      const created = JSON.parse(readFileSync(join(dir, 'created.json'), 'utf8')) as { format_version: number; done: unknown[] };
      expect(created.format_version).toBe(1);
      expect(created.done.length).toBeGreaterThan(0);
      expect(schemaProblems('apply-report.schema.json', created)).toEqual([]);

      const portal = join(dir, 'tenant', 'applications', 'partner-portal.yaml');
      writeFileSync(portal, readFileSync(portal, 'utf8').replace('${PARTNER_PORTAL_URL}/callback', '${PARTNER_PORTAL_URL}/auth/callback'));
      unlinkSync(join(dir, 'tenant', 'applications', 'partner-dashboard.yaml'));
      const changing = await runCli(['plan', '--format', 'json'], { cwd: dir, env });
      const changePlan = JSON.parse(changing.stdout) as { changes: { action: string; fields: { added?: unknown[] }[] }[] };
      expect(changePlan.changes.map((c) => c.action)).toEqual(expect.arrayContaining(['update', 'delete']));
      expect(changePlan.changes.some((c) => c.fields.some((f) => f.added !== undefined))).toBe(true);
      expect(schemaProblems('plan-output.schema.json', changePlan)).toEqual([]);

      const partial = await runCli(['apply', '--auto-approve', '--report', 'partial.json'], { cwd: dir, env });
      expect(partial.code).toBe(1);
      const report = JSON.parse(readFileSync(join(dir, 'partial.json'), 'utf8')) as { skipped: unknown[]; done: unknown[] };
      expect(report.skipped.length).toBeGreaterThan(0);
      expect(report.done.length).toBeGreaterThan(0);
      expect(schemaProblems('apply-report.schema.json', report)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the strict check notices a field the schema does not describe', () => {
    expect(schemaProblems('apply-report.schema.json', { format_version: 1, environment: 'dev', domain: 'x', done: [], failed: [], skipped: [], summary: { added: 0, changed: 0, destroyed: 0 }, extra: 1 })).toEqual([
      'undescribed field /extra',
    ]);
    expect(schemaProblems('apply-report.schema.json', { format_version: 2 }).length).toBeGreaterThan(0);
  });
});
