#!/usr/bin/env node
// Entry point of the tenantctl command: runs the program and is the one place that prints errors.
// Each command lives in src/cli/commands/<name>.ts and only parses flags and calls the layers.
import { tuneRuntime } from './runtime.js';

// Before the other modules load: V8 arms its memory reducer as they do (see runtime.ts).
tuneRuntime(process.argv[2]);
const { CommanderError } = await import('commander');
const { buildProgram } = await import('./program.js');
const { reportFailure } = await import('./report-failure.js');

async function main(argv: string[]): Promise<number> {
  try {
    await (await buildProgram(argv[2])).parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has already printed its own message (unknown option, --help, --version).
      return error.exitCode === 0 ? 0 : 2;
    }
    return reportFailure(error);
  }
}

process.exitCode = await main(process.argv);
