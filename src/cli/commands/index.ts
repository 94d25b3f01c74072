// The list of commands the CLI offers; each module registers one command on the program.
// Adding a command means adding its module here and nowhere else.
import type { Command } from 'commander';

export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [];
