// Reads tenant.yaml into environment settings and undeclared-object policies, and picks the
// environment a command runs against. Reports problems as diagnostics; never throws for bad input.
import type { KindGroup, UndeclaredPolicy } from '../model/kind-spec.js';
import { defaultUndeclared, KIND_SPECS, KINDS } from '../model/kinds.js';
import type { Diagnostic } from '../model/types.js';
import { closestMatch } from '../did-you-mean.js';
import { checkSchema } from './schema-check.js';
import { locate, TENANT_FILE, type SourceFile, type TenantSource } from './source.js';

export interface EnvironmentSettings {
  name: string;
  domain: string;
  allowLocalhost: boolean;
  vars: Record<string, string>;
  /** No wildcard URLs; defaults to true for environments named `prod` or `production`. */
  production?: boolean;
}

export type { UndeclaredPolicy } from '../model/kind-spec.js';
/** A kind's group name (`applications`, `apis`, ...), the key of its `undeclared:` policy. */
export type UndeclaredKind = KindGroup;

export interface TenantSettings {
  file?: SourceFile;
  /** Declared environments, vars not yet substituted. */
  environments: Map<string, EnvironmentSettings>;
  defaultEnvironment?: string;
  undeclared: Record<UndeclaredKind, UndeclaredPolicy>;
  diagnostics: Diagnostic[];
}

/** Reads tenant.yaml defensively: whatever is well-formed is used, everything else is a diagnostic. */
export function readTenantSettings(source: TenantSource): TenantSettings {
  const file = source.files.find((candidate) => candidate.kind === 'tenant');
  const undeclared: Record<UndeclaredKind, UndeclaredPolicy> = defaultUndeclared();
  const environments = new Map<string, EnvironmentSettings>();
  if (!file) {
    return {
      environments,
      undeclared,
      diagnostics: [
        {
          severity: 'error',
          rule: 'missing-tenant-file',
          message: `${source.dir} has no ${TENANT_FILE}, so no environment is declared`,
          at: { file: `${source.dir}/${TENANT_FILE}`.replace(/\/\/+/g, '/'), line: 1, column: 1 },
          hint: 'create it with an `environments:` mapping, e.g. dev: { domain: example.us.auth0.com }',
        },
      ],
    };
  }
  if (file.data === undefined) return { file, environments, undeclared, diagnostics: [] };
  const diagnostics = checkSchema(file, file.data);
  const data = asRecord(file.data);
  for (const [name, raw] of Object.entries(asRecord(data.environments))) {
    const env = asRecord(raw);
    if (typeof env.domain !== 'string') continue;
    const vars: Record<string, string> = {};
    for (const [key, value] of Object.entries(asRecord(env.vars))) if (typeof value === 'string') vars[key] = value;
    environments.set(name, {
      name,
      domain: env.domain,
      allowLocalhost: env.allow_localhost === true,
      vars,
      production: typeof env.production === 'boolean' ? env.production : /^prod(uction)?$/.test(name),
    });
  }
  for (const { group } of KINDS.map((kind) => KIND_SPECS[kind])) {
    const policy = asRecord(data.undeclared)[group];
    if (policy === 'ignore' || policy === 'managed' || policy === 'all') undeclared[group] = policy;
  }
  let defaultEnvironment: string | undefined;
  if (typeof data.default_environment === 'string') {
    if (environments.has(data.default_environment)) defaultEnvironment = data.default_environment;
    else if (!Object.hasOwn(asRecord(data.environments), data.default_environment)) {
      // A declared but malformed environment already has its schema diagnostic; only a missing one is reported here.
      const suggestion = closestMatch(data.default_environment, Object.keys(asRecord(data.environments)));
      diagnostics.push({
        severity: 'error',
        rule: 'unknown-environment',
        message: `default_environment "${data.default_environment}" is not declared under environments`,
        at: locate(file, ['default_environment']),
        hint: suggestion ? `did you mean "${suggestion}"?` : `declared: ${Object.keys(asRecord(data.environments)).join(', ') || 'none'}`,
      });
    }
  }
  return { file, environments, ...(defaultEnvironment ? { defaultEnvironment } : {}), undeclared, diagnostics };
}

/** The environment a command uses when none is given, or a diagnostic saying why none can be chosen. */
export function chooseEnvironment(settings: TenantSettings, requested: string | undefined): { name?: string; diagnostic?: Diagnostic } {
  const names = [...settings.environments.keys()];
  if (requested !== undefined) {
    if (settings.environments.has(requested)) return { name: requested };
    const suggestion = closestMatch(requested, names);
    return {
      diagnostic: {
        severity: 'error',
        rule: 'unknown-environment',
        message: `environment "${requested}" is not declared in ${TENANT_FILE}`,
        hint: suggestion ? `did you mean "${suggestion}"?` : `declared environments: ${names.join(', ') || 'none'}`,
      },
    };
  }
  if (settings.defaultEnvironment) return { name: settings.defaultEnvironment };
  if (names.length === 1) return { name: names[0] };
  if (names.length === 0) return {};
  return {
    diagnostic: {
      severity: 'error',
      rule: 'environment-required',
      message: `${TENANT_FILE} declares several environments (${names.join(', ')}) and no default_environment`,
      hint: 'choose one with --env NAME',
    },
  };
}

export function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
