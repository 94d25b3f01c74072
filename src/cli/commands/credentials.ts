// `tenantctl credentials NAME`: hands a partner the domain, client id and (for server-side apps)
// client secret of a live application, to a 0600 file or, only when asked with `--out -`, to stdout.
import { Option, type Command } from 'commander';
import { CREDENTIALS_FORMATS, formatNeedsSecret, type CredentialsFormat } from '../../onboard/credentials-format.js';
import { chooseDestination, deliverCredentials, formatWarnings, readLiveApplication, targetEnvironment } from '../../onboard/credentials.js';
import { resolveCredentials } from '../../remote/credentials.js';
import { RemoteTenant } from '../../remote/tenant.js';

interface CredentialsOptions {
  env?: string;
  dir: string;
  format: CredentialsFormat;
  out?: string;
  force?: boolean;
}

export function register(program: Command): void {
  program
    .command('credentials')
    .description("write a live application's domain, client id and secret for the partner who builds it")
    .argument('<name>', "the application's name")
    .option('--env <name>', 'the environment (default: default_environment, or the only one)')
    .option('--dir <path>', 'the tenant directory, for the environment list', 'tenant')
    .addOption(new Option('--format <format>', 'dotenv (.env for server apps), json, or spa (createAuth0Client snippet, no secret)').choices(CREDENTIALS_FORMATS as string[]).default('dotenv'))
    .option('--out <file>', 'file to create with mode 0600, or - for stdout')
    .option('--force', 'replace an existing --out file')
    .action(async (name: string, options: CredentialsOptions) => {
      const destination = chooseDestination(options.out, options.format, options.force === true);
      const environment = targetEnvironment(options.dir, options.env, process.env);
      const resolved = resolveCredentials(process.env, environment);
      if (resolved.notice) process.stderr.write(`${resolved.notice}\n`);
      const remote = new RemoteTenant(resolved.credentials);
      const app = await readLiveApplication(remote, name, formatNeedsSecret(options.format));
      for (const warning of formatWarnings(app, options.format)) process.stderr.write(`warning: ${warning}\n`);
      // Against the emulator, the partner must talk to the emulator too, not to the real tenant.
      const domain = resolved.notice ? resolved.credentials.domain : environment.domain;
      const output = deliverCredentials(
        destination,
        options.format,
        { domain, clientId: app.clientId, ...(app.clientSecret !== undefined ? { clientSecret: app.clientSecret } : {}) },
        name,
      );
      process.stdout.write(output);
    });
}
