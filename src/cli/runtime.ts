// Runtime tuning of the tenantctl process, applied before anything else loads. A plan or apply of a large tenant
// spends most of its wall time waiting for Auth0's token bucket, and V8's memory reducer takes those waits for
// an idle process: 8 s after it arms, it runs up to three full collections to shrink the heap, work that a run
// which exits soon after never profits from. On the large bench tenant that was 0.2–0.35 s of CPU of a
// 1.7–2.2 s no-op plan (bench/RESULTS.md, interleaved runs with and without it).
import { setFlagsFromString } from 'node:v8';

/** Ten minutes: longer than the reads of a large tenant; a longer run still gets the reducer after it. */
const MEMORY_REDUCER_DELAY_MS = 10 * 60 * 1000;

/**
 * Puts V8's memory reducer off for ten minutes. Peak memory is unchanged: the reducer only hands back memory
 * while the process is idle, and ordinary collections still run as the process allocates. V8 reads the delay
 * when the reducer arms, which it first does while the first modules load, so this must run before them;
 * `--trace-gc` then shows no "(reduce)" collection in a plan of the large bench tenant.
 */
export function tuneRuntime(): void {
  setFlagsFromString(`--gc-memory-reducer-start-delay-ms=${MEMORY_REDUCER_DELAY_MS}`);
}
