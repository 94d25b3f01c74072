// The tenant lock through the built CLI: two applies at once, a lock left by a dead apply (live or expired),
// `unlock`, `plan` never taking it, the lock never planned or exported, and SIGINT/SIGTERM during an apply.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { lockApiBody, newHolder } from '../../src/lock/holder.js';
import { LOCK_API_IDENTIFIER } from '../../src/model/api.js';
import { CLI, copyRepoTenant, envFor, lockWritesSince, runCli, STACK_TRACE, writesSince } from '../support/cli.js';
import { emulatorPerTest } from '../support/emulator.js';
import { atTerminal } from '../support/terminal.js';

const start = emulatorPerTest();
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tenantDir(): string {
  const dir = copyRepoTenant('tenantctl-lock-');
  dirs.push(dir);
  return dir;
}

const MINUTE = 60_000;
const alice = { who: 'alice', where: 'alice-laptop', run: 'tenantctl apply, process 4242', token: '0123456789abcdef' };
/** Puts a lock in the tenant as an apply by alice that took it `ageMs` ago with the given lifetime would have. */
function leaveLock(emulator: RunningEmulator, ageMs: number, ttlMs: number): void {
  emulator.seed('resourceServers', [lockApiBody(newHolder(alice, Date.now() - ageMs, ttlMs))]);
}
const locks = (emulator: RunningEmulator) => [...emulator.store.resourceServers.all()].filter((api) => api.identifier === LOCK_API_IDENTIFIER);
const names = (emulator: RunningEmulator) => [...emulator.store.clients.all()].map((client) => String(client.name));

describe('two applies at once', () => {
  it('while one applies, a second exits 1 at once naming the holder, having written nothing; no duplicates', async () => {
    const emulator = await start({ latencyMs: 200 });
    const cwd = tenantDir();
    const first = runCli(['apply', '--auto-approve', '--concurrency', '1'], { cwd, env: envFor(emulator) });
    while (locks(emulator).length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await runCli(['apply', '--auto-approve'], { cwd, env: envFor(emulator) });
    // Refused while the first one still holds the lock: it did not wait for it.
    expect(locks(emulator)).toHaveLength(1);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/error: nothing was written: the tenant is locked by another apply, \S+ on \S+ \(tenantctl apply, process \d+\), since \d{4}-\d\d-\d\dT/);
    expect(second.stderr).toContain('hint: wait for that apply to finish');
    expect(second.stdout).toBe('');
    expect(second.stderr).not.toMatch(STACK_TRACE);
    const winner = await first;
    expect(winner.code, winner.stderr).toBe(0);
    // Eight writes, as one apply of the example makes: the second made none.
    expect(writesSince(emulator, 0)).toHaveLength(8);
    expect(names(emulator).filter((name) => name.startsWith('AutoShares'))).toHaveLength(3);
    expect(new Set(names(emulator)).size).toBe(names(emulator).length);
    expect(locks(emulator)).toEqual([]);
    const lockWrites = lockWritesSince(emulator, 0).map((entry) => `${entry.method} ${entry.status}`);
    expect(lockWrites.filter((w) => !w.startsWith('PATCH')).sort()).toEqual(['DELETE 204', 'POST 201', 'POST 409']);
  });
});

describe('a lock left in the tenant', () => {
  it('while it has not expired: apply refuses naming its holder, plan says an apply is in progress and takes nothing', async () => {
    const emulator = await start();
    const cwd = tenantDir();
    leaveLock(emulator, 2 * MINUTE, 5 * MINUTE);
    const apply = await runCli(['apply', '--auto-approve'], { cwd, env: envFor(emulator) });
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('the tenant is locked by another apply, alice on alice-laptop (tenantctl apply, process 4242), since');
    expect(apply.stderr).toMatch(/\(2 min ago\); it expires in 3 min unless its holder renews it/);
    expect(apply.stderr).toContain('`tenantctl unlock`');
    expect(writesSince(emulator, 0)).toEqual([]);
    expect(lockWritesSince(emulator, 0).map((entry) => `${entry.method} ${entry.status}`)).toEqual(['POST 409']);

    const from = emulator.requests.length;
    const plan = await runCli(['plan'], { cwd, env: envFor(emulator) });
    expect(plan.code).toBe(0);
    expect(plan.stderr).toContain('note: an apply is in progress: alice on alice-laptop (tenantctl apply, process 4242)');
    expect(plan.stdout).not.toContain(LOCK_API_IDENTIFIER);
    expect(emulator.requests.slice(from).filter((entry) => entry.method !== 'GET' && entry.path.startsWith('/api/v2/'))).toEqual([]);
    expect(locks(emulator)).toHaveLength(1);
  });

  it('once expired: the next apply takes it over, says so, applies and releases it', async () => {
    const emulator = await start();
    const cwd = tenantDir();
    leaveLock(emulator, 10 * MINUTE, 5 * MINUTE);
    const plan = await runCli(['plan'], { cwd, env: envFor(emulator) });
    expect(plan.stderr).toMatch(/note: an apply by alice on alice-laptop .* left the tenant lock behind; it expired 5 min ago, and the next apply takes it over/);
    const apply = await runCli(['apply', '--auto-approve'], { cwd, env: envFor(emulator) });
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stderr).toMatch(/Took over an expired tenant lock held by alice on alice-laptop \(tenantctl apply, process 4242\), since .*; it expired 5 min ago/);
    expect(apply.stdout).toContain('Apply complete: 6 added, 2 changed, 0 destroyed.');
    expect(locks(emulator)).toEqual([]);
  });

  it('a lock of --lock-ttl seconds left by a killed apply expires by itself', async () => {
    const emulator = await start({ latencyMs: 150 });
    const cwd = tenantDir();
    await applyStoppedBy('SIGKILL', ['--lock-ttl', '2'], cwd, emulator);
    // Left behind by the killed apply (that a live lock refuses the next apply is tested above).
    expect(locks(emulator)).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const apply = await runCli(['apply', '--auto-approve'], { cwd, env: envFor(emulator) });
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stderr).toContain('Took over an expired tenant lock');
    expect((await runCli(['plan', '--detailed-exitcode'], { cwd, env: envFor(emulator) })).code).toBe(0);
    expect(new Set(names(emulator)).size).toBe(names(emulator).length);
  });
});

describe('tenantctl unlock', () => {
  it('says when there is no lock', async () => {
    const emulator = await start();
    const run = await runCli(['unlock'], { cwd: tenantDir(), env: envFor(emulator) });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('is not locked');
  });

  it('names the holder; without a terminal needs --yes for an expired lock and --force for one that has not expired', async () => {
    const emulator = await start();
    const cwd = tenantDir();
    leaveLock(emulator, MINUTE, 5 * MINUTE);
    const asked = await runCli(['unlock'], { cwd, env: envFor(emulator) });
    expect(asked.code).toBe(1);
    expect(asked.stdout).toContain('is locked by alice on alice-laptop (tenantctl apply, process 4242)');
    expect(asked.stderr).toContain('error: unlock needs confirmation, and there is no terminal to ask');
    const yes = await runCli(['unlock', '--yes'], { cwd, env: envFor(emulator) });
    expect(yes.code).toBe(1);
    expect(yes.stderr).toContain('the lock has not expired: its apply may still be running');
    expect(locks(emulator)).toHaveLength(1);
    const force = await runCli(['unlock', '--force'], { cwd, env: envFor(emulator) });
    expect(force.code).toBe(0);
    expect(force.stdout).toContain('Unlocked: the next apply can take the lock.');
    expect(locks(emulator)).toEqual([]);

    leaveLock(emulator, 10 * MINUTE, 5 * MINUTE);
    const expired = await runCli(['unlock', '--yes'], { cwd, env: envFor(emulator) });
    expect(expired.code).toBe(0);
    expect(locks(emulator)).toEqual([]);
  });

  it("at a terminal asks, and only 'yes' breaks the lock", async () => {
    const emulator = await start();
    const cwd = tenantDir();
    leaveLock(emulator, MINUTE, 5 * MINUTE);
    const no = await atTerminal(['unlock'], [{ after: "Only 'yes'", keys: 'y\n' }], cwd, envFor(emulator));
    expect(no.screen).toContain('Its apply may still be running');
    expect(no.code).toBe(1);
    expect(locks(emulator)).toHaveLength(1);
    const yes = await atTerminal(['unlock'], [{ after: "Only 'yes'", keys: 'yes\n' }], cwd, envFor(emulator));
    expect(yes.code, yes.screen).toBe(0);
    expect(locks(emulator)).toEqual([]);
  });
});

describe('the lock is a system object of tenantctl', () => {
  it('never planned for deletion (undeclared apis: all), never exported, and not declarable', async () => {
    const emulator = await start();
    const cwd = tenantDir();
    const tenantYaml = join(cwd, 'tenant', 'tenant.yaml');
    writeFileSync(tenantYaml, readFileSync(tenantYaml, 'utf8').replace('apis: managed', 'apis: all'));
    emulator.seed('resourceServers', [{ identifier: 'https://undeclared.example/', name: 'Undeclared' }]);
    leaveLock(emulator, 10 * MINUTE, 5 * MINUTE);
    const plan = await runCli(['plan', '--format', 'json'], { cwd, env: envFor(emulator) });
    expect(plan.code, plan.stderr).toBe(0);
    const changes = (JSON.parse(plan.stdout) as { changes: { kind: string; key: string; action: string }[] }).changes;
    expect(changes).toContainEqual(expect.objectContaining({ kind: 'api', key: 'https://undeclared.example/', action: 'delete' }));
    expect(changes.map((change) => change.key)).not.toContain(LOCK_API_IDENTIFIER);

    const exported = await runCli(['export', '--out', 'exported', '--domain', 'autosharesdev.us.auth0.com', '--env', 'dev'], { cwd, env: envFor(emulator) });
    expect(exported.code, exported.stderr).toBe(0);
    expect(existsSync(join(cwd, 'exported', 'apis'))).toBe(true);
    expect(JSON.stringify(readDirDeep(join(cwd, 'exported')))).not.toContain('tenantctl:lock');

    writeFileSync(join(cwd, 'tenant', 'apis', 'lock.yaml'), `identifier: ${LOCK_API_IDENTIFIER}\nname: Mine\n`);
    const validate = await runCli(['validate'], { cwd, env: envFor(emulator) });
    expect(validate.code).toBe(1);
    expect(validate.stdout + validate.stderr).toContain(`"${LOCK_API_IDENTIFIER}" is tenantctl's apply lock`);
  });
});

/** Runs `apply --auto-approve --concurrency 1 ARGS` and sends it `signal` once its third write starts. */
async function applyStoppedBy(signal: NodeJS.Signals, args: string[], cwd: string, emulator: RunningEmulator): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, 'apply', '--auto-approve', '--concurrency', '1', ...args], {
    cwd,
    env: { ...process.env, ...envFor(emulator), NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (/\[2\/8\] /.test(stderr) && !child.killed) child.kill(signal);
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

function readDirDeep(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[full] = readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('interrupting an apply', () => {
  const QUESTION = "Only 'yes' will be accepted";
  // The live progress line shows "[2/8] …" when the third write starts; Ctrl-C then lands mid-apply.
  const MID_APPLY = /\[2\/8\] /;

  it('Ctrl-C at a terminal: no new write starts, the one in flight finishes, the report is printed, the lock released, exit 130', async () => {
    const emulator = await start({ latencyMs: 300 });
    const cwd = tenantDir();
    const run = await atTerminal(
      ['apply', '--concurrency', '1'],
      [
        { after: QUESTION, keys: 'yes\n' },
        { after: MID_APPLY, keys: '\x03' },
      ],
      cwd,
      envFor(emulator),
    );
    expect(run.code, run.screen).toBe(130);
    expect(run.screen).toContain('Interrupted (SIGINT): no new writes start; the writes in flight finish first.');
    expect(run.screen).toMatch(/Apply incomplete: \d added, \d changed, 0 destroyed; 0 failed, \d skipped\./);
    expect(run.screen).toContain('not started: interrupted by SIGINT');
    expect(run.screen).toMatch(/Stopped early \(interrupted by SIGINT\): \d changes? not started/);
    const writes = writesSince(emulator, 0);
    expect(writes.length).toBeGreaterThanOrEqual(3);
    expect(writes.length).toBeLessThan(8);
    // Every write that started was answered: none was cut off.
    expect(writes.every((entry) => entry.status < 300)).toBe(true);
    expect(locks(emulator)).toEqual([]);
    const again = await runCli(['apply', '--auto-approve'], { cwd, env: envFor(emulator) });
    expect(again.code, again.stderr).toBe(0);
    expect((await runCli(['plan', '--detailed-exitcode'], { cwd, env: envFor(emulator) })).code).toBe(0);
    expect(new Set(names(emulator)).size).toBe(names(emulator).length);
  });

  it('a second Ctrl-C stops at once and says the lock stays until it expires or unlock', async () => {
    const emulator = await start({ latencyMs: 1000 });
    const cwd = tenantDir();
    const started = Date.now();
    const run = await atTerminal(
      ['apply', '--concurrency', '1'],
      [
        { after: QUESTION, keys: 'yes\n' },
        { after: MID_APPLY, keys: '\x03' },
        { after: 'Press Ctrl-C again', keys: '\x03' },
      ],
      cwd,
      envFor(emulator),
    );
    expect(run.code, run.screen).toBe(130);
    expect(run.screen).toContain('Stopped at once (SIGINT)');
    expect(run.screen).toContain('`tenantctl unlock`');
    expect(run.screen).not.toContain('Apply incomplete');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(locks(emulator)).toHaveLength(1);
  });

  it('Ctrl-C at the confirmation question writes nothing and releases the lock', async () => {
    const emulator = await start();
    const cwd = tenantDir();
    const run = await atTerminal(['apply'], [{ after: QUESTION, keys: '\x03' }], cwd, envFor(emulator));
    expect(run.code, run.screen).toBe(130);
    expect(run.screen).toContain('error: apply interrupted (SIGINT) before any change was made: nothing was written');
    expect(writesSince(emulator, 0)).toEqual([]);
    expect(locks(emulator)).toEqual([]);
  });

  it('SIGTERM: exit 143, the report written with --report names what was done and what was not started', async () => {
    const emulator = await start({ latencyMs: 300 });
    const cwd = tenantDir();
    const { code, stdout, stderr } = await applyStoppedBy('SIGTERM', ['--report', 'report.json'], cwd, emulator);
    expect(code, stderr).toBe(143);
    expect(stderr).toContain('Interrupted (SIGTERM)');
    expect(stdout).toContain('Stopped early (interrupted by SIGTERM)');
    const report = JSON.parse(readFileSync(join(cwd, 'report.json'), 'utf8')) as { done: unknown[]; skipped: { why: string }[] };
    expect(report.done.length).toBeGreaterThanOrEqual(2);
    expect(report.skipped.some((s) => s.why === 'not started: interrupted by SIGTERM')).toBe(true);
    expect(report.done.length + report.skipped.length).toBe(8);
    expect(locks(emulator)).toEqual([]);
  });
});
