// apply at a terminal: it asks before writing, accepts only "yes", and shows a live progress line.
// `script` gives the CLI a pseudo-terminal, as a person at a keyboard would.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { startTestEmulator } from '../support/emulator.js';
import { copyRepoTenant, envFor, writesSince } from '../support/cli.js';
import { atTerminal } from '../support/terminal.js';

const QUESTION = "Only 'yes' will be accepted";

describe('tenantctl apply at a terminal', () => {
  let emulator: RunningEmulator;
  let dir: string;
  beforeAll(async () => {
    emulator = await startTestEmulator();
    dir = copyRepoTenant('tenantctl-apply-tty-');
  });
  afterAll(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes nothing when the answer is not exactly "yes"', async () => {
    const from = emulator.requests.length;
    const run = await atTerminal(['apply', '--env', 'dev'], [{ after: QUESTION, keys: 'y\n' }], dir, envFor(emulator));
    expect(run.screen).toContain("Apply these changes? Only 'yes' will be accepted");
    expect(run.screen).toContain('apply cancelled: nothing was changed');
    expect(run.code).toBe(1);
    expect(writesSince(emulator, from)).toEqual([]);
  });

  it('applies after "yes", with a progress line that rewrites itself', async () => {
    const run = await atTerminal(['apply', '--env', 'dev'], [{ after: QUESTION, keys: 'yes\n' }], dir, envFor(emulator));
    expect(run.code, run.screen).toBe(0);
    expect(run.screen).toMatch(/\r\x1b\[2K\[\d+\/8\] application "AutoShares Partner Portal"/);
    expect(run.screen).toContain('Apply complete: 6 added, 2 changed, 0 destroyed.');
    expect(writesSince(emulator, 0)).toHaveLength(8);
  });
});
