// Help that teaches: every command's --help ends with two or three examples that really run
// (the command and each flag exist), and mistakes get a "Did you mean" instead of a wall of help.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../src/cli/examples.js';
import { buildProgram } from '../../src/cli/program.js';
import { callProblems, tenantctlCallsIn } from '../support/commands.js';

const cli = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

function allCommands(command: Command, path: string[] = []): { path: string[]; command: Command }[] {
  return [{ path, command }, ...command.commands.filter((c) => c.name() !== 'help').flatMap((c) => allCommands(c, [...path, c.name()]))];
}

describe('help', () => {
  it('every command has two or three examples, each calling an existing command with existing flags', async () => {
    const program = await buildProgram();
    const commands = allCommands(program);
    expect(commands.length).toBeGreaterThanOrEqual(10);
    for (const { path } of commands) {
      const examples = EXAMPLES[path.join(' ')] ?? [];
      expect(examples.length, `examples of "tenantctl ${path.join(' ')}"`).toBeGreaterThanOrEqual(2);
      expect(examples.length).toBeLessThanOrEqual(3);
      for (const example of examples) {
        const calls = tenantctlCallsIn(example.run);
        expect(calls.length, example.run).toBeGreaterThan(0);
        for (const words of calls) expect(callProblems(program, words), example.run).toEqual([]);
        // An example of a command shows that command (the program's own may show any).
        if (path.length > 0) expect(calls.some((words) => words.slice(0, path.length).join(' ') === path.join(' ')), example.run).toBe(true);
      }
    }
    // No examples for commands that do not exist.
    const paths = new Set(commands.map(({ path }) => path.join(' ')));
    expect(Object.keys(EXAMPLES).filter((key) => !paths.has(key))).toEqual([]);
  });

  it.each(['plan', 'app add', 'apply', 'init', ''])('tenantctl %s --help ends with its examples', (command) => {
    const path = command === '' ? [] : command.split(' ');
    const result = run(...path, '--help');
    expect(result.status).toBe(0);
    const examples = EXAMPLES[path.join(' ')]!;
    const tail = result.stdout.slice(result.stdout.lastIndexOf('Examples:\n'));
    expect(tail).toBe(`Examples:\n${examples.map((e) => `  # ${e.why}\n  $ ${e.run}`).join('\n')}\n`);
  });

  it('a mistyped command suggests the right one, in one short message and exit 2', () => {
    const result = run('plna', '--env', 'dev');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("error: unknown command 'plna'\n(Did you mean plan?)\n(see --help for usage and examples)\n");
    const sub = run('app', 'ad', 'X');
    expect(sub.status).toBe(2);
    expect(sub.stderr).toContain('(Did you mean add?)');
  });

  it('a mistyped flag suggests the right one', () => {
    const result = run('plan', '--formt', 'json');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("error: unknown option '--formt'\n(Did you mean --format?)\n(see --help for usage and examples)\n");
    expect(run('apply', '--auto-aprove').stderr).toContain('(Did you mean --auto-approve?)');
    expect(run('validate', '--evn', 'dev').stderr).toContain('(Did you mean --env?)');
  });
});
