// Rules for organizations: each enabled connection names a declared connection (unknown-connection, with
// did-you-mean) and appears once (duplicate-entry), since Auth0 enables a connection on an organization once.
import { closestMatch } from '../../did-you-mean.js';
import type { Diagnostic } from '../../model/types.js';
import { declaredKeys, diagnostic, record, type Rule } from './context.js';

export const organizationConnections: Rule = {
  id: 'unknown-connection',
  summary: "an organization's enabled_connections name declared connections, each once",
  check(context) {
    const declared = declaredKeys(context, 'connection');
    const known = new Set(declared);
    const diagnostics: Diagnostic[] = [];
    for (const organization of context.declarations.organization) {
      const seen = new Set<string>();
      const entries = Array.isArray(organization.data.enabled_connections) ? organization.data.enabled_connections : [];
      entries.forEach((entry, index) => {
        const name = record(entry)?.connection;
        if (typeof name !== 'string') return;
        const path = ['enabled_connections', index, 'connection'];
        if (seen.has(name)) {
          diagnostics.push(diagnostic('error', 'duplicate-entry', organization, path, `connection "${name}" is listed twice`, { hint: 'keep one entry per connection' }));
        }
        seen.add(name);
        if (known.has(name)) return;
        const suggestion = closestMatch(name, declared);
        diagnostics.push(
          diagnostic('error', 'unknown-connection', organization, path, `connection "${name}" is not declared`, {
            hint: suggestion ? `did you mean "${suggestion}"?` : 'declare it in connections/',
          }),
        );
      });
    }
    return diagnostics;
  },
};
