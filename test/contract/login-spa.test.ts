// A single-page app built with @auth0/auth0-spa-js logs a user in against the emulator in headless Chromium:
// loginWithRedirect, the login page, handleRedirectCallback (a cross-origin token request with PKCE), getUser,
// then logout back to an Allowed Logout URL. Without a registered callback the browser stays on Auth0's error page.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { launchChromium, serveStatic, type Browser } from '../support/browser.js';
import { startTestEmulator } from '../support/emulator.js';
import { seedLoginApp, USER } from '../support/login.js';

const spaBundle = readFileSync(createRequire(import.meta.url).resolve('@auth0/auth0-spa-js/dist/auth0-spa-js.production.js'));

/** The partner's SPA: the auth0-spa-js quick start, with its state shown in #out for the test to read. */
function appPage(domain: string, clientId: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><script src="/auth0-spa-js.production.js"></script></head><body>
<button id="login">Log in</button> <button id="logout">Log out</button>
<pre id="out">starting</pre>
<script>
(async () => {
  const out = document.getElementById('out');
  try {
    const client = await auth0.createAuth0Client({
      domain: ${JSON.stringify(domain)},
      clientId: ${JSON.stringify(clientId)},
      authorizationParams: { redirect_uri: window.location.origin + '/' },
    });
    document.getElementById('login').onclick = () => client.loginWithRedirect();
    document.getElementById('logout').onclick = () => client.logout({ logoutParams: { returnTo: window.location.origin + '/' } });
    if (location.search.includes('code=') || location.search.includes('error=')) {
      await client.handleRedirectCallback();
      history.replaceState({}, '', '/');
    }
    if (await client.isAuthenticated()) {
      const claims = await client.getIdTokenClaims();
      out.textContent = 'logged in ' + JSON.stringify({ user: await client.getUser(), iss: claims.iss, aud: claims.aud });
    } else out.textContent = 'logged out';
  } catch (error) {
    out.textContent = 'error: ' + (error.error_description || error.message);
  }
})();
</script></body></html>`;
}

let emulator: RunningEmulator;
let browser: Browser;
let app: { origin: string; close(): Promise<void> } | undefined;
let clientId: string;
/** A missing Chromium fails every test here (counted as failures, with the package to install), never skips them. */
let noBrowser: unknown;

beforeAll(async () => {
  try {
    browser = await launchChromium();
  } catch (error) {
    noBrowser = error;
    return;
  }
  emulator = await startTestEmulator();
  // The SPA's origin is known only once its server listens; the app is registered after.
  const page = { type: 'text/html', body: '' };
  app = await serveStatic({ '/': page, '/auth0-spa-js.production.js': { type: 'text/javascript', body: spaBundle } });
  const registered = seedLoginApp(emulator, {
    name: 'Broker SPA',
    app_type: 'spa',
    callbacks: [`${app.origin}/`],
    web_origins: [app.origin],
    allowed_logout_urls: [`${app.origin}/`],
  });
  clientId = registered.clientId;
  page.body = appPage(emulator.domain, clientId);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await emulator?.close();
});

/** Opens the SPA in a new tab, clicks "Log in", and fills in the emulator's login form with `password`. */
async function submitLogin(password: string): Promise<Page> {
  if (noBrowser) throw noBrowser;
  const page = await browser.context.newPage();
  await page.goto(`${app!.origin}/`);
  await expect.poll(() => page.textContent('#out')).toBe('logged out');
  await page.click('#login');
  await page.waitForURL(`https://${emulator.domain}/u/login?**`);
  await page.fill('input[name="username"]', USER.email);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');
  return page;
}

describe('auth0-spa-js in headless Chromium', () => {
  it('logs the user in with loginWithRedirect and the login form, and back out', async () => {
    const page = await submitLogin(USER.password);
    await expect.poll(() => page.textContent('#out'), { timeout: 15_000 }).toMatch(/^logged in /);
    const shown = JSON.parse(String(await page.textContent('#out')).slice('logged in '.length)) as { user: Record<string, unknown>; iss: string; aud: string };
    expect(shown.iss).toBe(`https://${emulator.domain}/`);
    expect(shown.aud).toBe(clientId);
    expect(shown.user).toMatchObject({ email: USER.email, sub: expect.stringMatching(/^auth0\|/) });

    await page.click('#logout');
    await page.waitForURL(`${app!.origin}/`);
    await expect.poll(() => page.textContent('#out')).toBe('logged out');
    await page.close();
  });

  it('a wrong password keeps the user on the login page with the error', async () => {
    const page = await submitLogin('wrong-password');
    await expect.poll(() => page.textContent('[role="alert"]')).toBe('Wrong email or password.');
    expect(new URL(page.url()).origin).toBe(`https://${emulator.domain}`);
    await page.close();
  });

  it('an SPA whose origin is not its registered callback stays on the "Callback URL mismatch" page', async () => {
    if (noBrowser) throw noBrowser;
    emulator.store.updateClient(clientId, { callbacks: [`${app!.origin}/elsewhere`] });
    try {
      if (noBrowser) throw noBrowser;
    const page = await browser.context.newPage();
      await page.goto(`${app!.origin}/`);
      await expect.poll(() => page.textContent('#out')).toBe('logged out');
      await page.click('#login');
      await page.waitForURL(`https://${emulator.domain}/authorize?**`);
      await expect.poll(() => page.textContent('body')).toContain('Callback URL mismatch.');
      await page.close();
    } finally {
      emulator.store.updateClient(clientId, { callbacks: [`${app!.origin}/`] });
    }
  });
});
