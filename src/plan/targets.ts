// Narrows a plan to the objects named with --target (e.g. applications/partner-portal), keeping
// what they depend on, so an admin can roll out one partner app without the rest of the diff.
import { UsageError } from '../errors.js';
import { ENABLEMENT, KIND_SPECS, KINDS, kindOfGroup } from '../model/kinds.js';
import type { DesiredObject, Kind } from '../model/types.js';
import { summarize } from './summary.js';
import { changeRef, type Change, type EnablementPayload, type Plan } from './types.js';

export function parseTarget(target: string): { kind: Kind; key: string } {
  const slash = target.indexOf('/');
  const kind = kindOfGroup(target.slice(0, slash));
  const key = target.slice(slash + 1);
  if (slash < 0 || !kind || !key) {
    const forms = KINDS.map((each) => `${KIND_SPECS[each].group}/${KIND_SPECS[each].names.keyForm ?? KIND_SPECS[each].names.keyName.toUpperCase()}`);
    throw new UsageError(`--target "${target}" is not KIND/NAME`, `use ${forms.slice(0, -1).join(', ')} or ${forms.at(-1)}`);
  }
  return { kind, key };
}

/** The declared key a target names: the object's name/identifier, or its file's name without `.yaml`. */
function resolveTarget(target: { kind: Kind; key: string }, declared: readonly DesiredObject[]): { kind: Kind; key: string } {
  const ofKind = declared.filter((d) => d.kind === target.kind);
  if (ofKind.some((d) => d.key === target.key)) return target;
  const byFile = ofKind.find((d) => d.at.file.replace(/\\/g, '/').split('/').pop()?.replace(/\.ya?ml$/, '') === target.key);
  return byFile ? { kind: target.kind, key: byFile.key } : target;
}

export function selectTargets(plan: Plan, targets: readonly string[], declared: readonly DesiredObject[] = []): Plan {
  const wanted = targets.map((t) => resolveTarget(parseTarget(t), declared));
  const apps = new Set(wanted.filter((t) => t.kind === 'application').map((t) => t.key));
  const refs = new Set(wanted.map((t) => `${t.kind}:${t.key}`));
  const selected = new Map<string, Change>();
  const byRef = new Map(plan.changes.map((c) => [changeRef(c), c]));

  const include = (change: Change): void => {
    const ref = changeRef(change);
    if (selected.has(ref)) return;
    selected.set(ref, change);
    for (const dependency of change.dependsOn) {
      const needed = byRef.get(dependency);
      if (needed) include(needed);
    }
  };

  for (const change of plan.changes) {
    if (refs.has(changeRef(change))) include(change);
    else if (ownedByTarget(change, refs)) include(change);
    else if (change.kind === ENABLEMENT && change.payload) {
      // Only the targeted applications' part of a connection's enablement.
      const payload = change.payload as unknown as EnablementPayload;
      const add = payload.add.filter((name) => apps.has(name));
      const remove = payload.remove.filter((name) => apps.has(name));
      if (add.length + remove.length > 0) {
        include({
          ...change,
          payload: { add, remove } as unknown as Record<string, unknown>,
          dependsOn: change.dependsOn.filter((ref) => !ref.startsWith('application:') || apps.has(ref.slice('application:'.length))),
          fields: change.fields.map((f) => ({
            ...f,
            ...(f.added ? { added: f.added.filter((n) => apps.has(String(n))) } : {}),
            ...(f.removed ? { removed: f.removed.filter((n) => apps.has(String(n))) } : {}),
          })),
        });
      }
    }
  }
  const changes = plan.changes.filter((c) => selected.has(changeRef(c))).map((c) => selected.get(changeRef(c)) as Change);
  return { ...plan, changes, summary: summarize(changes, plan.summary.unchanged) };
}

/** A change of an object that belongs to a targeted one (a grant of a targeted application). */
function ownedByTarget(change: Change, refs: ReadonlySet<string>): boolean {
  if (change.kind === ENABLEMENT) return false;
  const owner = KIND_SPECS[change.kind].ownerOf?.(change.key);
  return owner !== undefined && refs.has(`${owner.kind}:${owner.key}`);
}
