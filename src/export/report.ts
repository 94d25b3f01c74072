// Checks exported files with the same rules as `tenantctl validate`, in memory, and words the summary
// export prints: counts, what was left out and why, and the next step.
import { KIND_SPECS, KINDS } from '../model/kinds.js';
import { parseTenantFiles } from '../config/source.js';
import type { Diagnostic } from '../model/types.js';
import { validateTenantSource } from '../validate/index.js';
import type { ExportNote, ExportResult, ExportedFile } from './convert.js';

/** Every diagnostic `validate --env ENV` would give for the files, with paths under `dir`. */
export function validateExport(dir: string, files: readonly ExportedFile[], environment: string): Diagnostic[] {
  const source = parseTenantFiles(dir, files.map((file) => ({ relative: file.path, text: file.text })));
  // No process variables: exported files must not depend on any.
  return validateTenantSource(source, { env: environment, processEnv: {} }).diagnostics;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function noteLines(title: string, notes: readonly ExportNote[]): string[] {
  if (notes.length === 0) return [];
  return [title, ...notes.map((note) => `  ${note.object}: ${note.message}`)];
}

export function describeExport(result: ExportResult, where: { dir: string; domain: string; environment: string }): string {
  const counted = KINDS.map((kind) => plural(result.counts[KIND_SPECS[kind].group] ?? 0, KIND_SPECS[kind].names.one, KIND_SPECS[kind].names.many));
  const lines = [
    `Exported ${counted.slice(0, -1).join(', ')} and ${counted.at(-1)} ` +
      `from ${where.domain} to ${where.dir} (environment ${where.environment}); Auth0's defaults and read-only fields are left out.`,
    ...noteLines('Secrets not written (the tenant keeps them; each file has a TODO saying how to manage them):', result.secrets),
    ...noteLines('Fields not written because the schemas have no place for them (tenantctl leaves them as they are):', result.dropped),
    ...noteLines('Objects not exported:', result.skipped),
    ...noteLines('Not read from the tenant, so not written (grant the scope named and export again to include them):', result.unread),
  ];
  return `${lines.join('\n')}\n`;
}
