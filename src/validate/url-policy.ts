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
    const labels = host.split('.');
    const leftMostOnly = labels[0] === '*' && labels.slice(1).every((part) => part.length > 0 && !part.includes('*')) && !rest.includes('*') && !authority.slice(host.length).includes('*');
    if (!leftMostOnly) {
      problems.push({ rule: 'url-wildcard', message: `${label} may use a wildcard only as the whole left-most subdomain label, as in https://*.example.com` });
    } else if (labels.length < 3) {
      problems.push({ rule: 'url-wildcard', message: `${label} is too broad: a wildcard needs a registered domain after it, as in https://*.example.com` });
    } else if (isProduction(env)) {
      problems.push({ rule: 'url-wildcard', message: `${label} uses a wildcard, which is not allowed in production environment ${env.name}`, hint: 'list each host explicitly' });
    }
  }

  if (!canParse(url.replace('*.', 'wildcard.'))) {
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

function canParse(url: string): boolean {
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

function withoutEmptyHints(problems: UrlProblem[]): UrlProblem[] {
  return problems.map((problem) => (problem.hint === undefined ? { rule: problem.rule, message: problem.message } : problem));
}
