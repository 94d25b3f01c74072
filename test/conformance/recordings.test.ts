// Conformance of the emulator with real Auth0 traffic: replays every recorded scenario on a fresh emulator
// and requires the in-scope requests to get the answer Auth0 gave at the rate reached so far (see docs/EMULATOR.md).
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { familiesWithKeptDelete, loadRecordings, replayScenario, scenarios, scopeOf, summarize, type RowResult } from './replay.js';

/**
 * A ratchet at the target, 95% (reached: 95.6% = 1096/1146); it may only go up. The remaining
 * mismatches, by reason, are printed by this test and listed in docs/EMULATOR.md.
 */
const requiredRate = 0.95;

describe('emulator conformance with recorded Auth0 traffic', () => {
  it('answers at least 95% of the in-scope recorded requests as Auth0 did', async () => {
    const rows = loadRecordings();
    const results: RowResult[] = [];
    const keptDeletes = familiesWithKeptDelete(rows);
    for (const scenario of scenarios(rows).values()) results.push(...(await replayScenario(scenario, keptDeletes)));

    const report = summarize(results);
    console.log(report.text);
    // For investigating a drop in the rate: every mismatch with its request, Auth0's answer and the reason.
    const detailsPath = process.env.CONFORMANCE_DETAILS;
    if (detailsPath) {
      const mismatches = results.filter((result) => result.scope === 'in-scope' && !result.matched);
      writeFileSync(detailsPath, mismatches.map((result) => JSON.stringify({ reason: result.reason, detail: result.detail, seeded: result.seeded, ...result.row })).join('\n'));
    }

    expect(results).toHaveLength(rows.length);
    expect(report.inScope).toBe(rows.filter((row) => scopeOf(row) === 'in-scope').length);
    expect(report.inScope).toBeGreaterThan(1000);
    expect(report.rate, report.text).toBeGreaterThanOrEqual(requiredRate);
  }, 60_000);
});
