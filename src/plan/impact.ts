// The typed impact of a planned change, computed in one place from the action and the live object it deletes;
// the planner stores it on every change, the renderers show it and apply's safety checks obey it.
import { KIND_SPECS, type ChangeKind } from '../model/kinds.js';
import type { Action, Impact } from './types.js';

export function impactOf(kind: ChangeKind, action: Action, live?: Record<string, unknown>): Impact {
  const deletes = action === 'delete' || action === 'replace';
  const destroysData = deletes && live && kind !== 'enablement' ? KIND_SPECS[kind].destroysData?.(live) : undefined;
  return { deletes, replaces: action === 'replace', ...(destroysData ? { destroysData } : {}) };
}
