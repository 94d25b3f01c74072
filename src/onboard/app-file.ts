// Builds the YAML declaration `app add` writes for a new partner application, with defaults per
// application type, and checks its URLs against every environment with the same policy as `validate`.
import { stringify } from 'yaml';
import type { Diagnostic } from '../model/types.js';
import { schemaModeline } from '../config/schema-files.js';
import { checkUrl, type UrlEnvironment, type UrlKind } from '../validate/url-policy.js';

export const APP_KINDS = ['regular_web', 'spa', 'native', 'm2m'] as const;
export type AppKind = (typeof APP_KINDS)[number];


export interface NewApplication {
  name: string;
  type: AppKind;
  callbacks: string[];
  logoutUrls: string[];
  origins: string[];
  connections: string[];
  /** Client credentials grants (m2m only). */
  grants: { api: string; scopes: string[] }[];
  /** Organizations (declared in organizations/) whose members log in to it: users then always log in through one. */
  organizations?: string[];
}

/** A file name from the application name: lower case letters, digits and dashes. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Problems with the combination of flags, before any URL is looked at. */
export function checkNewApplication(app: NewApplication): string[] {
  const problems: string[] = [];
  if (app.name.trim() === '') problems.push('the application name must not be empty');
  else if (slugify(app.name) === '') problems.push(`the name "${app.name}" has no letters or digits to name its file after`);
  if (app.type === 'm2m') {
    if (app.callbacks.length > 0 || app.logoutUrls.length > 0 || app.origins.length > 0) {
      problems.push('m2m applications do not log users in: --callback, --logout and --origin do not apply');
    }
    if (app.connections.length > 0) problems.push('m2m applications do not log users in: --connection does not apply');
    if ((app.organizations ?? []).length > 0) problems.push('m2m applications do not log users in: --organization does not apply');
  } else if (app.grants.length > 0) {
    problems.push(`--api grants client-credentials access, which only m2m applications use (this one is ${app.type})`);
  }
  for (const grant of app.grants) {
    if (grant.scopes.length === 0) problems.push(`--api ${grant.api} needs --scopes with at least one scope`);
  }
  return problems;
}

/** The URL fields the application will declare, with the policy kind of each. */
function urlFields(app: NewApplication): { field: string; kind: UrlKind; urls: string[] }[] {
  const fields: { field: string; kind: UrlKind; urls: string[] }[] = [
    { field: 'callbacks', kind: 'callback', urls: app.callbacks },
    { field: 'allowed_logout_urls', kind: 'logout', urls: app.logoutUrls },
    { field: 'web_origins', kind: 'web_origin', urls: app.origins },
  ];
  if (app.type === 'spa') fields.push({ field: 'allowed_origins', kind: 'allowed_origin', urls: app.origins });
  return fields.filter((entry) => entry.urls.length > 0);
}

/**
 * Every URL policy problem in every given environment, as diagnostics with the rule ids and messages
 * `validate` uses; a problem that only some environments have says which.
 */
export function checkNewApplicationUrls(app: NewApplication, environments: (UrlEnvironment & { vars?: Record<string, string> })[]): Diagnostic[] {
  const appType = auth0AppType(app.type);
  const found = new Map<string, { diagnostic: Diagnostic; environments: string[] }>();
  for (const { kind, urls } of urlFields(app)) {
    for (const url of urls) {
      for (const env of environments) {
        const resolved = url.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => env.vars?.[name] ?? whole);
        // What is still a variable (unknown, or from the process environment) is left to `validate` after writing.
        if (resolved.includes('${')) continue;
        for (const problem of checkUrl(kind, resolved, env, { appType })) {
          const key = `${problem.rule}|${problem.message}`;
          const entry = found.get(key);
          if (entry) entry.environments.push(env.name);
          else found.set(key, { diagnostic: { severity: 'error', rule: problem.rule, message: problem.message, ...(problem.hint ? { hint: problem.hint } : {}) }, environments: [env.name] });
        }
      }
    }
  }
  return [...found.values()].map(({ diagnostic, environments: names }) =>
    environments.length > 1 && names.length < environments.length && !names.some((name) => diagnostic.message.includes(`environment ${name}`))
      ? { ...diagnostic, message: `${diagnostic.message} (in ${names.length === 1 ? 'environment' : 'environments'} ${names.join(', ')})` }
      : diagnostic,
  );
}

export function auth0AppType(type: AppKind): string {
  return type === 'm2m' ? 'non_interactive' : type;
}

/** The declaration as data, fields in the order a reader expects them. */
export function applicationDeclaration(app: NewApplication): Record<string, unknown> {
  const declaration: Record<string, unknown> = { name: app.name, app_type: auth0AppType(app.type) };
  switch (app.type) {
    case 'regular_web':
      declaration.grant_types = ['authorization_code', 'refresh_token'];
      declaration.token_endpoint_auth_method = 'client_secret_post';
      declaration.oidc_conformant = true;
      break;
    case 'spa':
      declaration.grant_types = ['authorization_code', 'refresh_token'];
      declaration.token_endpoint_auth_method = 'none';
      declaration.oidc_conformant = true;
      break;
    case 'native':
      declaration.token_endpoint_auth_method = 'none';
      declaration.oidc_conformant = true;
      break;
    case 'm2m':
      declaration.grant_types = ['client_credentials'];
      break;
  }
  for (const { field, urls } of urlFields(app)) declaration[field] = [...urls];
  if ((app.organizations ?? []).length > 0) {
    // Users log in through their organization, and Auth0 asks which one first when the application sends none
    // (Auth0 docs, "Define Organization Behavior").
    declaration.organization_usage = 'require';
    declaration.organization_require_behavior = 'pre_login_prompt';
  }
  if (app.connections.length > 0) declaration.connections = [...app.connections];
  if (app.grants.length > 0) declaration.grants = app.grants.map((grant) => ({ api: grant.api, scopes: [...grant.scopes] }));
  return declaration;
}

/** The file text: the schema modeline for editors (`schemaDir` as seen from the tenant directory), then the declaration. */
export function renderApplicationFile(app: NewApplication, schemaDir?: string): string {
  return `${schemaModeline('application', schemaDir)}\n${stringify(applicationDeclaration(app), { lineWidth: 0 })}`;
}
