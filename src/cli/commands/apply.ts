// `tenantctl apply [plan.json]`: makes exactly the planned changes, asks before writing unless told not to,
// shows progress, and ends with what was done, failed and skipped (exit 1 if anything was not applied).
// The whole run holds the tenant lock (src/lock/); Ctrl-C stops new writes and still ends with the report.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { applyPlan, type ApplyEvent, type ApplyReport } from '../../apply/apply.js';
import { missingScopes } from '../../apply/scopes.js';
import type { LoadedConfig } from '../../validate/load.js';
import { InterruptedError, SettingsError, TenantctlError, UsageError } from '../../errors.js';
import { describeExpiry, describeHolder, describeThisRun } from '../../lock/holder.js';
import { acquireLock, DEFAULT_LOCK_TTL_SECONDS } from '../../lock/tenant-lock.js';
import { checkPlanIsCurrent, readPlanFile } from '../../planfile/index.js';
import type { Plan } from '../../plan/types.js';
import { renderPlan } from '../render-plan.js';
import { useColor } from '../output.js';
import type { RemoteTenant } from '../../remote/tenant.js';
import { askAtTerminal } from '../ask.js';
import { catchInterrupts, signalExitCode, type Interrupts, type StopSignal } from '../interrupt.js';
import { connect, loadValidConfig, planFor, readTenant } from '../session.js';

interface ApplyFlags {
  dir: string;
  env?: string;
  autoApprove?: boolean;
  allowDelete?: boolean;
  allowDestroyConnection: string[];
  concurrency: string;
  report?: string;
  lockTtl: string;
}

export function register(program: Command): void {
  program
    .command('apply')
    .description('make the planned changes in the tenant')
    .argument('[plan-file]', 'a plan saved with `tenantctl plan --out`; refused if the tenant or config changed since')
    .option('--dir <path>', 'the tenant directory', 'tenant')
    .option('--env <name>', 'the environment to apply')
    .option('--auto-approve', 'do not ask for confirmation (required without a terminal)')
    .option('--allow-delete', 'also delete the objects the plan destroys')
    .option('--allow-destroy-connection <name...>', 'allow destroying this database connection and its users', [])
    .option('--concurrency <n>', 'writes in flight at once', '4')
    .option('--report <file>', 'write what was done, failed and skipped as JSON')
    .option('--lock-ttl <seconds>', 'how long the tenant lock outlives this run if it dies without releasing it (renewed while it runs)', String(DEFAULT_LOCK_TTL_SECONDS))
    .action(async (planFile: string | undefined, flags: ApplyFlags) => {
      const concurrency = Number(flags.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError('--concurrency must be a whole number of at least 1');
      const lockTtl = Number(flags.lockTtl);
      if (!Number.isFinite(lockTtl) || lockTtl < 1) throw new UsageError('--lock-ttl must be a number of seconds, at least 1');
      if (flags.report) checkReportFolder(flags.report);
      const saved = planFile ? readPlanFile(planFile) : undefined;
      if (saved && flags.env && flags.env !== saved.environment) {
        throw new UsageError(`the plan is for environment "${saved.environment}", not "${flags.env}"`);
      }
      const env = saved?.environment ?? flags.env;
      const config = loadValidConfig({ dir: flags.dir, ...(env ? { env } : {}) }, process.stderr);
      const remote = connect(config, process.stderr, concurrency);
      await underLock(remote, lockTtl * 1000, process.stderr, (run) => applyLocked(saved, flags, config, remote, concurrency, run));
    });
}

/** A report that could not be written would only be noticed after the tenant changed: check its folder first. */
function checkReportFolder(path: string): void {
  const folder = dirname(resolve(path));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new UsageError(`--report ${path}: the folder ${dirname(path)} does not exist; nothing was changed`);
  }
}

/** Writes the report; after the changes are made, a failure here is said plainly rather than thrown. */
function writeReport(path: string, report: ApplyReport): boolean {
  try {
    writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    process.stderr.write(`error: the changes above were made, but the report could not be written to ${path} (${code})\n`);
    return false;
  }
}

/** What the locked part of an apply learns from outside: why to stop starting writes, and the first signal. */
interface RunControl {
  stopReason(): string | undefined;
  readonly interrupts: Interrupts;
}

/**
 * Runs `body` holding the tenant lock: taken before the tenant is read (so the plan shown is the one
 * applied), renewed meanwhile, released at the end whatever happened. The first SIGINT/SIGTERM stops new
 * writes; a second one exits at once and leaves the lock to expire (or to `tenantctl unlock`).
 */
async function underLock(remote: RemoteTenant, ttlMs: number, stderr: NodeJS.WriteStream, body: (run: RunControl) => Promise<void>): Promise<void> {
  let stop: string | undefined;
  const clearLine = () => (stderr.isTTY ? '\r\x1b[2K' : '\n');
  const interrupts = catchInterrupts({
    first(signal) {
      stop ??= `interrupted by ${signal}`;
      stderr.write(`${clearLine()}Interrupted (${signal}): no new writes start; the writes in flight finish first. Press Ctrl-C again to stop at once.\n`);
    },
    second(signal) {
      stderr.write(
        `${clearLine()}Stopped at once (${signal}): writes in flight may or may not have landed, and the tenant lock stays until it expires. ` +
          'Run `tenantctl unlock`, then `tenantctl apply` again: it plans from the live tenant and does only what is left.\n',
      );
      process.exit(signalExitCode(signal));
    },
  });
  try {
    const { lock, tookOver } = await acquireLock(remote, describeThisRun(process.env, process.pid), { ttlMs });
    try {
      if (tookOver) {
        stderr.write(`Took over an expired tenant lock held by ${describeHolder(tookOver.holder, Date.now())}; ${describeExpiry(tookOver.holder, Date.now())}.\n`);
      }
      lock.keepRenewing((reason) => {
        stop ??= reason;
        stderr.write(`${clearLine()}${reason}: no new writes start.\n`);
      });
      await body({ stopReason: () => stop, interrupts });
    } finally {
      try {
        await lock.release();
      } catch (error) {
        stderr.write(
          `warning: could not release the tenant lock (${error instanceof Error ? error.message : String(error)}); ` +
            `${describeExpiry(lock.holder, Date.now())}, or break it now with \`tenantctl unlock\`\n`,
        );
      }
    }
  } finally {
    interrupts.dispose();
  }
}

function interruptedBeforeWriting(signal: StopSignal): InterruptedError {
  return new InterruptedError(`apply interrupted (${signal}) before any change was made: nothing was written`, signalExitCode(signal));
}

async function applyLocked(saved: Plan | undefined, flags: ApplyFlags, config: LoadedConfig, remote: RemoteTenant, concurrency: number, run: RunControl): Promise<void> {
  const { interrupts } = run;
  const snapshot = await readTenant(config, remote);
  if (interrupts.signal) throw interruptedBeforeWriting(interrupts.signal);
  const fresh = planFor(config, snapshot, remote);
  let plan: Plan = fresh;
  if (saved) {
    checkPlanIsCurrent(saved, { domain: remote.credentials.domain, configHash: config.configHash, liveFingerprint: fresh.live_fingerprint });
    plan = saved;
  } else {
    process.stdout.write(renderPlan(plan, 'text', { color: useColor(process.stdout) }));
  }
  const missing = missingScopes(plan, remote.grantedScopes);
  if (missing.length > 0) {
    throw new SettingsError(
      `the token lacks ${missing.map((item) => `${item.scope} (needed to update ${item.objects.join(', ')})`).join(' and ')}; nothing was changed`,
      1,
      `grant ${missing.map((item) => item.scope).join(' ')} to tenantctl's machine-to-machine application (Dashboard: Applications > APIs > Auth0 Management API > Machine to Machine Applications), then run apply again`,
    );
  }
  // Nothing to change needs no confirmation; the empty apply still ends with its summary and report.
  if (plan.changes.length > 0 && !saved && !flags.autoApprove) await confirm(interrupts);
  if (interrupts.signal) throw interruptedBeforeWriting(interrupts.signal);

  const progress = progressPrinter(process.stderr);
  const report = await applyPlan(plan, remote, {
    allowDelete: flags.allowDelete === true,
    allowDestroyConnections: flags.allowDestroyConnection,
    concurrency,
    snapshot,
    desired: config.desired,
    onEvent: progress.onEvent,
    shouldStop: run.stopReason,
  });
  progress.end();
  process.stdout.write(describeReport(report, plan));
  const reportWritten = flags.report ? writeReport(flags.report, report) : true;
  const stopped = run.stopReason();
  if (stopped) {
    const notStarted = report.skipped.filter((s) => s.why.startsWith('not started:')).length;
    process.stdout.write(`Stopped early (${stopped}): ${notStarted} change${notStarted === 1 ? '' : 's'} not started. Run apply again to finish: it does only what is left.\n`);
  }
  process.exitCode = interrupts.signal ? signalExitCode(interrupts.signal) : report.failed.length + report.skipped.length > 0 || !reportWritten ? 1 : 0;
}

async function confirm(interrupts: Interrupts): Promise<void> {
  if (!process.stdin.isTTY) {
    throw new SettingsError('apply needs confirmation, and there is no terminal to ask', 1, 'review the plan above, then run again with --auto-approve (as CI does)');
  }
  const answer = await askAtTerminal("\nApply these changes? Only 'yes' will be accepted: ", interrupts);
  if (answer === undefined) return; // interrupted: the caller stops before writing
  if (answer.trim() !== 'yes') throw new TenantctlError('apply cancelled: nothing was changed');
}

/** On a terminal, one live line that rewrites itself; otherwise one line per finished write. */
function progressPrinter(stderr: NodeJS.WriteStream): { onEvent: (event: ApplyEvent) => void; end: () => void } {
  const live = stderr.isTTY === true;
  let shown = false;
  return {
    onEvent(event) {
      if (live) {
        if (event.type === 'start') {
          stderr.write(`\r\x1b[2K[${event.index}/${event.total}] ${event.object}…`);
          shown = true;
        } else if (event.type === 'failed') {
          stderr.write(`\r\x1b[2K✗ ${event.item.object}: ${event.item.message}\n`);
        } else if (event.type === 'waiting') {
          stderr.write(`\r\x1b[2K${describeWait(event)}`);
          shown = true;
        }
        return;
      }
      if (event.type === 'waiting') stderr.write(`${describeWait(event)}\n`);
      if (event.type === 'done') stderr.write(`[${event.finished}/${event.total}] ${event.item.outcome} ${event.item.object}\n`);
      else if (event.type === 'failed') stderr.write(`[${event.finished}/${event.total}] failed ${event.item.object}: ${event.item.message}\n`);
      else if (event.type === 'skipped') stderr.write(`[${event.finished}/${event.total}] skipped ${event.item.object}: ${event.item.why}\n`);
    },
    end() {
      if (live && shown) stderr.write('\r\x1b[2K');
    },
  };
}

function describeWait(event: Extract<ApplyEvent, { type: 'waiting' }>): string {
  return `waiting ${event.object}: ${event.why} (${Math.round(event.waitedMs / 1000)} s so far, at most ${Math.round(event.limitMs / 1000)} s)`;
}

export function describeReport(report: ApplyReport, plan: Plan): string {
  const { added, changed, destroyed } = report.summary;
  const counts = `${added} added, ${changed} changed, ${destroyed} destroyed`;
  const lines: string[] = [];
  if (report.failed.length === 0 && report.skipped.length === 0) {
    lines.push(`Apply complete: ${counts}.`);
  } else {
    lines.push(`Apply incomplete: ${counts}; ${report.failed.length} failed, ${report.skipped.length} skipped.`);
    // Every write that happened, destructive ones first (the report keeps that order): a half-done replace
    // deleted something even though it is also listed as failed.
    for (const d of report.done) lines.push(`  ${d.outcome.padEnd(7)} ${d.object}`);
    for (const f of report.failed) lines.push(`  failed  ${f.object}: ${f.request}${f.status ? ` (${f.status})` : ''}: ${f.message}`);
    for (const s of report.skipped) lines.push(`  skipped ${s.object}: ${s.why}`);
    if (report.skipped.some((s) => s.why.includes('--allow-delete'))) {
      lines.push('Deletes were skipped: review them in the plan and run apply again with --allow-delete to carry them out.');
    }
    if (report.failed.length > 0) lines.push('Run apply again to finish: it plans from the live tenant and does only what is left.');
  }
  const created = report.done.filter((d) => d.outcome === 'created' && d.object.startsWith('application '));
  if (created.length > 0) {
    lines.push('', 'New applications were created. Hand their credentials to the partner with:');
    const shown = 10;
    for (const app of created.slice(0, shown)) {
      const name = app.object.slice('application '.length).replace(/^"|"$/g, '');
      lines.push(`  tenantctl credentials "${name}" --env ${plan.environment} --out <file outside git>`);
    }
    if (created.length > shown) lines.push(`  … and ${created.length - shown} more (see --report for the full list)`);
  }
  return `${lines.join('\n')}\n`;
}
