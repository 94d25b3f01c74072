// Rule duplicate-name: two files may not declare the same application name, connection name or
// API identifier, because those natural keys are how tenantctl matches config to the live tenant.
import { DECLARED_KINDS, KIND_SPECS } from '../../model/kinds.js';
import type { Diagnostic } from '../../model/types.js';
import { locate } from '../../config/source.js';
import { diagnostic, text, type Declaration, type Rule } from './context.js';

export const uniqueNames: Rule = {
  id: 'duplicate-name',
  summary: 'the key of each kind (application, connection and organization names, API identifiers) is unique across files',
  check: (context) =>
    DECLARED_KINDS.flatMap((kind) => duplicatesOf(context.declarations[kind], KIND_SPECS[kind].files!.keyField, KIND_SPECS[kind].names.one)),
};

function duplicatesOf(declarations: Declaration[], field: string, noun: string): Diagnostic[] {
  const first = new Map<string, Declaration>();
  const diagnostics: Diagnostic[] = [];
  for (const declaration of declarations) {
    const key = text(declaration, field);
    if (key === undefined) continue;
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, declaration);
      continue;
    }
    const where = locate(earlier.source, [field]);
    diagnostics.push(
      diagnostic('error', 'duplicate-name', declaration, [field], `${noun} ${field} "${key}" is already declared in ${where.file}:${where.line}:${where.column}`),
    );
  }
  return diagnostics;
}
