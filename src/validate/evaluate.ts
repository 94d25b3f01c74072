// Evaluates one environment: the declarations src/config read, the named rules over them and, when nothing
// is wrong, the declarations lowered to DesiredObject[] for the planner.
import { readDeclarations } from '../config/evaluate.js';
import type { EnvironmentSettings, TenantSettings } from '../config/environment.js';
import { lowerDeclarations } from '../config/lower.js';
import type { TenantSource } from '../config/source.js';
import type { Diagnostic, DesiredObject } from '../model/types.js';
import { runRules } from './rules/index.js';

export interface Evaluation {
  environment: EnvironmentSettings;
  diagnostics: Diagnostic[];
  /** Present only when the environment has no error-severity diagnostic. */
  desired?: DesiredObject[];
}

export function evaluateEnvironment(source: TenantSource, settings: TenantSettings, name: string, processEnv: Record<string, string | undefined>): Evaluation {
  const read = readDeclarations(source, settings, name, processEnv);
  const diagnostics = [...read.diagnostics, ...runRules({ environment: read.environment, managementApi: read.managementApi, declarations: read.declarations })];
  const failed = diagnostics.some((diagnostic) => diagnostic.severity === 'error');
  return { environment: read.environment, diagnostics, ...(failed ? {} : { desired: lowerDeclarations(read.declarations) }) };
}
