// One question at the terminal (stdin must be a TTY), ended early by Ctrl-C or by the command's interrupts.
import { createInterface } from 'node:readline/promises';
import type { Interrupts } from './interrupt.js';

/** The typed answer, or undefined when Ctrl-C (or a signal) ended the question. */
export async function askAtTerminal(question: string, interrupts?: Interrupts): Promise<string | undefined> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const local = new AbortController();
  // The terminal is in raw mode while readline reads: Ctrl-C arrives as a key, not as a signal.
  rl.on('SIGINT', () => {
    interrupts?.interrupt('SIGINT');
    local.abort();
  });
  const signal = interrupts ? AbortSignal.any([local.signal, interrupts.aborted]) : local.signal;
  try {
    return await rl.question(question, { signal });
  } catch (error) {
    if (signal.aborted) {
      process.stderr.write('\n');
      return undefined;
    }
    throw error;
  } finally {
    rl.close();
  }
}
