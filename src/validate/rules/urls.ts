// Rules url-* : every URL an application declares follows the URL policy (url-policy.ts), lists stay
// within Auth0's limits (url-limit) and name each URL once (url-duplicate).
import type { Diagnostic } from '../../model/types.js';
import { checkUrl, URL_KIND_LABELS, URL_LIST_LIMITS, type UrlKind } from '../url-policy.js';
import { diagnostic, stringItems, text, type Rule } from './context.js';

const URL_LISTS: [field: string, kind: UrlKind][] = [
  ['callbacks', 'callback'],
  ['allowed_logout_urls', 'logout'],
  ['web_origins', 'web_origin'],
  ['allowed_origins', 'allowed_origin'],
];

export const urlPolicy: Rule = {
  id: 'url-policy',
  summary: 'callbacks, logout URLs, origins and the initiate login URI follow the URL policy',
  check(context) {
    const diagnostics: Diagnostic[] = [];
    for (const app of context.declarations.application) {
      const appType = text(app, 'app_type');
      const options = appType ? { appType } : {};
      for (const [field, kind] of URL_LISTS) {
        for (const { value, index } of stringItems(app.data[field])) {
          if (hasUnresolvedVariable(value)) continue;
          for (const problem of checkUrl(kind, value, context.environment, options)) {
            diagnostics.push(diagnostic('error', problem.rule, app, [field, index], problem.message, problem.hint ? { hint: problem.hint } : {}));
          }
        }
      }
      const initiate = text(app, 'initiate_login_uri');
      if (initiate !== undefined && !hasUnresolvedVariable(initiate)) {
        for (const problem of checkUrl('initiate_login', initiate, context.environment, options)) {
          diagnostics.push(diagnostic('error', problem.rule, app, ['initiate_login_uri'], problem.message, problem.hint ? { hint: problem.hint } : {}));
        }
      }
    }
    return diagnostics;
  },
};

/** An undefined variable is already reported; checking the URL around it would only add noise. */
function hasUnresolvedVariable(value: string): boolean {
  return value.includes('${') && /\$\{[^}]*\}/.test(value);
}

export const urlLists: Rule = {
  id: 'url-limit',
  summary: 'URL lists stay within Auth0 limits and name each URL once',
  check(context) {
    const diagnostics: Diagnostic[] = [];
    for (const app of context.declarations.application) {
      for (const [field, kind] of URL_LISTS) {
        const items = stringItems(app.data[field]);
        const limit = URL_LIST_LIMITS[kind];
        const over = limit === undefined ? undefined : items[limit];
        if (limit !== undefined && over) {
          diagnostics.push(diagnostic('error', 'url-limit', app, [field, over.index], `${field} has ${items.length} entries; Auth0 allows at most ${limit}`));
        }
        if (items.length < 2) continue;
        const seen = new Set<string>();
        for (const { value, index } of items) {
          if (seen.has(value)) diagnostics.push(diagnostic('error', 'url-duplicate', app, [field, index], `${URL_KIND_LABELS[kind]} "${value}" is listed twice`));
          seen.add(value);
        }
      }
    }
    return diagnostics;
  },
};
