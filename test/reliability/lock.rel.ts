// The tenant lock and interrupts under repetition: 20 rounds of two applies started together against one
// emulator (never a duplicate, never two writers), 10 seeded kill -9 trials that converge on the next apply,
// and Ctrl-C at a pseudo-terminal in the middle of a large apply.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RequestLogEntry, RunningEmulator } from '../../src/emulator/index.js';
import { seededRandom } from '../../src/emulator/seeded-random.js';
import { LOCK_API_IDENTIFIER } from '../../src/model/api.js';
import { isLockRequest, startTestEmulator } from '../support/emulator.js';
import { atTerminal } from '../support/terminal.js';
import { writeGeneratedTenant, type GeneratedTenant, type TenantSize } from './generate.js';
import { CLI, envFor, hasStackTrace, noteForSummary, recordFigures, runCli, type CliRun } from './support.js';

const work = mkdtempSync(join(tmpdir(), 'tenantctl-reliability-lock-'));
const emulators: RunningEmulator[] = [];
const figures: Record<string, number | string> = {};
afterAll(async () => {
  recordFigures('lock', figures);
  await Promise.all(emulators.map((emulator) => emulator.close()));
  rmSync(work, { recursive: true, force: true });
});

async function emulator(options: Parameters<typeof startTestEmulator>[0] = {}): Promise<RunningEmulator> {
  const started = await startTestEmulator(options);
  emulators.push(started);
  return started;
}

const WRITE_METHODS = new Set(['POST', 'PATCH', 'DELETE']);
const isObjectWrite = (target: RunningEmulator, entry: RequestLogEntry) =>
  WRITE_METHODS.has(entry.method) && entry.path.startsWith('/api/v2/') && !isLockRequest(target, entry);

/** Natural keys that occur more than once in the emulator, per kind. */
function duplicates(target: RunningEmulator): string[] {
  const repeated = (kind: string, keys: string[]) => {
    const seen = new Set<string>();
    return keys.filter((key) => (seen.has(key) ? true : (seen.add(key), false))).map((key) => `${kind} ${key}`);
  };
  return [
    ...repeated('application', [...target.store.clients.all()].map((c) => String(c.name))),
    ...repeated('api', [...target.store.resourceServers.all()].map((a) => String(a.identifier))),
    ...repeated('connection', [...target.store.connections.all()].map((c) => String(c.name))),
    ...repeated('grant', [...target.store.clientGrants.all()].map((g) => `${String(g.client_id)} → ${String(g.audience)}`)),
  ];
}

/** Declared objects the emulator does not hold. */
function missing(target: RunningEmulator, declared: GeneratedTenant): string[] {
  const apps = new Set([...target.store.clients.all()].map((c) => String(c.name)));
  const apis = new Set([...target.store.resourceServers.all()].map((a) => String(a.identifier)));
  const connections = new Set([...target.store.connections.all()].map((c) => String(c.name)));
  return [
    ...declared.applications.filter((name) => !apps.has(name)),
    ...declared.apis.filter((identifier) => !apis.has(identifier)),
    ...declared.connections.filter((name) => !connections.has(name)),
  ];
}

/**
 * Replays the request log: a lock is held from its create (201) to its delete; returns the violations of
 * "one writer at a time": a second lock taken while one is held, or an object write while none is.
 */
function writerViolations(target: RunningEmulator): string[] {
  const violations: string[] = [];
  let held = 0;
  for (const [index, entry] of target.requests.entries()) {
    if (isLockRequest(target, entry)) {
      if (entry.method === 'POST' && entry.status === 201) held++;
      if (entry.method === 'DELETE' && entry.status < 300) held--;
      if (held > 1) violations.push(`#${index}: a second lock was taken while one was held`);
    } else if (isObjectWrite(target, entry) && held !== 1) {
      violations.push(`#${index} ${entry.method} ${entry.path}: written while ${held} locks were held`);
    }
  }
  return violations;
}

describe('two applies started together, 20 rounds against one emulator', () => {
  const ROUNDS = 20;
  const PER_ROUND = 6;
  const rounds: Array<{ codes: number[]; runs: CliRun[] }> = [];
  let target: RunningEmulator;

  it('each round: one writer applies, the other applies nothing or is refused at once naming the holder', async () => {
    // Answers slow enough that each apply lasts longer than the gap between starting two processes.
    target = await emulator({ latencyMs: 150 });
    const dir = join(work, 'race');
    writeGeneratedTenant(join(dir, 'tenant'), { applications: 12, apis: 3, grants: 6, connections: 2 }, 16);
    for (let round = 0; round < ROUNDS; round++) {
      // Each round declares new applications, so every round has writes to race for.
      for (let k = 0; k < PER_ROUND; k++) {
        writeFileSync(join(dir, 'tenant', 'applications', `race-${round}-${k}.yaml`), `name: "Race App ${round}-${k}"\napp_type: spa\ncallbacks: ["https://race.example.com/${round}/${k}"]\n`);
      }
      const runs = await Promise.all([0, 1].map(() => runCli(['apply', '--auto-approve', '--concurrency', '2'], { cwd: dir, env: envFor(target), timeoutMs: 90_000 })));
      rounds.push({ codes: runs.map((run) => run.code), runs });
      for (const run of runs) {
        expect(run.timedOut).toBe(false);
        expect(hasStackTrace(run.stdout + run.stderr), run.stderr).toBe(false);
        expect([0, 1]).toContain(run.code);
        if (run.code === 1) expect(run.stderr).toMatch(/nothing was written: the tenant is locked by another apply, \S+ on \S+ \(tenantctl apply, process \d+\)/);
      }
      expect(runs.some((run) => run.code === 0)).toBe(true);
    }
    figures['concurrent rounds'] = ROUNDS;
    figures['rounds where the second apply was refused by the lock'] = rounds.filter((r) => r.codes.includes(1)).length;
    figures['rounds where the second apply came after the first and found nothing to do'] = rounds.filter((r) => !r.codes.includes(1)).length;
    // The two really raced: in most rounds the second one found the first holding the lock.
    expect(rounds.filter((r) => r.codes.includes(1)).length).toBeGreaterThanOrEqual(ROUNDS / 2);
  }, 600_000);

  it('never a duplicate, never two writers, every declared object present and the lock released', async () => {
    expect(duplicates(target)).toEqual([]);
    const violations = writerViolations(target);
    figures['concurrent rounds: duplicates'] = duplicates(target).length;
    figures['concurrent rounds: writes outside a single held lock'] = violations.length;
    expect(violations).toEqual([]);
    const names = new Set([...target.store.clients.all()].map((c) => String(c.name)));
    for (let round = 0; round < ROUNDS; round++) for (let k = 0; k < PER_ROUND; k++) expect(names.has(`Race App ${round}-${k}`)).toBe(true);
    expect([...target.store.resourceServers.all()].filter((api) => api.identifier === LOCK_API_IDENTIFIER)).toEqual([]);
  });
});

describe('kill -9 at a random moment of an apply, 10 seeded trials', () => {
  const TRIALS = 10;
  const LOCK_TTL_SECONDS = 4;
  const SIZE: TenantSize = { applications: 60, apis: 8, grants: 24, connections: 4 };
  const random = seededRandom(20261130);
  const results: Array<{ killedAfter: number; lockLeft: boolean; handledBy: string; reruns: number; converged: boolean; duplicates: number; missing: number }> = [];

  /** Starts an apply and kills it with SIGKILL once the emulator has answered `after` requests of it. */
  function applyKilledAfter(target: RunningEmulator, cwd: string, after: number): Promise<void> {
    const from = target.requests.length;
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, 'apply', '--auto-approve', '--concurrency', '4', '--lock-ttl', String(LOCK_TTL_SECONDS)], {
        cwd,
        env: { ...process.env, ...envFor(target), NO_COLOR: '1' },
        stdio: 'ignore',
      });
      const watch = setInterval(() => {
        if (target.requests.length - from >= after) child.kill('SIGKILL');
      }, 1);
      child.on('close', () => {
        clearInterval(watch);
        resolve();
      });
    });
  }

  it('every trial converges on the next apply: no duplicate, nothing lost, the stale lock handled', async () => {
    // How many requests a whole apply of such a tenant takes, so kill points cover all of it: taking the
    // lock, reading, every phase of writes, releasing.
    const whole = await emulator({ latencyMs: 5 });
    writeGeneratedTenant(join(work, 'kill-calibration', 'tenant'), SIZE, 99);
    const full = await runCli(['apply', '--auto-approve', '--concurrency', '4'], { cwd: join(work, 'kill-calibration'), env: envFor(whole), timeoutMs: 120_000 });
    expect(full.code, full.stderr).toBe(0);
    const requestsOfWholeApply = whole.requests.length;
    figures['kill -9 trials: requests of a whole apply'] = requestsOfWholeApply;
    for (let trial = 0; trial < TRIALS; trial++) {
      const target = await emulator({ latencyMs: 5 });
      const cwd = join(work, `kill-${trial}`);
      const declared = writeGeneratedTenant(join(cwd, 'tenant'), SIZE, 100 + trial);
      // Trial i kills within the i-th tenth of the apply, at a seeded point: from taking the lock to releasing it.
      const killedAfter = 1 + Math.floor(((trial + random()) * requestsOfWholeApply) / TRIALS);
      await applyKilledAfter(target, cwd, killedAfter);
      const lockLeft = [...target.store.resourceServers.all()].some((api) => api.identifier === LOCK_API_IDENTIFIER);
      let handledBy = 'no lock left';
      if (lockLeft) {
        const refused = await runCli(['apply', '--auto-approve'], { cwd, env: envFor(target) });
        // The next apply is refused, naming the holder, unless the lock already expired (a slow machine).
        if (refused.code === 1) {
          expect(refused.stderr).toMatch(/locked by another apply, .* \(tenantctl apply, process \d+\)/);
          if (trial % 2 === 0) {
            const unlock = await runCli(['unlock', '--force'], { cwd, env: envFor(target) });
            expect(unlock.code, unlock.stderr).toBe(0);
            handledBy = 'unlock --force';
          } else {
            await new Promise((resolve) => setTimeout(resolve, LOCK_TTL_SECONDS * 1000 + 200));
            handledBy = 'expiry, taken over';
          }
        } else {
          expect(refused.stderr).toContain('Took over an expired tenant lock');
          handledBy = 'expiry, taken over';
        }
      }
      let reruns = 0;
      let converged = false;
      for (; reruns < 3 && !converged; reruns++) {
        const apply = await runCli(['apply', '--auto-approve', '--concurrency', '4'], { cwd, env: envFor(target), timeoutMs: 120_000 });
        expect(hasStackTrace(apply.stdout + apply.stderr), apply.stderr).toBe(false);
        const plan = await runCli(['plan', '--detailed-exitcode'], { cwd, env: envFor(target) });
        converged = plan.code === 0;
      }
      results.push({ killedAfter, lockLeft, handledBy, reruns, converged, duplicates: duplicates(target).length, missing: missing(target, declared).length });
      await target.close();
      emulators.splice(emulators.indexOf(target), 1);
    }
    figures['kill -9 trials'] = TRIALS;
    figures['kill -9 trials: killed after N requests'] = results.map((r) => r.killedAfter).join(', ');
    figures['kill -9 trials: lock left behind'] = results.filter((r) => r.lockLeft).length;
    figures['kill -9 trials: stale lock handled by'] = results.map((r) => r.handledBy).join(' / ');
    figures['kill -9 trials: converged (applies needed)'] = `${results.filter((r) => r.converged).length} of ${TRIALS} (${results.map((r) => r.reruns).join(', ')})`;
    figures['kill -9 trials: duplicates / missing objects'] = `${results.reduce((n, r) => n + r.duplicates, 0)} / ${results.reduce((n, r) => n + r.missing, 0)}`;
    expect(results.every((r) => r.converged && r.reruns === 1), JSON.stringify(results)).toBe(true);
    expect(results.filter((r) => r.duplicates > 0 || r.missing > 0)).toEqual([]);
  }, 600_000);
});

describe('Ctrl-C at a pseudo-terminal during a large apply', () => {
  const SIZE: TenantSize = { applications: 80, apis: 10, grants: 30, connections: 4 };

  it('first Ctrl-C: writes in flight finish and are reported, no new one starts, the lock is released, exit 130; the next apply converges', async () => {
    const target = await emulator({ latencyMs: 60 });
    const cwd = join(work, 'interrupt');
    const declared = writeGeneratedTenant(join(cwd, 'tenant'), SIZE, 7);
    const run = await atTerminal(
      ['apply', '--concurrency', '4', '--report', 'report.json'],
      [
        { after: "Only 'yes' will be accepted", keys: 'yes\n' },
        // Well into the applications phase: at least 40 changes finished (the counter may skip values).
        { after: /\[(?:[4-9]\d|\d{3,})\/\d+\] /, keys: '\x03' },
      ],
      cwd,
      envFor(target),
    );
    expect(run.code, run.screen.slice(-2000)).toBe(130);
    expect(run.screen).toContain('Interrupted (SIGINT)');
    expect(run.screen).toMatch(/Apply incomplete: \d+ added/);
    const notStarted = Number(/Stopped early \(interrupted by SIGINT\): (\d+) changes not started/.exec(run.screen)?.[1]);
    expect(notStarted).toBeGreaterThan(0);
    const report = JSON.parse(readFileSync(join(cwd, 'report.json'), 'utf8')) as { done: { requests: number }[]; failed: unknown[]; skipped: { why: string }[] };
    // Every write the tenant received is in the report as done: the ones in flight at Ctrl-C finished.
    const written = target.requests.filter((entry) => isObjectWrite(target, entry)).length;
    expect(report.failed).toEqual([]);
    expect(report.done.reduce((n, d) => n + d.requests, 0)).toBe(written);
    expect(report.done.length).toBeGreaterThanOrEqual(40);
    expect(report.skipped.filter((s) => s.why === 'not started: interrupted by SIGINT')).toHaveLength(notStarted);
    expect([...target.store.resourceServers.all()].some((api) => api.identifier === LOCK_API_IDENTIFIER)).toBe(false);

    const again = await runCli(['apply', '--auto-approve', '--concurrency', '8'], { cwd, env: envFor(target), timeoutMs: 120_000 });
    expect(again.code, again.stderr).toBe(0);
    expect((await runCli(['plan', '--detailed-exitcode'], { cwd, env: envFor(target) })).code).toBe(0);
    expect(duplicates(target)).toEqual([]);
    expect(missing(target, declared)).toEqual([]);
    figures['Ctrl-C at a terminal: changes done / not started (then converged)'] = `${report.done.length} / ${notStarted}`;
  }, 300_000);

  it('a second Ctrl-C exits at once with 130, leaving the lock for unlock', async () => {
    const target = await emulator({ latencyMs: 500 });
    const cwd = join(work, 'interrupt-twice');
    writeGeneratedTenant(join(cwd, 'tenant'), SIZE, 8);
    const started = Date.now();
    let typedAt = 0;
    const run = await atTerminal(
      ['apply', '--concurrency', '4'],
      [
        { after: "Only 'yes' will be accepted", keys: 'yes\n' },
        { after: /\[(?:[89]|\d{2,})\/\d+\] /, keys: '\x03' },
        { after: 'Press Ctrl-C again', keys: '\x03' },
      ],
      cwd,
      envFor(target),
    );
    typedAt = Date.now() - started;
    expect(run.code, run.screen.slice(-3000)).toBe(130);
    expect(run.screen).toContain('Stopped at once (SIGINT)');
    expect([...target.store.resourceServers.all()].some((api) => api.identifier === LOCK_API_IDENTIFIER)).toBe(true);
    const unlock = await runCli(['unlock', '--force'], { cwd, env: envFor(target) });
    expect(unlock.code).toBe(0);
    figures['second Ctrl-C: seconds from start to exit'] = (typedAt / 1000).toFixed(1);
  }, 300_000);
});

describe('the lock under every undeclared policy', () => {
  it('a plan never deletes nor changes it: ignore, managed, all', async () => {
    const target = await emulator();
    const { lockApiBody, newHolder } = await import('../../src/lock/holder.js');
    target.seed('resourceServers', [lockApiBody(newHolder({ who: 'x', where: 'y', run: 'z', token: 't' }, Date.now() - 3_600_000, 1000))]);
    for (const policy of ['ignore', 'managed', 'all']) {
      const cwd = join(work, `policy-${policy}`);
      writeGeneratedTenant(join(cwd, 'tenant'), { applications: 2, apis: 1, grants: 1, connections: 1 }, 3);
      writeFileSync(join(cwd, 'tenant', 'tenant.yaml'), `environments:\n  dev:\n    domain: reliability-dev.us.auth0.com\ndefault_environment: dev\nundeclared:\n  applications: ${policy}\n  connections: ${policy}\n  apis: ${policy}\n`);
      const plan = await runCli(['plan', '--format', 'json'], { cwd, env: envFor(target) });
      expect(plan.code, plan.stderr).toBe(0);
      expect(plan.stdout).not.toContain(LOCK_API_IDENTIFIER);
      expect(plan.stderr).toContain('left the tenant lock behind');
    }
    noteForSummary('The lock API (urn:tenantctl:lock) was planned by none of the undeclared policies ignore, managed and all.');
  });
});
