// This repository's workflows and action.yml: valid for GitHub, and every tenantctl command and flag they call exists.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildProgram } from '../../src/cli/program.js';
import { ACTION_FILE, actionUseProblems, actionValidatorProblems, tenantctlCalls } from '../support/actions.js';
import { callProblems } from '../support/commands.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const workflowDir = `${root}.github/workflows/`;
const workflows = readdirSync(workflowDir).filter((f) => f.endsWith('.yml'));

describe('GitHub workflows', () => {
  it('exist for CI, plan on PR, apply on merge and drift', () => {
    expect(workflows.sort()).toEqual(['ci.yml', 'tenant-apply.yml', 'tenant-drift.yml', 'tenant-plan.yml']);
  });

  it.each(workflows)('%s passes the GitHub Actions schema check', (file) => {
    expect(actionValidatorProblems(`${workflowDir}${file}`)).toEqual([]);
  });

  it('action.yml, the composite action, passes the GitHub Actions schema check', () => {
    expect(actionValidatorProblems(ACTION_FILE)).toEqual([]);
  });

  it('plan, apply and drift run tenantctl through the composite action at the repository root, with its inputs', () => {
    for (const file of ['tenant-plan.yml', 'tenant-apply.yml', 'tenant-drift.yml']) {
      const { uses, problems } = actionUseProblems(readFileSync(`${workflowDir}${file}`, 'utf8'), ['./']);
      expect(uses, file).toBe(1);
      expect(problems, file).toEqual([]);
    }
  });

  it('call only tenantctl commands and flags that exist (the workflows and the action)', async () => {
    const program = await buildProgram();
    const files = [...workflows.map((file) => `${workflowDir}${file}`), ACTION_FILE];
    const calls = files.flatMap((file) => tenantctlCalls(readFileSync(file, 'utf8')).map((words) => ({ file, words })));
    expect(calls.length).toBeGreaterThanOrEqual(3);
    for (const { file, words } of calls) expect(callProblems(program, words), `${file}: tenantctl ${words.join(' ')}`).toEqual([]);
  });

  it('never echo the tenant credentials', () => {
    for (const file of [...workflows.map((name) => `${workflowDir}${name}`), ACTION_FILE]) {
      const text = readFileSync(file, 'utf8');
      expect(text).not.toMatch(/echo[^\n]*AUTH0_CLIENT_SECRET/);
      expect(text).not.toMatch(/set -x/);
    }
  });

  it('apply one environment at a time and never cancel an apply mid-way', () => {
    const text = readFileSync(`${workflowDir}tenant-apply.yml`, 'utf8');
    expect(text).toContain('group: tenant-${{ matrix.env }}');
    expect(text).toContain('cancel-in-progress: false');
  });
});
