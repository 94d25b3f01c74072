// `npm run bench:login`: times a partner login round trip against the emulator, and the Management API token
// request, and writes the figures into RESULTS.md between the bench:login markers. A round trip is what a user
// waits for between clicking "Log in" and being back in the app: /authorize, the login page, the form post
// (password check), the code exchange and the ID token check against the (cached) JWKS, made by openid-client
// as a partner's server does. The target is under 50 ms. It runs in a child process that trusts the emulator's
// certificate through NODE_EXTRA_CA_CERTS, since a process reads that only when it starts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { startEmulator } from '../src/emulator/index.js';
import { generateTlsMaterial } from '../src/emulator/tls.js';
import { submitLoginForm } from '../src/demo/partner-login.js';

const WARMUP = 20;
const ROUNDS = 300;
const resultsPath = fileURLToPath(new URL('../../../RESULTS.md', import.meta.url));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(samples: number[]): { median: number; p95: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1]! };
}

async function measure(tls: { key: string; cert: string }): Promise<string> {
  const emulator = await startEmulator({ tls });
  try {
    const [app] = emulator.seed('clients', [{ name: 'Bench Portal', app_type: 'regular_web', callbacks: ['https://bench.example.com/callback'] }]);
    const database = emulator.store.connectionByName('Username-Password-Authentication')!;
    emulator.store.setEnabledClients(String(database.id), [{ client_id: String(app!.client_id), status: true }]);
    emulator.store.createUser({ connection: 'Username-Password-Authentication', email: 'bench@example.com', password: 'Bench-password-1', email_verified: true });
    const config = await client.discovery(new URL(`https://${emulator.domain}/`), String(app!.client_id), String(app!.client_secret));
    const jwks = createRemoteJWKSet(new URL(String(config.serverMetadata().jwks_uri)));

    const login = async (): Promise<number> => {
      const started = performance.now();
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: 'https://bench.example.com/callback', scope: 'openid profile email', state, nonce,
        code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      });
      const callback = await submitLoginForm(url, 'bench@example.com', 'Bench-password-1');
      const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
      await jwtVerify(tokens.id_token!, jwks, { issuer: `https://${emulator.domain}/`, audience: String(app!.client_id) });
      return performance.now() - started;
    };
    const managementToken = async (): Promise<number> => {
      const started = performance.now();
      const response = await fetch(`https://${emulator.domain}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: emulator.clientId, client_secret: emulator.clientSecret, audience: `https://${emulator.domain}/api/v2/` }).toString(),
      });
      if (response.status !== 200) throw new Error(`token request answered ${response.status}`);
      await response.json();
      return performance.now() - started;
    };

    for (let i = 0; i < WARMUP; i++) await login();
    const logins: number[] = [];
    for (let i = 0; i < ROUNDS; i++) logins.push(await login());
    for (let i = 0; i < WARMUP; i++) await managementToken();
    const tokens: number[] = [];
    for (let i = 0; i < ROUNDS; i++) tokens.push(await managementToken());
    const l = summary(logins);
    const t = summary(tokens);
    const ms = (value: number) => value.toFixed(1);
    return [
      '<!-- bench:login:start -->',
      '## Login round trip (Authentication API)',
      '',
      `- Date: ${new Date().toISOString()}`,
      `- Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, ${process.platform}/${process.arch}`,
      `- Command: \`npm run bench:login\`; ${WARMUP} warm-up rounds, then ${ROUNDS} measured, one at a time, emulator in the same process, no added latency or rate limit`,
      '- Login round trip: openid-client builds the /authorize URL (PKCE, state, nonce); /authorize redirects to the login page; the form is read and posted (scrypt password check); the code is exchanged (`client_secret_post`); the ID token is verified against the cached JWKS. Target: under 50 ms.',
      "- Management API token: `POST /oauth/token` with client credentials for the Management API (an RS256 JWT since the Authentication API was added; the `/api/v2` figures above are otherwise untouched by it).",
      '',
      '| measurement | median (ms) | p95 (ms) | max (ms) | target |',
      '|---|--:|--:|--:|---|',
      `| login round trip | ${ms(l.median)} | ${ms(l.p95)} | ${ms(l.max)} | < 50 ms: ${l.median < 50 ? 'met' : 'not met'} (median) |`,
      `| Management API token | ${ms(t.median)} | ${ms(t.p95)} | ${ms(t.max)} | |`,
      '<!-- bench:login:end -->',
    ].join('\n');
  } finally {
    await emulator.close();
  }
}

function writeSection(section: string): void {
  const current = readFileSync(resultsPath, 'utf8');
  const pattern = /<!-- bench:login:start -->[\s\S]*?<!-- bench:login:end -->/;
  const next = pattern.test(current) ? current.replace(pattern, section) : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(resultsPath, next);
}

if (process.argv[2] === '--child') {
  const dir = process.argv[3]!;
  const section = await measure({ key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') });
  writeSection(section);
  process.stdout.write(`${section}\n`);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'tenantctl-bench-login-'));
  try {
    const tls = await generateTlsMaterial();
    writeFileSync(join(dir, 'key.pem'), tls.key, { mode: 0o600 });
    writeFileSync(join(dir, 'cert.pem'), tls.cert);
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', dir], {
      stdio: 'inherit',
      env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') },
    });
    process.exitCode = child.status ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
