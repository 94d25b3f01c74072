// Builds the commander program from the registered commands, without running anything.
// Kept apart from main.ts so tests can inspect every command and flag without side effects.
import { Command } from 'commander';
import { loadCommands } from './commands/index.js';
import { addExamples } from './examples.js';

/** The program with every command, or only with `commandName` when the caller knows which one will run. */
export async function buildProgram(commandName?: string): Promise<Command> {
  const program = new Command('tenantctl')
    .description("Keep an Auth0 tenant's configuration in Git: validate, plan and apply.")
    .version('0.1.0')
    // A mistake gets commander's "Did you mean …?" and one line pointing at the help, not the whole help.
    .showHelpAfterError('(see --help for usage and examples)')
    .showSuggestionAfterError()
    .exitOverride();
  for (const register of await loadCommands(commandName)) register(program);
  addExamples(program);
  return program;
}
