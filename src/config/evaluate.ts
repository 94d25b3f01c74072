// Reads the parsed tenant for one environment: substitutes variables, checks each file against its schema,
// and sorts the files into declarations by kind. The semantic rules run over these in src/validate.
import { managementApiIdentifier } from '../model/api.js';
import type { Diagnostic } from '../model/types.js';
import type { Declaration } from './declaration.js';
import { asRecord, type EnvironmentSettings, type TenantSettings } from './environment.js';
import { checkSchema } from './schema-check.js';
import { KIND_FOLDERS, type DeclaredFileKind, type TenantSource } from './source.js';
import { substituteVariables } from './variables.js';

export interface EnvironmentDeclarations {
  environment: EnvironmentSettings;
  /** `https://<domain>/api/v2/`, the identifier of the environment's Management API. */
  managementApi: string;
  /** Declaration files by the kind of file, after variable substitution. */
  declarations: Record<DeclaredFileKind, Declaration[]>;
  /** Variable and schema problems. */
  diagnostics: Diagnostic[];
}

export function readDeclarations(
  source: TenantSource,
  settings: TenantSettings,
  name: string,
  processEnv: Record<string, string | undefined>,
): EnvironmentDeclarations {
  const declared = settings.environments.get(name);
  if (!declared) throw new Error(`readDeclarations: environment ${name} is not declared`);
  const diagnostics: Diagnostic[] = [];

  // Vars may take deployment-specific values from the process environment, never from other vars.
  let environment = declared;
  if (settings.file) {
    const substituted = substituteVariables(settings.file, declared.vars, { environment: name, processEnv }, ['environments', name, 'vars']);
    diagnostics.push(...substituted.diagnostics);
    environment = { ...declared, vars: substituted.value as Record<string, string> };
  }

  const declarations = Object.fromEntries(Object.keys(KIND_FOLDERS).map((kind) => [kind, []])) as unknown as Record<DeclaredFileKind, Declaration[]>;
  const scope = { environment: name, vars: environment.vars, processEnv };
  for (const file of source.files) {
    if (file.kind === 'tenant' || file.data === undefined) continue;
    const substituted = substituteVariables(file, file.data, scope);
    diagnostics.push(...substituted.diagnostics, ...checkSchema(file, substituted.value));
    if (substituted.value === null || typeof substituted.value !== 'object' || Array.isArray(substituted.value)) continue;
    declarations[file.kind].push({ source: file, data: asRecord(substituted.value) });
  }
  return { environment, managementApi: managementApiIdentifier(environment.domain), declarations, diagnostics };
}
