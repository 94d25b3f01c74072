// The demo's last step, run as a child process so that NODE_EXTRA_CA_CERTS makes it trust the emulator: the
// partner's server-side app logs the demo user in with openid-client, using only the .env it was handed, and
// prints the ID token's claims (no secret, no token).
import { loginAsPartnerApp, readPartnerEnv } from './partner-login.js';

const [envFile, redirectUri] = process.argv.slice(2);
const username = process.env.TENANTCTL_DEMO_USERNAME;
const password = process.env.TENANTCTL_DEMO_PASSWORD;
if (!envFile || !redirectUri || !username || !password) {
  process.stderr.write('usage: TENANTCTL_DEMO_USERNAME=… TENANTCTL_DEMO_PASSWORD=… node login-step.js ENV_FILE REDIRECT_URI\n');
  process.exit(2);
}
try {
  const settings = readPartnerEnv(envFile);
  const started = performance.now();
  const login = await loginAsPartnerApp(settings, { redirectUri, username, password });
  const ms = Math.round(performance.now() - started);
  process.stdout.write(`Logged in as ${String(login.claims.email)} in ${ms} ms (discovery, /authorize, login form, code exchange, JWKS check, /userinfo).\n`);
  process.stdout.write(`ID token claims, verified against https://${settings.domain}/.well-known/jwks.json:\n`);
  process.stdout.write(`${JSON.stringify(login.claims, null, 2)}\n`);
} catch (error) {
  process.stderr.write(`login failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
