// `tenantctl export`: writes the live tenant's applications, connections, APIs, grants and enablement
// as tenant/ YAML, so `plan` against the same tenant shows no changes. Secrets are never written.
import type { Command } from 'commander';
import { SettingsError, UsageError } from '../../errors.js';
import { checkOutputDirectory, describeExport, exportTenant, readTenantForExport, validateExport, writeExportedFiles } from '../../export/index.js';
import { ENVIRONMENT_NAME } from '../../init/files.js';
import { schemaDirFrom } from '../../installation.js';
import { isLoopbackDomain, normalizeDomain, resolveCredentials } from '../../remote/credentials.js';
import { RemoteTenant } from '../../remote/tenant.js';
import { formatDiagnosticLines } from '../../validate/format.js';

interface ExportFlags {
  out: string;
  env: string;
  domain?: string;
  force?: boolean;
}

/**
 * The environment's domain for tenant.yaml: the tenant's own, or `--domain` when a loopback emulator
 * stands in for it (the emulator's host:port is no tenant domain and would not pass validate).
 */
function environmentDomain(flags: ExportFlags, env: NodeJS.ProcessEnv): string {
  const live = normalizeDomain(env.AUTH0_DOMAIN ?? '');
  const given = flags.domain === undefined ? undefined : normalizeDomain(flags.domain);
  if (live !== '' && isLoopbackDomain(live)) {
    if (given === undefined) {
      throw new UsageError(
        `AUTH0_DOMAIN=${live} is a local emulator, so export cannot tell which tenant domain to write to tenant.yaml`,
        'pass --domain with the real domain the emulator stands in for, e.g. --domain dev-acme.us.auth0.com',
      );
    }
    return given;
  }
  if (given !== undefined && live !== '' && given.toLowerCase() !== live.toLowerCase()) {
    throw new SettingsError(`--domain is ${given}, but AUTH0_DOMAIN is ${live}`, 1, '--domain is only needed with the emulator; leave it out to export AUTH0_DOMAIN');
  }
  return given ?? live;
}

export function register(program: Command): void {
  program
    .command('export')
    .description('write the live tenant as tenant/ YAML files (no secrets), to bring it under management')
    .option('--out <dir>', 'the directory to create', 'tenant')
    .option('--env <name>', 'the environment name written to tenant.yaml', 'dev')
    .option('--domain <domain>', "the environment's tenant domain; needed when AUTH0_DOMAIN is the emulator")
    .option('--force', 'write into a directory that is not empty (files with the same names are replaced)')
    .action(async (flags: ExportFlags) => {
      if (!ENVIRONMENT_NAME.test(flags.env)) {
        throw new UsageError(`"${flags.env}" is not an environment name`, 'use lower case letters, digits and dashes, starting with a letter');
      }
      checkOutputDirectory(flags.out, flags.force === true);
      const domain = environmentDomain(flags, process.env);
      const { credentials, notice } = resolveCredentials(process.env, { name: flags.env, domain });
      if (notice) process.stderr.write(`${notice}\n`);
      const remote = new RemoteTenant(credentials);
      const snapshot = await readTenantForExport(remote);
      const result = exportTenant(snapshot, { environment: flags.env, domain, schemaDir: schemaDirFrom(flags.out) });
      const diagnostics = validateExport(flags.out, result.files, flags.env);
      const { leftovers } = writeExportedFiles(flags.out, result.files);
      process.stdout.write(describeExport(result, { dir: flags.out, domain, environment: flags.env }));
      for (const file of leftovers) process.stderr.write(`warning: ${flags.out}/${file} was already there and is not part of this export\n`);
      if (diagnostics.some((diagnostic) => diagnostic.severity === 'error')) {
        // The tenant itself breaks a rule (say, an http callback); the files say what it holds, so they are kept.
        process.stderr.write(formatDiagnosticLines(diagnostics));
        process.stderr.write('The live tenant breaks the rules above; fix them in the files (and apply) before relying on plan.\n');
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`Next: tenantctl validate --dir ${flags.out}, then tenantctl plan --dir ${flags.out} (expect "No changes").\n`);
    });
}
