// Picks the plan renderer for --format; the renderers themselves live in src/render and stay pure.
// Kept here because choosing a format is a command-line concern.
import type { Plan } from '../plan/types.js';
import { renderJson, renderMarkdown, renderText } from '../render/index.js';

export type PlanFormat = 'text' | 'markdown' | 'json';

export function renderPlan(plan: Plan, format: PlanFormat, options: { color: boolean }): string {
  if (format === 'json') return renderJson(plan);
  if (format === 'markdown') return renderMarkdown(plan);
  return renderText(plan, options);
}
