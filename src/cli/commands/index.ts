// The list of commands the CLI offers; each module registers one command on the program.
// Adding a command means adding its module here and nowhere else.
import type { Command } from 'commander';
import { register as registerValidate } from './validate.js';
import { register as registerEmulator } from './emulator.js';
import { register as registerPlan } from './plan.js';
import { register as registerApply } from './apply.js';
import { register as registerAppAdd } from './app-add.js';
import { register as registerCredentials } from './credentials.js';
import { register as registerCheckLogin } from './check-login.js';

export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [registerValidate, registerPlan, registerApply, registerEmulator, registerAppAdd, registerCredentials, registerCheckLogin];
