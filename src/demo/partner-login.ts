// A partner's server-side app logging a user in with the OpenID-certified `openid-client`, from the three values
// of the .env tenantctl hands over (AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET): discovery, PKCE, state
// and nonce, the user filling in the login form, the code exchange, and the ID token checked against the JWKS.
// The demo and the tests use it against the emulator; it speaks only standard OAuth/OIDC, so it works on Auth0 too
// (except the form filling, which follows the emulator's login page).
import { readFileSync } from 'node:fs';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import * as client from 'openid-client';

export interface PartnerSettings {
  domain: string;
  clientId: string;
  clientSecret: string;
}

export interface PartnerLogin {
  /** The ID token's claims, verified against the tenant's JWKS. */
  claims: JWTPayload;
  /** What /userinfo answers for the access token. */
  userinfo: Record<string, unknown>;
  accessToken: string;
  refreshToken?: string;
  config: client.Configuration;
}

/** Reads AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET from a dotenv file, as the partner's app would. */
export function readPartnerEnv(path: string): PartnerSettings {
  const values: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (match) values[match[1]!] = match[2]!.replace(/^(['"])(.*)\1$/, '$2');
  }
  const { AUTH0_DOMAIN: domain, AUTH0_CLIENT_ID: clientId, AUTH0_CLIENT_SECRET: clientSecret } = values;
  if (!domain || !clientId || !clientSecret) throw new Error(`${path} lacks AUTH0_DOMAIN, AUTH0_CLIENT_ID or AUTH0_CLIENT_SECRET`);
  return { domain, clientId, clientSecret };
}

/** Thrown when a login step is refused; `status` and `body` are the tenant's answer. */
export class LoginRefused extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(message);
  }
}

/**
 * Plays the user's browser from the authorize URL to the callback: follows /authorize to the login page, fills in
 * `username` and `password` with the page's hidden `state`, and returns the URL the tenant redirects back to.
 */
export async function submitLoginForm(authorizeUrl: URL, username: string, password: string): Promise<URL> {
  const authorize = await fetch(authorizeUrl, { redirect: 'manual' });
  const loginLocation = authorize.headers.get('location');
  if (authorize.status !== 302 || !loginLocation) throw new LoginRefused('/authorize did not lead to the login page', authorize.status, await authorize.text());
  const loginUrl = new URL(loginLocation, authorizeUrl);
  if (loginUrl.origin === authorizeUrl.origin && loginUrl.pathname === '/u/login') {
    const page = await fetch(loginUrl, { redirect: 'manual' });
    const html = await page.text();
    const state = /name="state" value="([^"]*)"/.exec(html)?.[1];
    const action = /<form method="POST" action="([^"]*)"/.exec(html)?.[1];
    if (page.status !== 200 || state === undefined || action === undefined) throw new LoginRefused('the login page has no form', page.status, html);
    const submitted = await fetch(new URL(action.replaceAll('&amp;', '&'), loginUrl), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ state: state.replaceAll('&amp;', '&'), username, password }).toString(),
    });
    const back = submitted.headers.get('location');
    if (submitted.status !== 302 || !back) throw new LoginRefused('the login form was refused', submitted.status, await submitted.text());
    return new URL(back);
  }
  // Already redirected back (a session, or an error sent to the callback).
  return loginUrl;
}

/** The whole Authorization Code flow with PKCE for a regular web app, as a partner's server would run it. */
export async function loginAsPartnerApp(
  settings: PartnerSettings,
  options: { redirectUri: string; username: string; password: string; scope?: string; audience?: string },
): Promise<PartnerLogin> {
  const config = await client.discovery(new URL(`https://${settings.domain}/`), settings.clientId, settings.clientSecret);
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const authorizeUrl = client.buildAuthorizationUrl(config, {
    redirect_uri: options.redirectUri,
    scope: options.scope ?? 'openid profile email',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...(options.audience ? { audience: options.audience } : {}),
  });
  const callback = await submitLoginForm(authorizeUrl, options.username, options.password);
  const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
  const idToken = tokens.id_token;
  if (!idToken) throw new Error('the token answer has no id_token');
  const metadata = config.serverMetadata();
  const { payload } = await jwtVerify(idToken, createRemoteJWKSet(new URL(String(metadata.jwks_uri))), {
    issuer: metadata.issuer,
    audience: settings.clientId,
    algorithms: ['RS256'],
  });
  const userinfo = await client.fetchUserInfo(config, tokens.access_token, String(payload.sub));
  return { claims: payload, userinfo, accessToken: tokens.access_token, ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}), config };
}
