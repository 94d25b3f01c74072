// `tenantctl app add NAME --type ...`: writes the declaration of a new partner application and
// prints the next steps; exit 1 when its URLs break the policy or the validator rejects the file.
import { Option, type Command } from 'commander';
import { UsageError } from '../../errors.js';
import { APP_KINDS, type AppKind } from '../../onboard/app-file.js';
import { addApplication } from '../../onboard/app-add.js';
import { schemaDirFrom } from '../../installation.js';
import { formatText } from '../../validate/format.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function splitScopes(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((scope) => scope.trim())
    .filter((scope) => scope !== '');
}

interface AppAddOptions {
  type: AppKind;
  callback: string[];
  logout: string[];
  origin: string[];
  connection: string[];
  organization: string[];
  api?: string;
  scopes?: string;
  dir: string;
  env?: string;
}

export function register(program: Command): void {
  const app = program.commands.find((command) => command.name() === 'app') ?? program.command('app').description('manage application declarations');
  app
    .command('add')
    .description('declare a new application in tenant/applications/<slug>.yaml, with defaults for its type')
    .argument('<name>', "the application's name (its key in Auth0)")
    .addOption(new Option('--type <type>', 'kind of application').choices(APP_KINDS as unknown as string[]).makeOptionMandatory())
    .option('--callback <url>', 'an Allowed Callback URL (repeatable)', collect, [])
    .option('--logout <url>', 'an Allowed Logout URL (repeatable)', collect, [])
    .option('--origin <url>', 'a web origin, e.g. https://app.example.com (repeatable)', collect, [])
    .option('--connection <name>', 'a connection its users log in with (repeatable)', collect, [])
    .option('--organization <name>', 'an organization (organizations/) whose members log in to it; they then always log in through one (repeatable)', collect, [])
    .option('--api <identifier>', 'an API the m2m application may call')
    .option('--scopes <list>', 'comma-separated scopes granted on --api')
    .option('--dir <path>', 'the tenant directory', 'tenant')
    .option('--env <name>', 'check URLs against this environment only (default: every environment)')
    .action((name: string, options: AppAddOptions) => {
      const grants = options.api !== undefined ? [{ api: options.api, scopes: splitScopes(options.scopes ?? '') }] : [];
      if (options.api === undefined && options.scopes !== undefined) {
        throw new UsageError('--scopes needs --api IDENTIFIER: the API the scopes are granted on');
      }
      const result = addApplication({
        dir: options.dir,
        schemaDir: schemaDirFrom(options.dir),
        ...(options.env !== undefined ? { env: options.env } : {}),
        app: {
          name,
          type: options.type,
          callbacks: options.callback,
          logoutUrls: options.logout,
          origins: options.origin,
          connections: options.connection,
          organizations: options.organization,
          grants,
        },
      });
      if (!result.file) {
        process.stderr.write(formatText(result.diagnostics, 1));
        process.stderr.write(`error: application "${name}" was not added; nothing was written\n`);
        process.exitCode = 1;
        return;
      }
      if (result.diagnostics.length > 0) process.stderr.write(formatText(result.diagnostics, 1));
      const env = result.nextStepsEnvironment ?? 'ENV';
      process.stdout.write(
        [
          `Created ${result.file} (application "${name}", ${options.type}).`,
          '',
          'Next steps:',
          `  1. Review the file, then open a pull request with it (tenantctl validate runs in CI).`,
          `  2. Once merged, apply it: tenantctl apply --env ${env}`,
          `  3. Hand the credentials to the partner: tenantctl credentials "${name}" --env ${env} --out .env`,
          '',
        ].join('\n'),
      );
    });
}
