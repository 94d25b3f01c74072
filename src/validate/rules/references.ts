// Rules unknown-connection, unknown-api, unknown-scope, duplicate-grant: every name an application
// refers to resolves to something declared (or the environment's Management API), with did-you-mean.
import type { Diagnostic } from '../../model/types.js';
import { closestMatch } from '../../did-you-mean.js';
import { MANAGEMENT_API_SCOPES } from '../management-api.js';
import { declaredKeys, diagnostic, record, stringItems, text, type Rule } from './context.js';

export const connectionReferences: Rule = {
  id: 'unknown-connection',
  summary: "an application's connections name declared connections",
  check(context) {
    const declared = declaredKeys(context, 'connection');
    const known = new Set(declared);
    const diagnostics: Diagnostic[] = [];
    for (const app of context.declarations.application) {
      for (const { value, index } of stringItems(app.data.connections)) {
        if (known.has(value)) continue;
        const suggestion = closestMatch(value, declared);
        diagnostics.push(
          diagnostic('error', 'unknown-connection', app, ['connections', index], `connection "${value}" is not declared`, {
            hint: suggestion
              ? `did you mean "${suggestion}"?`
              : `declare it in connections/ (for a built-in such as Username-Password-Authentication, a file with just name and strategy lets tenantctl manage which applications use it)`,
          }),
        );
      }
    }
    return diagnostics;
  },
};

export const grantReferences: Rule = {
  id: 'unknown-api',
  summary: "a grant's api is a declared API or the Management API, and its scopes exist on that API",
  check(context) {
    const scopesByApi = new Map<string, string[]>();
    for (const api of context.declarations.api) {
      const identifier = text(api, 'identifier');
      if (identifier === undefined) continue;
      const scopes = Array.isArray(api.data.scopes) ? api.data.scopes.map((scope) => record(scope)?.value).filter((value): value is string => typeof value === 'string') : [];
      scopesByApi.set(identifier, scopes);
    }
    if (!scopesByApi.has(context.managementApi)) scopesByApi.set(context.managementApi, [...MANAGEMENT_API_SCOPES]);
    // Made once per API rather than once per grant: a large tenant has thousands of grants to a few APIs.
    const knownScopes = new Map([...scopesByApi].map(([api, scopes]) => [api, new Set(scopes)]));
    const diagnostics: Diagnostic[] = [];
    for (const app of context.declarations.application) {
      if (!Array.isArray(app.data.grants)) continue;
      const granted = new Set<string>();
      app.data.grants.forEach((entry, grantIndex) => {
        const grant = record(entry);
        const api = grant?.api;
        if (!grant || typeof api !== 'string') return;
        const scopes = scopesByApi.get(api);
        if (!scopes) {
          const suggestion = closestMatch(api, scopesByApi.keys());
          diagnostics.push(
            diagnostic('error', 'unknown-api', app, ['grants', grantIndex, 'api'], `API "${api}" is not declared`, {
              hint: suggestion ? `did you mean "${suggestion}"?` : `declare it in apis/, or use the Management API ${context.managementApi}`,
            }),
          );
          return;
        }
        // Auth0 holds one grant per application, API and subject type.
        const subjectType = typeof grant.subject_type === 'string' ? grant.subject_type : 'client';
        const slot = `${subjectType} ${api}`;
        if (granted.has(slot)) {
          const what = subjectType === 'client' ? '' : ` for ${subjectType} access`;
          diagnostics.push(diagnostic('error', 'duplicate-grant', app, ['grants', grantIndex, 'api'], `API "${api}" is granted twice${what}; list all its scopes in one entry`));
        }
        granted.add(slot);
        const known = knownScopes.get(api)!;
        for (const { value, index } of stringItems(grant.scopes)) {
          if (known.has(value)) continue;
          const suggestion = closestMatch(value, scopes);
          diagnostics.push(
            diagnostic('error', 'unknown-scope', app, ['grants', grantIndex, 'scopes', index], `scope "${value}" is not defined by API "${api}"`, {
              hint: suggestion ? `did you mean "${suggestion}"?` : `defined scopes: ${scopes.join(', ') || 'none'}`,
            }),
          );
        }
      });
    }
    return diagnostics;
  },
};
