// apply at a terminal: it asks before writing, accepts only "yes", and shows a live progress line.
// `script` gives the CLI a pseudo-terminal, as a person at a keyboard would.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { startTestEmulator } from '../support/emulator.js';
import { CLI, copyRepoTenant, envFor, writesSince } from '../support/cli.js';

/** Runs the CLI under a pseudo-terminal, typing `answer` at it; resolves with everything the terminal showed. */
function atTerminal(args: string[], answer: string, cwd: string, env: Record<string, string>): Promise<{ code: number; screen: string }> {
  const command = [process.execPath, CLI, ...args].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd, env: { ...process.env, ...env, NO_COLOR: '1' } });
    let screen = '';
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString();
      // Answer once the question is on the screen, as a person would.
      if (screen.includes("Only 'yes' will be accepted") && !child.stdin.writableEnded) child.stdin.end(`${answer}\n`);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, screen }));
  });
}

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
    const run = await atTerminal(['apply', '--env', 'dev'], 'y', dir, envFor(emulator));
    expect(run.screen).toContain("Apply these changes? Only 'yes' will be accepted");
    expect(run.screen).toContain('apply cancelled: nothing was changed');
    expect(run.code).toBe(1);
    expect(writesSince(emulator, from)).toEqual([]);
  });

  it('applies after "yes", with a progress line that rewrites itself', async () => {
    const run = await atTerminal(['apply', '--env', 'dev'], 'yes', dir, envFor(emulator));
    expect(run.code, run.screen).toBe(0);
    expect(run.screen).toMatch(/\r\x1b\[2K\[\d+\/8\] application "AutoShares Partner Portal"/);
    expect(run.screen).toContain('Apply complete: 6 added, 2 changed, 0 destroyed.');
    expect(writesSince(emulator, 0)).toHaveLength(8);
  });
});
