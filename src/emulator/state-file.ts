// Loading and saving the tenant to a --state file; saves are atomic (temp file + rename).
// Writes are coalesced: many changes in one tick produce one save, and close() flushes.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { TenantSnapshot } from './store.js';

export function loadState(path: string): TenantSnapshot | undefined {
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`the state file ${path} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!parsed || typeof parsed !== 'object' || (parsed as { version?: unknown }).version !== 1) {
    throw new Error(`the state file ${path} was not written by this emulator (expected "version": 1)`);
  }
  return parsed as TenantSnapshot;
}

export function saveStateAtomically(path: string, snapshot: TenantSnapshot): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(snapshot), { mode: 0o600 });
  renameSync(temporary, path);
}

export class StateSaver {
  private pending: NodeJS.Immediate | undefined;

  constructor(
    private readonly path: string,
    private readonly takeSnapshot: () => TenantSnapshot,
  ) {}

  schedule(): void {
    this.pending ??= setImmediate(() => this.flush());
  }

  flush(): void {
    if (this.pending) clearImmediate(this.pending);
    this.pending = undefined;
    saveStateAtomically(this.path, this.takeSnapshot());
  }
}
