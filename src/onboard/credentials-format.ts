// Renders an application's connection settings for the partner who builds it: a .env file for
// server-side apps, JSON, or a createAuth0Client snippet for SPAs (which never carries the secret).

export type CredentialsFormat = 'dotenv' | 'json' | 'spa';
export const CREDENTIALS_FORMATS: readonly CredentialsFormat[] = ['dotenv', 'json', 'spa'];

export interface PartnerCredentials {
  domain: string;
  clientId: string;
  /** Absent for the spa format, which must not carry it. */
  clientSecret?: string;
}

/** The formats that carry the client secret, and so need read:client_keys and a protected file. */
export function formatNeedsSecret(format: CredentialsFormat): boolean {
  return format !== 'spa';
}

export function renderCredentials(format: CredentialsFormat, values: PartnerCredentials): string {
  switch (format) {
    case 'dotenv':
      return `AUTH0_DOMAIN=${values.domain}\nAUTH0_CLIENT_ID=${values.clientId}\nAUTH0_CLIENT_SECRET=${values.clientSecret ?? ''}\n`;
    case 'json':
      return `${JSON.stringify({ domain: values.domain, client_id: values.clientId, client_secret: values.clientSecret ?? '' }, null, 2)}\n`;
    case 'spa':
      return [
        "import { createAuth0Client } from '@auth0/auth0-spa-js';",
        '',
        'const auth0 = await createAuth0Client({',
        `  domain: ${jsString(values.domain)},`,
        `  clientId: ${jsString(values.clientId)},`,
        '  authorizationParams: { redirect_uri: window.location.origin },',
        '});',
        '',
      ].join('\n');
  }
}

function jsString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
