// How a plan's changes are counted, in one place for the planner and for a plan narrowed by --target.
import type { Change, PlanSummary } from './types.js';

/** Terraform's counting: a replace counts once in `add` and once in `destroy`, and in `replace`. */
export function summarize(changes: readonly Change[], unchanged: number): PlanSummary {
  const count = (action: Change['action']): number => changes.filter((change) => change.action === action).length;
  return {
    add: count('create') + count('replace'),
    change: count('update'),
    destroy: count('delete') + count('replace'),
    replace: count('replace'),
    unchanged,
  };
}
