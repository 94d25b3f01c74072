// `tenantctl unlock`: breaks the tenant lock an apply left behind (killed, machine gone), after saying who
// held it and asking. A lock that has not expired yet may belong to an apply still writing, so breaking it
// without a terminal takes --force; --yes only breaks an expired one.
import type { Command } from 'commander';
import { SettingsError, TenantctlError } from '../../errors.js';
import { describeExpiry, describeHolder } from '../../lock/holder.js';
import { deleteLock, readLock } from '../../lock/tenant-lock.js';
import { askAtTerminal } from '../ask.js';
import { connect, loadValidConfig } from '../session.js';

interface UnlockFlags {
  dir: string;
  env?: string;
  yes?: boolean;
  force?: boolean;
}

export function register(program: Command): void {
  program
    .command('unlock')
    .description('break the tenant lock left by an apply that died (asks first)')
    .option('--dir <path>', 'the tenant directory', 'tenant')
    .option('--env <name>', 'the environment whose tenant to unlock')
    .option('--yes', 'do not ask; breaks only a lock that has expired')
    .option('--force', 'do not ask, and break the lock even if it has not expired (its apply may still be running)')
    .action(async (flags: UnlockFlags) => {
      const config = loadValidConfig({ dir: flags.dir, ...(flags.env ? { env: flags.env } : {}) }, process.stderr);
      const remote = connect(config, process.stderr);
      const found = await readLock(remote, Date.now());
      if (!found) {
        process.stdout.write(`The tenant ${remote.credentials.domain} is not locked.\n`);
        return;
      }
      const now = Date.now();
      const live = found.holder !== undefined && !found.expired;
      process.stdout.write(`The tenant ${remote.credentials.domain} is locked by ${describeHolder(found.holder, now)}; ${describeExpiry(found.holder, now)}.\n`);
      if (!flags.force) {
        if (flags.yes) {
          if (live) {
            throw new SettingsError('the lock has not expired: its apply may still be running', 1, 'make sure it is not, then run again with --force');
          }
        } else {
          if (!process.stdin.isTTY) {
            throw new SettingsError('unlock needs confirmation, and there is no terminal to ask', 1, 'run again with --yes (an expired lock) or --force (any lock)');
          }
          if (live) process.stderr.write('Its apply may still be running: breaking the lock lets another apply write at the same time.\n');
          const answer = await askAtTerminal("Break this lock? Only 'yes' will be accepted: ");
          if (answer?.trim() !== 'yes') throw new TenantctlError('unlock cancelled: the lock is still there');
        }
      }
      const removed = await deleteLock(remote, found.id);
      process.stdout.write(removed ? 'Unlocked: the next apply can take the lock.\n' : 'The lock was already gone: its apply ended meanwhile.\n');
    });
}
