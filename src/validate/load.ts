// The configuration loader: reads a tenant directory (src/config), picks the environment, runs every
// validation rule and lowers the declarations to DesiredObject[] for the planner.
import { configHash, isDirectory } from '../config/index.js';
import { chooseEnvironment, readTenantSettings, type EnvironmentSettings, type UndeclaredKind, type UndeclaredPolicy } from '../config/environment.js';
import { readTenantSource, type TenantSource } from '../config/source.js';
import type { Diagnostic, DesiredObject } from '../model/types.js';
import { evaluateEnvironment } from './evaluate.js';

export interface LoadedConfig {
  /** The directory as given, so paths in diagnostics stay relative to the working directory. */
  dir: string;
  environment: EnvironmentSettings;
  environments: string[];
  undeclared: Record<UndeclaredKind, UndeclaredPolicy>;
  desired: DesiredObject[];
  /** Every file read, sorted. */
  files: string[];
  /** sha256 over the sorted files' relative paths and raw bytes, plus the environment name. */
  configHash: string;
}

export interface LoadOptions {
  dir: string;
  env?: string;
  processEnv?: Record<string, string | undefined>;
}

/** Loads and validates the configuration for one environment; `config` is present only when there is no error. */
export function loadConfig(options: LoadOptions): { config?: LoadedConfig; diagnostics: Diagnostic[] } {
  if (!isDirectory(options.dir)) {
    return { diagnostics: [{ severity: 'error', rule: 'no-directory', message: `tenant directory "${options.dir}" does not exist` }] };
  }
  return loadConfigFromSource(readTenantSource(options.dir), options);
}

/** The same as loadConfig for files already read (tests hold configurations in memory). */
export function loadConfigFromSource(source: TenantSource, options: Omit<LoadOptions, 'dir'>): { config?: LoadedConfig; diagnostics: Diagnostic[] } {
  const settings = readTenantSettings(source);
  const diagnostics = [...source.diagnostics, ...settings.diagnostics];
  const chosen = chooseEnvironment(settings, options.env);
  if (chosen.diagnostic) diagnostics.push(chosen.diagnostic);
  if (!chosen.name) return { diagnostics };
  const evaluation = evaluateEnvironment(source, settings, chosen.name, options.processEnv ?? process.env);
  diagnostics.push(...evaluation.diagnostics);
  if (!evaluation.desired || diagnostics.some((diagnostic) => diagnostic.severity === 'error')) return { diagnostics };
  return {
    diagnostics,
    config: {
      dir: source.dir,
      environment: evaluation.environment,
      environments: [...settings.environments.keys()],
      undeclared: settings.undeclared,
      desired: evaluation.desired,
      files: source.files.map((file) => file.file).sort(),
      configHash: configHash(source, chosen.name),
    },
  };
}
