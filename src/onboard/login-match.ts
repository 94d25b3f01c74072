// Decides whether Auth0 would accept a redirect_uri, a logout returnTo or a browser origin for an
// application, given its registered lists, and explains the nearest miss so the fix is obvious.
//
// The matching rules, as Auth0 documents them, in our words; each rule is a row source in
// test/unit/onboard-login-match.test.ts:
// - [exact] Outside wildcards and placeholders, a registered URL matches only the identical string
//   (support article "Callback URL mismatch": the redirect_uri must be listed exactly). So scheme, host
//   case, an explicit `:443`, the path's case and a trailing slash all count; query strings too (carry
//   per-login data in `state` instead).
// - [fragment] A fragment (#...) is never part of a redirect: it is dropped from the requested URL.
// - [logout] Logout returnTo URLs are compared without their query string ("Redirect users after logout").
// - [origin] Web origins: the browser sends scheme://host[:port] (lower-case host, no default port); a
//   registered entry with a path never matches.
// - [wildcard-*] "Subdomain URL placeholders", wildcard section: `*` only in http/https URLs
//   (wildcard-scheme), in the left-most label of the host (wildcard-left-most), once (wildcard-once),
//   never for a whole domain like `https://*.com` (wildcard-domain), with an optional prefix and suffix
//   (`https://prefix-*-suffix.example.com`, wildcard-affix), standing for exactly one label
//   (wildcard-one-label). Everything around the host still matches exactly.
// - [placeholder-*] Same page: `{organization_name}` as the whole left-most label of an http/https
//   callback, evaluated only in an organization's login (placeholder-org); `{custom_domain.metadata.KEY}`
//   in the host, only for keys starting `public_`/`PUBLIC_` whose value is a string (placeholder-domain);
//   neither together with a wildcard. Without that context a placeholder URL matches nothing.
import { wildcardHost } from '../validate/url-policy.js';

export type LoginUrlKind = 'callback' | 'logout' | 'origin';

export const LOGIN_URL_LABELS: Record<LoginUrlKind, string> = {
  callback: 'callback',
  logout: 'logout URL',
  origin: 'web origin',
};

export interface LoginMatch {
  accepted: boolean;
  /** The registered entry that accepts the URL. */
  matchedBy?: string;
  /** The registered entry closest to the URL when none accepts it. */
  closest?: string;
  /** Why `closest` does not accept the URL, in a few words, e.g. "no trailing slash". */
  difference?: string;
  /** What the caller should add to the registered list so the URL is accepted. */
  suggestion: string;
  /** A remark on how the URL itself was read (e.g. an origin given with a path). */
  note?: string;
}

/** What a login transaction carries that placeholders are filled from; without it placeholders match nothing. */
export interface LoginContext {
  /** The organization's name, when the login runs in an organization's context. */
  organizationName?: string;
  /** Metadata of the custom domain the login came through. */
  customDomainMetadata?: Readonly<Record<string, unknown>>;
}

export interface ParsedUrl {
  /** As written: Auth0 compares strings, so nothing is lower-cased or filled in. */
  scheme: string;
  host: string;
  /** The explicit port as written, without the colon; '' when absent. */
  port: string;
  path: string;
  /** With the leading '?', or '' when absent. */
  query: string;
}

const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443' };
const ORGANIZATION = '{organization_name}';
const CUSTOM_DOMAIN = /\{custom_domain\.metadata\.([^{}]*)\}/g;

export function parseLoginUrl(url: string): ParsedUrl | undefined {
  const parts = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/s.exec(url.trim());
  if (!parts) return undefined;
  const hostPort = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(parts[2]!);
  if (!hostPort) return undefined;
  return { scheme: parts[1]!, host: hostPort[1]!, port: hostPort[2] ?? '', path: parts[3]!, query: parts[4] ?? '' };
}

function format(url: ParsedUrl): string {
  return `${url.scheme}://${url.host}${url.port ? `:${url.port}` : ''}${url.path}${url.query}`;
}

const isWebScheme = (scheme: string): boolean => scheme === 'http' || scheme === 'https';

/** Why a registered host with a wildcard never matches, or undefined when the wildcard is one Auth0 expands. */
function invalidWildcard(registered: ParsedUrl): string | undefined {
  if (!isWebScheme(registered.scheme)) return 'a wildcard works only in http and https URLs';
  const wildcard = wildcardHost(registered.host);
  if (wildcard && 'problem' in wildcard) {
    return wildcard.problem === 'whole-domain' ? 'a wildcard cannot stand for a whole domain' : 'a wildcard only expands once, in the left-most label';
  }
  return undefined;
}

/** Whether the registered host's wildcard stands for the requested host: one label, prefix and suffix as written. */
function wildcardAccepts(registeredHost: string, host: string): boolean {
  const wildcard = wildcardHost(registeredHost);
  if (!wildcard || 'problem' in wildcard || !host.endsWith(wildcard.parent)) return false;
  const label = host.slice(0, host.length - wildcard.parent.length);
  if (label.includes('.') || !label.startsWith(wildcard.prefix) || !label.endsWith(wildcard.suffix)) return false;
  const middle = label.slice(wildcard.prefix.length, label.length - wildcard.suffix.length);
  return label.length >= wildcard.prefix.length + wildcard.suffix.length && /^[A-Za-z0-9-]+$/.test(middle);
}

/** The registered URL with its placeholders filled from the context, undefined when Auth0 would not evaluate it. */
function withPlaceholders(kind: LoginUrlKind, registered: ParsedUrl, context: LoginContext): ParsedUrl | undefined {
  if (!isWebScheme(registered.scheme) || registered.host.includes('*')) return undefined;
  let host = registered.host;
  if (host.includes(ORGANIZATION)) {
    const labels = host.split('.');
    const valid = kind === 'callback' && labels[0] === ORGANIZATION && host.split(ORGANIZATION).length === 2 && labels.length >= 3;
    if (!valid || context.organizationName === undefined) return undefined;
    host = context.organizationName + host.slice(ORGANIZATION.length);
  }
  let missing = false;
  host = host.replace(CUSTOM_DOMAIN, (_whole, key: string) => {
    const value = context.customDomainMetadata?.[key];
    if (!/^(public_|PUBLIC_)/.test(key) || typeof value !== 'string') missing = true;
    return typeof value === 'string' ? value : '';
  });
  if (missing || (registered.path + registered.query).includes('{')) return undefined;
  return { ...registered, host };
}

const hasPlaceholder = (url: ParsedUrl): boolean => url.host.includes(ORGANIZATION) || /\{custom_domain\.metadata\./.test(url.host);

function accepts(kind: LoginUrlKind, registered: ParsedUrl, requested: ParsedUrl, context: LoginContext): boolean {
  if (hasPlaceholder(registered)) {
    const filled = withPlaceholders(kind, registered, context);
    return filled !== undefined && accepts(kind, filled, requested, {});
  }
  if (kind === 'origin' && (registered.path !== '' || registered.query !== '')) return false;
  if (format(registered) === format(requested)) return true;
  if (!registered.host.includes('*') || invalidWildcard(registered)) return false;
  return (
    registered.scheme === requested.scheme &&
    registered.port === requested.port &&
    registered.path === requested.path &&
    registered.query === requested.query &&
    wildcardAccepts(registered.host, requested.host)
  );
}

/** Says how `registered` differs from `requested`, most telling difference first. */
function describeDifference(kind: LoginUrlKind, registered: ParsedUrl, requested: ParsedUrl): { score: number; text: string } {
  const differences: string[] = [];
  let score = 0;
  const add = (text: string, weight: number) => {
    differences.push(text);
    score += weight;
  };
  if (registered.scheme !== requested.scheme) {
    add(registered.scheme.toLowerCase() === requested.scheme.toLowerCase() ? 'the scheme is written in another case' : `${registered.scheme}, not ${requested.scheme}`, 3);
  }
  const wildcard = registered.host.includes('*') ? wildcardHost(registered.host) : undefined;
  const wildcardProblem = registered.host.includes('*') ? invalidWildcard(registered) : undefined;
  if (hasPlaceholder(registered)) {
    add(
      registered.host.includes(ORGANIZATION)
        ? `${ORGANIZATION} is filled in only in a login for an organization`
        : 'a custom domain placeholder is filled in only in a login through that custom domain',
      2,
    );
  } else if (wildcardProblem) {
    add(wildcardProblem, 2);
  } else if (wildcard && !('problem' in wildcard) && !wildcardAccepts(registered.host, requested.host)) {
    if (requested.host === wildcard.parent.slice(1)) add('a wildcard does not cover the bare domain', 2);
    else if (requested.host.endsWith(wildcard.parent) && requested.host.slice(0, -wildcard.parent.length).includes('.')) {
      add('a wildcard stands for exactly one subdomain label', 2);
    } else if (requested.host.endsWith(wildcard.parent)) add(`the left-most label must look like ${registered.host.split('.')[0]}`, 2);
    else add(`host ${registered.host}, not ${requested.host}`, 10);
  } else if (!wildcard && registered.host !== requested.host) {
    add(
      registered.host.toLowerCase() === requested.host.toLowerCase()
        ? `host ${registered.host}, not ${requested.host}: letter case counts`
        : `host ${registered.host}, not ${requested.host}`,
      registered.host.toLowerCase() === requested.host.toLowerCase() ? 1 : 10,
    );
  }
  if (registered.port !== requested.port) {
    const written = registered.port || requested.port;
    const onlyDefault = (registered.port === '' || requested.port === '') && DEFAULT_PORTS[requested.scheme.toLowerCase()] === written;
    add(onlyDefault ? `:${written} written out in one URL only` : `port ${registered.port || 'none'}, not ${requested.port || 'none'}`, onlyDefault ? 1 : 2);
  }
  if (kind === 'origin') {
    if (registered.path !== '' || registered.query !== '') add('a registered origin with a path never matches', 1);
    return { score, text: differences.join('; ') };
  }
  if (registered.path !== requested.path) {
    const [a, b] = [registered.path.replace(/\/$/, ''), requested.path.replace(/\/$/, '')];
    if (a === b) add(registered.path.endsWith('/') ? 'with a trailing slash' : 'no trailing slash', 1);
    else if (registered.path.toLowerCase() === requested.path.toLowerCase()) add('paths are case-sensitive', 1);
    else add(`path ${registered.path || '(none)'}, not ${requested.path || '(none)'}`, 5);
  }
  if (kind === 'callback' && registered.query !== requested.query) {
    add(requested.query ? 'the query string must be registered too' : 'the registered one has a query string', 1);
  }
  return { score, text: differences.join('; ') };
}

/** The origin a browser sends for a URL: lower-case scheme and host, no default port, nothing after it. */
function browserOrigin(url: ParsedUrl): ParsedUrl {
  const scheme = url.scheme.toLowerCase();
  const port = url.port === DEFAULT_PORTS[scheme] ? '' : url.port;
  return { scheme, host: url.host.toLowerCase(), port, path: '', query: '' };
}

/**
 * Whether Auth0 would accept `requested` as a `kind` URL given the `registered` list, following the
 * rules in this module's header. `context` fills placeholders; without it they match nothing. Pure.
 */
export function matchLoginUrl(kind: LoginUrlKind, requested: string, registered: readonly string[], context: LoginContext = {}): LoginMatch {
  const parsed = parseLoginUrl(requested);
  if (!parsed) {
    return { accepted: false, suggestion: requested, note: `"${requested}" is not an absolute URL (scheme://host/path)` };
  }
  let note: string | undefined;
  let target = parsed;
  if (kind === 'origin') {
    target = browserOrigin(parsed);
    if (parsed.path !== '' || parsed.query !== '') note = `browsers send only the origin ${format(target)}; the path is not part of it`;
  } else if (kind === 'logout') {
    target = { ...parsed, query: '' };
  }
  const suggestion = format(target);

  let closest: { entry: string; score: number; text: string } | undefined;
  for (const entry of registered) {
    const candidate = parseLoginUrl(entry);
    if (!candidate) continue;
    if (accepts(kind, candidate, target, context)) return { accepted: true, matchedBy: entry, suggestion, ...(note ? { note } : {}) };
    const difference = describeDifference(kind, candidate, target);
    if (!closest || difference.score < closest.score) closest = { entry, ...difference };
  }
  return {
    accepted: false,
    suggestion,
    ...(closest ? { closest: closest.entry, difference: closest.text } : {}),
    ...(note ? { note } : {}),
  };
}
