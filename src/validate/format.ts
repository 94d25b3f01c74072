// Renders diagnostics for people (text), for GitHub pull-request annotations (github) and for
// programs (json). Pure functions from diagnostics to a string; the CLI decides where it goes.
import type { Diagnostic } from '../model/types.js';

export type OutputFormat = 'text' | 'json' | 'github';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'github'];

/** Version of the `--format json` output, described by schemas/validate-output.schema.json; bumped only when readers would break. */
export const VALIDATE_FORMAT_VERSION = 1;

export function formatDiagnostics(format: OutputFormat, diagnostics: Diagnostic[], fileCount: number): string {
  if (format === 'json') return `${JSON.stringify(toJsonDocument(diagnostics, fileCount), null, 2)}\n`;
  if (format === 'github') return diagnostics.map(toGithub).join('');
  return formatText(diagnostics, fileCount);
}

export function formatText(diagnostics: Diagnostic[], fileCount: number): string {
  return formatDiagnosticLines(diagnostics) + summaryLine(diagnostics, fileCount) + '\n';
}

/** One line per diagnostic (and its hint), as `validate` prints them; plan and apply reuse it. */
export function formatDiagnosticLines(diagnostics: Diagnostic[]): string {
  let out = '';
  for (const diagnostic of diagnostics) {
    const where = diagnostic.at ? `${diagnostic.at.file}:${diagnostic.at.line}:${diagnostic.at.column}: ` : '';
    out += `${where}${diagnostic.severity} [${diagnostic.rule}] ${diagnostic.message}\n`;
    if (diagnostic.hint) out += `  hint: ${diagnostic.hint}\n`;
  }
  return out;
}

export function summaryLine(diagnostics: Diagnostic[], fileCount: number): string {
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const files = plural(fileCount, 'file');
  if (diagnostics.length === 0) return `No problems found in ${files}.`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${files}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function toJsonDocument(diagnostics: Diagnostic[], fileCount: number) {
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
  return {
    format_version: VALIDATE_FORMAT_VERSION,
    summary: { errors, warnings: diagnostics.length - errors, files: fileCount },
    diagnostics: diagnostics.map(toJson),
  };
}

function toJson(diagnostic: Diagnostic) {
  return {
    severity: diagnostic.severity,
    rule: diagnostic.rule,
    message: diagnostic.message,
    file: diagnostic.at?.file ?? null,
    line: diagnostic.at?.line ?? null,
    column: diagnostic.at?.column ?? null,
    ...(diagnostic.hint ? { hint: diagnostic.hint } : {}),
  };
}

/** One workflow command per diagnostic; GitHub shows it on the PR diff at file, line and column. */
function toGithub(diagnostic: Diagnostic): string {
  const properties: string[] = [];
  if (diagnostic.at) {
    properties.push(`file=${escapeProperty(diagnostic.at.file)}`, `line=${diagnostic.at.line}`, `col=${diagnostic.at.column}`);
  }
  properties.push(`title=${escapeProperty(diagnostic.rule)}`);
  const message = diagnostic.hint ? `${diagnostic.message}\nhint: ${diagnostic.hint}` : diagnostic.message;
  return `::${diagnostic.severity} ${properties.join(',')}::${escapeData(message)}\n`;
}

export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
