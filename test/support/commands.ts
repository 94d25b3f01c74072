// Test helper: checks a `tenantctl …` command line written in docs, examples or workflows against the
// real commander program: the command must exist and every --flag must be one of its options.
import type { Command } from 'commander';

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

/** Problems with one call, given as the words after `tenantctl`; empty when the command and flags exist. */
export function callProblems(program: Command, words: string[]): string[] {
  const { command, rest } = findCommand(program, words);
  if (command === program) return [`no command "${words[0] ?? ''}"`];
  const flags = command.options.map((o) => o.long);
  return rest
    .filter((word) => word.startsWith('--'))
    .map((word) => word.split('=')[0]!)
    .filter((flag) => !flags.includes(flag))
    .map((flag) => `${command.name()} has no flag ${flag}`);
}

/** The words after each `tenantctl` in a shell line, up to the next pipe, redirect, `;` or `&`. */
export function tenantctlCallsIn(line: string): string[][] {
  return line
    .split(/(?:^|[\s(])tenantctl\s+/)
    .slice(1)
    .map((segment) =>
      segment
        .split(/[|>;&]/)[0]!
        .replace(/"\$\{\{[^}]*\}\}"/g, 'VALUE')
        .trim()
        .split(/\s+/),
    );
}
