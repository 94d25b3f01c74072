// Evaluates the parsed tenant for one environment: substitutes variables, checks schemas, runs the
// named rules and, when nothing is wrong, lowers the declarations to DesiredObject[].
import type { Diagnostic, DesiredObject } from '../model/types.js';
import { runRules } from '../validate/rules/index.js';
import { managementApiIdentifier, type Declaration, type RuleContext } from '../validate/rules/context.js';
import { checkSchema } from '../validate/schema-check.js';
import { asRecord, type EnvironmentSettings, type TenantSettings } from './environment.js';
import { lowerDeclarations } from './lower.js';
import { substituteVariables } from './variables.js';
import type { TenantSource } from './source.js';

export interface Evaluation {
  environment: EnvironmentSettings;
  diagnostics: Diagnostic[];
  /** Present only when the environment has no error-severity diagnostic. */
  desired?: DesiredObject[];
}

export function evaluateEnvironment(source: TenantSource, settings: TenantSettings, name: string, processEnv: Record<string, string | undefined>): Evaluation {
  const declared = settings.environments.get(name);
  if (!declared) throw new Error(`evaluateEnvironment: environment ${name} is not declared`);
  const diagnostics: Diagnostic[] = [];

  // Vars may take deployment-specific values from the process environment, never from other vars.
  let environment = declared;
  if (settings.file) {
    const substituted = substituteVariables(settings.file, declared.vars, { environment: name, processEnv }, ['environments', name, 'vars']);
    diagnostics.push(...substituted.diagnostics);
    environment = { ...declared, vars: substituted.value as Record<string, string> };
  }

  const context: RuleContext = { environment, managementApi: managementApiIdentifier(environment.domain), applications: [], connections: [], apis: [] };
  const scope = { environment: name, vars: environment.vars, processEnv };
  for (const file of source.files) {
    if (file.kind === 'tenant' || file.data === undefined) continue;
    const substituted = substituteVariables(file, file.data, scope);
    diagnostics.push(...substituted.diagnostics, ...checkSchema(file, substituted.value));
    if (substituted.value === null || typeof substituted.value !== 'object' || Array.isArray(substituted.value)) continue;
    const declaration: Declaration = { source: file, data: asRecord(substituted.value) };
    if (file.kind === 'application') context.applications.push(declaration);
    else if (file.kind === 'connection') context.connections.push(declaration);
    else context.apis.push(declaration);
  }
  diagnostics.push(...runRules(context));

  const failed = diagnostics.some((diagnostic) => diagnostic.severity === 'error');
  return { environment, diagnostics, ...(failed ? {} : { desired: lowerDeclarations(context) }) };
}
