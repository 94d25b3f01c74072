// The tenant lock: at most one apply writes to a tenant at a time, with nothing stored outside the tenant.
// Taking it is one create of an API whose identifier Auth0 keeps unique (409 for a second one), so two
// runs can never both succeed; the holder renews it while it runs and deletes it at the end, and a lock
// whose holder stopped renewing it (killed, machine gone) expires and is taken over by the next apply.
import { ApiError, LockHeldError, UncertainCreateError } from '../errors.js';
import { LOCK_API_IDENTIFIER } from '../model/api.js';
import { describeExpiry, describeHolder, findLock, holderScopes, lockApiBody, newHolder, type FoundLock, type LockHolder } from './holder.js';

type Raw = Record<string, unknown>;

/** The requests the lock needs; RemoteTenant provides them. */
export interface LockTarget {
  createResourceServer(body: Raw, object: string): Promise<Raw>;
  updateResourceServer(id: string, body: Raw, object: string): Promise<Raw>;
  deleteResourceServer(id: string, object: string): Promise<void>;
  findResourceServerByIdentifier(identifier: string): Promise<Raw | undefined>;
}

export interface LockOptions {
  /** How long the lock outlives its holder's last renewal. */
  ttlMs: number;
  now?: () => number;
}

/** Default time a lock outlives a holder that died: long enough for slow networks, short enough to wait out. */
export const DEFAULT_LOCK_TTL_SECONDS = 300;

const OBJECT = 'tenantctl lock';

/** Attempts to take the lock when each finds it just released or just expired (another run got there first). */
const ACQUIRE_ATTEMPTS = 3;

function isStatus(error: unknown, status: number): boolean {
  return error instanceof ApiError && !(error instanceof UncertainCreateError) && error.status === status;
}

export async function readLock(target: LockTarget, now: number): Promise<FoundLock | undefined> {
  const api = await target.findResourceServerByIdentifier(LOCK_API_IDENTIFIER);
  return api ? findLock([api], now) : undefined;
}

/** The refusal a second writer gets: who holds the lock, and what to do. */
export function lockHeldError(found: FoundLock, now: number): LockHeldError {
  return new LockHeldError(
    `nothing was written: the tenant is locked by another apply, ${describeHolder(found.holder, now)}; ${describeExpiry(found.holder, now)}`,
    1,
    found.holder && !found.expired
      ? 'wait for that apply to finish and run again; if it died, its lock expires by itself, or break it now with `tenantctl unlock`'
      : 'if no apply is running, break the lock with `tenantctl unlock`',
  );
}

/**
 * Takes the lock, or throws LockHeldError naming its holder. An expired lock is deleted (by its id, so a
 * lock taken meanwhile by someone else is never touched) and the create tried again; `tookOver` names it.
 */
export async function acquireLock(
  target: LockTarget,
  run: Pick<LockHolder, 'who' | 'where' | 'run' | 'token'>,
  options: LockOptions,
): Promise<{ lock: HeldLock; tookOver?: FoundLock }> {
  const now = options.now ?? Date.now;
  let tookOver: FoundLock | undefined;
  for (let attempt = 1; ; attempt++) {
    const holder = newHolder(run, now(), options.ttlMs);
    try {
      const created = await target.createResourceServer(lockApiBody(holder), OBJECT);
      return { lock: new HeldLock(target, String(created.id), holder, options), ...(tookOver ? { tookOver } : {}) };
    } catch (error) {
      if (error instanceof UncertainCreateError) {
        // The create may have landed: if the lock there carries our token, it is ours.
        const found = await readLock(target, now());
        if (found?.holder?.token === run.token) {
          return { lock: new HeldLock(target, found.id, found.holder, options), ...(tookOver ? { tookOver } : {}) };
        }
        if (attempt >= ACQUIRE_ATTEMPTS) throw error;
        if (found && !found.expired) throw lockHeldError(found, now());
        continue;
      }
      if (!isStatus(error, 409)) throw error;
    }
    const found = await readLock(target, now());
    if (found && !found.expired) throw lockHeldError(found, now());
    if (attempt >= ACQUIRE_ATTEMPTS) throw found ? lockHeldError(found, now()) : new LockHeldError('could not take the tenant lock: other runs kept taking and releasing it');
    if (found) {
      await deleteLock(target, found.id);
      tookOver = found;
    }
  }
}

/** Deletes the lock with this id; false when it was already gone. */
export async function deleteLock(target: LockTarget, id: string): Promise<boolean> {
  try {
    await target.deleteResourceServer(id, OBJECT);
    return true;
  } catch (error) {
    if (isStatus(error, 404)) return false;
    throw error;
  }
}

/** A lock this run holds: renewed in the background, released once. */
export class HeldLock {
  private timer: NodeJS.Timeout | undefined;
  private released = false;
  private lostReason: string | undefined;
  private renewing: Promise<void> | undefined;

  constructor(
    private readonly target: LockTarget,
    readonly id: string,
    private holderNow: LockHolder,
    private readonly options: LockOptions,
  ) {}

  get holder(): LockHolder {
    return this.holderNow;
  }

  /** Why this run no longer holds the lock (taken over after it expired, or deleted by `unlock`), if so. */
  get lost(): string | undefined {
    return this.lostReason;
  }

  /**
   * Renews the lock every third of its lifetime until released. When a renewal finds the lock gone, or
   * renewals keep failing until it expires, `onLost` is told once: the run must not start new writes.
   */
  keepRenewing(onLost: (reason: string) => void): void {
    const every = Math.max(200, Math.floor(this.options.ttlMs / 3));
    this.timer = setInterval(() => {
      if (this.renewing || this.released || this.lostReason) return;
      this.renewing = this.renew()
        .then((reason) => {
          if (reason && !this.lostReason && !this.released) {
            this.lostReason = reason;
            onLost(reason);
          }
        })
        .finally(() => (this.renewing = undefined));
    }, every);
    // The renewal timer alone must never keep a finished run alive.
    this.timer.unref();
  }

  /** One renewal; returns why the lock is lost, or undefined while it is still held. */
  private async renew(): Promise<string | undefined> {
    const now = (this.options.now ?? Date.now)();
    const next = { ...this.holderNow, expires: new Date(now + this.options.ttlMs).toISOString() };
    try {
      await this.target.updateResourceServer(this.id, holderScopes(next), OBJECT);
      this.holderNow = next;
      return undefined;
    } catch (error) {
      if (isStatus(error, 404)) return 'the tenant lock was removed while this apply ran (`tenantctl unlock`, or taken over after it expired)';
      if (Date.parse(this.holderNow.expires) <= now) return 'the tenant lock could not be renewed before it expired';
      return undefined;
    }
  }

  /** Stops renewing and deletes the lock; 'gone' when it was no longer there. Safe to call twice. */
  async release(): Promise<'released' | 'gone'> {
    if (this.timer) clearInterval(this.timer);
    if (this.released) return 'gone';
    this.released = true;
    await this.renewing;
    // Deleting by id is safe even after the lock was lost: a lock taken over has another id.
    return (await deleteLock(this.target, this.id)) ? 'released' : 'gone';
  }
}
