// Decides whether Auth0 would accept a redirect_uri, a logout returnTo or a browser origin for an
// application, given its registered lists, and explains the nearest miss so the fix is obvious.
//
// The matching rules, as Auth0 documents them (application settings, "Subdomain URL placeholders",
// "Redirect users after logout", and the support article on "Callback URL mismatch"), in our words:
// - Callbacks: the redirect_uri must equal a registered URL: same scheme, host, port and path, and a
//   trailing slash counts. Auth0 drops a fragment (#...) before comparing. We compare the query string
//   exactly too, the conservative reading of "exact match"; carry per-login data in `state` instead.
// - Logout URLs: compared like callbacks, except that query strings and fragments are ignored.
// - Web origins: only scheme://host[:port] is compared; a registered entry with a path, query or
//   fragment never matches.
// - Host names compare case-insensitively; paths are case-sensitive (`/FooHoo` is not `/foohoo`).
// - An explicit default port (https :443, http :80) is the same as no port; any other port must match.
// - `*` is a wildcard only as the whole left-most host label of a registered URL with at least two
//   labels after it (`https://*.example.com`); it stands for exactly one label, never for the bare
//   domain itself. A `*` anywhere else is literal text and matches only itself.

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

interface ParsedUrl {
  scheme: string;
  host: string;
  /** Explicit port, or the scheme's default port, or '' for custom schemes. */
  port: string;
  path: string;
  /** With the leading '?', or '' when absent. */
  query: string;
}

const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443' };

export function parseLoginUrl(url: string): ParsedUrl | undefined {
  const parts = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/s.exec(url.trim());
  if (!parts) return undefined;
  const scheme = parts[1]!.toLowerCase();
  const authority = parts[2]!;
  const hostPort = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(authority);
  if (!hostPort) return undefined;
  const explicitPort = hostPort[2] ?? '';
  return {
    scheme,
    host: hostPort[1]!.toLowerCase(),
    port: explicitPort || DEFAULT_PORTS[scheme] || '',
    path: parts[3]!,
    query: parts[4] ?? '',
  };
}

function hostMatches(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  const labels = pattern.split('.');
  if (labels[0] !== '*' || labels.length < 3 || labels.slice(1).some((label) => label === '' || label.includes('*'))) return false;
  const suffix = pattern.slice(1); // ".example.com"
  if (!host.endsWith(suffix)) return false;
  const first = host.slice(0, host.length - suffix.length);
  return first.length > 0 && !first.includes('.');
}

/** The origin (scheme://host[:port]) of a URL, as a browser would send it in the Origin header. */
function originOf(url: ParsedUrl): string {
  const defaultPort = DEFAULT_PORTS[url.scheme];
  return `${url.scheme}://${url.host}${url.port && url.port !== defaultPort ? `:${url.port}` : ''}`;
}

function accepts(kind: LoginUrlKind, registered: ParsedUrl, requested: ParsedUrl): boolean {
  if (registered.scheme !== requested.scheme || registered.port !== requested.port) return false;
  if (!hostMatches(registered.host, requested.host)) return false;
  if (kind === 'origin') return registered.path === '' && registered.query === '';
  if (registered.path !== requested.path) return false;
  return kind === 'logout' || registered.query === requested.query;
}

/** Says how `registered` differs from `requested`, most telling difference first. */
function describeDifference(kind: LoginUrlKind, registered: ParsedUrl, requested: ParsedUrl): { score: number; text: string } {
  const differences: string[] = [];
  let score = 0;
  if (registered.scheme !== requested.scheme) {
    differences.push(`${registered.scheme}, not ${requested.scheme}`);
    score += 3;
  }
  const hostOk = hostMatches(registered.host, requested.host);
  if (!hostOk) {
    if (registered.host.startsWith('*.') && requested.host.endsWith(registered.host.slice(1))) {
      differences.push('a wildcard stands for exactly one subdomain label');
      score += 2;
    } else if (registered.host.startsWith('*.') && requested.host === registered.host.slice(2)) {
      differences.push('a wildcard does not cover the bare domain');
      score += 2;
    } else {
      differences.push(`host ${registered.host}, not ${requested.host}`);
      score += 10;
    }
  }
  const onlyDefaultPorts = registered.port === DEFAULT_PORTS[registered.scheme] && requested.port === DEFAULT_PORTS[requested.scheme];
  if (registered.port !== requested.port && !onlyDefaultPorts) {
    differences.push(`port ${registered.port || 'none'}, not ${requested.port || 'none'}`);
    score += 2;
  }
  if (kind === 'origin') {
    if (registered.path !== '' || registered.query !== '') {
      differences.push('a registered origin with a path never matches');
      score += 1;
    }
    return { score, text: differences.join('; ') };
  }
  if (registered.path !== requested.path) {
    const [a, b] = [registered.path.replace(/\/$/, ''), requested.path.replace(/\/$/, '')];
    if (a === b) {
      differences.push(registered.path.endsWith('/') ? 'with a trailing slash' : 'no trailing slash');
      score += 1;
    } else if (registered.path.toLowerCase() === requested.path.toLowerCase()) {
      differences.push('paths are case-sensitive');
      score += 1;
    } else {
      differences.push(`path ${registered.path || '(none)'}, not ${requested.path || '(none)'}`);
      score += 5;
    }
  }
  if (kind === 'callback' && registered.query !== requested.query) {
    differences.push(requested.query ? 'the query string must be registered too' : 'the registered one has a query string');
    score += 1;
  }
  return { score, text: differences.join('; ') };
}

/**
 * Whether Auth0 would accept `requested` as a `kind` URL given the `registered` list, following the
 * rules in this module's header. Pure: same inputs, same answer.
 */
export function matchLoginUrl(kind: LoginUrlKind, requested: string, registered: readonly string[]): LoginMatch {
  const parsed = parseLoginUrl(requested);
  if (!parsed) {
    return { accepted: false, suggestion: requested, note: `"${requested}" is not an absolute URL (scheme://host/path)` };
  }
  let note: string | undefined;
  let target = parsed;
  let suggestion = requested.replace(/#.*$/s, '');
  if (kind === 'origin') {
    suggestion = originOf(parsed);
    if (parsed.path !== '' || parsed.query !== '') {
      note = `browsers send only the origin ${suggestion}; the path is not part of it`;
      target = { ...parsed, path: '', query: '' };
    }
  } else if (kind === 'logout') {
    suggestion = requested.replace(/[?#].*$/s, '');
  }

  let closest: { entry: string; score: number; text: string } | undefined;
  for (const entry of registered) {
    const candidate = parseLoginUrl(entry);
    if (!candidate) continue;
    if (accepts(kind, candidate, target)) return { accepted: true, matchedBy: entry, suggestion, ...(note ? { note } : {}) };
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
