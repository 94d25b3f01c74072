// Saved plans: a Plan to and from JSON text with its shape checked, the refusal of a stale plan,
// and thin file helpers. The plan holds no secret (payloads carry placeholders), so the file holds none.
import { readFileSync, writeFileSync } from 'node:fs';
import { TenantctlError } from '../errors.js';
import { isPlainObject } from '../model/canonical.js';
import { CHANGE_ORDER } from '../model/kinds.js';
import { maskSecrets } from '../model/sensitive.js';
import { PLAN_FORMAT_VERSION, type Plan } from '../plan/types.js';

/** The saved plan cannot be read: not JSON, another format version, or a damaged shape. */
export class PlanFileError extends TenantctlError {}

/** The tenant or the configuration changed since the plan was made. */
export class StalePlanError extends TenantctlError {
  constructor(readonly reasons: string[]) {
    super(`plan is stale: ${reasons.join('; ')}; run plan again`);
  }
}

export function serializePlan(plan: Plan): string {
  // A last guard: a secret that slipped into a field value is masked rather than written.
  const fields = plan.changes.map((change) => ({ ...change, fields: change.fields.map((field) => maskSecrets(field)) }));
  return `${JSON.stringify({ ...plan, changes: fields }, null, 2)}\n`;
}

const KINDS = new Set<string>(CHANGE_ORDER);
const ACTIONS = new Set(['create', 'update', 'replace', 'delete']);

/** Parses and checks a saved plan; every shape problem found is listed in one error. */
export function parsePlan(text: string, source = 'plan file'): Plan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PlanFileError(`${source} is not valid JSON (${(error as Error).message})`, 1, 'pass a file written by `tenantctl plan --out`');
  }
  if (!isPlainObject(data)) throw new PlanFileError(`${source} does not hold a tenantctl plan`, 1, 'pass a file written by `tenantctl plan --out`');
  if (data.format_version !== PLAN_FORMAT_VERSION) {
    throw new PlanFileError(
      `${source} has format_version ${JSON.stringify(data.format_version ?? null)}; this tenantctl reads format_version ${PLAN_FORMAT_VERSION}`,
      1,
      'run plan again with this version of tenantctl',
    );
  }
  const problems: string[] = [];
  for (const name of ['environment', 'domain', 'config_hash', 'live_fingerprint'] as const) {
    if (typeof data[name] !== 'string') problems.push(`${name} must be a string`);
  }
  if (!isPlainObject(data.summary)) problems.push('summary must be an object');
  if (!isPlainObject(data.stats)) problems.push('stats must be an object');
  if (!Array.isArray(data.skipped)) problems.push('skipped must be a list');
  if (data.notes !== undefined && !Array.isArray(data.notes)) problems.push('notes must be a list');
  if (!Array.isArray(data.changes)) problems.push('changes must be a list');
  else {
    data.changes.forEach((change: unknown, index) => {
      const where = `changes[${index}]`;
      if (!isPlainObject(change)) return problems.push(`${where} must be an object`);
      if (typeof change.kind !== 'string' || !KINDS.has(change.kind)) problems.push(`${where}.kind is not a known kind`);
      if (typeof change.key !== 'string') problems.push(`${where}.key must be a string`);
      if (typeof change.action !== 'string' || !ACTIONS.has(change.action)) problems.push(`${where}.action is not a known action`);
      if (!Array.isArray(change.fields)) problems.push(`${where}.fields must be a list`);
      if (!Array.isArray(change.dependsOn)) problems.push(`${where}.dependsOn must be a list`);
      if (typeof change.requiresAllowDelete !== 'boolean') problems.push(`${where}.requiresAllowDelete must be true or false`);
      const impact = change.impact;
      if (!isPlainObject(impact) || typeof impact.deletes !== 'boolean' || typeof impact.replaces !== 'boolean') problems.push(`${where}.impact must say whether it deletes and replaces`);
      else if (impact.destroysData !== undefined && !isPlainObject(impact.destroysData)) problems.push(`${where}.impact.destroysData must be an object`);
      if (change.payload !== null && !isPlainObject(change.payload)) problems.push(`${where}.payload must be an object or null`);
      if (change.action !== 'create' && change.kind !== 'enablement' && typeof change.id !== 'string') {
        problems.push(`${where}.id is required for ${String(change.action)}`);
      }
      return undefined;
    });
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).join('; ');
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
    throw new PlanFileError(`${source} is damaged: ${shown}${more}`, 1, 'run plan again to write a fresh plan file');
  }
  // Notes arrived after format_version 1 was fixed; a plan saved before them simply has none.
  data.notes ??= [];
  return data as unknown as Plan;
}

export interface CurrentState {
  domain: string;
  configHash: string;
  liveFingerprint: string;
}

/** Refuses a saved plan made for another tenant, from another config, or against a tenant that changed since. */
export function checkPlanIsCurrent(saved: Plan, current: CurrentState): void {
  const reasons: string[] = [];
  if (saved.domain !== current.domain) reasons.push(`it was made for ${saved.domain}, not ${current.domain}`);
  if (saved.config_hash !== current.configHash) reasons.push('the configuration changed since it was made');
  if (saved.live_fingerprint !== current.liveFingerprint) reasons.push('the tenant changed since it was made');
  if (reasons.length > 0) throw new StalePlanError(reasons);
}

export function writePlanFile(path: string, plan: Plan): void {
  try {
    writeFileSync(path, serializePlan(plan), { encoding: 'utf8', mode: 0o600 });
  } catch (error) {
    throw new PlanFileError(`cannot write the plan to ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

export function readPlanFile(path: string): Plan {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PlanFileError(
      code === 'ENOENT' ? `plan file ${path} does not exist` : `cannot read the plan file ${path}: ${code ?? (error as Error).message}`,
      1,
      code === 'ENOENT' ? 'write one with `tenantctl plan --out FILE`' : undefined,
    );
  }
  return parsePlan(text, `plan file ${path}`);
}

