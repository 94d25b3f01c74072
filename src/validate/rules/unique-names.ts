// Rule duplicate-name: two files may not declare the same application name, connection name or
// API identifier, because those natural keys are how tenantctl matches config to the live tenant.
import type { Diagnostic } from '../../model/types.js';
import { locate } from '../../config/source.js';
import { diagnostic, text, type Declaration, type Rule } from './context.js';

export const uniqueNames: Rule = {
  id: 'duplicate-name',
  summary: 'application names, connection names and API identifiers are unique across files',
  check: (context) => [
    ...duplicatesOf(context.declarations.application, 'name', 'application'),
    ...duplicatesOf(context.declarations.connection, 'name', 'connection'),
    ...duplicatesOf(context.declarations.api, 'identifier', 'API'),
  ],
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
