// `tenantctl check-login NAME --callback URL`: would Auth0 accept this redirect_uri / returnTo /
// origin for the application? Compares the config and the live tenant; with --probe also asks the tenant's
// Authentication API itself (/authorize, /v2/logout). Exit 0 accepted, 1 not.
import { KIND_SPECS } from '../../model/kinds.js';
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { checkLogin, registeredLists, type LiveSide, type LoginCheck } from '../../onboard/check-login.js';
import { findApplicationInConfig } from '../../onboard/login-config.js';
import { judgeProbe, probeRequests } from '../../onboard/login-probe.js';
import { sendProbe } from '../../remote/login-probe.js';
import { resolveCredentials } from '../../remote/credentials.js';
import { RemoteTenant } from '../../remote/tenant.js';
import { closestMatch } from '../../did-you-mean.js';

interface CheckLoginOptions {
  callback: string[];
  logout: string[];
  origin: string[];
  env?: string;
  dir: string;
  probe?: boolean;
  clientId?: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

const CREDENTIAL_VARIABLES = ['AUTH0_DOMAIN', 'AUTH0_CLIENT_ID', 'AUTH0_CLIENT_SECRET'];

export function register(program: Command): void {
  program
    .command('check-login')
    .description('say whether Auth0 would accept a callback, logout URL or web origin for an application, in config and live')
    .argument('<name>', "the application's name")
    .option('--callback <url>', 'a redirect_uri the application sends (repeatable)', collect, [])
    .option('--logout <url>', 'a returnTo URL used at logout (repeatable)', collect, [])
    .option('--origin <url>', 'the origin the application runs on (repeatable)', collect, [])
    .option('--env <name>', 'the environment (default: default_environment, or the only one)')
    .option('--dir <path>', 'the tenant directory', 'tenant')
    .option('--probe', "also send the real /authorize (each --callback) and logout (each --logout) requests to the environment's domain and report whether it accepts them; logs nobody in")
    .option('--client-id <id>', 'the application\'s client id, for --probe without AUTH0_* credentials (e.g. from the partner\'s .env)')
    .action(async (name: string, options: CheckLoginOptions) => {
      const checks: LoginCheck[] = [
        ...options.callback.map((url) => ({ kind: 'callback' as const, url })),
        ...options.logout.map((url) => ({ kind: 'logout' as const, url })),
        ...options.origin.map((url) => ({ kind: 'origin' as const, url })),
      ];
      if (checks.length === 0) throw new UsageError('nothing to check', 'pass at least one of --callback URL, --logout URL, --origin URL');

      const found = findApplicationInConfig(options.dir, options.env, name);
      const environment = found.config.environment;

      if (options.clientId !== undefined && !options.probe) throw new UsageError('--client-id is only used with --probe');
      let live: LiveSide;
      let liveNames: string[] = [];
      let probeDomain = environment.domain;
      let probeClientId = options.clientId?.trim();
      if (CREDENTIAL_VARIABLES.some((variable) => process.env[variable]?.trim())) {
        const resolved = resolveCredentials(process.env, environment);
        if (resolved.notice) process.stderr.write(`${resolved.notice}\n`);
        probeDomain = resolved.credentials.domain;
        const remote = new RemoteTenant(resolved.credentials);
        const client = await remote.findClientByName(name);
        if (client) {
          live = { registered: registeredLists(client) };
          probeClientId ??= typeof client.client_id === 'string' ? client.client_id : undefined;
        }
        else {
          live = 'missing';
          if (!found.side) {
            const snapshot = await remote.readSnapshot();
            liveNames = snapshot.clients.filter((c) => !KIND_SPECS.application.read.isSystem(c, snapshot)).map((c) => String(c.name));
          }
        }
      }
      // An application only the live tenant has is still worth answering for; one found nowhere is not.
      if (!found.side && (live === undefined || live === 'missing')) {
        const suggestion = closestMatch(name, [...found.declaredNames, ...liveNames]);
        throw new UsageError(
          `no application named "${name}" in ${options.dir}${live === 'missing' ? ' or in the live tenant' : ''}`,
          suggestion ? `did you mean "${suggestion}"?` : `declared applications: ${found.declaredNames.join(', ') || 'none'}`,
        );
      }

      const report = checkLogin({
        appName: name,
        checks,
        config: found.side,
        live,
        environment: { name: environment.name, allowLocalhost: environment.allowLocalhost, ...(environment.production !== undefined ? { production: environment.production } : {}) },
        ...(found.appType ? { appType: found.appType } : {}),
      });
      const lines = [...report.lines];
      let ok = report.ok;
      if (options.probe) {
        const probed = checks.filter((check): check is LoginCheck & { kind: 'callback' | 'logout' } => check.kind !== 'origin');
        if (!probeClientId) {
          throw new UsageError(
            `--probe needs the client id of "${name}"`,
            live === 'missing' ? 'the application is not in the live tenant; apply first' : 'pass --client-id (AUTH0_CLIENT_ID in the partner\'s .env), or set AUTH0_DOMAIN/AUTH0_CLIENT_ID/AUTH0_CLIENT_SECRET so tenantctl can look it up',
          );
        }
        if (probed.length === 0) lines.push('note: --probe sends requests for --callback and --logout only; a web origin is not checked by a request');
        for (const request of probeRequests(probeDomain, probeClientId, probed)) {
          const verdict = judgeProbe(request, await sendProbe(request.url));
          ok &&= verdict.accepted;
          lines.push(verdict.line);
        }
      }
      process.stdout.write(`${lines.join('\n')}\n`);
      process.exitCode = ok ? 0 : 1;
    });
}
