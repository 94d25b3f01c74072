// One end-to-end setting shared by the CLI tests: a fresh emulator and a temporary copy of the repo's tenant/,
// both removed when the (concurrent) test ends, with the built CLI run against them.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type TestContext } from 'vitest';
import type { EmulatorOptions, RunningEmulator } from '../../src/emulator/index.js';
import { copyRepoTenant, envFor, runCli, type CliRun } from './cli.js';
import { startTestEmulator } from './emulator.js';

export interface TenantScenario {
  emulator: RunningEmulator;
  dir: string;
  env: Record<string, string>;
  run(args: string[]): Promise<CliRun>;
  /** Rewrites a file of the copy; an edit that changes nothing fails the test, so a stale pattern is noticed. */
  edit(file: string, change: (text: string) => string): void;
}

export async function tenantScenario(context: TestContext, prefix: string, options: EmulatorOptions = {}): Promise<TenantScenario> {
  const emulator = await startTestEmulator(options);
  const dir = copyRepoTenant(prefix);
  context.onTestFinished(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const env = envFor(emulator);
  return {
    emulator,
    dir,
    env,
    run: (args) => runCli(args, { cwd: dir, env }),
    edit(file, change) {
      const path = join(dir, file);
      const before = readFileSync(path, 'utf8');
      const after = change(before);
      expect(after, `edit of ${file} changed nothing`).not.toBe(before);
      writeFileSync(path, after);
    },
  };
}
