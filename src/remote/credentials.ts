// Reads the tenant's credentials from AUTH0_DOMAIN / AUTH0_CLIENT_ID / AUTH0_CLIENT_SECRET and checks
// the domain against the chosen environment; a loopback domain (the emulator) stands in for any environment.
import { SettingsError } from '../errors.js';
import type { TenantCredentials } from './tenant.js';

export interface ResolvedCredentials {
  credentials: TenantCredentials;
  /** Set when a loopback emulator stands in for the environment's real domain. */
  notice?: string;
}

const LOOPBACK = /^(127(?:\.\d{1,3}){3}|localhost|\[::1\])(:\d+)?$/i;

export function isLoopbackDomain(domain: string): boolean {
  return LOOPBACK.test(domain);
}

/** The bare host[:port] Auth0 expects, from a value people may paste with a scheme or a trailing slash. */
export function normalizeDomain(value: string): string {
  return value.trim().replace(/^https?:\/\//i, '').replace(/\/+$/, '');
}

export function resolveCredentials(
  env: Record<string, string | undefined>,
  environment: { name: string; domain: string },
): ResolvedCredentials {
  const missing = ['AUTH0_DOMAIN', 'AUTH0_CLIENT_ID', 'AUTH0_CLIENT_SECRET'].filter((name) => !env[name]?.trim());
  if (missing.length > 0) {
    throw new SettingsError(
      `missing environment variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
      1,
      "set them to the domain and credentials of tenantctl's machine-to-machine application (see README: Using a real tenant)",
    );
  }
  const domain = normalizeDomain(env.AUTH0_DOMAIN ?? '');
  const credentials = { domain, clientId: (env.AUTH0_CLIENT_ID ?? '').trim(), clientSecret: env.AUTH0_CLIENT_SECRET ?? '' };
  if (isLoopbackDomain(domain)) {
    return {
      credentials,
      notice: `note: AUTH0_DOMAIN=${domain} is a local emulator; it stands in for ${environment.domain} (environment ${environment.name})`,
    };
  }
  if (domain.toLowerCase() !== environment.domain.toLowerCase()) {
    throw new SettingsError(
      `AUTH0_DOMAIN is ${domain}, but environment "${environment.name}" is ${environment.domain}`,
      1,
      `use --env with the environment of ${domain}, or set AUTH0_DOMAIN=${environment.domain}`,
    );
  }
  return { credentials };
}
