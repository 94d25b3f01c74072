import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/program.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const workflowDir = `${root}.github/workflows/`;
const workflows = readdirSync(workflowDir).filter((f) => f.endsWith('.yml'));
const validatorCli = createRequire(import.meta.url).resolve('@action-validator/cli/cli.mjs');

/** Every `tenantctl ...` invocation in a workflow, as its words, with shell quoting and ${{ }} expressions removed. */
function tenantctlCalls(text: string): string[][] {
  const calls: string[][] = [];
  for (const line of text.split('\n')) {
    const at = line.indexOf('tenantctl ');
    if (at < 0 || line.trim().startsWith('#') || line.includes('tenantctl-')) continue;
    const words = line
      .slice(at + 'tenantctl '.length)
      .split(/[|>;&]/)[0]!
      .replace(/"\$\{\{[^}]*\}\}"/g, 'VALUE')
      .trim()
      .split(/\s+/);
    calls.push(words);
  }
  return calls;
}

function findCommand(program: Command, words: string[]): { command: Command; rest: string[] } {
  let command = program;
  let rest = words;
  for (;;) {
    const next = command.commands.find((c) => c.name() === rest[0]);
    if (!next) return { command, rest };
    command = next;
    rest = rest.slice(1);
  }
}

describe('GitHub workflows', () => {
  it('exist for CI, plan on PR, apply on merge and drift', () => {
    expect(workflows.sort()).toEqual(['ci.yml', 'tenant-apply.yml', 'tenant-drift.yml', 'tenant-plan.yml']);
  });

  it.each(workflows)('%s passes the GitHub Actions schema check', (file) => {
    const run = spawnSync(process.execPath, [validatorCli, `${workflowDir}${file}`], { encoding: 'utf8' });
    expect(run.stderr + run.stdout).not.toMatch(/error/i);
    expect(run.status).toBe(0);
  });

  it('call only tenantctl commands and flags that exist', async () => {
    const program = await buildProgram();
    const calls = workflows.flatMap((file) => tenantctlCalls(readFileSync(`${workflowDir}${file}`, 'utf8')).map((words) => ({ file, words })));
    expect(calls.length).toBeGreaterThanOrEqual(5);
    for (const { file, words } of calls) {
      const { command, rest } = findCommand(program, words);
      expect(command, `${file}: tenantctl ${words.join(' ')}`).not.toBe(program);
      const flags = command.options.map((o) => o.long);
      for (const word of rest.filter((w) => w.startsWith('--'))) {
        expect(flags, `${file}: ${command.name()} has no flag ${word}`).toContain(word);
      }
    }
  });

  it('never echo the tenant credentials', () => {
    for (const file of workflows) {
      const text = readFileSync(`${workflowDir}${file}`, 'utf8');
      expect(text).not.toMatch(/echo[^\n]*AUTH0_CLIENT_SECRET/);
      expect(text).not.toMatch(/set -x/);
    }
  });

  it('apply one environment at a time and never cancel an apply mid-way', () => {
    const text = readFileSync(`${workflowDir}tenant-apply.yml`, 'utf8');
    expect(text).toContain('group: tenant-${{ matrix.env }}');
    expect(text).toContain('cancel-in-progress: false');
  });
});
