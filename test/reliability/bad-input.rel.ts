// Broken configurations through the built CLI: validate and plan each answer with file:line:col
// diagnostics and exit 1, never a stack trace or a hang, and plan sends no request to the tenant.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { startTestEmulator } from '../support/emulator.js';
import { brokenConfigs, writeBrokenConfig, type BrokenConfig } from './corpus.js';
import { envFor, hasStackTrace, recordFigures, runCli, type CliRun } from './support.js';

const RUN_TIMEOUT_MS = 30_000;
const corpus = brokenConfigs();
const slug = (index: number, entry: BrokenConfig): string =>
  `${String(index).padStart(2, '0')}-${entry.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;

let root: string;
let requestsSentByPlan = 0;
const outcomes: { entry: string; validate: CliRun; plan: CliRun }[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'tenantctl-reliability-corpus-'));
  corpus.forEach((entry, index) => {
    const dir = join(root, slug(index, entry));
    mkdirSync(dir);
    writeBrokenConfig(dir, entry);
  });
});

afterAll(async () => {
  const runs = outcomes.flatMap((outcome) => [outcome.validate, outcome.plan]);
  recordFigures('bad-input', {
    'corpus size': corpus.length,
    'CLI runs': runs.length,
    'exit 1 with file:line': outcomes.filter((outcome) => outcome.validate.code === 1 && outcome.plan.code === 1).length,
    'stack traces': runs.filter((run) => hasStackTrace(run.stdout + run.stderr)).length,
    hangs: runs.filter((run) => run.timedOut).length,
    'requests plan sent': requestsSentByPlan,
    'slowest run (s)': (Math.max(0, ...runs.map((run) => run.ms)) / 1000).toFixed(1),
  });
  if (root) rmSync(root, { recursive: true, force: true });
});

/** The diagnostic lines of a run that point into the entry's expected file, e.g. `dir/apis/api.yaml:3:5: error [...]`. */
function positionedErrors(run: CliRun, dir: string, file: string): string[] {
  const prefix = `${dir}/${file}`;
  return `${run.stdout}\n${run.stderr}`.split('\n').filter((line) => line.startsWith(prefix) && /^:\d+:\d+: error /.test(line.slice(prefix.length)));
}

describe('a corpus of broken configurations', () => {
  it('holds at least 50 entries', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(50);
  });

  describe.concurrent.each(corpus.map((entry, index) => ({ entry, dir: slug(index, entry) })))('$dir', ({ entry, dir }) => {
    it('validate and plan: exit 1, an error at file:line:col, no stack trace, no hang, no request', async () => {
      const validate = await runCli(['validate', '--dir', dir], { cwd: root, timeoutMs: RUN_TIMEOUT_MS });
      // An emulator of its own per entry, so its request log holds exactly what this plan sent.
      const emulator: RunningEmulator = await startTestEmulator();
      const plan = await runCli(['plan', '--dir', dir], { cwd: root, env: envFor(emulator), timeoutMs: RUN_TIMEOUT_MS }).finally(() => emulator.close());
      requestsSentByPlan += emulator.requests.length;
      outcomes.push({ entry: entry.name, validate, plan });
      for (const run of [validate, plan]) {
        const shown = `tenantctl ${run.args.join(' ')}\nstdout:\n${run.stdout.slice(0, 2000)}\nstderr:\n${run.stderr.slice(0, 2000)}`;
        expect(run.timedOut, shown).toBe(false);
        expect(hasStackTrace(run.stdout + run.stderr), shown).toBe(false);
        expect(run.code, shown).toBe(1);
        expect(positionedErrors(run, dir, entry.file), shown).not.toEqual([]);
      }
      expect(emulator.requests.map((entry) => `${entry.method} ${entry.path}`)).toEqual([]);
    });
  });
});
