// The commands the CLI offers, by the name typed on the command line, each loaded only when needed:
// `tenantctl validate` should not pay for loading the Auth0 SDK. Adding a command means one line here.
import type { Command } from 'commander';

export type RegisterCommand = (program: Command) => void;
type CommandModule = { register: RegisterCommand };

export const commandModules: Record<string, () => Promise<CommandModule>> = {
  init: () => import('./init.js'),
  validate: () => import('./validate.js'),
  plan: () => import('./plan.js'),
  apply: () => import('./apply.js'),
  app: () => import('./app-add.js'),
  credentials: () => import('./credentials.js'),
  'check-login': () => import('./check-login.js'),
  emulator: () => import('./emulator.js'),
  export: () => import('./export.js'),
  unlock: () => import('./unlock.js'),
};

/** The registration functions for `name`, or for every command when it names none of them (help, typos). */
export async function loadCommands(name?: string): Promise<RegisterCommand[]> {
  const names = name !== undefined && name in commandModules ? [name] : Object.keys(commandModules);
  const modules = await Promise.all(names.map((n) => (commandModules[n] as () => Promise<CommandModule>)()));
  return modules.map((m) => m.register);
}
