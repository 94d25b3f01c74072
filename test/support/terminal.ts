// Test helper: runs the built CLI under a pseudo-terminal (`script`), as a person at a keyboard would, typing
// each step's keys once the screen shows its cue; Ctrl-C is the byte \x03, which the terminal turns into SIGINT.
import { spawn } from 'node:child_process';
import { CLI } from './cli.js';

export interface Keystrokes {
  /** Typed once the screen (everything shown so far) contains this text or matches this pattern. */
  after: string | RegExp;
  keys: string;
}

export function atTerminal(args: string[], steps: Keystrokes[], cwd: string, env: Record<string, string>): Promise<{ code: number; screen: string }> {
  const command = [process.execPath, CLI, ...args].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd, env: { ...process.env, ...env, NO_COLOR: '1' } });
    let screen = '';
    let next = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString();
      const step = steps[next];
      if (!step) return;
      const seen = typeof step.after === 'string' ? screen.includes(step.after) : step.after.test(screen);
      if (seen && !child.stdin.writableEnded) {
        next++;
        child.stdin.write(step.keys);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, screen }));
  });
}
