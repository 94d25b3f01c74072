// Runtime tuning of the tenantctl process, applied before anything else loads. A command such as plan or apply is
// one short batch: it loads thousands of files, reads hundreds of pages while it waits for Auth0's token bucket,
// compares and exits. V8's defaults are made for long-lived processes, and two of them cost such a run CPU that
// it never gets back (bench/RESULTS.md, "Scale, third pass"). The emulator is a long-lived server, so it keeps
// V8's defaults.
import { setFlagsFromString } from 'node:v8';

/** Ten minutes: longer than the reads of a large tenant; a longer run still gets the reducer after it. */
const MEMORY_REDUCER_DELAY_MS = 10 * 60 * 1000;

/** Commands that serve until they are stopped, for which V8's defaults are right. */
const LONG_LIVED = new Set(['emulator']);

/**
 * Tunes V8 for a short batch, unless `command` is a long-lived server. Both settings are read by V8 when it
 * uses them, not when it starts, so setting them here works; flags of that other kind (the garbage collector's
 * threads, for one) abort the process when changed at run time, and none is set.
 *
 * - The memory reducer is put off for ten minutes. During the rate-limit waits V8 takes the process for idle
 *   and runs up to three full collections to shrink a heap that is about to be freed anyway. Peak memory is
 *   unchanged: the reducer only hands memory back while the process is idle. V8 reads the delay when the reducer
 *   arms, which it first does while the first modules load, so this must run before them.
 * - The optimising compiler does not inline. The planner, the YAML fast path and the rules each run a few
 *   thousand times and are optimised once or twice per run, and a fifth of a plan's CPU was the optimising
 *   compiler, on V8's helper threads. Without inlining each compilation is smaller: the helper threads spent a
 *   third less while loading and planning the large bench tenant, and the main thread, measured, no more.
 */
export function tuneRuntime(command: string | undefined): void {
  if (command !== undefined && LONG_LIVED.has(command)) return;
  setFlagsFromString(`--gc-memory-reducer-start-delay-ms=${MEMORY_REDUCER_DELAY_MS}`);
  setFlagsFromString('--no-turbo-inlining');
}
