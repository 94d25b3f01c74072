// Test helper for GitHub Actions files: the @action-validator/cli schema check, the tenantctl calls in
// their shell lines, and the `with:` of each step that uses tenantctl's composite action.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { tenantctlCallsIn } from './commands.js';

const validatorCli = createRequire(import.meta.url).resolve('@action-validator/cli/cli.mjs');
export const ACTION_FILE = fileURLToPath(new URL('../../action.yml', import.meta.url));

/** The validator's complaints about a workflow or action file; empty when it passes. */
export function actionValidatorProblems(file: string): string[] {
  const run = spawnSync(process.execPath, [validatorCli, file], { encoding: 'utf8' });
  const output = `${run.stdout}${run.stderr}`.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('WARNING: Glob validation is not yet supported'));
  return run.status === 0 && !output.some((line) => /error/i.test(line)) ? [] : [`exit ${run.status}`, ...output];
}

/** Every `tenantctl ...` invocation in a file's shell lines (comments and `tenantctl-` names left out). */
export function tenantctlCalls(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => !line.trim().startsWith('#') && !line.includes('tenantctl-'))
    .flatMap(tenantctlCallsIn);
}

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}

/** For each step of a workflow whose `uses` is one of `actionPaths`: inputs it passes that action.yml lacks, and required ones it leaves out. */
export function actionUseProblems(workflowText: string, actionPaths: readonly string[]): { uses: number; problems: string[] } {
  const action = parse(readFileSync(ACTION_FILE, 'utf8')) as { inputs: Record<string, { required?: boolean; default?: unknown }> };
  const workflow = parse(workflowText) as { jobs: Record<string, { steps: Step[] }> };
  const problems: string[] = [];
  let uses = 0;
  for (const [job, { steps }] of Object.entries(workflow.jobs)) {
    for (const step of steps.filter((s) => s.uses !== undefined && actionPaths.includes(s.uses))) {
      uses++;
      const given = Object.keys(step.with ?? {});
      for (const name of given) if (!(name in action.inputs)) problems.push(`${job}: action.yml has no input "${name}"`);
      for (const [name, input] of Object.entries(action.inputs)) {
        if (input.required === true && !given.includes(name)) problems.push(`${job}: required input "${name}" is missing`);
      }
      const command = step.with?.command;
      if (!['validate', 'plan', 'apply'].includes(String(command))) problems.push(`${job}: command "${String(command)}" is not validate, plan or apply`);
    }
  }
  return { uses, problems };
}
