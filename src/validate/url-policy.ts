// The URL policy for callbacks, logout URLs, origins and initiate-login URIs, in one place so that
// `validate`, `app add` and `check-login` all apply exactly the same rules.

export type UrlKind = 'callback' | 'logout' | 'web_origin' | 'allowed_origin' | 'initiate_login';

/** What the policy needs to know about the environment a URL is deployed to. */
export interface UrlEnvironment {
  name: string;
  allowLocalhost: boolean;
  /** Production forbids wildcards; when absent, an environment named `prod` or `production` is production. */
  production?: boolean;
}

export interface UrlProblem {
  rule: string;
  message: string;
  hint?: string;
}

export const URL_KIND_LABELS: Record<UrlKind, string> = {
  callback: 'callback',
  logout: 'logout URL',
  web_origin: 'web origin',
  allowed_origin: 'allowed origin',
  initiate_login: 'initiate login URI',
};

/** Auth0's limits on list lengths (Allowed Logout URLs, Allowed Web Origins). */
export const URL_LIST_LIMITS: Partial<Record<UrlKind, number>> = { logout: 100, web_origin: 100 };

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A host with one wildcard, split around it: `prefix-*-suffix.example.com` is `prefix-`, `-suffix`, `.example.com`. */
export interface WildcardHost {
  prefix: string;
  suffix: string;
  /** The labels after the wildcard's label, with the leading dot. */
  parent: string;
}

export type WildcardProblem = 'not-in-host' | 'not-left-most' | 'more-than-one' | 'whole-domain' | 'bad-label';

const WILDCARD_PROBLEMS: Record<WildcardProblem, string> = {
  'not-in-host': 'may use a wildcard only in the host, as in https://*.example.com',
  'not-left-most': 'may use a wildcard only in the left-most subdomain label, as in https://*.example.com or https://pr-*.example.com',
  'more-than-one': 'may contain only one wildcard',
  'whole-domain': 'is too broad: a wildcard needs a registered domain after it, as in https://*.example.com',
  'bad-label': 'may put only hostname characters (letters, digits, -) around its wildcard, as in https://prefix-*-suffix.example.com',
};

/**
 * Auth0's wildcard rules (docs, "Subdomain URL placeholders", wildcard section): the `*` stands in the left-most
 * label of the host ("the subdomain furthest from the root domain"), at most once, possibly with a prefix and a
 * suffix of hostname characters (`https://prefix-*-suffix.example.com`), and never for a whole domain
 * (`https://*.com`). Undefined for a host without `*`. The http/https-only rule is the caller's: it knows the scheme.
 */
export function wildcardHost(host: string): WildcardHost | { problem: WildcardProblem } | undefined {
  const stars = host.split('*').length - 1;
  if (stars === 0) return undefined;
  if (stars > 1) return { problem: 'more-than-one' };
  const labels = host.split('.');
  const first = labels[0]!;
  if (!first.includes('*')) return { problem: 'not-left-most' };
  if (labels.length < 3 || labels.slice(1).some((label) => label === '')) return { problem: 'whole-domain' };
  const [prefix = '', suffix = ''] = first.split('*');
  if (!/^[A-Za-z0-9-]*$/.test(prefix + suffix)) return { problem: 'bad-label' };
  return { prefix, suffix, parent: host.slice(first.length) };
}

export function isProduction(env: UrlEnvironment): boolean {
  return env.production ?? /^prod(uction)?$/.test(env.name);
}

/**
 * Every policy problem of one URL. `appType: 'native'` lets callbacks and logout URLs use a
 * custom scheme (`com.example.app://callback`), which is how mobile apps receive redirects.
 */
export function checkUrl(kind: UrlKind, url: string, env: UrlEnvironment, options: { appType?: string } = {}): UrlProblem[] {
  const label = `${URL_KIND_LABELS[kind]} "${url}"`;
  const isOrigin = kind === 'web_origin' || kind === 'allowed_origin';
  const example = isOrigin ? 'https://app.example.com' : 'https://app.example.com/callback';
  const parts = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)(.*)$/s.exec(url);
  if (!parts || /\s/.test(url)) {
    return [{ rule: 'url-absolute', message: `${label} must be an absolute URL such as ${example}` }];
  }
  const scheme = parts[1]!.toLowerCase();
  const authority = parts[2]!;
  const rest = parts[3]!;
  const problems: UrlProblem[] = [];

  if (scheme !== 'http' && scheme !== 'https') {
    // Auth0 never expands a wildcard in a custom-scheme URL: it would be a literal `*` that no redirect carries.
    if (authority.includes('*')) problems.push({ rule: 'url-wildcard', message: `${label} uses a wildcard, which Auth0 supports only in http and https URLs` });
    const customSchemeAllowed = options.appType === 'native' && (kind === 'callback' || kind === 'logout');
    if (!customSchemeAllowed) problems.push({ rule: 'url-https', message: `${label} must use https`, hint: kind === 'callback' ? 'custom schemes are only allowed for native applications' : undefined });
    else if (kind === 'callback' && rest.includes('#')) problems.push({ rule: 'url-fragment', message: `${label} must not contain a fragment (#...)` });
    return withoutEmptyHints(problems);
  }

  const host = authority.replace(/^.*@/, '').replace(/:\d*$/, '').toLowerCase();
  if (!host || authority.includes('@')) {
    return [{ rule: 'url-absolute', message: `${label} must name a host and no user name, as in ${example}` }];
  }

  if (url.includes('*')) {
    const wildcard = rest.includes('*') || authority.slice(host.length).includes('*') ? { problem: 'not-in-host' as const } : wildcardHost(host);
    if (wildcard && 'problem' in wildcard) {
      problems.push({ rule: 'url-wildcard', message: `${label} ${WILDCARD_PROBLEMS[wildcard.problem]}` });
    } else if (isProduction(env)) {
      problems.push({ rule: 'url-wildcard', message: `${label} uses a wildcard, which is not allowed in production environment ${env.name}`, hint: 'list each host explicitly' });
    }
  }

  if (!URL.canParse(url.replace('*', 'wildcard'))) {
    problems.push({ rule: 'url-absolute', message: `${label} is not a valid URL` });
    return problems;
  }

  const local = LOCAL_HOSTS.has(host);
  if (local && !env.allowLocalhost) {
    problems.push({ rule: 'url-localhost', message: `${label} points at ${host}, which environment ${env.name} does not allow`, hint: 'set allow_localhost: true on development environments only' });
  } else if (scheme === 'http' && (kind === 'initiate_login' || !local)) {
    problems.push({
      rule: 'url-https',
      message: kind === 'initiate_login' ? `${label} must use https` : `${label} must use https outside environments that allow localhost`,
    });
  }

  if (isOrigin) {
    if (rest !== '') {
      problems.push({
        rule: 'url-origin-path',
        message: `${label} must be an origin (scheme://host[:port]) without a path, query or fragment`,
        hint: rest === '/' ? 'remove the trailing slash' : undefined,
      });
    }
  } else if ((kind === 'callback' || kind === 'initiate_login') && rest.includes('#')) {
    problems.push({ rule: 'url-fragment', message: `${label} must not contain a fragment (#...)` });
  }
  return withoutEmptyHints(problems);
}

function withoutEmptyHints(problems: UrlProblem[]): UrlProblem[] {
  return problems.map((problem) => (problem.hint === undefined ? { rule: problem.rule, message: problem.message } : problem));
}
