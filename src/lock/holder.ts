// Who holds the tenant lock, and how that is written into (and read back from) the lock API in the tenant.
// Pure: the environment and the clock are passed in, so the format is tested without a tenant.
import { randomBytes } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { LOCK_API_IDENTIFIER } from '../model/api.js';

export interface LockHolder {
  /** Who: the CI actor or the local user. */
  who: string;
  /** Where: the machine's host name, or the CI repository and workflow. */
  where: string;
  /** Which run: the CI run's address, or the local process. */
  run: string;
  /** When the lock was taken (ISO 8601). */
  since: string;
  /** When the lock goes stale unless its holder renews it (ISO 8601). */
  expires: string;
  /** A random token, so a run recognises its own lock even when who, where and run repeat. */
  token: string;
}

/** A lock as found in the tenant. `holder` is undefined when its description cannot be read (made by hand?). */
export interface FoundLock {
  id: string;
  holder: LockHolder | undefined;
  /** The holder stopped renewing it: it may be taken over. */
  expired: boolean;
}

type Raw = Record<string, unknown>;

/** The scope whose description carries the holder as JSON (Auth0 allows 500 characters there). */
const HOLDER_SCOPE = 'tenantctl:lock-holder';

function clip(value: string, max: number): string {
  // Auth0 refuses `<` and `>` in API names; the same text goes into the name, so they are left out everywhere.
  const clean = value.replace(/[<>]/g, '').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** This run, as it will be named in the lock: who, where and which run (CI variables when present). */
export function describeThisRun(env: NodeJS.ProcessEnv, pid: number): Pick<LockHolder, 'who' | 'where' | 'run' | 'token'> {
  let user = env.USER ?? env.USERNAME;
  if (!user) {
    try {
      user = userInfo().username;
    } catch {
      user = 'unknown user';
    }
  }
  const who = env.GITHUB_ACTOR ?? env.GITLAB_USER_LOGIN ?? user;
  const github = env.GITHUB_ACTIONS === 'true' && env.GITHUB_REPOSITORY;
  const where = github
    ? `GitHub Actions, ${env.GITHUB_REPOSITORY}${env.GITHUB_WORKFLOW ? ` (${env.GITHUB_WORKFLOW})` : ''}`
    : env.GITLAB_CI === 'true' && env.CI_PROJECT_PATH
      ? `GitLab CI, ${env.CI_PROJECT_PATH}`
      : hostname();
  const run =
    github && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}${env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : ''}`
      : env.CI_JOB_URL
        ? env.CI_JOB_URL
        : `tenantctl apply, process ${pid}`;
  return { who: clip(who, 60), where: clip(where, 100), run: clip(run, 200), token: randomBytes(8).toString('hex') };
}

export function newHolder(run: Pick<LockHolder, 'who' | 'where' | 'run' | 'token'>, now: number, ttlMs: number): LockHolder {
  return { ...run, since: new Date(now).toISOString(), expires: new Date(now + ttlMs).toISOString() };
}

/** The body that creates the lock API. The name is what the Dashboard shows in its API list. */
export function lockApiBody(holder: LockHolder): Raw {
  return {
    identifier: LOCK_API_IDENTIFIER,
    name: clip(`tenantctl apply lock: ${holder.who} on ${holder.where} since ${holder.since}`, 200),
    ...holderScopes(holder),
  };
}

/** The part of the lock API that a renewal rewrites. */
export function holderScopes(holder: LockHolder): { scopes: { value: string; description: string }[] } {
  return { scopes: [{ value: HOLDER_SCOPE, description: JSON.stringify(holder) }] };
}

/** Reads the holder back from a lock API; undefined when it does not carry one. */
export function holderOf(api: Raw): LockHolder | undefined {
  const scopes = Array.isArray(api.scopes) ? (api.scopes as Raw[]) : [];
  const scope = scopes.find((s) => s.value === HOLDER_SCOPE);
  if (typeof scope?.description !== 'string') return undefined;
  try {
    const parsed = JSON.parse(scope.description) as Record<string, unknown>;
    const fields = ['who', 'where', 'run', 'since', 'expires', 'token'] as const;
    if (!fields.every((field) => typeof parsed[field] === 'string')) return undefined;
    if (Number.isNaN(Date.parse(String(parsed.expires)))) return undefined;
    return Object.fromEntries(fields.map((field) => [field, String(parsed[field])])) as unknown as LockHolder;
  } catch {
    return undefined;
  }
}

/**
 * The lock among the tenant's APIs, if any. A lock whose holder cannot be read never expires by itself:
 * nothing says when it was last renewed, so only `tenantctl unlock` removes it.
 */
export function findLock(apis: readonly Raw[], now: number): FoundLock | undefined {
  const api = apis.find((a) => a.identifier === LOCK_API_IDENTIFIER);
  if (!api) return undefined;
  const holder = holderOf(api);
  return { id: String(api.id), holder, expired: holder !== undefined && Date.parse(holder.expires) <= now };
}

function ago(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}

/** One line naming the holder: "alice on laptop (tenantctl apply, process 42), since … (3 min ago)". */
export function describeHolder(holder: LockHolder | undefined, now: number): string {
  if (!holder) return `someone (the lock API "${LOCK_API_IDENTIFIER}" does not say who)`;
  return `${holder.who} on ${holder.where} (${holder.run}), since ${holder.since} (${ago(now - Date.parse(holder.since))} ago)`;
}

/** When the lock expires, relative to now: "expires in 4 min" or "expired 2 min ago". */
export function describeExpiry(holder: LockHolder | undefined, now: number): string {
  if (!holder) return 'it never expires by itself';
  const left = Date.parse(holder.expires) - now;
  return left > 0 ? `it expires in ${ago(left)} unless its holder renews it` : `it expired ${ago(-left)} ago`;
}

/** What `plan` says about a lock it finds: an apply is running, or one died and left its lock behind. */
export function describeLockForPlan(found: FoundLock, now: number): string {
  if (found.expired) {
    return `note: an apply by ${describeHolder(found.holder, now)} left the tenant lock behind; ${describeExpiry(found.holder, now)}, and the next apply takes it over.`;
  }
  return `note: an apply is in progress: ${describeHolder(found.holder, now)}; ${describeExpiry(found.holder, now)}. This plan may be out of date when it ends.`;
}
