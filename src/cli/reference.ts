// Renders the README's CLI reference from the commander program itself, so flags and their help
// can never drift from the documentation; a test compares the README with this text.
import type { Command } from 'commander';
import { examplesFor } from './examples.js';

export const CLI_REFERENCE_START = '<!-- cli-reference:start -->';
export const CLI_REFERENCE_END = '<!-- cli-reference:end -->';

function leaves(command: Command, prefix: string): { path: string; command: Command }[] {
  const path = prefix ? `${prefix} ${command.name()}` : command.name();
  if (command.commands.length === 0) return [{ path, command }];
  return command.commands.flatMap((child) => leaves(child, path));
}

export function renderCliReference(program: Command): string {
  const parts: string[] = [];
  for (const { path, command } of program.commands.flatMap((c) => leaves(c, 'tenantctl'))) {
    const args = command.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`)).join(' ');
    parts.push(`### \`${path}${args ? ` ${args}` : ''}\``, '', command.description(), '');
    const options = command.options.filter((o) => o.long !== '--help');
    if (options.length > 0) {
      parts.push('| flag | meaning |', '| --- | --- |');
      for (const option of options) {
        const fallback = option.defaultValue !== undefined && !(Array.isArray(option.defaultValue) && option.defaultValue.length === 0)
          ? ` (default: \`${String(option.defaultValue)}\`)`
          : '';
        const choices = option.argChoices ? `: one of ${option.argChoices.map((c) => `\`${c}\``).join(', ')}` : '';
        parts.push(`| \`${option.flags}\` | ${option.description.replace(/\|/g, '\\|')}${choices}${fallback} |`);
      }
      parts.push('');
    }
    const examples = examplesFor(command);
    if (examples.length > 0) {
      parts.push('```sh', ...examples.flatMap((example) => [`# ${example.why}`, example.run]), '```', '');
    }
  }
  return `${CLI_REFERENCE_START}\n${parts.join('\n').trimEnd()}\n${CLI_REFERENCE_END}`;
}

export function currentCliReference(readme: string): string | undefined {
  const start = readme.indexOf(CLI_REFERENCE_START);
  const end = readme.indexOf(CLI_REFERENCE_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start, end + CLI_REFERENCE_END.length);
}

export function replaceCliReference(readme: string, generated: string): string {
  const current = currentCliReference(readme);
  if (current === undefined) throw new Error(`README.md has no ${CLI_REFERENCE_START} … ${CLI_REFERENCE_END} markers`);
  return readme.replace(current, generated);
}
