// Shared steps of plan and apply: load and validate the config, connect with the environment's
// credentials, read the tenant and compute the plan. Everything here is glue between the layers.
import { loadConfig, type LoadedConfig } from '../validate/load.js';
import { ConfigInvalidError } from '../errors.js';
import { formatDiagnosticLines } from '../validate/format.js';
import type { TenantSnapshot } from '../model/snapshot.js';
import { computePlan } from '../plan/plan.js';
import { selectTargets } from '../plan/targets.js';
import type { Plan } from '../plan/types.js';
import { resolveCredentials } from '../remote/credentials.js';
import { RemoteTenant } from '../remote/tenant.js';

export interface SessionOptions {
  dir: string;
  env?: string;
  targets?: string[];
  concurrency?: number;
}

export interface PlanSession {
  config: LoadedConfig;
  remote: RemoteTenant;
  snapshot: TenantSnapshot;
  plan: Plan;
}

/** Loads the config or throws the diagnostics; warnings go to stderr. */
export function loadValidConfig(options: { dir: string; env?: string }, stderr: NodeJS.WritableStream): LoadedConfig {
  const { config, diagnostics } = loadConfig({ dir: options.dir, ...(options.env !== undefined ? { env: options.env } : {}) });
  if (!config) throw new ConfigInvalidError(diagnostics);
  stderr.write(formatDiagnosticLines(diagnostics));
  return config;
}

/** Connects to the tenant named by AUTH0_DOMAIN for the config's environment. */
export function connect(config: LoadedConfig, stderr: NodeJS.WritableStream, concurrency?: number): RemoteTenant {
  const { credentials, notice } = resolveCredentials(process.env, config.environment);
  if (notice) stderr.write(`${notice}\n`);
  return new RemoteTenant(credentials, concurrency !== undefined ? { concurrency } : {});
}

/**
 * The live tenant with the enablement of every connection (a managed application enabled on an undeclared connection
 * is drift too) and, only when the configuration creates an application, `flags.enable_client_connections`.
 */
export async function readTenant(config: LoadedConfig, remote: RemoteTenant): Promise<TenantSnapshot> {
  const snapshot = await remote.readSnapshot({ enablementFor: 'all' });
  const liveNames = new Set(snapshot.clients.map((client) => client.name));
  const creates = config.desired.some((object) => object.kind === 'application' && !liveNames.has(object.key));
  return creates ? { ...snapshot, enableClientConnections: await remote.readEnableClientConnections() } : snapshot;
}

export function planFor(config: LoadedConfig, snapshot: TenantSnapshot, remote: RemoteTenant, targets: string[] = []): Plan {
  const plan = computePlan(config.desired, snapshot, {
    undeclared: config.undeclared,
    environment: config.environment.name,
    domain: remote.credentials.domain,
    environmentDomain: config.environment.domain,
    configHash: config.configHash,
  });
  plan.stats.reads = remote.stats.byMethod.GET ?? 0;
  return targets.length > 0 ? selectTargets(plan, targets, config.desired) : plan;
}

export async function startSession(options: SessionOptions, stderr: NodeJS.WritableStream): Promise<PlanSession> {
  const config = loadValidConfig(options, stderr);
  const remote = connect(config, stderr, options.concurrency);
  const snapshot = await readTenant(config, remote);
  return { config, remote, snapshot, plan: planFor(config, snapshot, remote, options.targets) };
}
