// Applying a generated 500-object tenant through 20% injected 500/503/dropped connections (half of
// them after the write landed) and the enterprise rate limit: converged in at most three runs, no duplicates.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { startTestEmulator } from '../support/emulator.js';
import { writeGeneratedTenant, type GeneratedTenant } from './generate.js';
import { canaryHits, clientSecretCanaries, envFor, hasStackTrace, recordFigures, runCli, type CliRun } from './support.js';

const MAX_APPLY_RUNS = 3;
const FAULT_RATE = 0.2;
// Above what the bucket refills (16/s) so bursts still run into 429s; higher only adds waiting, not coverage.
const CONCURRENCY = '8';

let emulator: RunningEmulator;
let work: string;
let declared: GeneratedTenant;
const runs: CliRun[] = [];
let applyRuns = 0;
let converged = false;
let finalPlan: CliRun | undefined;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tenantctl-reliability-faults-'));
  declared = writeGeneratedTenant(join(work, 'tenant'));
  emulator = await startTestEmulator({ faultRate: FAULT_RATE, faultSeed: 20240917, rateLimit: 'enterprise' });

  for (let attempt = 1; attempt <= MAX_APPLY_RUNS && !converged; attempt++) {
    const apply = await runCli(['apply', '--auto-approve', '--concurrency', CONCURRENCY, '--report', `report-${attempt}.json`], {
      cwd: work,
      env: envFor(emulator),
      timeoutMs: 150_000,
    });
    runs.push(apply);
    applyRuns = attempt;
    const check = await runCli(['plan', '--detailed-exitcode'], { cwd: work, env: envFor(emulator), timeoutMs: 60_000 });
    runs.push(check);
    finalPlan = check;
    converged = check.code === 0;
  }
}, 600_000);

afterAll(async () => {
  const injected = emulator?.requests.filter((entry) => entry.fault !== undefined) ?? [];
  recordFigures('faults', {
    'objects declared': declared ? declared.applications.length + declared.apis.length + declared.grants.length + declared.connections.length : 0,
    'requests answered': emulator?.requests.length ?? 0,
    'faults injected': injected.length,
    'faults after the write landed': injected.filter((entry) => entry.fault?.endsWith('after write')).length,
    '429s answered': emulator?.requests.filter((entry) => entry.status === 429).length ?? 0,
    'apply runs to converge': converged ? applyRuns : `not converged after ${applyRuns}`,
    'duplicate objects': emulator ? duplicates(emulator).length : 'n/a',
    'runs (command: exit code, seconds)': runs.map((run) => `${run.args[0]}: ${run.code}, ${(run.ms / 1000).toFixed(1)}`).join(' / '),
  });
  await emulator?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Natural keys that occur more than once in the emulator's store, per kind. */
function duplicates(target: RunningEmulator): string[] {
  const repeated = (kind: string, keys: string[]): string[] => {
    const seen = new Set<string>();
    const twice = new Set<string>();
    for (const key of keys) (seen.has(key) ? twice : seen).add(key);
    return [...twice].map((key) => `${kind} ${key}`);
  };
  return [
    ...repeated('application', [...target.store.clients.all()].map((client) => String(client.name))),
    ...repeated('api', [...target.store.resourceServers.all()].map((api) => String(api.identifier))),
    ...repeated('connection', [...target.store.connections.all()].map((connection) => String(connection.name))),
    ...repeated('grant', [...target.store.clientGrants.all()].map((grant) => `${String(grant.client_id)} → ${String(grant.audience)}`)),
  ];
}

describe('apply under injected faults and rate limits', () => {
  it('the faults really happened: 500s, 503s and dropped connections, before and after writes, and 429s', () => {
    const faults = emulator.requests.map((entry) => entry.fault).filter((fault): fault is string => fault !== undefined);
    const kinds = new Set(faults.map((fault) => fault.replace(' after write', '')));
    expect(kinds).toEqual(new Set(['error-500', 'error-503', 'drop']));
    const writesHitAfterLanding = emulator.requests.filter((entry) => entry.method !== 'GET' && entry.fault?.endsWith('after write'));
    expect(writesHitAfterLanding.filter((entry) => entry.method === 'POST').length).toBeGreaterThan(5);
    expect(faults.length / emulator.requests.filter((entry) => entry.path.startsWith('/api/v2/')).length).toBeGreaterThan(0.1);
    expect(emulator.requests.some((entry) => entry.status === 429)).toBe(true);
  });

  it(`converges: plan --detailed-exitcode exits 0 ("No changes") after at most ${MAX_APPLY_RUNS} apply runs`, () => {
    const transcript = runs.map((run) => `$ tenantctl ${run.args.join(' ')} → ${run.code}${run.timedOut ? ' (timed out)' : ''}\n${run.stderr.slice(-1500)}`).join('\n');
    expect(converged, transcript).toBe(true);
    expect(finalPlan?.stdout).toMatch(/No changes/);
  });

  it('every apply run ended without a hang or a stack trace, and failures were reported, not thrown', () => {
    for (const run of runs) {
      expect(run.timedOut, run.args.join(' ')).toBe(false);
      expect(hasStackTrace(run.stdout + run.stderr), run.stderr).toBe(false);
      expect([0, 1, 2]).toContain(run.code);
    }
    const applies = runs.filter((run) => run.args[0] === 'apply');
    applies.forEach((run, index) => {
      // An apply with nothing left to do writes no report (see the suite's notes); every other one must.
      if (run.stdout.includes('Apply complete: 0 added, 0 changed, 0 destroyed.')) return;
      const report = JSON.parse(readFileSync(join(work, `report-${index + 1}.json`), 'utf8')) as Record<string, unknown>;
      expect(Object.keys(report)).toEqual(expect.arrayContaining(['done', 'failed', 'skipped']));
    });
    expect(applies[0]?.stdout).not.toContain('Apply complete: 0 added');
  });

  it('no object exists twice: names, identifiers and (client, audience) pairs are unique in the emulator', () => {
    expect(duplicates(emulator)).toEqual([]);
  });

  it('everything the config declares exists, with its grants and connection enablements', () => {
    const store = emulator.store;
    const clientIdByName = new Map([...store.clients.all()].map((client) => [String(client.name), String(client.client_id)]));
    expect(declared.applications.filter((name) => !clientIdByName.has(name))).toEqual([]);
    const identifiers = new Set([...store.resourceServers.all()].map((api) => String(api.identifier)));
    expect(declared.apis.filter((identifier) => !identifiers.has(identifier))).toEqual([]);
    const connectionIdByName = new Map([...store.connections.all()].map((connection) => [String(connection.name), String(connection.id)]));
    expect(declared.connections.filter((name) => !connectionIdByName.has(name))).toEqual([]);
    const grantPairs = new Set([...store.clientGrants.all()].map((grant) => `${String(grant.client_id)} ${String(grant.audience)}`));
    expect(declared.grants.filter((grant) => !grantPairs.has(`${clientIdByName.get(grant.application) ?? '?'} ${grant.audience}`))).toEqual([]);
    const enabled = declared.connections.reduce((sum, name) => sum + store.enabledClients(connectionIdByName.get(name) ?? '').length, 0);
    expect(enabled).toBe(declared.enablements);
  });

  it('no client secret or access token of the run appears in what the CLI printed or wrote', () => {
    const canaries = clientSecretCanaries(emulator);
    expect(canaries.size).toBeGreaterThan(declared.applications.length);
    const reports = Array.from({ length: applyRuns }, (_, i) => join(work, `report-${i + 1}.json`))
      .filter((path) => existsSync(path))
      .map((path) => readFileSync(path, 'utf8'));
    expect(reports.length).toBeGreaterThan(0);
    const printed = [...runs.flatMap((run) => [run.stdout, run.stderr]), ...reports].join('\n');
    expect(canaryHits(printed, canaries)).toEqual([]);
  });
});
