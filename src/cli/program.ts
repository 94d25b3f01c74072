// Builds the commander program from the registered commands, without running anything.
// Kept apart from main.ts so tests can inspect every command and flag without side effects.
import { Command } from 'commander';
import { commands } from './commands/index.js';

export function buildProgram(): Command {
  const program = new Command('tenantctl')
    .description("Keep an Auth0 tenant's configuration in Git: validate, plan and apply.")
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}
