// Wording shared by the text and markdown renderers: object labels, action phrases, value formatting.
// Values are printed as JSON so quotes and control characters from config or tenant are escaped.
import { kindLabel } from '../model/kinds.js';
import { MASK } from '../model/sensitive.js';
import type { Change, FieldChange, Plan } from '../plan/types.js';

export const SYMBOL: Record<Change['action'], string> = {
  create: '+',
  update: '~',
  replace: '-/+',
  delete: '-',
};

const PHRASE: Record<Change['action'], string> = {
  create: 'will be created',
  update: 'will be updated in-place',
  replace: 'must be replaced',
  delete: 'will be destroyed',
};

export function objectLabel(change: Pick<Change, 'kind' | 'key'>): string {
  const key = JSON.stringify(change.key);
  return `${kindLabel(change.kind)} ${key}`;
}

export function headline(change: Change): string {
  const { deletes, destroysData } = change.impact;
  const loss = destroysData ? `; deletes ${destroysData.loses}, also requires --allow-destroy-connection ${JSON.stringify(change.key)}` : '';
  const flag = deletes ? ` (requires --allow-delete${loss})` : '';
  return `${objectLabel(change)} ${PHRASE[change.action]}${flag}`;
}

export function formatValue(value: unknown): string {
  return JSON.stringify(value ?? null) ?? 'null';
}

/** A field change as one line without its leading symbol, Terraform style. */
export function describeField(field: FieldChange, action: Change['action']): { symbol: string; text: string } {
  const suffix = field.forcesReplacement ? '  # forces replacement' : '';
  if (field.sensitive) return { symbol: action === 'create' ? '+' : '~', text: `${field.path}: ${MASK}${suffix}` };
  if (action === 'create') return { symbol: '+', text: `${field.path}: ${formatValue(field.after)}` };
  if (field.added !== undefined || field.removed !== undefined) {
    const parts = [
      ...(field.added ?? []).map((element) => `+ ${formatValue(element)}`),
      ...(field.removed ?? []).map((element) => `- ${formatValue(element)}`),
    ];
    return { symbol: '~', text: `${field.path}: ${parts.join('  ')}${suffix}` };
  }
  return { symbol: '~', text: `${field.path}: ${formatValue(field.before)} -> ${formatValue(field.after)}${suffix}` };
}

export function unchangedNote(change: Change): string | undefined {
  if (change.unchanged <= 0 || change.action === 'create' || change.action === 'delete') return undefined;
  return `# (${change.unchanged} unchanged attribute${change.unchanged === 1 ? '' : 's'} hidden)`;
}

export function closingLine(plan: Plan): string {
  if (plan.changes.length === 0) {
    const skipped = plan.skipped.length;
    return skipped === 0
      ? 'No changes. The tenant matches the configuration.'
      : `No changes. The tenant matches the configuration, apart from ${skipped} declared object${skipped === 1 ? '' : 's'} it never writes (see Skipped).`;
  }
  const { add, change, destroy } = plan.summary;
  return `Plan: ${add} to add, ${change} to change, ${destroy} to destroy.`;
}

export function allowDeleteNote(plan: Plan): string | undefined {
  const guarded = plan.changes.filter((change) => change.impact.deletes).length;
  if (guarded === 0) return undefined;
  return `${guarded} change${guarded === 1 ? '' : 's'} destroy${guarded === 1 ? 's' : ''} objects and run${guarded === 1 ? 's' : ''} only with apply --allow-delete.`;
}
