// Writes a large tenant as tenant/ YAML, the same files for the same seed, for the fault-injection runs.
// Also returns what it declared, so tests can check the emulator holds every object exactly once.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../src/emulator/seeded-random.js';

export interface TenantSize {
  applications: number;
  apis: number;
  grants: number;
  connections: number;
}

export const reliabilityTenantSize: TenantSize = { applications: 320, apis: 40, grants: 120, connections: 20 };

export interface GeneratedTenant {
  applications: string[];
  apis: string[];
  /** "application name → API identifier" pairs. */
  grants: Array<{ application: string; audience: string }>;
  connections: string[];
  /** Number of (connection, application) enablements declared. */
  enablements: number;
}


const pad = (n: number): string => String(n).padStart(3, '0');
const quote = (value: string): string => JSON.stringify(value);

const TENANT_YAML = [
  'environments:',
  '  dev:',
  '    domain: reliability-dev.us.auth0.com',
  'default_environment: dev',
  '',
].join('\n');

/** Writes `<dir>/tenant.yaml` and one file per object; returns the declared keys. */
export function writeGeneratedTenant(dir: string, size: TenantSize = reliabilityTenantSize, seed = 9): GeneratedTenant {
  const random = seededRandom(seed);
  const pick = (n: number): number => Math.floor(random() * n);
  for (const sub of ['applications', 'apis', 'connections']) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, 'tenant.yaml'), TENANT_YAML);

  const apis: Array<{ identifier: string; scopes: string[] }> = [];
  for (let i = 0; i < size.apis; i++) {
    const identifier = `https://api-${pad(i)}.reliability.example.com/`;
    const scopes = Array.from({ length: 2 + pick(4) }, (_, s) => `${['read', 'write', 'admin', 'sync', 'export'][s] ?? 'use'}:resource-${pad(i)}`);
    apis.push({ identifier, scopes });
    writeFileSync(
      join(dir, 'apis', `api-${pad(i)}.yaml`),
      [
        `name: ${quote(`Reliability API ${pad(i)}`)}`,
        `identifier: ${quote(identifier)}`,
        'scopes:',
        ...scopes.map((scope) => `  - value: ${quote(scope)}\n    description: ${quote(`Scope ${scope}`)}`),
        `token_lifetime: ${3600 * (1 + pick(24))}`,
        '',
      ].join('\n'),
    );
  }

  const connections: string[] = [];
  for (let i = 0; i < size.connections; i++) {
    const name = `reliability-db-${pad(i)}`;
    connections.push(name);
    writeFileSync(join(dir, 'connections', `${name}.yaml`), [`name: ${name}`, 'strategy: auth0', `display_name: ${quote(`Database ${pad(i)}`)}`, ''].join('\n'));
  }

  const interactiveTypes = ['regular_web', 'spa', 'native'] as const;
  // Enough machine-to-machine applications to hold the grants, at most three grants each.
  const machineCount = Math.min(size.applications, Math.ceil(size.grants / 3));
  const applications: string[] = [];
  const grants: GeneratedTenant['grants'] = [];
  let enablements = 0;
  let grantsLeft = size.grants;
  for (let i = 0; i < size.applications; i++) {
    const name = `Reliability App ${pad(i)}`;
    applications.push(name);
    const host = `app-${pad(i)}.reliability.example.com`;
    const lines = [`name: ${quote(name)}`, `description: ${quote(`Generated application number ${i}`)}`];
    if (i < machineCount) {
      lines.push('app_type: non_interactive', 'grant_types: [client_credentials]', 'grants:');
      const count = Math.min(grantsLeft, Math.ceil(grantsLeft / (machineCount - i)));
      const first = pick(apis.length);
      for (let g = 0; g < count; g++) {
        const api = apis[(first + g * 7) % apis.length]!;
        grants.push({ application: name, audience: api.identifier });
        lines.push(`  - api: ${quote(api.identifier)}`, '    scopes:', ...api.scopes.slice(0, 1 + pick(api.scopes.length)).map((scope) => `      - ${quote(scope)}`));
      }
      grantsLeft -= count;
    } else {
      const type = interactiveTypes[pick(interactiveTypes.length)]!;
      lines.push(`app_type: ${type}`);
      const callbacks = Array.from({ length: 1 + pick(5) }, (_, c) => (type === 'native' ? `com.reliability.app${pad(i)}://callback/${c}` : `https://${host}/callback/${c}`));
      lines.push('callbacks:', ...callbacks.map((url) => `  - ${quote(url)}`));
      if (type === 'spa') {
        lines.push('token_endpoint_auth_method: none', 'grant_types: [authorization_code, refresh_token]', 'web_origins:', `  - ${quote(`https://${host}`)}`);
      } else if (type === 'regular_web') {
        lines.push('grant_types: [authorization_code, refresh_token]', 'allowed_logout_urls:', `  - ${quote(`https://${host}/`)}`);
      }
      const enabled = new Set<string>();
      const wanted = 1 + pick(2);
      while (enabled.size < Math.min(wanted, connections.length)) enabled.add(connections[pick(connections.length)]!);
      enablements += enabled.size;
      lines.push('connections:', ...[...enabled].map((connection) => `  - ${connection}`));
    }
    writeFileSync(join(dir, 'applications', `app-${pad(i)}.yaml`), `${lines.join('\n')}\n`);
  }
  return { applications, apis: apis.map((api) => api.identifier), grants, connections, enablements };
}
