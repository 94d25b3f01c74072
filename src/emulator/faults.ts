// Deterministic fault injection: from a seed, decide which requests fail and how.
// Some faults strike after the write was applied, so clients must handle "did my POST land?".

import { seededRandom } from './seeded-random.js';

export type FaultKind = 'error-500' | 'error-503' | 'drop';

export interface Fault {
  kind: FaultKind;
  /** When true the request is processed first and only the answer is lost or replaced. */
  afterWrite: boolean;
}


const kinds: readonly FaultKind[] = ['error-500', 'error-503', 'drop'];

export class FaultInjector {
  private readonly random: () => number;

  constructor(
    private readonly rate: number,
    seed: number,
  ) {
    this.random = seededRandom(seed);
  }

  /** Draws the fate of the next request; always draws the same number of values so sequences stay aligned. */
  next(): Fault | undefined {
    const roll = this.random();
    const kindRoll = this.random();
    const timingRoll = this.random();
    if (this.rate <= 0 || roll >= this.rate) return undefined;
    const kind = kinds[Math.min(kinds.length - 1, Math.floor(kindRoll * kinds.length))] ?? 'error-500';
    return { kind, afterWrite: timingRoll < 0.5 };
  }
}
