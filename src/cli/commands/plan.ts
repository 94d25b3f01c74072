// `tenantctl plan`: validates the config, reads the live tenant and prints what apply would change.
// Exit 0 on success; with --detailed-exitcode 0 = no changes, 2 = changes, 1 = error. Never takes the
// tenant lock, but says when an apply holds it (the plan may be out of date once that apply ends).
import { Option, type Command } from 'commander';
import { writePlanFile } from '../../planfile/index.js';
import { renderPlan, type PlanFormat } from '../render-plan.js';
import { describeStats, useColor } from '../output.js';
import { startSession } from '../session.js';
import { describeLockForPlan, findLock } from '../../lock/holder.js';

interface PlanFlags {
  dir: string;
  env?: string;
  format: PlanFormat;
  out?: string;
  detailedExitcode?: boolean;
  target: string[];
  verbose?: boolean;
  concurrency: string;
}

export function register(program: Command): void {
  program
    .command('plan')
    .description('show what apply would create, change and delete in the tenant')
    .option('--dir <path>', 'the tenant directory', 'tenant')
    .option('--env <name>', 'the environment to plan')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .option('--out <file>', 'also save the plan to this file, for `tenantctl apply FILE`')
    .option('--detailed-exitcode', 'exit 0 when there are no changes, 2 when there are, 1 on error')
    .option('--target <kind/name...>', 'plan only these objects (e.g. applications/partner-portal)', [])
    .option('--concurrency <n>', 'requests in flight at once', '4')
    .option('--verbose', 'print the requests made to stderr')
    .action(async (flags: PlanFlags) => {
      const session = await startSession(
        { dir: flags.dir, ...(flags.env ? { env: flags.env } : {}), targets: flags.target, concurrency: Number(flags.concurrency) },
        process.stderr,
      );
      const { plan } = session;
      const lock = findLock(session.snapshot.resourceServers, Date.now());
      if (lock) process.stderr.write(`${describeLockForPlan(lock, Date.now())}\n`);
      if (flags.verbose) process.stderr.write(`${describeStats(session.remote.stats)}\n`);
      process.stdout.write(renderPlan(plan, flags.format, { color: useColor(process.stdout) }));
      if (flags.out) {
        writePlanFile(flags.out, plan);
        process.stderr.write(`Saved the plan to ${flags.out}; apply it with: tenantctl apply ${flags.out}\n`);
      }
      const changes = plan.changes.length;
      process.exitCode = flags.detailedExitcode && changes > 0 ? 2 : 0;
    });
}
