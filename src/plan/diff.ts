// Field-level comparison of one desired object with its live counterpart, following its kind's spec.
// Only declared fields are compared; sets ignore order; nested objects compare member by member.
import { canonicalJson, deepMerge, isPlainObject, sameValue, sortTexts } from '../model/canonical.js';
import { frozen, type KindSpec } from '../model/kind-spec.js';
import { isSensitive, maskSecrets } from '../model/sensitive.js';
import type { FieldChange } from './types.js';

export interface FieldDiff {
  changes: FieldChange[];
  /** Leaf fields compared, changed or not. */
  compared: number;
}

interface ChangeParts {
  before?: unknown;
  after?: unknown;
  added?: unknown[];
  removed?: unknown[];
}

/** Builds a FieldChange with secrets removed: a secret leaf keeps only its path and `sensitive: true`. */
export function makeFieldChange(path: readonly string[], parts: ChangeParts, forcesReplacement = false): FieldChange {
  const name = path[path.length - 1] ?? '';
  const change: FieldChange = { path: path.join('.') };
  if (isSensitive(name, parts.before) || isSensitive(name, parts.after)) {
    change.sensitive = true;
  } else {
    if (parts.before !== undefined) change.before = maskSecrets(parts.before);
    if (parts.after !== undefined) change.after = maskSecrets(parts.after);
    if (parts.added !== undefined) change.added = parts.added.map(maskSecrets);
    if (parts.removed !== undefined) change.removed = parts.removed.map(maskSecrets);
  }
  if (forcesReplacement) change.forcesReplacement = true;
  return change;
}

/** The top-level fields of a desired object that are Auth0 fields to compare. */
export function comparedFieldNames(spec: KindSpec, desired: Record<string, unknown>): string[] {
  return sortTexts(Object.keys(desired).filter((name) => !spec.readOnly.has(name) && !spec.notCompared.has(name) && desired[name] !== undefined));
}

export function diffDeclared(spec: KindSpec, desired: Record<string, unknown>, live: Record<string, unknown>): FieldDiff {
  // Each field is compared with the live value over Auth0's default, deepMerge(defaults[name], live[name]), resolved
  // member by member as the comparison goes down, so no merged copy is built for a field that matches.
  const defaults = spec.serverDefaults(live);
  const result: FieldDiff = { changes: [], compared: 0 };
  for (const name of comparedFieldNames(spec, desired)) {
    diffValue(spec, TOP, name, name, desired[name], live[name], defaults[name], spec.immutable.has(name), result);
  }
  return result;
}

const TOP: readonly string[] = [];

/**
 * Compares the declared value at `parent` + `name` (dotted: `dotted`) with the live value over Auth0's default,
 * deepMerge(fallback, live). Paths are built as arrays only for the changes found.
 */
function diffValue(
  spec: KindSpec,
  parent: readonly string[],
  name: string,
  dotted: string,
  desired: unknown,
  live: unknown,
  fallback: unknown,
  immutable: boolean,
  result: FieldDiff,
): void {
  if (spec.setPaths.has(dotted) && Array.isArray(desired)) {
    result.compared += 1;
    // deepMerge never merges arrays: the live list, or the default one when the live value is absent.
    const listed = live === undefined ? fallback : live;
    const liveList = Array.isArray(listed) ? listed : [];
    const elementKey = spec.setElementKey[dotted];
    const { added, removed, changed } = diffSet(desired, liveList, elementKey);
    if (added.length > 0 || removed.length > 0) {
      result.changes.push(makeFieldChange([...parent, name], { before: liveList, after: desired, added, removed }, immutable));
    }
    // An element kept under the same key but with other members shows as that element's own field changes,
    // e.g. `scopes[read:x].description`, rather than as one element removed and another added.
    for (const { key, desired: element, live: match } of changed) {
      const elementPath = [...parent, `${name}[${key}]`];
      for (const [member, value] of Object.entries(element)) {
        if (value === undefined || member === elementKey || sameValue(value, match[member])) continue;
        result.compared += 1; // each member shown counts as a compared leaf, so the hidden count stays right
        result.changes.push(makeFieldChange([...elementPath, member], { before: match[member] ?? null, after: value }, immutable));
      }
    }
    return;
  }
  // The merged live value is a plain object when the live one is, or when it is absent and the default is one.
  const liveIsObject = isPlainObject(live);
  const fromDefault = live === undefined;
  if (isPlainObject(desired) && (liveIsObject || live === null || (fromDefault && (isPlainObject(fallback) || fallback === undefined || fallback === null)))) {
    const liveObject = liveIsObject ? live : {};
    // Members of the default count where the live object is absent or an object itself (deepMerge's rule).
    const fallbackObject = (fromDefault || liveIsObject) && isPlainObject(fallback) ? fallback : {};
    const path = [...parent, name];
    for (const member of sortTexts(Object.keys(desired))) {
      if (desired[member] === undefined) continue;
      diffValue(spec, path, member, `${dotted}.${member}`, desired[member], liveObject[member], fallbackObject[member], immutable, result);
    }
    return;
  }
  result.compared += 1;
  const merged = deepMerge(fallback, live);
  if (!sameValue(desired, merged)) {
    result.changes.push(makeFieldChange([...parent, name], { before: merged ?? null, after: desired }, immutable));
  }
}

/**
 * Elements only in `desired` (added) and only in `live` (removed). With an element key, elements match
 * by that member, and a matched element whose declared members differ is listed in `changed`.
 */
export function diffSet(
  desired: unknown[],
  live: unknown[],
  elementKey?: string,
): { added: unknown[]; removed: unknown[]; changed: { key: string; desired: Record<string, unknown>; live: Record<string, unknown> }[] } {
  // Most sets are read back in the order they were written: equal lists hold equal sets. The general comparison is
  // a function of its own, so these checks, run for every set of every object, stay small.
  if (elementKey === undefined ? sameStrings(desired, live) : sameKeyedElements(desired, live, elementKey)) return NO_DIFFERENCE;
  return setDifference(desired, live, elementKey);
}

const NO_DIFFERENCE: ReturnType<typeof diffSet> = frozen({ added: [], removed: [], changed: [] });

function setDifference(desired: unknown[], live: unknown[], elementKey: string | undefined): ReturnType<typeof diffSet> {
  const liveById = new Map<string, unknown>();
  for (const element of live) liveById.set(setIdentity(element, elementKey), element);
  const added: unknown[] = [];
  const removed: unknown[] = [];
  const changed: { key: string; desired: Record<string, unknown>; live: Record<string, unknown> }[] = [];
  const desiredIds = new Set<string>();
  for (const element of desired) {
    const id = setIdentity(element, elementKey);
    if (desiredIds.has(id)) continue;
    desiredIds.add(id);
    if (!liveById.has(id)) added.push(element);
    else if (elementKey !== undefined) {
      const match = liveById.get(id);
      if (declaredMembersEqual(element, match)) continue;
      if (isPlainObject(element) && isPlainObject(match)) changed.push({ key: String(element[elementKey]), desired: element, live: match });
      else {
        added.push(element);
        removed.push(match);
      }
    }
  }
  liveById.forEach((element, id) => {
    if (!desiredIds.has(id)) removed.push(element);
  });
  return { added, removed, changed };
}

/** What makes two set elements the same one: their canonical JSON, or that of their element key's member. */
function setIdentity(element: unknown, elementKey: string | undefined): string {
  const identity = elementKey !== undefined && isPlainObject(element) ? element[elementKey] : element;
  // A string's canonical JSON is JSON.stringify's; most set elements (URLs, grant types, scope values) are strings.
  return typeof identity === 'string' ? JSON.stringify(identity) : canonicalJson(identity);
}

function sameStrings(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (typeof a[index] !== 'string' || a[index] !== b[index]) return false;
  return true;
}

/** Objects matching element by element, under distinct string keys, with equal declared members. */
function sameKeyedElements(desired: readonly unknown[], live: readonly unknown[], elementKey: string): boolean {
  if (desired.length !== live.length) return false;
  const keys = new Set<string>();
  for (let index = 0; index < desired.length; index++) {
    const element = desired[index];
    const match = live[index];
    if (!isPlainObject(element) || !isPlainObject(match)) return false;
    const key = element[elementKey];
    if (typeof key !== 'string' || key !== match[elementKey] || keys.has(key) || !declaredMembersEqual(element, match)) return false;
    keys.add(key);
  }
  return true;
}

function declaredMembersEqual(desired: unknown, live: unknown): boolean {
  if (!isPlainObject(desired) || !isPlainObject(live)) return sameValue(desired, live);
  for (const name of Object.keys(desired)) {
    const value = desired[name];
    if (value !== undefined && !sameValue(value, live[name])) return false;
  }
  return true;
}

/** Every declared leaf of a new object, as shown for a create. */
export function describeNew(spec: KindSpec, desired: Record<string, unknown>): FieldChange[] {
  const changes: FieldChange[] = [];
  const visit = (path: string[], value: unknown): void => {
    const dotted = path.join('.');
    if (spec.setPaths.has(dotted) && Array.isArray(value)) {
      changes.push(makeFieldChange(path, { after: value, added: value }));
    } else if (isPlainObject(value) && Object.keys(value).length > 0) {
      for (const name of sortTexts(Object.keys(value))) if (value[name] !== undefined) visit([...path, name], value[name]);
    } else {
      changes.push(makeFieldChange(path, { after: value }));
    }
  };
  for (const name of comparedFieldNames(spec, desired)) visit([name], desired[name]);
  return changes;
}
