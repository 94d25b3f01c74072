// Finds an application in the loaded configuration for `check-login`: its URL lists after variable
// substitution, and the file:line where each list lives (or should be added).
import { loadConfig, type LoadedConfig } from '../validate/load.js';
import { locate, readTenantSource } from '../config/source.js';
import { TenantctlError } from '../errors.js';
import { formatText } from '../validate/format.js';
import { LOGIN_URL_FIELDS, registeredLists, type ConfigSide } from './check-login.js';
import type { LoginUrlKind } from './login-match.js';

export interface ApplicationInConfig {
  config: LoadedConfig;
  /** Undefined when the configuration declares no application of that name. */
  side?: ConfigSide;
  appType?: string;
  declaredNames: string[];
}

/** Loads the configuration for one environment; a configuration with errors stops the command with them. */
export function findApplicationInConfig(dir: string, env: string | undefined, name: string): ApplicationInConfig {
  const loaded = loadConfig({ dir, ...(env !== undefined ? { env } : {}) });
  if (!loaded.config) {
    const errors = loaded.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    throw new TenantctlError(
      `the configuration in ${dir} has ${errors.length === 1 ? 'an error' : `${errors.length} errors`}, so it cannot be compared:\n${formatText(errors, loaded.diagnostics.length).trimEnd()}`,
      1,
      'fix them first (tenantctl validate shows the same list)',
    );
  }
  const config = loaded.config;
  const applications = config.desired.filter((object) => object.kind === 'application');
  const declaredNames = applications.map((object) => object.key);
  const app = applications.find((object) => object.key === name);
  if (!app) return { config, declaredNames };
  const source = readTenantSource(dir).files.find((file) => file.file === app.at.file);
  const where = {} as ConfigSide['where'];
  const declared = {} as NonNullable<ConfigSide['declared']>;
  const data = (source?.data ?? {}) as Record<string, unknown>;
  for (const kind of Object.keys(LOGIN_URL_FIELDS) as LoginUrlKind[]) {
    const field = LOGIN_URL_FIELDS[kind];
    declared[kind] = source !== undefined && field in data;
    where[kind] = source && declared[kind] ? locate(source, [field], 'key') : app.at;
  }
  return {
    config,
    side: { registered: registeredLists(app.fields), where, declared },
    ...(typeof app.fields.app_type === 'string' ? { appType: app.fields.app_type } : {}),
    declaredNames,
  };
}
