// Validates a whole tenant directory offline: every file, every rule, and every environment unless
// one is chosen. A diagnostic found in several environments is reported once.
import type { Diagnostic } from '../model/types.js';
import { chooseEnvironment, readTenantSettings } from '../config/environment.js';
import { evaluateEnvironment } from './evaluate.js';
import { isDirectory } from '../config/index.js';
import { compareStrings, readTenantSource, type TenantSource } from '../config/source.js';
import { UsageError } from '../errors.js';
import { checkSchema } from '../config/schema-check.js';

export interface ValidationResult {
  diagnostics: Diagnostic[];
  /** The environments that were checked (empty when tenant.yaml declares none usable). */
  environments: string[];
  fileCount: number;
}

export interface ValidateOptions {
  env?: string;
  processEnv?: Record<string, string | undefined>;
}

/** Validates the directory; throws UsageError (exit 2) only when it cannot run at all. */
export function validateTenantDirectory(dir: string, options: ValidateOptions = {}): ValidationResult {
  if (!isDirectory(dir)) throw new UsageError(`tenant directory "${dir}" does not exist`, 'pass the folder holding tenant.yaml with --dir');
  return validateTenantSource(readTenantSource(dir), options);
}

export function validateTenantSource(source: TenantSource, options: ValidateOptions = {}): ValidationResult {
  const settings = readTenantSettings(source);
  const fixed = [...source.diagnostics, ...settings.diagnostics];
  let names = [...settings.environments.keys()];
  if (options.env !== undefined) {
    const chosen = chooseEnvironment(settings, options.env);
    if (!chosen.name) throw new UsageError(chosen.diagnostic?.message ?? `environment "${options.env}" is not declared`, chosen.diagnostic?.hint);
    names = [chosen.name];
  }
  const fileCount = source.files.length;
  if (names.length === 0) {
    // Without an environment, variables cannot be resolved; the schema still catches most mistakes.
    const schemaOnly = source.files.filter((file) => file.kind !== 'tenant' && file.data !== undefined).flatMap((file) => checkSchema(file, file.data));
    return { diagnostics: sortDiagnostics(dedupe([...fixed, ...schemaOnly])), environments: [], fileCount };
  }
  const processEnv = options.processEnv ?? process.env;
  const perEnvironment = names.map((name) => ({ name, diagnostics: evaluateEnvironment(source, settings, name, processEnv).diagnostics }));
  return { diagnostics: sortDiagnostics([...dedupe(fixed), ...mergeEnvironments(perEnvironment)]), environments: names, fileCount };
}

/** Reports each distinct diagnostic once; one that only some environments have names them. */
function mergeEnvironments(results: { name: string; diagnostics: Diagnostic[] }[]): Diagnostic[] {
  const found = new Map<string, { diagnostic: Diagnostic; environments: string[] }>();
  for (const { name, diagnostics } of results) {
    for (const diagnostic of diagnostics) {
      const key = identity(diagnostic);
      const entry = found.get(key);
      if (!entry) found.set(key, { diagnostic, environments: [name] });
      else if (!entry.environments.includes(name)) entry.environments.push(name);
    }
  }
  return [...found.values()].map(({ diagnostic, environments }) =>
    results.length > 1 && environments.length < results.length && !environments.some((name) => diagnostic.message.includes(`environment ${name}`))
      ? { ...diagnostic, message: `${diagnostic.message} (in ${environments.length === 1 ? 'environment' : 'environments'} ${environments.join(', ')})` }
      : diagnostic,
  );
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((diagnostic) => {
    const key = identity(diagnostic);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function identity(diagnostic: Diagnostic): string {
  const at = diagnostic.at;
  return `${diagnostic.severity}|${diagnostic.rule}|${at ? `${at.file}:${at.line}:${at.column}` : ''}|${diagnostic.message}`;
}

/** Diagnostics without a position first, then by file, line and column, so output reads top to bottom. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    if (!a.at || !b.at) return a.at ? 1 : b.at ? -1 : 0;
    return compareStrings(a.at.file, b.at.file) || a.at.line - b.at.line || a.at.column - b.at.column || compareStrings(a.rule, b.rule);
  });
}

export function hasErrors(diagnostics: Diagnostic[]): boolean {
  return diagnostics.some((diagnostic) => diagnostic.severity === 'error');
}
