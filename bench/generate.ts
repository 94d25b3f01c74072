// Builds the benchmark tenant, deterministic from a seed, and writes it both as tenantctl's tenant/ folder
// and as auth0-deploy-cli's tenant.yaml; also derives the "5% changed" variant of the same data.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { seededRandom } from '../src/emulator/seeded-random.js';

export type BenchSize = 'small' | 'full' | 'large';

export interface SizeCounts {
  applications: number;
  apis: number;
  grants: number;
  connections: number;
}

export const SIZE_COUNTS: Record<BenchSize, SizeCounts> = {
  full: { applications: 2000, apis: 300, grants: 2000, connections: 200 },
  small: { applications: 200, apis: 30, grants: 200, connections: 20 },
  // The scale check: plan and apply of a tenant this size stay within the request bound, memory and CPU goals.
  large: { applications: 10000, apis: 1000, grants: 10000, connections: 500 },
};

export const CHANGED_SHARE = 0.05;

export type AppType = 'regular_web' | 'spa' | 'native' | 'non_interactive';

export interface BenchApplication {
  name: string;
  slug: string;
  app_type: AppType;
  description: string;
  callbacks: string[];
  /** Names of the connections enabled for this application. */
  connections: string[];
}

export interface BenchScope {
  value: string;
  description: string;
}

export interface BenchApi {
  name: string;
  slug: string;
  identifier: string;
  scopes: BenchScope[];
}

export interface BenchGrant {
  application: string;
  api: string;
  scopes: string[];
}

export interface BenchConnection {
  name: string;
  strategy: string;
  display_name: string;
  options: Record<string, unknown>;
}

export interface BenchTenant {
  applications: BenchApplication[];
  apis: BenchApi[];
  grants: BenchGrant[];
  connections: BenchConnection[];
}

export interface ChangedVariant {
  tenant: BenchTenant;
  /** How many objects of each kind differ from the base tenant (one write each is the least possible). */
  changed: SizeCounts;
}


function integerBetween(random: () => number, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** `count` distinct indexes below `limit`, in ascending order. */
function distinctIndexes(random: () => number, count: number, limit: number): number[] {
  const chosen = new Set<number>();
  while (chosen.size < Math.min(count, limit)) chosen.add(Math.floor(random() * limit));
  return [...chosen].sort((a, b) => a - b);
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

const APP_TYPES: readonly AppType[] = ['regular_web', 'spa', 'native', 'non_interactive'];
const SOCIAL_STRATEGIES = ['google-oauth2', 'github', 'facebook', 'linkedin', 'windowslive'] as const;
const SCOPE_VERBS = ['read', 'write', 'delete', 'admin', 'export', 'approve'] as const;

export function generateTenant(size: BenchSize, seed: number): BenchTenant {
  const counts = SIZE_COUNTS[size];
  const random = seededRandom(seed);

  const connections: BenchConnection[] = [];
  for (let index = 1; index <= counts.connections; index++) {
    const name = `bench-conn-${pad(index, 3)}`;
    connections.push({
      name,
      strategy: pick(random, SOCIAL_STRATEGIES),
      display_name: `Bench connection ${index}`,
      options: { scope: ['email', 'profile'] },
    });
  }

  const apis: BenchApi[] = [];
  for (let index = 1; index <= counts.apis; index++) {
    const slug = `bench-api-${pad(index, 3)}`;
    const resource = `resource${index}`;
    const verbs = SCOPE_VERBS.slice(0, integerBetween(random, 2, SCOPE_VERBS.length));
    apis.push({
      name: `Bench API ${index}`,
      slug,
      identifier: `https://${slug}.bench.example.com/`,
      scopes: verbs.map((verb) => ({ value: `${verb}:${resource}`, description: `${verb} the ${resource} records` })),
    });
  }

  const applications: BenchApplication[] = [];
  for (let index = 1; index <= counts.applications; index++) {
    const slug = `bench-app-${pad(index, 4)}`;
    const appType = pick(random, APP_TYPES);
    const host = `https://${slug}.bench.example.com`;
    const callbackCount = integerBetween(random, 1, 5);
    const interactive = appType !== 'non_interactive';
    const enabled = interactive && connections.length > 0
      ? distinctIndexes(random, integerBetween(random, 1, 2), connections.length).map((i) => connections[i]?.name ?? '')
      : [];
    applications.push({
      name: `Bench App ${pad(index, 4)}`,
      slug,
      app_type: appType,
      description: `Benchmark application ${index} (${appType})`,
      callbacks: Array.from({ length: callbackCount }, (_, n) => `${host}/callback/${n + 1}`),
      connections: enabled,
    });
  }

  // Grants go to machine-to-machine applications, spread evenly, each with a distinct API per application.
  const machines = applications.filter((app) => app.app_type === 'non_interactive');
  const grants: BenchGrant[] = [];
  const usedPairs = new Set<string>();
  let cursor = 0;
  let attempts = 0;
  while (grants.length < counts.grants && machines.length > 0) {
    const app = machines[cursor % machines.length];
    cursor++;
    if (!app) continue;
    const api = pick(random, apis);
    const pair = `${app.name}\u0000${api.identifier}`;
    if (usedPairs.has(pair)) {
      if (++attempts > counts.grants * 50) throw new Error('not enough machine-to-machine applications for the requested grants');
      continue;
    }
    usedPairs.add(pair);
    const values = api.scopes.map((scope) => scope.value);
    const take = integerBetween(random, 1, values.length);
    grants.push({ application: app.name, api: api.identifier, scopes: values.slice(0, take) });
  }
  return { applications, apis, grants, connections };
}

const sharePick = (random: () => number, length: number): number[] => distinctIndexes(random, Math.ceil(length * CHANGED_SHARE), length);

/** Changes callbacks and descriptions of 5% of applications, scope descriptions of 5% of APIs, scopes of 5% of grants, and display names of 5% of connections. */
export function changeFivePercent(base: BenchTenant, seed: number): ChangedVariant {
  const random = seededRandom(seed ^ 0x5eed);
  const tenant: BenchTenant = structuredClone(base);

  const appIndexes = sharePick(random, tenant.applications.length);
  for (const index of appIndexes) {
    const app = tenant.applications[index];
    if (!app) continue;
    app.callbacks = [...app.callbacks, `https://${app.slug}.bench.example.com/callback/changed`];
    app.description = `${app.description}, changed`;
  }

  const apiIndexes = sharePick(random, tenant.apis.length);
  for (const index of apiIndexes) {
    const first = tenant.apis[index]?.scopes[0];
    if (first) first.description = `${first.description} (changed)`;
  }

  const apiScopes = new Map(tenant.apis.map((api) => [api.identifier, api.scopes.map((scope) => scope.value)]));
  const grantIndexes = sharePick(random, tenant.grants.length);
  for (const index of grantIndexes) {
    const grant = tenant.grants[index];
    if (!grant) continue;
    const available = apiScopes.get(grant.api) ?? [];
    // Drop the last scope, or add the next one when only one is granted, so every picked grant really differs.
    grant.scopes = grant.scopes.length > 1 ? grant.scopes.slice(0, -1) : available.slice(0, 2);
  }

  const connectionIndexes = sharePick(random, tenant.connections.length);
  for (const index of connectionIndexes) {
    const connection = tenant.connections[index];
    if (connection) connection.display_name = `${connection.display_name} (changed)`;
  }

  return {
    tenant,
    changed: { applications: appIndexes.length, apis: apiIndexes.length, grants: grantIndexes.length, connections: connectionIndexes.length },
  };
}

export const BENCH_ENVIRONMENT = 'bench';

/** Writes tenantctl's layout: tenant.yaml plus one file per application, API and connection. */
export function writeTenantctlDir(tenant: BenchTenant, dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  for (const folder of ['applications', 'apis', 'connections']) mkdirSync(join(dir, folder), { recursive: true });
  writeFileSync(
    join(dir, 'tenant.yaml'),
    stringify({
      environments: { [BENCH_ENVIRONMENT]: { domain: 'bench-tenant.us.auth0.com' } },
      default_environment: BENCH_ENVIRONMENT,
    }),
  );
  const grantsByApp = new Map<string, BenchGrant[]>();
  for (const grant of tenant.grants) {
    const list = grantsByApp.get(grant.application) ?? [];
    list.push(grant);
    grantsByApp.set(grant.application, list);
  }
  for (const app of tenant.applications) {
    const document: Record<string, unknown> = {
      name: app.name,
      description: app.description,
      app_type: app.app_type,
      callbacks: app.callbacks,
    };
    if (app.connections.length > 0) document.connections = app.connections;
    const grants = grantsByApp.get(app.name);
    if (grants) document.grants = grants.map((grant) => ({ api: grant.api, scopes: grant.scopes }));
    writeFileSync(join(dir, 'applications', `${app.slug}.yaml`), stringify(document));
  }
  for (const api of tenant.apis) {
    writeFileSync(join(dir, 'apis', `${api.slug}.yaml`), stringify({ name: api.name, identifier: api.identifier, scopes: api.scopes }));
  }
  for (const connection of tenant.connections) {
    writeFileSync(join(dir, 'connections', `${connection.name}.yaml`), stringify(connection));
  }
}

/** Writes auth0-deploy-cli's single-file format; enablement lives on connections as `enabled_clients` (by name). */
export function writeDeployCliYaml(tenant: BenchTenant, file: string): void {
  const enabledByConnection = new Map<string, string[]>();
  for (const app of tenant.applications) {
    for (const connection of app.connections) {
      const list = enabledByConnection.get(connection) ?? [];
      list.push(app.name);
      enabledByConnection.set(connection, list);
    }
  }
  const document = {
    clients: tenant.applications.map((app) => ({
      name: app.name,
      description: app.description,
      app_type: app.app_type,
      callbacks: app.callbacks,
    })),
    resourceServers: tenant.apis.map((api) => ({ name: api.name, identifier: api.identifier, scopes: api.scopes })),
    clientGrants: tenant.grants.map((grant) => ({ client_id: grant.application, audience: grant.api, scope: grant.scopes })),
    connections: tenant.connections.map((connection) => ({
      ...connection,
      enabled_clients: enabledByConnection.get(connection.name) ?? [],
    })),
  };
  writeFileSync(file, stringify(document));
}

/** Enabled applications per connection name, for the lower bound of enablement requests. */
export function enabledCounts(tenant: BenchTenant): Map<string, number> {
  const counts = new Map<string, number>(tenant.connections.map((connection) => [connection.name, 0]));
  for (const app of tenant.applications) {
    for (const connection of app.connections) counts.set(connection, (counts.get(connection) ?? 0) + 1);
  }
  return counts;
}

export interface GeneratedFiles {
  base: BenchTenant;
  changed: ChangedVariant;
  tenantctlBase: string;
  tenantctlChanged: string;
  deployCliBase: string;
  deployCliChanged: string;
}

/** Generates both variants in both formats under `workDir`; with `writeFiles` false it only names the files a previous call wrote. */
export function generateAll(size: BenchSize, seed: number, workDir: string, writeFiles = true): GeneratedFiles {
  const base = generateTenant(size, seed);
  const changed = changeFivePercent(base, seed);
  const files: GeneratedFiles = {
    base,
    changed,
    tenantctlBase: join(workDir, 'tenantctl-base'),
    tenantctlChanged: join(workDir, 'tenantctl-changed'),
    deployCliBase: join(workDir, 'deploy-cli-base', 'tenant.yaml'),
    deployCliChanged: join(workDir, 'deploy-cli-changed', 'tenant.yaml'),
  };
  if (!writeFiles) return files;
  writeTenantctlDir(base, files.tenantctlBase);
  writeTenantctlDir(changed.tenant, files.tenantctlChanged);
  for (const file of [files.deployCliBase, files.deployCliChanged]) mkdirSync(join(file, '..'), { recursive: true });
  writeDeployCliYaml(base, files.deployCliBase);
  writeDeployCliYaml(changed.tenant, files.deployCliChanged);
  return files;
}
