// `check-login` behind the CLI: judges each URL a partner uses against the application's lists in
// the config and in the live tenant, and words the verdict as the fix (file:line to edit, or apply).
import type { SourceRef } from '../model/types.js';
import { checkUrl, type UrlEnvironment, type UrlKind } from '../validate/url-policy.js';
import { LOGIN_URL_LABELS, matchLoginUrl, type LoginMatch, type LoginUrlKind } from './login-match.js';

/** The application field that holds each kind of URL, in YAML and in the Management API alike. */
export const LOGIN_URL_FIELDS: Record<LoginUrlKind, string> = {
  callback: 'callbacks',
  logout: 'allowed_logout_urls',
  origin: 'web_origins',
};

const POLICY_KINDS: Record<LoginUrlKind, UrlKind> = { callback: 'callback', logout: 'logout', origin: 'web_origin' };

export interface LoginCheck {
  kind: LoginUrlKind;
  url: string;
}

export type RegisteredLists = Record<LoginUrlKind, string[]>;

export interface ConfigSide {
  registered: RegisteredLists;
  /** Where to add a URL of each kind: the field's key, or the application's name when the field is absent. */
  where: Record<LoginUrlKind, SourceRef>;
  /** Which fields the file already has; a missing one has to be added as a new list. */
  declared?: Record<LoginUrlKind, boolean>;
}

/** The live tenant's view: its lists, `missing` when the application is not there, or undefined when not read. */
export type LiveSide = { registered: RegisteredLists } | 'missing' | undefined;

export interface LoginReport {
  lines: string[];
  /** Every URL accepted where it counts: the live tenant, or the config when the tenant was not read. */
  ok: boolean;
}

const MAX_LISTED = 5;

/** Reads the three lists from an application's fields (config or live), ignoring non-strings. */
export function registeredLists(fields: Record<string, unknown>): RegisteredLists {
  const list = (field: string) => (Array.isArray(fields[field]) ? (fields[field] as unknown[]).filter((item): item is string => typeof item === 'string') : []);
  return { callback: list('callbacks'), logout: list('allowed_logout_urls'), origin: list('web_origins') };
}

function at(ref: SourceRef): string {
  return `${ref.file}:${ref.line}`;
}

function listed(urls: string[]): string {
  if (urls.length === 0) return 'none is registered';
  const shown = urls.slice(0, MAX_LISTED).join(', ');
  return `registered ${urls.length === 1 ? 'is' : 'are'} ${shown}${urls.length > MAX_LISTED ? ` and ${urls.length - MAX_LISTED} more` : ''}`;
}

function whyNot(match: LoginMatch | undefined, registered: string[]): string {
  if (!match?.closest || !match.difference) return '';
  return registered.length === 1 ? ` (${match.difference})` : ` (closest: ${match.closest}: ${match.difference})`;
}

/**
 * One line per URL, plus notes. `environment` is the policy `validate` applies, so a suggestion that
 * the environment would reject (say, localhost in production) says so instead of sending people to edit in vain.
 */
export function checkLogin(options: {
  appName: string;
  checks: LoginCheck[];
  config: ConfigSide | undefined;
  live: LiveSide;
  environment: UrlEnvironment;
  appType?: string;
}): LoginReport {
  const { checks, config, live, environment } = options;
  const lines: string[] = [];
  let ok = true;
  if (!config) lines.push(`note: application "${options.appName}" is not declared in the config; only the live tenant is checked`);
  if (live === undefined) lines.push('note: the live tenant was not checked (no AUTH0_DOMAIN/AUTH0_CLIENT_ID/AUTH0_CLIENT_SECRET); results are for the config only');
  if (live === 'missing') lines.push(`note: application "${options.appName}" does not exist in the live tenant yet; run tenantctl apply --env ${environment.name}`);

  for (const { kind, url } of checks) {
    const label = `${LOGIN_URL_LABELS[kind]} ${url}`;
    const fromConfig = config ? matchLoginUrl(kind, url, config.registered[kind]) : undefined;
    const fromLive = live && live !== 'missing' ? matchLoginUrl(kind, url, live.registered[kind]) : undefined;
    const configAccepts = fromConfig?.accepted === true;
    const liveAccepts = fromLive?.accepted === true;
    const where = config ? at(config.where[kind]) : undefined;
    const suggestion = (fromConfig ?? fromLive ?? matchLoginUrl(kind, url, [])).suggestion;
    const field = LOGIN_URL_FIELDS[kind];
    const addIt = !where ? '' : config?.declared?.[kind] === false ? ` Add a ${field} list with ${suggestion} to the application in ${where}.` : ` Add ${suggestion} to ${field} in ${where}.`;

    let line: string;
    if (live === undefined) {
      ok &&= configAccepts;
      line = configAccepts
        ? `✓ ${label} accepted by config (${where}, as ${fromConfig!.matchedBy}); live tenant not checked`
        : `✗ ${label} not accepted by config: ${listed(config?.registered[kind] ?? [])}${whyNot(fromConfig, config?.registered[kind] ?? [])}.${addIt}`;
    } else if (liveAccepts && (configAccepts || !config)) {
      line = `✓ ${label} accepted by ${config ? `config (${where}) and by ` : ''}the live tenant (as ${fromLive!.matchedBy})`;
    } else if (liveAccepts) {
      line = `✓ ${label} accepted by the live tenant (as ${fromLive!.matchedBy}) but not by config: drift, the next apply would remove it.${addIt}`;
    } else if (configAccepts) {
      ok = false;
      line = `✗ ${label} accepted by config (${where}) but not by the live tenant: drift, the config is not applied yet; run tenantctl plan --env ${environment.name}, then apply`;
    } else {
      ok = false;
      const registered = (config ? config.registered[kind] : live && live !== 'missing' ? live.registered[kind] : undefined) ?? [];
      line = `✗ ${label} not registered: ${listed(registered)}${whyNot(fromConfig ?? fromLive, registered)}.${addIt}`;
    }
    lines.push(line);
    const note = (fromConfig ?? fromLive)?.note;
    if (note) lines.push(`  note: ${note}`);
    if (!configAccepts) {
      const policy = checkUrl(POLICY_KINDS[kind], suggestion, environment, options.appType ? { appType: options.appType } : {});
      for (const problem of policy) lines.push(`  note: validate would reject adding it [${problem.rule}]: ${problem.message}`);
    }
  }
  return { lines, ok };
}
