// Rule duplicate-entry: a list that is a set (an application's connections, a grant's scopes, an
// API's scope values) names each entry once; the second occurrence is reported.
import type { Diagnostic } from '../../model/types.js';
import type { PathSegment } from '../../config/source.js';
import { diagnostic, record, stringItems, type Declaration, type Rule } from './context.js';

export const duplicateEntries: Rule = {
  id: 'duplicate-entry',
  summary: 'connections, grant scopes and API scopes list each entry once',
  check(context) {
    const diagnostics: Diagnostic[] = [];
    for (const app of context.declarations.application) {
      if (canRepeat(app.data.connections)) diagnostics.push(...repeated(app, ['connections'], stringItems(app.data.connections), 'connection'));
      if (Array.isArray(app.data.grants)) {
        app.data.grants.forEach((grant, index) => {
          const scopes = record(grant)?.scopes;
          if (canRepeat(scopes)) diagnostics.push(...repeated(app, ['grants', index, 'scopes'], stringItems(scopes), 'scope'));
        });
      }
    }
    for (const api of context.declarations.api) {
      if (!canRepeat(api.data.scopes)) continue;
      const values = (api.data.scopes as unknown[]).map((scope) => record(scope)?.value);
      const items = stringItems(values).map(({ value, index }) => ({ value, index, path: ['scopes', index, 'value'] as PathSegment[] }));
      diagnostics.push(...repeated(api, [], items, 'scope'));
    }
    return diagnostics;
  },
};

/** Only a list of two or more entries can name one twice (most lists of a tenant are shorter). */
function canRepeat(list: unknown): boolean {
  return Array.isArray(list) && list.length > 1;
}

function repeated(
  declaration: Declaration,
  listPath: PathSegment[],
  items: { value: string; index: number; path?: PathSegment[] }[],
  noun: string,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.value)) {
      diagnostics.push(diagnostic('error', 'duplicate-entry', declaration, item.path ?? [...listPath, item.index], `${noun} "${item.value}" is listed twice`));
    }
    seen.add(item.value);
  }
  return diagnostics;
}
