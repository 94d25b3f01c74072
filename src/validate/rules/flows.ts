// Flow rules: an application's type, grant types, authentication method and grants fit together
// the way the OAuth flows it will actually run require.
import type { Diagnostic } from '../../model/types.js';
import { diagnostic, hasStringItem, record, stringItems, text, type Declaration, type Rule } from './context.js';

const PUBLIC_CLIENT_TYPES = new Set(['spa', 'native']);
/** Auth0 fills these in on create when `grant_types` is omitted; only these app types get client_credentials. */
const DEFAULT_CLIENT_CREDENTIALS_TYPES = new Set(['regular_web', 'non_interactive']);

export const publicClientAuthMethod: Rule = {
  id: 'spa-auth-method',
  summary: 'a spa (or native) application uses token_endpoint_auth_method: none',
  check: (context) =>
    context.declarations.application.flatMap((app) => {
      const appType = text(app, 'app_type');
      const method = text(app, 'token_endpoint_auth_method');
      if (!appType || !PUBLIC_CLIENT_TYPES.has(appType) || method === undefined || method === 'none') return [];
      return [
        diagnostic('error', 'spa-auth-method', app, ['token_endpoint_auth_method'], `a ${appType} application cannot keep a secret, so token_endpoint_auth_method must be none, not ${method}`),
      ];
    }),
};

export const callbacksNeedCodeGrant: Rule = {
  id: 'code-grant-required',
  summary: 'an application with callbacks and grant_types includes authorization_code',
  check: (context) =>
    context.declarations.application.flatMap((app) => {
      if (!hasStringItem(app.data.callbacks)) return [];
      const grantTypes = declaredGrantTypes(app);
      if (!grantTypes || grantTypes.includes('authorization_code')) return [];
      return [
        diagnostic('error', 'code-grant-required', app, ['grant_types'], 'the application has callbacks, so grant_types must include authorization_code', {
          hint: 'callbacks are only used by browser logins, which use the Authorization Code flow',
        }),
      ];
    }),
};

export const machineToMachineCallbacks: Rule = {
  id: 'm2m-callbacks',
  summary: 'a non_interactive application has no callbacks',
  check: (context) =>
    context.declarations.application.flatMap((app) => {
      if (text(app, 'app_type') !== 'non_interactive' || !hasStringItem(app.data.callbacks)) return [];
      return [diagnostic('warning', 'm2m-callbacks', app, ['callbacks'], 'a non_interactive application has no users logging in, so its callbacks are never used', { part: 'key' })];
    }),
};

export const grantsNeedClientCredentials: Rule = {
  id: 'grants-need-client-credentials',
  summary: 'an application with grants may use the client_credentials grant',
  check(context) {
    const diagnostics: Diagnostic[] = [];
    for (const app of context.declarations.application) {
      // Only client grants are used with client credentials; user-access grants go with the user's login.
      const clientGrants = Array.isArray(app.data.grants) ? app.data.grants.filter((grant) => (record(grant)?.subject_type ?? 'client') === 'client') : [];
      if (clientGrants.length === 0) continue;
      const grantTypes = declaredGrantTypes(app);
      const appType = text(app, 'app_type');
      const allowed = grantTypes ? grantTypes.includes('client_credentials') : appType === undefined || DEFAULT_CLIENT_CREDENTIALS_TYPES.has(appType);
      if (allowed) continue;
      diagnostics.push(
        diagnostic('warning', 'grants-need-client-credentials', app, [grantTypes ? 'grant_types' : 'grants'], 'the application has grants but cannot use them: its grant_types lack client_credentials', {
          part: grantTypes ? 'value' : 'key',
        }),
      );
    }
    return diagnostics;
  },
};

function declaredGrantTypes(app: Declaration): string[] | undefined {
  return Array.isArray(app.data.grant_types) ? stringItems(app.data.grant_types).map((item) => item.value) : undefined;
}
