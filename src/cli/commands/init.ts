// `tenantctl init`: writes a working starting point into the repository it runs in (tenant.yaml, the
// workflows, .gitignore lines, a README section); with --from-tenant also the live tenant's objects.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { checkOutputDirectory, describeExport, exportTenant, readTenantForExport, validateExport, type ExportResult } from '../../export/index.js';
import { checkEnvironments, exportedSettings, initFiles, parseEnvironmentFlag, type InitEnvironment, type InitFile } from '../../init/files.js';
import { performWrites, planWrites, type InitWrite } from '../../init/write.js';
import { packagePathIn, schemaDirFrom } from '../../installation.js';
import type { Diagnostic } from '../../model/types.js';
import { normalizeDomain, resolveCredentials } from '../../remote/credentials.js';
import { RemoteTenant } from '../../remote/tenant.js';
import { formatDiagnosticLines } from '../../validate/format.js';

interface InitFlags {
  env: string[];
  dir: string;
  fromTenant?: boolean;
  force?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The tenant directory relative to the repository root (where the workflows run), with forward slashes. */
function tenantDirIn(projectDir: string, dir: string): string {
  const inside = relative(projectDir, resolve(projectDir, dir));
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw new UsageError(`--dir ${dir} is not a folder inside this repository`, 'run init at the repository root and give a folder under it, e.g. --dir tenant');
  }
  return inside.split(sep).join('/');
}

async function askEnvironments(): Promise<InitEnvironment[]> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const environments: InitEnvironment[] = [];
  try {
    process.stderr.write('One environment per Auth0 tenant, e.g. dev and prod. An empty name finishes.\n');
    for (;;) {
      const suggested = environments.length === 0 ? 'dev' : '';
      const name = (await rl.question(`Environment name${suggested ? ` [${suggested}]` : ''}: `)).trim() || suggested;
      if (name === '') return environments;
      const domain = (await rl.question(`Auth0 domain of ${name} (e.g. ${name}-acme.us.auth0.com): `)).trim();
      environments.push(parseEnvironmentFlag(`${name}=${domain}`));
    }
  } finally {
    rl.close();
  }
}

/** The environment AUTH0_DOMAIN names, or the first one when it is an emulator (or names none, which resolveCredentials refuses). */
function environmentToExport(environments: readonly InitEnvironment[]): InitEnvironment {
  const live = normalizeDomain(process.env.AUTH0_DOMAIN ?? '').toLowerCase();
  return environments.find((env) => env.domain.toLowerCase() === live) ?? environments[0]!;
}

async function exportLiveTenant(target: InitEnvironment, dir: string, schemaDir: string): Promise<ExportResult> {
  const { credentials, notice } = resolveCredentials(process.env, target);
  if (notice) process.stderr.write(`${notice}\n`);
  const snapshot = await readTenantForExport(new RemoteTenant(credentials));
  return exportTenant(snapshot, { environment: target.name, domain: target.domain, schemaDir });
}

/** What validate would say about the tenant files, for every environment, each finding once. */
function checkTenantFiles(dir: string, files: readonly InitFile[], environments: readonly InitEnvironment[]): Diagnostic[] {
  const inDir = files.filter((file) => file.path.startsWith(`${dir}/`)).map((file) => ({ path: file.path.slice(dir.length + 1), text: file.text }));
  const seen = new Set<string>();
  return environments
    .flatMap((env) => validateExport(dir, inDir, env.name))
    .filter((diagnostic) => {
      const key = JSON.stringify(diagnostic);
      return seen.has(key) ? false : (seen.add(key), true);
    });
}

function describeWrites(writes: readonly InitWrite[]): string {
  const verbs = { created: 'created', replaced: 'replaced', updated: 'updated', unchanged: 'unchanged' } as const;
  return writes.map((write) => `  ${verbs[write.outcome].padEnd(9)} ${write.path}\n`).join('');
}

export function register(program: Command): void {
  program
    .command('init')
    .description('start managing Auth0 tenants in this repository: tenant.yaml, plan/apply/drift workflows, .gitignore, a README section')
    .option('--env <name=domain>', 'an environment and its tenant domain (repeatable; asked for at a terminal)', collect, [])
    .option('--dir <path>', 'the tenant directory to create', 'tenant')
    .option('--from-tenant', 'also export the live tenant named by AUTH0_DOMAIN into it, so plan is clean at once')
    .option('--force', 'replace files init writes that already exist')
    .action(async (flags: InitFlags) => {
      let environments = flags.env.map(parseEnvironmentFlag);
      if (environments.length === 0 && process.stdin.isTTY === true) environments = await askEnvironments();
      checkEnvironments(environments);
      const projectDir = process.cwd();
      const dir = tenantDirIn(projectDir, flags.dir);
      const installed = packagePathIn(projectDir);
      const schemaDir = schemaDirFrom(dir, projectDir);
      const force = flags.force === true;

      let exported: ExportResult | undefined;
      let target: InitEnvironment | undefined;
      if (flags.fromTenant) {
        checkOutputDirectory(dir, force);
        target = environmentToExport(environments);
        exported = await exportLiveTenant(target, dir, schemaDir);
        const settings = exportedSettings(exported.files.find((file) => file.path === 'tenant.yaml')?.text ?? '', target.name);
        environments = environments.map((env) => (env === target ? { ...env, settings } : env));
      }
      const actionPath = installed.path === '.' ? './' : `./${installed.path}`;
      const files: InitFile[] = [
        ...initFiles({ environments, dir, schemaDir, actionPath }),
        ...(exported?.files ?? []).filter((file) => file.path !== 'tenant.yaml').map((file): InitFile => ({ path: `${dir}/${file.path}`, how: 'create', text: file.text })),
      ];
      const diagnostics = checkTenantFiles(dir, files, environments);
      const errors = diagnostics.some((diagnostic) => diagnostic.severity === 'error');
      if (errors && !exported) {
        process.stderr.write(formatDiagnosticLines(diagnostics));
        throw new UsageError('the environments given do not make a valid tenant.yaml; nothing was written', 'check each --env NAME=DOMAIN');
      }
      const writes = planWrites(projectDir, files, force);
      performWrites(projectDir, writes);

      process.stdout.write(`Initialised tenantctl in this repository:\n${describeWrites(writes)}`);
      if (exported && target) process.stdout.write(describeExport(exported, { dir, domain: target.domain, environment: target.name }));
      if (!installed.inProject) {
        process.stderr.write('warning: tenantctl is not installed in this repository; run `npm i -D tenantctl` so the workflows and the schema paths resolve\n');
      }
      if (errors) {
        // The tenant itself breaks a rule (say, an http callback in production); the files say what it holds.
        process.stderr.write(formatDiagnosticLines(diagnostics));
        process.stderr.write('The live tenant breaks the rules above; fix them in the files (and apply) before relying on plan.\n');
        process.exitCode = 1;
        return;
      }
      const first = target?.name ?? environments[0]!.name;
      process.stdout.write(
        [
          '',
          'Next:',
          ...(exported ? [] : [`  npx tenantctl app add "My App" --type regular_web --callback https://app.example.com/callback${dir === 'tenant' ? '' : ` --dir ${dir}`}`]),
          `  npx tenantctl validate${dir === 'tenant' ? '' : ` --dir ${dir}`}`,
          `  npx tenantctl plan --env ${first}${dir === 'tenant' ? '' : ` --dir ${dir}`}   # with AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET set${exported ? '; expect "No changes"' : ''}`,
          `  then create the GitHub environments and secrets listed in README.md, and open a pull request`,
          '',
        ].join('\n'),
      );
    });
}
