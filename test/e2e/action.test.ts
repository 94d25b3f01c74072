// The composite action (action.yml) run the way a GitHub runner runs it, step by step, against the
// emulator: its shell steps for real (bash -eo pipefail, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_PATH),
// its `if:` conditions evaluated, and the steps that use other actions checked for what they would get.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ACTION_FILE } from '../support/actions.js';
import { copyRepoTenant } from '../support/cli.js';
import { emulatorPerTest } from '../support/emulator.js';

const startEmulator = emulatorPerTest();
const REPO = fileURLToPath(new URL('../../', import.meta.url));

interface ActionStep {
  name?: string;
  id?: string;
  if?: string;
  shell?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Action {
  inputs: Record<string, { default?: string }>;
  runs: { steps: ActionStep[] };
}

interface RunResult {
  /** Exit status of the first failing step, or 0. */
  code: number;
  outputs: Record<string, Record<string, string>>;
  summary: string;
  log: string;
  /** The steps that use other actions and would run, with their resolved `with` and `env`. */
  used: { uses: string; with: Record<string, string>; env: Record<string, string> }[];
}

/** bash as the runner starts it for `shell: bash`; asynchronous, so an in-process emulator keeps answering. */
function bash(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

/** Runs action.yml's steps in `workspace` with `inputs`, as the runner would for event `eventName`. */
async function runAction(workspace: string, inputs: Record<string, string>, eventName = 'pull_request'): Promise<RunResult> {
  const action = parse(readFileSync(ACTION_FILE, 'utf8')) as Action;
  const values: Record<string, string> = Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, String(input.default ?? '')]));
  Object.assign(values, { 'github-token': 'test-token' }, inputs);
  const temp = mkdtempSync(join(tmpdir(), 'tenantctl-runner-'));
  const files = { output: join(temp, 'output'), summary: join(temp, 'summary'), path: join(temp, 'path') };
  for (const file of Object.values(files)) writeFileSync(file, '');
  const outputs: Record<string, Record<string, string>> = {};
  const used: RunResult['used'] = [];
  let code = 0;
  let log = '';

  const lookup = (path: string): string => {
    const [scope, ...rest] = path.split('.');
    if (scope === 'inputs') return values[rest.join('.')] ?? '';
    if (scope === 'github' && rest[0] === 'event_name') return eventName;
    if (scope === 'steps') return outputs[rest[0]!]?.[rest[2]!] ?? '';
    throw new Error(`the test runner does not know ${path}`);
  };
  const expand = (text: string): string => text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, path: string) => lookup(path));
  const condition = (expression: string | undefined, failed: boolean): boolean => {
    if (expression === undefined) return !failed;
    const terms = expression.split('&&').map((term) => term.trim());
    if (failed && !terms.includes('always()')) return false;
    return terms.every((term) => {
      if (term === 'always()') return true;
      const match = /^([\w.-]+) == '([^']*)'$/.exec(term);
      if (!match) throw new Error(`the test runner cannot evaluate ${term}`);
      return lookup(match[1]!) === match[2];
    });
  };

  try {
    for (const step of action.runs.steps) {
      if (!condition(step.if, code !== 0)) continue;
      const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([name, value]) => [name, expand(String(value))]));
      if (step.uses) {
        used.push({ uses: step.uses, with: Object.fromEntries(Object.entries(step.with ?? {}).map(([name, value]) => [name, expand(String(value))])), env });
        continue;
      }
      writeFileSync(files.output, '');
      const extraPath = readFileSync(files.path, 'utf8').split('\n').filter(Boolean).reverse();
      // Like the runner, expressions in the script itself are spliced in before bash sees it.
      const run = await bash(expand(step.run!), workspace, {
        PATH: [...extraPath, process.env.PATH].join(delimiter),
        HOME: process.env.HOME,
        NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS,
        NO_COLOR: '1',
        ...env,
        GITHUB_ACTION_PATH: REPO,
        RUNNER_TEMP: temp,
        GITHUB_OUTPUT: files.output,
        GITHUB_STEP_SUMMARY: files.summary,
        GITHUB_PATH: files.path,
      });
      log += `## ${step.name}\n${run.stdout}${run.stderr}`;
      if (step.id) {
        outputs[step.id] = Object.fromEntries(
          readFileSync(files.output, 'utf8').split('\n').filter((line) => line.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
        );
      }
      if (run.status !== 0) code = run.status;
    }
    return { code, outputs, summary: readFileSync(files.summary, 'utf8'), log, used };
  } finally {
    // The runner's temp dir goes with the job; the test keeps what it asserts on by reading it first.
    const keep = Object.values(outputs).flatMap((o) => Object.values(o)).filter((path) => path.startsWith(temp));
    const copies = new Map(keep.filter(existsSync).map((path) => [path, readFileSync(path, 'utf8')]));
    rmSync(temp, { recursive: true, force: true });
    kept.clear();
    for (const [path, text] of copies) kept.set(path, text);
  }
}
/** Contents of the files the last run's outputs named (the runner's temp dir is gone by then). */
const kept = new Map<string, string>();

describe('action.yml, run step by step', () => {
  it('plan: validates, plans with the PR comment, summary and artifact; apply: applies and reports; plan again is clean', async () => {
    const emulator = await startEmulator();
    const workspace = copyRepoTenant('tenantctl-action-');
    const credentials = { 'auth0-domain': emulator.domain, 'auth0-client-id': emulator.clientId, 'auth0-client-secret': emulator.clientSecret };
    try {
      const plan = await runAction(workspace, { command: 'plan', environment: 'dev', ...credentials });
      expect(plan.code, plan.log).toBe(0);
      expect(plan.outputs.plan?.exitcode).toBe('2');
      expect(plan.summary).toMatch(/\*\*Plan: \d+ to add, \d+ to change, 0 to destroy\.\*\*/);
      expect(kept.get(plan.outputs.plan!.markdown!)).toBe(plan.summary);
      expect(JSON.parse(kept.get(plan.outputs.plan!.file!)!)).toMatchObject({ format_version: 1, environment: 'dev' });
      const comment = plan.used.find((step) => step.uses.startsWith('actions/github-script@'));
      expect(comment?.env).toEqual({ TENANT_ENV: 'dev', PLAN_MARKDOWN: plan.outputs.plan!.markdown });
      expect(comment?.with['github-token']).toBe('test-token');
      expect(plan.used.find((step) => step.uses.startsWith('actions/upload-artifact@'))?.with).toMatchObject({ name: 'plan-dev', path: plan.outputs.plan!.file });
      expect(plan.log).not.toContain(emulator.clientSecret);

      // The drift workflow's way: no comment, and not on a pull request.
      const quiet = await runAction(workspace, { command: 'plan', environment: 'dev', comment: 'false', ...credentials }, 'schedule');
      expect(quiet.used.map((step) => step.uses.split('@')[0])).toEqual(['actions/upload-artifact']);

      const apply = await runAction(workspace, { command: 'apply', environment: 'dev', ...credentials }, 'push');
      expect(apply.code, apply.log).toBe(0);
      expect(apply.outputs.apply?.exitcode).toBe('0');
      expect(apply.summary.startsWith('### Apply to dev\n```\nPlan for environment "dev"')).toBe(true);
      expect(apply.summary).toMatch(/\nApply complete: \d+ added, \d+ changed, 0 destroyed\.\n/);
      expect(JSON.parse(kept.get(apply.outputs.apply!.report!)!)).toMatchObject({ format_version: 1, failed: [], skipped: [] });
      expect(apply.used.find((step) => step.uses.startsWith('actions/upload-artifact@'))?.with).toMatchObject({ name: 'apply-report-dev' });

      const again = await runAction(workspace, { command: 'plan', environment: 'dev', ...credentials });
      expect(again.outputs.plan?.exitcode).toBe('0');
      expect(again.summary).toContain('No changes.');
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  it('fails the job on invalid config before planning, and on an unknown command; inputs never run as shell code', async () => {
    const workspace = copyRepoTenant('tenantctl-action-');
    try {
      writeFileSync(join(workspace, 'tenant', 'applications', 'broken.yaml'), 'name: Broken\napp_type: spa\ncallbackz: []\n');
      const invalid = await runAction(workspace, { command: 'plan', environment: 'dev' });
      expect(invalid.code).toBe(1);
      expect(invalid.log).toContain('::error file=tenant/applications/broken.yaml');
      expect(invalid.outputs.plan).toBeUndefined();

      const unknown = await runAction(workspace, { command: 'destroy', environment: 'dev' });
      expect(unknown.code).toBe(1);
      expect(unknown.log).toContain("input command must be validate, plan or apply, not 'destroy'");

      const injected = await runAction(workspace, { command: 'validate', environment: '$(touch pwned)', dir: 'tenant; touch pwned2' });
      expect(injected.code).not.toBe(0);
      expect(existsSync(join(workspace, 'pwned'))).toBe(false);
      expect(existsSync(join(workspace, 'pwned2'))).toBe(false);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});
