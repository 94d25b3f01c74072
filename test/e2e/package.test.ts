// The npm package as a new user gets it: `npm pack`, install the tarball into an empty project, and
// from there `npx tenantctl` --help, init, app add, validate, the emulator, plan and apply; the files
// init wrote point into node_modules/tenantctl (schemas, the composite action) and pass the validator.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { actionUseProblems, actionValidatorProblems } from '../support/actions.js';
import { schemaProblems } from '../support/output-schema.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'tenantctl-package-'));
const project = join(work, 'acme-auth0');
let emulator: ChildProcess | undefined;

afterAll(() => {
  emulator?.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

/** The environment of a child: AUTH0_* and the test runner's own npm package variables are not passed on. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(AUTH0_|npm_package_|npm_lifecycle_)/i.test(name)));
  return { ...inherited, NO_COLOR: '1', ...extra };
}

function sh(command: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const run = spawnSync(command, args, { cwd, encoding: 'utf8', env: childEnv(env), timeout: 120_000 });
  return { code: run.status ?? -1, stdout: run.stdout ?? '', stderr: run.stderr ?? '', all: `${run.stdout ?? ''}${run.stderr ?? ''}` };
}

/** Starts `npx tenantctl emulator --port 0` from the project and reads the settings it prints. */
function startInstalledEmulator(): Promise<Record<string, string>> {
  return new Promise((resolvePromise, reject) => {
    // The installed bin itself (what npx runs), so the kill reaches the emulator and not only npx.
    const child = spawn(process.execPath, [join(project, 'node_modules', '.bin', 'tenantctl'), 'emulator', '--port', '0'], { cwd: project, env: childEnv() });
    emulator = child;
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const settings = Object.fromEntries(out.split('\n').filter((line) => line.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
      if (settings.NODE_EXTRA_CA_CERTS !== undefined && out.endsWith('\n')) resolvePromise(settings);
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the emulator exited with ${code}`)));
  });
}

/** Where a `# yaml-language-server: $schema=…` modeline in `file` points, as an absolute path. */
function modelineTarget(file: string): string {
  const match = /^# yaml-language-server: \$schema=(\S+)$/m.exec(readFileSync(file, 'utf8'));
  expect(match, `${file} has a schema modeline`).not.toBeNull();
  return resolve(dirname(file), match![1]!);
}

describe('the npm package', () => {
  it('packs, installs from the tarball into an empty project, and the whole loop works from there', async () => {
    // 1. Pack what `files` ships (dist was built by `npm test`), and nothing of the repository besides.
    const pack = sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], REPO);
    expect(pack.code, pack.stderr).toBe(0);
    const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    const shipped = packed!.files.map((file) => file.path);
    expect(shipped).toEqual(expect.arrayContaining(['action.yml', 'dist/cli/main.js', 'schemas/tenant.schema.json', 'schemas/plan-output.schema.json', 'package.json', 'README.md']));
    expect(shipped.filter((path) => /^(src|test|tenant|bench|\.github|\.ci)\//.test(path))).toEqual([]);

    // 2. Install the tarball as a dev dependency; its own dependencies come from npm's cache when it has them.
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'acme-auth0', private: true }, null, 2)}\n`);
    const install = sh('npm', ['install', '--save-dev', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(work, packed!.filename)], project);
    expect(install.code, install.all).toBe(0);

    // 3. npx tenantctl --help, and no library entry point: the JSON outputs and their schemas are the interface.
    const help = sh('npx', ['--no-install', 'tenantctl', '--help'], project);
    expect(help.code, help.all).toBe(0);
    expect(help.stdout).toContain('Usage: tenantctl');
    expect(help.stdout).toContain('init [options]');
    expect(help.stdout).toContain('Examples:');
    const library = sh(process.execPath, ['--input-type=module', '-e', "import('tenantctl').then(() => console.log('loaded'), (e) => console.log(e.code))"], project);
    expect(library.stdout.trim()).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
    const schema = sh(process.execPath, ['-e', "console.log(require(require.resolve('tenantctl/schemas/plan-output.schema.json')).title)"], project);
    expect(schema.stdout.trim()).toBe('tenantctl plan --format json');

    // 4. init and app add; every modeline resolves to a schema shipped in node_modules/tenantctl.
    const init = sh('npx', ['--no-install', 'tenantctl', 'init', '--env', 'dev=dev-acme.us.auth0.com'], project);
    expect(init.code, init.all).toBe(0);
    expect(init.stderr).not.toContain('not installed in this repository');
    const add = sh('npx', ['--no-install', 'tenantctl', 'app', 'add', 'Acme Fleet', '--type', 'regular_web', '--callback', 'https://fleet.acme.example/callback'], project);
    expect(add.code, add.all).toBe(0);
    const installedSchemas = join(project, 'node_modules', 'tenantctl', 'schemas');
    expect(modelineTarget(join(project, 'tenant', 'tenant.yaml'))).toBe(join(installedSchemas, 'tenant.schema.json'));
    expect(modelineTarget(join(project, 'tenant', 'applications', 'acme-fleet.yaml'))).toBe(join(installedSchemas, 'application.schema.json'));
    expect(existsSync(join(installedSchemas, 'application.schema.json'))).toBe(true);

    // 5. The workflows init wrote use the installed action and pass @action-validator/cli.
    const workflowDir = join(project, '.github', 'workflows');
    expect(readdirSync(workflowDir).sort()).toEqual(['tenant-apply.yml', 'tenant-drift.yml', 'tenant-plan.yml']);
    expect(existsSync(join(project, 'node_modules', 'tenantctl', 'action.yml'))).toBe(true);
    for (const file of readdirSync(workflowDir)) {
      expect(actionValidatorProblems(join(workflowDir, file)), file).toEqual([]);
      const { uses, problems } = actionUseProblems(readFileSync(join(workflowDir, file), 'utf8'), ['./node_modules/tenantctl']);
      expect(uses, file).toBe(1);
      expect(problems, file).toEqual([]);
    }

    // 6. validate, then the emulator, plan and apply, all from the installed package.
    const validate = sh('npx', ['--no-install', 'tenantctl', 'validate', '--format', 'json'], project);
    expect(validate.code, validate.all).toBe(0);
    expect(schemaProblems('validate-output.schema.json', JSON.parse(validate.stdout))).toEqual([]);
    const settings = await startInstalledEmulator();
    expect(Object.keys(settings).sort()).toEqual(['AUTH0_CLIENT_ID', 'AUTH0_CLIENT_SECRET', 'AUTH0_DOMAIN', 'NODE_EXTRA_CA_CERTS']);
    const plan = sh('npx', ['--no-install', 'tenantctl', 'plan', '--env', 'dev'], project, settings);
    expect(plan.code, plan.all).toBe(0);
    expect(plan.stdout).toContain('+ application "Acme Fleet"');
    // Auth0 enables a new application on every connection (flags.enable_client_connections): the plan undoes that.
    expect(plan.stdout).toContain('Plan: 1 to add, 1 to change, 0 to destroy.');
    const apply = sh('npx', ['--no-install', 'tenantctl', 'apply', '--env', 'dev', '--auto-approve', '--report', 'report.json'], project, settings);
    expect(apply.code, apply.all).toBe(0);
    expect(apply.stdout).toContain('Apply complete: 1 added, 1 changed, 0 destroyed.');
    expect(schemaProblems('apply-report.schema.json', JSON.parse(readFileSync(join(project, 'report.json'), 'utf8')))).toEqual([]);
    const again = sh('npx', ['--no-install', 'tenantctl', 'plan', '--env', 'dev', '--detailed-exitcode'], project, settings);
    expect(again.code, again.all).toBe(0);
    expect(again.stdout).toContain('No changes.');
    expect(`${plan.all}${apply.all}${again.all}`).not.toContain(settings.AUTH0_CLIENT_SECRET);
  }, 180_000);
});
