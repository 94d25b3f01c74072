// The fewest Management API requests a scenario can take, from object counts alone, and the least wall time
// a rate-limit profile allows for them; the benchmark reports every tool's requests as a ratio to this.
import type { SizeCounts } from './generate.js';

export const LIST_PAGE_SIZE = 100;
export const ENABLEMENT_PAGE_SIZE = 100;
export const ENABLEMENT_BATCH = 50;

export interface LowerBound {
  reads: number;
  writes: number;
  total: number;
}

export interface LiveCounts {
  clients: number;
  resourceServers: number;
  clientGrants: number;
  connections: number;
  organizations: number;
}

const pages = (items: number, size: number): number => Math.max(1, Math.ceil(items / size));

/** One page per 100 live objects of each kind (an empty list still takes one request). */
export function listReads(live: LiveCounts): number {
  return (
    pages(live.clients, LIST_PAGE_SIZE) +
    pages(live.resourceServers, LIST_PAGE_SIZE) +
    pages(live.clientGrants, LIST_PAGE_SIZE) +
    pages(live.connections, LIST_PAGE_SIZE) +
    pages(live.organizations, LIST_PAGE_SIZE)
  );
}

/**
 * Apply to a tenant holding only the system objects: list once per kind, read the enablement of each connection
 * already there, read flags.enable_client_connections (the config creates applications), create everything, enable
 * in batches of 50. With the flag on (Auth0's default), Auth0 enables every new application on each connection that
 * already exists; the bench's files list none of those, so each takes ceil(apps/50) removal writes.
 */
export function applyToEmptyBound(declared: SizeCounts, enabledPerConnection: Iterable<number>, live: LiveCounts, autoEnable = true): LowerBound {
  let enablementWrites = 0;
  for (const enabled of enabledPerConnection) enablementWrites += Math.ceil(enabled / ENABLEMENT_BATCH);
  if (autoEnable) enablementWrites += live.connections * Math.ceil(declared.applications / ENABLEMENT_BATCH);
  const settingsRead = declared.applications > 0 ? 1 : 0;
  const reads = listReads(live) + live.connections + settingsRead;
  const writes = declared.applications + declared.apis + declared.grants + declared.connections + enablementWrites;
  return { reads, writes, total: reads + writes };
}

/**
 * Plan or apply against the applied tenant: list every kind, read every connection's enablement (declared ones with
 * their enabled applications, the others one page each), write only what changed.
 */
export function againstAppliedBound(enabledPerConnection: Iterable<number>, live: LiveCounts, changedObjects: number): LowerBound {
  let enablementReads = 0;
  let declared = 0;
  for (const enabled of enabledPerConnection) {
    enablementReads += pages(enabled, ENABLEMENT_PAGE_SIZE);
    declared += 1;
  }
  enablementReads += Math.max(0, live.connections - declared);
  const reads = listReads(live) + enablementReads;
  return { reads, writes: changedObjects, total: reads + changedObjects };
}

export interface RateProfile {
  burst: number;
  perSecond: number;
}

/** Seconds a perfectly paced client needs for `requests` under a token bucket (latency aside). */
export function boundSeconds(requests: number, profile: RateProfile): number {
  return Math.max(0, requests - profile.burst) / profile.perSecond;
}
