// What `tenantctl init` writes into a project: tenant.yaml with the environments, .gitignore lines,
// the plan/apply/drift workflows using the composite action, and a README section. Pure: no I/O.
import { parse, stringify } from 'yaml';
import { UsageError } from '../errors.js';
import { READ_SCOPES, WRITE_SCOPES, scopeLines } from '../model/scopes.js';
import { normalizeDomain } from '../remote/credentials.js';
import { schemaModeline } from '../config/schema-files.js';

/** Environment names as tenant.yaml accepts them (schemas/tenant.schema.json, propertyNames). */
export const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]*$/;

export interface InitEnvironment {
  name: string;
  domain: string;
  /** Settings beyond the domain (from an exported tenant.yaml), e.g. allow_localhost. */
  settings?: Record<string, unknown>;
}

export interface InitOptions {
  environments: readonly InitEnvironment[];
  /** The tenant directory, relative to the project root, with forward slashes. */
  dir: string;
  /** The schemas folder as seen from the tenant directory. */
  schemaDir: string;
  /** The composite action as a workflow `uses:` path, e.g. `./node_modules/tenantctl`. */
  actionPath: string;
}

/**
 * `create`: a whole file, refused over an existing one without --force; `lines`: lines added to a file
 * when missing (.gitignore); `section`: text appended once, recognised by its first line (README).
 */
export interface InitFile {
  path: string;
  how: 'create' | 'lines' | 'section';
  text: string;
}

/** `name=domain` from `--env`, checked. */
export function parseEnvironmentFlag(value: string): InitEnvironment {
  const at = value.indexOf('=');
  const name = at < 0 ? value : value.slice(0, at);
  const domain = at < 0 ? '' : normalizeDomain(value.slice(at + 1));
  if (at < 0 || domain === '') {
    throw new UsageError(`--env ${value}: expected NAME=DOMAIN`, 'e.g. --env dev=dev-acme.us.auth0.com (repeat --env for each environment)');
  }
  if (!ENVIRONMENT_NAME.test(name)) {
    throw new UsageError(`--env ${value}: "${name}" is not an environment name`, 'use lower case letters, digits and dashes, starting with a letter');
  }
  return { name, domain };
}

export function checkEnvironments(environments: readonly InitEnvironment[]): void {
  if (environments.length === 0) {
    throw new UsageError('init needs at least one environment', 'pass --env NAME=DOMAIN, e.g. --env dev=dev-acme.us.auth0.com --env prod=acme.us.auth0.com');
  }
  const seen = new Set<string>();
  for (const { name } of environments) {
    if (seen.has(name)) throw new UsageError(`environment "${name}" is given twice`);
    seen.add(name);
  }
}

/** The settings an exported tenant.yaml gives the environment (allow_localhost and such), without its domain. */
export function exportedSettings(tenantYaml: string, environment: string): Record<string, unknown> {
  const data = parse(tenantYaml) as { environments?: Record<string, Record<string, unknown>> } | null;
  const { domain: _domain, ...settings } = data?.environments?.[environment] ?? {};
  return settings;
}

export const GITIGNORE_LINES = ['.env', '.env.*', 'plan.json', '*.plan.json', 'report.json', 'emulator-state*.json'];

export const README_SECTION_TITLE = '## Auth0 tenant configuration';

export function initFiles(options: InitOptions): InitFile[] {
  const envs = options.environments;
  return [
    { path: `${options.dir}/tenant.yaml`, how: 'create', text: tenantYaml(options) },
    { path: '.gitignore', how: 'lines', text: `# tenantctl: credentials, saved plans and reports stay out of Git\n${GITIGNORE_LINES.join('\n')}\n` },
    { path: '.github/workflows/tenant-plan.yml', how: 'create', text: planWorkflow(options) },
    { path: '.github/workflows/tenant-apply.yml', how: 'create', text: applyWorkflow(options) },
    { path: '.github/workflows/tenant-drift.yml', how: 'create', text: driftWorkflow(options) },
    { path: 'README.md', how: 'section', text: readmeSection(options.dir, envs) },
  ];
}

function tenantYaml(options: InitOptions): string {
  const environments = Object.fromEntries(options.environments.map((env) => [env.name, { domain: env.domain, ...env.settings }]));
  const body = stringify({ environments, default_environment: options.environments[0]!.name }, { lineWidth: 0 });
  return [
    schemaModeline('tenant', options.schemaDir),
    '# The Auth0 tenants this configuration is applied to, one per environment (written by `tenantctl init`).',
    '# Add applications with `tenantctl app add`, connections in connections/, APIs in apis/.',
    '# Objects no file declares are left alone unless tenantctl created them; see `undeclared` in the README.',
    body.trimEnd(),
    '',
  ].join('\n');
}

const SETUP_STEPS = `      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci`;

/** The inputs every workflow passes to the action for one environment of the matrix; `extra` lines go before the secrets. */
function actionInputs(options: InitOptions, command: 'plan' | 'apply', extra: readonly string[] = []): string {
  return [
    '        with:',
    `          command: ${command}`,
    '          environment: ${{ matrix.env }}',
    `          dir: ${options.dir}`,
    ...extra.map((line) => `          ${line}`),
    '          auth0-domain: ${{ secrets.AUTH0_DOMAIN }}',
    '          auth0-client-id: ${{ secrets.AUTH0_CLIENT_ID }}',
    '          auth0-client-secret: ${{ secrets.AUTH0_CLIENT_SECRET }}',
  ].join('\n');
}

function matrix(options: InitOptions): string {
  return `[${options.environments.map((env) => env.name).join(', ')}]`;
}

/** The scopes the workflow's AUTH0_CLIENT_ID application needs, as a comment (Auth0's options scopes included). */
function scopeComment(scopes: readonly string[]): string {
  return ['# The AUTH0_CLIENT_ID application needs exactly these Auth0 Management API scopes:', ...scopeLines(scopes, '#   ')].join('\n');
}

function planWorkflow(options: InitOptions): string {
  return `# Written by \`tenantctl init\`. On pull requests that touch the tenant: validate with annotations,
# plan each environment, and keep one comment per environment with the plan up to date.
${scopeComment(READ_SCOPES)}
name: tenant-plan
on:
  pull_request:
    paths:
      - '${options.dir}/**'
      - 'package-lock.json'
permissions:
  contents: read
  pull-requests: write
concurrency:
  group: tenant-plan-\${{ github.event.pull_request.number }}
  cancel-in-progress: true
jobs:
  plan:
    runs-on: ubuntu-latest
    timeout-minutes: 20
    strategy:
      fail-fast: false
      matrix:
        env: ${matrix(options)}
    environment: \${{ matrix.env }}-plan
    steps:
${SETUP_STEPS}
      - uses: ${options.actionPath}
${actionInputs(options, 'plan')}
`;
}

function applyWorkflow(options: InitOptions): string {
  return `# Written by \`tenantctl init\`. On merge to main: apply the configuration to each environment in turn,
# never two applies to one environment at once; an environment with required reviewers waits for them.
${scopeComment([...READ_SCOPES, ...WRITE_SCOPES])}
name: tenant-apply
on:
  push:
    branches: [main]
    paths:
      - '${options.dir}/**'
      - 'package-lock.json'
permissions:
  contents: read
jobs:
  apply:
    runs-on: ubuntu-latest
    timeout-minutes: 60
    strategy:
      max-parallel: 1
      fail-fast: true
      matrix:
        env: ${matrix(options)}
    environment: \${{ matrix.env }}
    concurrency:
      group: tenant-\${{ matrix.env }}
      cancel-in-progress: false
    steps:
${SETUP_STEPS}
      - uses: ${options.actionPath}
${actionInputs(options, 'apply')}
`;
}

function driftWorkflow(options: InitOptions): string {
  return `# Written by \`tenantctl init\`. Every morning: plan each environment against the live tenant; on drift,
# open or update one issue per environment with the plan.
${scopeComment(READ_SCOPES)}
name: tenant-drift
on:
  schedule:
    - cron: '17 6 * * *'
  workflow_dispatch:
permissions:
  contents: read
  issues: write
jobs:
  drift:
    runs-on: ubuntu-latest
    timeout-minutes: 20
    strategy:
      fail-fast: false
      matrix:
        env: ${matrix(options)}
    environment: \${{ matrix.env }}-plan
    steps:
${SETUP_STEPS}
      - name: Plan
        id: plan
        uses: ${options.actionPath}
${actionInputs(options, 'plan', ["comment: 'false'"])}
      - name: Open or update the drift issue
        if: steps.plan.outputs.exitcode == '2'
        uses: actions/github-script@v7
        env:
          TENANT_ENV: \${{ matrix.env }}
          PLAN_MARKDOWN: \${{ steps.plan.outputs.plan-markdown }}
        with:
          script: |
            const fs = require('fs');
            const env = process.env.TENANT_ENV;
            const marker = \`<!-- tenantctl-drift:\${env} -->\`;
            const body = \`\${marker}\\nThe \${env} tenant differs from the configuration on main. Merge a change to it, or run the apply workflow to restore it.\\n\\n\${fs.readFileSync(process.env.PLAN_MARKDOWN, 'utf8')}\`;
            const { owner, repo } = context.repo;
            const open = await github.paginate(github.rest.issues.listForRepo, { owner, repo, state: 'open', labels: 'tenant-drift', per_page: 100 });
            const mine = open.find((i) => i.body && i.body.includes(marker));
            if (mine) await github.rest.issues.update({ owner, repo, issue_number: mine.number, body });
            else await github.rest.issues.create({ owner, repo, title: \`Tenant drift in \${env}\`, body, labels: ['tenant-drift'] });
`;
}

function readmeSection(dir: string, environments: readonly InitEnvironment[]): string {
  const names = environments.map((env) => env.name);
  const first = names[0]!;
  const githubEnvironments = names.flatMap((name) => [`\`${name}\``, `\`${name}-plan\``]).join(', ');
  return `${README_SECTION_TITLE}

The Auth0 tenants (${environments.map((env) => `${env.name}: \`${env.domain}\``).join(', ')}) are configured by the
YAML files in \`${dir}/\`, with tenantctl (a dev dependency): pull requests show a plan
of what would change, and merging applies it.

\`\`\`sh
npx tenantctl app add "My App" --type regular_web --callback https://app.example.com/callback
npx tenantctl validate
npx tenantctl plan --env ${first}      # needs AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET
\`\`\`

Set up once: in each tenant, a machine-to-machine application for tenantctl authorized for the Management
API with the scopes \`${[...READ_SCOPES, ...WRITE_SCOPES].join(' ')}\` (the \`read:\` ones are enough for plan
and drift, e.g. for the \`-plan\` environments); in this repository's settings, the GitHub environments ${githubEnvironments}
with the secrets \`AUTH0_DOMAIN\`, \`AUTH0_CLIENT_ID\` and \`AUTH0_CLIENT_SECRET\` (required reviewers on production).
The workflows are in \`.github/workflows/tenant-*.yml\`.
`;
}
