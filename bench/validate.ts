// Measures `tenantctl validate` on 5,000 and on 10,000 generated application files: wall time, CPU time and
// peak memory. Run by hand from the repository root (goal: 10,000 files under 2 s on the reference machine):
//   npm run build && npx tsc bench/validate.ts --outDir bench/work/validate-js --module nodenext \
//     --moduleResolution nodenext --target es2022 --types node --skipLibCheck && node bench/work/validate-js/validate.js
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runMeasured } from './measure.js';

const SIZES = [5000, 10000];
const APIS = 20;

function generate(root: string, tenantDir: string, applications: number): void {
  rmSync(root, { recursive: true, force: true });
  for (const folder of ['applications', 'connections', 'apis']) mkdirSync(join(tenantDir, folder), { recursive: true });
  writeFileSync(
    join(tenantDir, 'tenant.yaml'),
    'environments:\n  bench:\n    domain: bench.us.auth0.com\n    vars:\n      BASE_DOMAIN: partners.example.com\n',
  );
  writeFileSync(join(tenantDir, 'connections', 'database.yaml'), 'name: Username-Password-Authentication\nstrategy: auth0\n');
  writeFileSync(join(tenantDir, 'connections', 'google.yaml'), 'name: google-oauth2\nstrategy: google-oauth2\noptions:\n  email: true\n');
  for (let api = 0; api < APIS; api++) {
    writeFileSync(
      join(tenantDir, 'apis', `api-${api}.yaml`),
      `name: API ${api}\nidentifier: https://api-${api}.example.com/\nscopes:\n  - value: read:things\n    description: Read things\n  - value: write:things\n    description: Write things\n`,
    );
  }
  for (let app = 0; app < applications; app++) {
    const host = `app-${app}.\${BASE_DOMAIN}`;
    const interactive = app % 4 !== 3;
    const text = interactive
      ? `# yaml-language-server: $schema=../../schemas/application.schema.json
name: Partner App ${app}
description: Generated partner application number ${app}
app_type: ${app % 2 === 0 ? 'regular_web' : 'spa'}
callbacks:
  - https://${host}/callback
  - https://${host}/auth/complete
allowed_logout_urls:
  - https://${host}/
web_origins:
  - https://${host}
grant_types: [authorization_code, refresh_token]
token_endpoint_auth_method: ${app % 2 === 0 ? 'client_secret_post' : 'none'}
oidc_conformant: true
jwt_configuration:
  alg: RS256
  lifetime_in_seconds: 36000
client_metadata:
  partner: "${app}"
connections: [Username-Password-Authentication, google-oauth2]
`
      : `name: Partner Job ${app}
app_type: non_interactive
grant_types: [client_credentials]
grants:
  - api: https://api-${app % APIS}.example.com/
    scopes: [read:things, write:things]
`;
    writeFileSync(join(tenantDir, 'applications', `app-${app}.yaml`), text);
  }
}

async function inProcess(tenantDir: string): Promise<{ seconds: number; diagnostics: number; files: number }> {
  const moduleUrl = pathToFileURL(resolve('dist/validate/index.js')).href;
  const { validateTenantDirectory } = (await import(moduleUrl)) as {
    validateTenantDirectory: (dir: string, options: { env?: string }) => { diagnostics: unknown[]; fileCount: number };
  };
  const started = performance.now();
  const result = validateTenantDirectory(tenantDir, { env: 'bench' });
  return { seconds: (performance.now() - started) / 1000, diagnostics: result.diagnostics.length, files: result.fileCount };
}

for (const applications of SIZES) {
  const root = resolve(`bench/work/validate-${applications}`);
  const tenantDir = join(root, 'tenant');
  generate(root, tenantDir, applications);
  const cli = await runMeasured({
    command: process.execPath,
    args: [resolve('dist/cli/main.js'), 'validate', '--dir', tenantDir, '--env', 'bench'],
    env: { PATH: process.env.PATH ?? '' },
    cwd: root,
    capSeconds: 120,
    stdoutPath: join(root, 'stdout.txt'),
    stderrPath: join(root, 'stderr.txt'),
  });
  const library = await inProcess(tenantDir);
  const peak = cli.peakMemoryMb === undefined ? 'unknown' : `${cli.peakMemoryMb.toFixed(0)} MB`;
  const cpu = cli.cpuSeconds === undefined ? 'unknown' : `${cli.cpuSeconds.toFixed(2)} s`;
  process.stdout.write(
    `validate ${library.files} files: CLI ${cli.wallSeconds.toFixed(2)} s wall, ${cpu} CPU, peak ${peak}, exit ${cli.exitCode}; ` +
      `in-process ${library.seconds.toFixed(2)} s, ${library.diagnostics} diagnostics\n`,
  );
  if (cli.exitCode !== 0 || library.diagnostics !== 0) process.exitCode = 1;
  rmSync(root, { recursive: true, force: true });
}
