// What every named rule receives: the declarations of one environment after variable substitution,
// plus small helpers to read their fields defensively (a file may have failed its schema check).
import type { Diagnostic, Severity } from '../../model/types.js';
import { locate, type PathSegment, type SourceFile } from '../../config/source.js';
import type { EnvironmentSettings } from '../../config/environment.js';

/** One declaration file whose data is a mapping. */
export interface Declaration {
  source: SourceFile;
  data: Record<string, unknown>;
}

export interface RuleContext {
  environment: EnvironmentSettings;
  /** `https://<domain>/api/v2/`, the identifier of the environment's Management API. */
  managementApi: string;
  applications: Declaration[];
  connections: Declaration[];
  apis: Declaration[];
}

export interface Rule {
  /** The rule id, shown in every diagnostic the rule produces unless it reports finer-grained ids. */
  id: string;
  summary: string;
  check(context: RuleContext): Diagnostic[];
}

export function managementApiIdentifier(domain: string): string {
  return `https://${domain}/api/v2/`;
}

export function text(declaration: Declaration, field: string): string | undefined {
  const value = declaration.data[field];
  return typeof value === 'string' ? value : undefined;
}

/** The string items of a list field, with their indexes so diagnostics can point at each item. */
export function stringItems(value: unknown): { value: string; index: number }[] {
  if (!Array.isArray(value)) return [];
  const items: { value: string; index: number }[] = [];
  value.forEach((item, index) => {
    if (typeof item === 'string') items.push({ value: item, index });
  });
  return items;
}

export function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function diagnostic(
  severity: Severity,
  rule: string,
  declaration: Declaration,
  path: readonly PathSegment[],
  message: string,
  extra: { hint?: string; part?: 'key' | 'value' } = {},
): Diagnostic {
  return {
    severity,
    rule,
    message,
    at: locate(declaration.source, path, extra.part ?? 'value'),
    ...(extra.hint ? { hint: extra.hint } : {}),
  };
}
