// The plan as a pull-request comment or $GITHUB_STEP_SUMMARY: a summary table, then one <details> block
// per object; a hidden marker lets CI update its own comment, and the long tail is collapsed under a size cap.
import { CHANGE_ORDER, ENABLEMENT, KIND_SPECS } from '../model/kinds.js';
import type { Change, Plan } from '../plan/types.js';
import { allowDeleteNote, closingLine, describeField, headline, objectLabel, unchangedNote } from './describe.js';

/** GitHub refuses comments over 65,536 characters; stay well under. */
export const MARKDOWN_LIMIT = 60_000;

export function stickyMarker(environment: string): string {
  return `<!-- tenantctl-plan:${environment.replace(/--|>/g, '')} -->`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function escapeCell(text: string): string {
  return escapeHtml(text).replace(/\|/g, '\\|');
}

function fenced(language: string, body: string): string {
  const longestRun = Math.max(2, ...[...body.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}${language}\n${body}\n${fence}`;
}

const ICON: Record<Change['action'], string> = { create: '+', update: '~', replace: '-/+', delete: '-' };

/** One object's block; diff lines so GitHub colours additions and removals. */
function detailsBlock(change: Change): string {
  const lines: string[] = [];
  if (change.reason) lines.push(`# ${change.reason}`);
  if (change.id) lines.push(`# id ${change.id}`);
  for (const field of change.fields) {
    if (!field.sensitive && change.action !== 'create' && (field.added || field.removed)) {
      for (const element of field.added ?? []) lines.push(`+ ${field.path}: ${JSON.stringify(element)}`);
      for (const element of field.removed ?? []) lines.push(`- ${field.path}: ${JSON.stringify(element)}`);
    } else if (!field.sensitive && change.action !== 'create' && !field.forcesReplacement) {
      lines.push(`- ${field.path}: ${JSON.stringify(field.before ?? null)}`, `+ ${field.path}: ${JSON.stringify(field.after ?? null)}`);
    } else {
      const described = describeField(field, change.action);
      lines.push(`${described.symbol} ${described.text}`);
    }
  }
  const hidden = unchangedNote(change);
  if (hidden) lines.push(hidden);
  if (change.action === 'delete') lines.push(`- ${objectLabel(change)}`);
  const summary = `<code>${escapeHtml(ICON[change.action])}</code> ${escapeHtml(headline(change))}`;
  return `<details><summary>${summary}</summary>\n\n${fenced('diff', lines.join('\n'))}\n\n</details>\n`;
}

function summaryTable(plan: Plan): string {
  const rows = ['| Object | Create | Update | Replace | Destroy |', '|---|---:|---:|---:|---:|'];
  for (const kind of CHANGE_ORDER) {
    const ofKind = plan.changes.filter((change) => change.kind === kind);
    if (ofKind.length === 0) continue;
    const count = (action: Change['action']): number => ofKind.filter((change) => change.action === action).length;
    const label = kind === ENABLEMENT ? 'connection enablement' : KIND_SPECS[kind].names.many;
    rows.push(`| ${label} | ${count('create')} | ${count('update')} | ${count('replace')} | ${count('delete')} |`);
  }
  return rows.join('\n');
}

export function renderMarkdown(plan: Plan, limit = MARKDOWN_LIMIT): string {
  const head: string[] = [
    stickyMarker(plan.environment),
    `### tenantctl plan: \`${escapeCell(plan.environment)}\` (${escapeCell(plan.domain)})`,
    '',
    `**${closingLine(plan)}**`,
    '',
  ];
  if (plan.changes.length > 0) head.push(summaryTable(plan), '');
  const note = allowDeleteNote(plan);
  if (note) head.push(`> [!WARNING]\n> ${note}`, '');
  if (plan.notes.length > 0) {
    head.push('> [!NOTE]', ...plan.notes.map((item) => `> - ${escapeHtml(objectLabel(item))}: ${escapeHtml(item.message)}`), '');
  }

  const tail: string[] = [];
  if (plan.skipped.length > 0) {
    tail.push('<details><summary>Skipped: declared, but never written by tenantctl</summary>', '');
    for (const item of plan.skipped) tail.push(`- ${escapeHtml(objectLabel(item))}: ${escapeHtml(item.reason)}`);
    tail.push('', '</details>', '');
  }

  const headText = head.join('\n');
  const tailText = tail.join('\n');
  const reserve = 400; // room for the truncation note
  let used = headText.length + tailText.length + reserve;
  const blocks: string[] = [];
  let shown = 0;
  for (const change of plan.changes) {
    const block = detailsBlock(change);
    if (used + block.length > limit) break;
    blocks.push(block);
    used += block.length;
    shown += 1;
  }
  const hiddenCount = plan.changes.length - shown;
  if (hiddenCount > 0) {
    blocks.push(
      `> ${hiddenCount} more change${hiddenCount === 1 ? ' is' : 's are'} not shown to keep this comment under ${limit.toLocaleString('en-US')} characters. ` +
        'Run `tenantctl plan --format json` to see every change.\n',
    );
  }
  return [headText, ...blocks, tailText].join('\n').replace(/\n{3,}/g, '\n\n');
}
