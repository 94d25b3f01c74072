// Value helpers shared by the planner and the fingerprint: canonical JSON, deep equality, object merging.
// Pure functions over plain JSON-like data; they define what "the same value" means everywhere.

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON with object keys sorted at every level and `undefined` members dropped, so equal data gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeysDeep(value, sortTexts)) ?? 'null';
}

/**
 * canonicalJson for many values: it remembers the sorted order of each sequence of keys it meets, since a tenant's
 * objects come in a few shapes (every client is read with the same members in the same order), so most objects
 * are not sorted again. Made for one run over many objects (the live fingerprint), and dropped with what it learnt.
 */
export function canonicalWriter(): { json(value: unknown): string } {
  const root: KeyOrder = { next: new Map() };
  const remembered = (keys: string[]): readonly string[] => {
    let node = root;
    for (const key of keys) {
      let next = node.next.get(key);
      if (next === undefined) node.next.set(key, (next = { next: new Map() }));
      node = next;
    }
    return (node.sorted ??= sortTexts(keys));
  };
  return { json: (value) => JSON.stringify(sortKeysDeep(value, remembered)) ?? 'null' };
}

/** A trie of key sequences in the order Object.keys gives them; `sorted` is the sequence ending here, sorted. */
interface KeyOrder {
  next: Map<string, KeyOrder>;
  sorted?: readonly string[];
}

/**
 * Sorts texts in place in code-unit order, as compareText and the default sort do. An object's few keys are sorted
 * by insertion, which allocates nothing: Array.prototype.sort sets up a work area on every call, and the planner
 * sorts the keys of every declared object.
 */
export function sortTexts(texts: string[]): string[] {
  if (texts.length > 16) return texts.sort();
  for (let index = 1; index < texts.length; index++) {
    const text = texts[index]!;
    let at = index;
    for (; at > 0 && texts[at - 1]! > text; at--) texts[at] = texts[at - 1]!;
    texts[at] = text;
  }
  return texts;
}

/** A copy with keys inserted in sorted order; an array none of whose elements changes (scalars) is kept as it is. */
function sortKeysDeep(value: unknown, order: (keys: string[]) => readonly string[]): unknown {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      const sorted = item === undefined ? null : typeof item === 'object' ? sortKeysDeep(item, order) : item;
      if (copy === undefined && sorted !== item) copy = value.slice(0, index);
      if (copy !== undefined) copy.push(sorted);
    }
    return copy ?? value;
  }
  if (!isPlainObject(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of order(Object.keys(value))) {
    const member = value[key];
    // Most members are scalars, kept as they are without a call.
    if (member !== undefined) sorted[key] = typeof member === 'object' ? sortKeysDeep(member, order) : member;
  }
  return sorted;
}

/** Absent and null are the same to Auth0 for every field the planner compares. */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonicallyEqual(a ?? null, b ?? null);
}

/**
 * Whether `canonicalJson(a) === canonicalJson(b)`, decided without writing either text: the planner compares
 * every declared field of every object, and a large tenant has tens of thousands of them.
 */
function canonicallyEqual(a: unknown, b: unknown): boolean {
  if (a === b && (typeof a !== 'number' || Number.isFinite(a))) return true;
  const aIsObject = typeof a === 'object' && a !== null;
  const bIsObject = typeof b === 'object' && b !== null;
  if (!aIsObject || !bIsObject) {
    // An object's text starts with { or [, never a scalar's; two scalars are equal when their JSON texts are.
    if (aIsObject || bIsObject) return false;
    return (JSON.stringify(a) ?? 'null') === (JSON.stringify(b) ?? 'null');
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let index = 0; index < a.length; index++) if (!canonicallyEqual(a[index] ?? null, b[index] ?? null)) return false;
    return true;
  }
  const aRecord = a as Record<string, unknown>;
  const bRecord = b as Record<string, unknown>;
  let written = 0;
  for (const key of Object.keys(aRecord)) {
    const value = aRecord[key];
    if (!writtenMember(value)) continue;
    written++;
    if (!Object.hasOwn(bRecord, key) || !writtenMember(bRecord[key]) || !canonicallyEqual(value, bRecord[key])) return false;
  }
  for (const key of Object.keys(bRecord)) if (writtenMember(bRecord[key])) written--;
  return written === 0;
}

/** JSON.stringify leaves out object members whose value is undefined, a function or a symbol. */
function writtenMember(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

/** Code-point order: deterministic on every machine, unlike localeCompare. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `overlay` wins member by member; nested plain objects merge, everything else (arrays included) replaces. */
export function deepMerge(base: unknown, overlay: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(overlay)) return overlay === undefined ? base : overlay;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    if (value === undefined) continue;
    merged[key] = deepMerge(base[key], value);
  }
  return merged;
}

/** Follows object members and array indexes; undefined as soon as a segment is missing. */
export function getPath(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const segment of path) {
    if (Array.isArray(current)) current = current[Number(segment)];
    else if (isPlainObject(current)) current = current[segment];
    else return undefined;
  }
  return current;
}
