// Ctrl-C (SIGINT) and SIGTERM while a command writes to the tenant: the first asks it to stop starting new
// writes and end cleanly (report, lock released, exit 130 or 143); a second one stops the process at once.
export type StopSignal = 'SIGINT' | 'SIGTERM';

/** The exit code a shell reports for a process ended by this signal (128 + its number). */
export function signalExitCode(signal: StopSignal): number {
  return signal === 'SIGINT' ? 130 : 143;
}

export interface Interrupts {
  /** The first signal received, if any. */
  readonly signal: StopSignal | undefined;
  /** Aborted by the first signal, for waits that should end then (a prompt). */
  readonly aborted: AbortSignal;
  /** Treats a Ctrl-C seen by a prompt (a terminal in raw mode sends no signal) like the signal itself. */
  interrupt(signal: StopSignal): void;
  dispose(): void;
}

export function catchInterrupts(handlers: { first(signal: StopSignal): void; second(signal: StopSignal): void }): Interrupts {
  let received: StopSignal | undefined;
  const controller = new AbortController();
  const onSignal = (signal: StopSignal) => {
    if (received) {
      handlers.second(signal);
      return;
    }
    received = signal;
    handlers.first(signal);
    controller.abort();
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    get signal() {
      return received;
    },
    aborted: controller.signal,
    interrupt: onSignal,
    dispose() {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
