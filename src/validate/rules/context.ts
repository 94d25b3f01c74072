// What every named rule receives: the declarations of one environment after variable substitution,
// plus small helpers to read their fields defensively (a file may have failed its schema check).
import type { Diagnostic, Severity } from '../../model/types.js';
import { locate, type DeclaredFileKind, type PathSegment } from '../../config/source.js';
import { text, type Declaration } from '../../config/declaration.js';
import { KIND_SPECS } from '../../model/kinds.js';

export { hasStringItem, record, stringItems, text, type Declaration } from '../../config/declaration.js';
import type { EnvironmentSettings } from '../../config/environment.js';

export interface RuleContext {
  environment: EnvironmentSettings;
  /** `https://<domain>/api/v2/`, the identifier of the environment's Management API. */
  managementApi: string;
  /** The declaration files of each kind that has its own files. */
  declarations: Readonly<Record<DeclaredFileKind, Declaration[]>>;
}

export interface Rule {
  /** The rule id, shown in every diagnostic the rule produces unless it reports finer-grained ids. */
  id: string;
  summary: string;
  check(context: RuleContext): Diagnostic[];
}

/** The keys the files of a kind declare (its key field), in file order; files without one are left out. */
export function declaredKeys(context: RuleContext, kind: DeclaredFileKind): string[] {
  const field = KIND_SPECS[kind].files!.keyField;
  return context.declarations[kind].map((declaration) => text(declaration, field)).filter((key): key is string => key !== undefined);
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
