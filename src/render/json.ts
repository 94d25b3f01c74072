// The plan for scripts: versioned JSON with every change, its changed fields and dependencies.
// Request bodies are left out (they are apply's business and live in the saved plan file).
import type { Plan } from '../plan/types.js';

export function renderJson(plan: Plan): string {
  const view = {
    format_version: plan.format_version,
    environment: plan.environment,
    domain: plan.domain,
    config_hash: plan.config_hash,
    live_fingerprint: plan.live_fingerprint,
    summary: plan.summary,
    changes: plan.changes.map((change) => ({
      kind: change.kind,
      key: change.key,
      action: change.action,
      ...(change.id ? { id: change.id } : {}),
      ...(change.reason ? { reason: change.reason } : {}),
      fields: change.fields,
      unchanged: change.unchanged,
      dependsOn: change.dependsOn,
      requiresAllowDelete: change.requiresAllowDelete,
      impact: change.impact,
      ...(change.at ? { at: change.at } : {}),
    })),
    skipped: plan.skipped,
    notes: plan.notes,
    stats: plan.stats,
  };
  return `${JSON.stringify(view, null, 2)}\n`;
}
