// The plan for a terminal, in Terraform's conventions (+ create, ~ update in-place, - destroy, -/+ replace).
// Colour is the caller's decision (TTY and NO_COLOR), passed in as a flag.
import type { Change, Plan } from '../plan/types.js';
import { SYMBOL, allowDeleteNote, closingLine, describeField, headline, objectLabel, unchangedNote } from './describe.js';

export interface TextRenderOptions {
  color: boolean;
}

const COLOR_CODE: Record<string, string> = { '+': '32', '~': '33', '-': '31', '-/+': '35' };

export function renderText(plan: Plan, options: TextRenderOptions): string {
  const paint = (symbol: string, text: string): string => {
    const code = COLOR_CODE[symbol];
    return options.color && code ? `\u001b[${code}m${text}\u001b[0m` : text;
  };
  const bold = (text: string): string => (options.color ? `\u001b[1m${text}\u001b[0m` : text);
  const lines: string[] = [`Plan for environment ${JSON.stringify(plan.environment)} (${plan.domain})`, ''];

  if (plan.changes.length > 0) {
    lines.push('tenantctl will perform the following actions:', '');
    for (const change of plan.changes) lines.push(...renderChange(change, paint, bold), '');
  }
  if (plan.skipped.length > 0) {
    lines.push('Skipped (declared, but never written by tenantctl):');
    for (const item of plan.skipped) lines.push(`  ${objectLabel(item)}: ${item.reason}`);
    lines.push('');
  }
  if (plan.notes.length > 0) {
    lines.push('Notes:');
    for (const item of plan.notes) lines.push(`  ${objectLabel(item)}: ${item.message}`);
    lines.push('');
  }
  const note = allowDeleteNote(plan);
  if (note) lines.push(`Note: ${note}`, '');
  lines.push(bold(closingLine(plan)));
  return `${lines.join('\n')}\n`;
}

function renderChange(change: Change, paint: (symbol: string, text: string) => string, bold: (text: string) => string): string[] {
  const symbol = SYMBOL[change.action];
  const lines = [`  ${bold(`# ${headline(change)}`)}`];
  if (change.reason) lines.push(`  # ${change.reason}`);
  const id = change.id ? ` (id ${change.id})` : '';
  if (change.action === 'delete') {
    lines.push(`${paint(symbol, symbol.padStart(3))} ${objectLabel(change)}${id}`);
    return lines;
  }
  lines.push(`${paint(symbol, symbol.padStart(3))} ${objectLabel(change)}${id} {`);
  for (const field of change.fields) {
    const described = describeField(field, change.action);
    lines.push(`      ${paint(described.symbol, described.symbol)} ${described.text}`);
  }
  const hidden = unchangedNote(change);
  if (hidden) lines.push(`        ${hidden}`);
  lines.push('    }');
  return lines;
}
