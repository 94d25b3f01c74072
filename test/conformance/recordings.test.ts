// Conformance of the emulator with real Auth0 traffic, by the project's one measure: the shared scorer
// (test/conformance/scorer/replay.mjs, vendored) replays every recorded interaction of the four families against a
// fresh emulator, and the rate it reports per family must stay at or above the floors below (see docs/EMULATOR.md).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestEmulator } from '../support/emulator.js';

/** In the repository (with provenance and licences beside it), so a plain clone runs this test with nothing beside it. */
const recordingsPath = fileURLToPath(new URL('../fixtures/fidelity/recordings.jsonl.gz', import.meta.url));
const scorerPath = fileURLToPath(new URL('./scorer/replay.mjs', import.meta.url));

/**
 * Floors per family and overall: the figures the scorer reaches today (docs/EMULATOR.md), rounded down a little so
 * that an unrelated change cannot flip the test, and raised whenever the figure rises. They may only go up.
 */
const floors: Record<string, number> = {
  clients: 64,
  connections: 53,
  'resource-servers': 61,
  'client-grants': 92,
  total: 58.5,
};

interface FamilyScore {
  replayed: number;
  matched: number;
  conformance: number;
}

interface ScorerReport {
  families: Record<string, FamilyScore>;
  total: FamilyScore;
  reasons: Array<{ reason: string; count: number }>;
}

const workDir = mkdtempSync(join(tmpdir(), 'tenantctl-conformance-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function runScorer(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // Asynchronous: the emulator answering the scorer runs in this process.
    execFile(process.execPath, [scorerPath, ...args], { env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('emulator conformance with recorded Auth0 traffic (shared scorer)', () => {
  it('reproduces the recorded interactions of every family at or above its floor', async () => {
    const recordings = join(workDir, 'recordings.jsonl');
    writeFileSync(recordings, gunzipSync(readFileSync(recordingsPath)));
    const reportPath = join(workDir, 'report.json');
    const emulator = await startTestEmulator();
    let run: { code: number; stdout: string; stderr: string };
    try {
      run = await runScorer([recordings, '--json', reportPath], {
        ...process.env,
        AUTH0_DOMAIN: emulator.domain,
        AUTH0_CLIENT_ID: emulator.clientId,
        AUTH0_CLIENT_SECRET: emulator.clientSecret,
        NODE_EXTRA_CA_CERTS: emulator.caCertPath,
      });
    } finally {
      await emulator.close();
    }
    console.log(run.stdout);
    expect(run.code, run.stderr).toBe(0);

    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as ScorerReport;
    const scores: Record<string, FamilyScore> = { ...report.families, total: report.total };
    // Every family was replayed, not merely set aside as depending on earlier tenant state.
    expect(report.total.replayed).toBeGreaterThan(1100);
    for (const family of Object.keys(report.families)) expect(scores[family]?.replayed, family).toBeGreaterThan(20);
    for (const [family, floor] of Object.entries(floors)) {
      expect(scores[family]?.conformance, `${family} conformance\n${run.stdout}`).toBeGreaterThanOrEqual(floor);
    }
  }, 120_000);
});
