// `npm run demo`: the whole tenantctl loop against an in-process emulator, with visible headings.
// It runs the real CLI as a child process for every step, ends with the partner's app logging a user in, and
// never touches the repository's files.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../emulator/index.js';

const cli = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const loginStep = fileURLToPath(new URL('./login-step.js', import.meta.url));
const repoTenant = fileURLToPath(new URL('../../tenant', import.meta.url));

const bold = (text: string) => (process.stdout.isTTY && !('NO_COLOR' in process.env) ? `\x1b[1m${text}\x1b[0m` : text);

async function main(): Promise<number> {
  const started = Date.now();
  const emulator = await startEmulator({ port: 0 });
  const work = mkdtempSync(join(tmpdir(), 'tenantctl-demo-'));
  const env = {
    ...process.env,
    AUTH0_DOMAIN: emulator.domain,
    AUTH0_CLIENT_ID: emulator.clientId,
    AUTH0_CLIENT_SECRET: emulator.clientSecret,
    NODE_EXTRA_CA_CERTS: emulator.caCertPath,
    NO_COLOR: '1',
  };
  let step = 0;
  const run = async (title: string, args: string[], expected: number[] = [0], script = cli, extraEnv: NodeJS.ProcessEnv = {}): Promise<void> => {
    step++;
    const shown = script === cli ? 'tenantctl' : 'partner-app';
    process.stdout.write(`\n${bold(`== ${step}. ${title}`)}\n$ ${shown} ${args.map(quote).join(' ')}\n`);
    const code = await runNode(script, args, { ...env, ...extraEnv });
    if (!expected.includes(code)) throw new Error(`step ${step} (${title}) exited ${code}, expected ${expected.join(' or ')}`);
  };

  try {
    process.stdout.write(`${bold('tenantctl demo')}: an Auth0 Management API emulator is listening on https://${emulator.domain}\n`);
    await run('Validate the repository tenant/ for dev', ['validate', '--dir', repoTenant, '--env', 'dev']);
    await run('Plan: everything is new', ['plan', '--dir', repoTenant, '--env', 'dev'], [0]);
    await run('Apply it', ['apply', '--dir', repoTenant, '--env', 'dev', '--auto-approve']);
    await run('Plan again: nothing left to do', ['plan', '--dir', repoTenant, '--env', 'dev', '--detailed-exitcode']);

    const copy = join(work, 'tenant');
    cpSync(repoTenant, copy, { recursive: true });
    const partner = 'Demo Partner Portal';
    await run('Register a partner application (in a temporary copy of tenant/)', [
      'app', 'add', partner, '--dir', copy, '--type', 'regular_web',
      '--callback', 'https://demo-partner.example.com/callback',
      '--logout', 'https://demo-partner.example.com/',
      '--connection', 'Username-Password-Authentication',
    ]);
    await run('Apply the new application', ['apply', '--dir', copy, '--env', 'dev', '--auto-approve']);
    await run("Check the partner's URLs: config, live settings, and the tenant's own /authorize and logout", [
      'check-login', partner, '--dir', copy, '--env', 'dev', '--probe',
      '--callback', 'https://demo-partner.example.com/callback', '--logout', 'https://demo-partner.example.com/',
    ]);
    const envFile = join(work, 'partner.env');
    await run('Hand over the credentials as a .env file', [
      'credentials', partner, '--dir', copy, '--env', 'dev', '--format', 'dotenv', '--out', envFile,
    ]);
    const mode = (statSync(envFile).mode & 0o777).toString(8);
    process.stdout.write(`\nThe partner's .env is at ${envFile} (mode ${mode}); it holds AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET.\n`);

    // A user of the database connection (in a real tenant: signed up, or created with POST /api/v2/users).
    const username = 'driver@demo-partner.example.com';
    const password = randomBytes(18).toString('base64url');
    emulator.store.createUser({ connection: 'Username-Password-Authentication', email: username, password, email_verified: true });
    process.stdout.write(`\nA user ${username} now exists in Username-Password-Authentication.\n`);
    await run(
      "The partner's app logs the user in with openid-client, from its .env alone",
      [envFile, 'https://demo-partner.example.com/callback'],
      [0],
      loginStep,
      { TENANTCTL_DEMO_USERNAME: username, TENANTCTL_DEMO_PASSWORD: password },
    );
    process.stdout.write(`${bold('Demo complete')} in ${((Date.now() - started) / 1000).toFixed(1)} s. The temporary files stay in ${work} until you delete them.\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    rmSync(work, { recursive: true, force: true });
    return 1;
  } finally {
    await emulator.close();
  }
}

function runNode(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

process.exitCode = await main();
