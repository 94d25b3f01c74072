// A fast reader for the plain YAML most tenant files are written in (block mappings and sequences, one-line
// scalars, one-line flow lists, comments): the full YAML parser builds a document with source positions for
// every node, which a 10,000-file tenant pays for even when nothing is wrong. Anything outside that subset,
// or anything it is unsure about, returns NOT_PLAIN and the caller parses the file with the full parser, so
// the result is always what the full parser would give (test/unit/config-plain-yaml.test.ts compares them).

export const NOT_PLAIN: unique symbol = Symbol('not plain YAML');

class NotPlain extends Error {}
const bail = (): never => {
  throw new NotPlain();
};

export interface PlainYaml {
  data: unknown;
  /**
   * Only when asked for: line and column (1-based) of nodes as the full parser would report them, packed by
   * `packPosition`: the value at `pathKey(path)`, the key of a mapping entry at `pathKey(path) + KEY_SUFFIX`. Paths
   * not listed need the full parser. Recording them costs as much as reading the data, and most files of a large
   * tenant never need a position, so the caller reads a file again with positions when one is asked of it.
   */
  positions?: Map<string, number>;
}

export const KEY_SUFFIX = '\u0001';
const COLUMNS = 1_000_000;

export function packPosition(line: number, column: number): number {
  return line * COLUMNS + column;
}

export function unpackPosition(packed: number): [number, number] {
  return [Math.floor(packed / COLUMNS), packed % COLUMNS];
}

/** The key of a path in `positions`: sequence indexes (numbers) and mapping keys (strings) stay apart. */
export function pathKey(path: readonly (string | number)[]): string {
  let key = '';
  for (const segment of path) key = childKey(key, segment);
  return key;
}

function childKey(parent: string, segment: string | number): string {
  return typeof segment === 'number' ? `${parent}\u0000#${segment}` : `${parent}\u0000.${segment}`;
}

/**
 * Whitespace other than the space: tabs, carriage returns, a byte order mark, and the Unicode spaces JavaScript's
 * `trim` and `\s` would treat as spaces where YAML does not. A file holding any is the full parser's business, so
 * everywhere below a blank is a space.
 */
const OTHER_WHITESPACE = /[\t\v\f\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

const SPACE = 0x20;
const HASH = 0x23;
const DASH = 0x2d;
const COLON = 0x3a;

/** The file as plain data (with node positions if asked), or NOT_PLAIN when it uses YAML this reader leaves to the full parser. */
export function parsePlainYaml(text: string, options: { positions?: boolean } = {}): PlainYaml | typeof NOT_PLAIN {
  if (!options.positions) {
    const data = read(text, undefined);
    return data === NOT_PLAIN ? NOT_PLAIN : { data };
  }
  const positions = new AllPositions();
  const data = read(text, positions);
  return data === NOT_PLAIN ? NOT_PLAIN : { data, positions: positions.map };
}

/**
 * The position `parsePlainYaml` records under `key` (a `pathKey`, plus KEY_SUFFIX for a key), or undefined when it
 * records none there. Reading stops at the position, and keys are built only along its path: a file is mostly asked
 * for one position (the one diagnostic about it), which costs a fraction of recording them all.
 */
export function plainPosition(text: string, key: string): number | undefined {
  try {
    read(text, new OnePosition(key));
    return undefined;
  } catch (error) {
    if (error instanceof Found) return error.packed;
    throw error;
  }
}

function read(text: string, positions: PositionSink | undefined): unknown {
  if (OTHER_WHITESPACE.test(text)) return NOT_PLAIN;
  const lines = splitLines(text);
  if (lines === NOT_PLAIN || lines.count === 0 || lines.indent[0] !== 0) return NOT_PLAIN;
  try {
    const reader = new Reader(text, lines, positions);
    if (reader.isSeqItem(0)) return NOT_PLAIN;
    const data = reader.map(0, 0, '');
    if (reader.position !== lines.count) return NOT_PLAIN;
    positions?.set('', packPosition(lines.no[0]!, 1));
    return data;
  } catch (error) {
    if (error instanceof NotPlain) return NOT_PLAIN;
    throw error;
  }
}

/** Where the reader puts the positions it meets, under path keys the sink builds (the reader builds none without one). */
interface PositionSink {
  child(parent: string, segment: string | number): string;
  set(key: string, packed: number): void;
}

class AllPositions implements PositionSink {
  readonly map = new Map<string, number>();

  child(parent: string, segment: string | number): string {
    return childKey(parent, segment);
  }

  set(key: string, packed: number): void {
    this.map.set(key, packed);
  }
}

/** Stands for every path off the one looked for: its children are off it too, and no key is built for them. */
const OFF_PATH = '\u0002';

class Found {
  constructor(readonly packed: number) {}
}

class OnePosition implements PositionSink {
  constructor(private readonly wanted: string) {}

  child(parent: string, segment: string | number): string {
    if (parent === OFF_PATH) return OFF_PATH;
    const key = childKey(parent, segment);
    if (!this.wanted.startsWith(key)) return OFF_PATH;
    const next = this.wanted[key.length];
    return next === undefined || next === '\u0000' || next === KEY_SUFFIX ? key : OFF_PATH;
  }

  set(key: string, packed: number): void {
    if (key === this.wanted) throw new Found(packed);
  }
}

/**
 * The lines that hold something (not blank, not only a comment), as offsets into the text rather than strings: a
 * large tenant has hundreds of thousands of lines, and most of them are read once, character by character.
 */
interface Lines {
  count: number;
  /** Spaces before the content; for "- key: value" lines, rewritten to the column of "key" (see Reader.seq). */
  indent: number[];
  /** Offset of the content's first character, and just past its last non-space one. */
  start: number[];
  end: number[];
  /** 1-based line number in the file. */
  no: number[];
}

function splitLines(text: string): Lines | typeof NOT_PLAIN {
  const lines: Lines = { count: 0, indent: [], start: [], end: [], no: [] };
  let no = 0;
  for (let begin = 0; begin <= text.length; ) {
    no++;
    let finish = text.indexOf('\n', begin);
    if (finish < 0) finish = text.length;
    let start = begin;
    while (start < finish && text.charCodeAt(start) === SPACE) start++;
    if (start < finish && text.charCodeAt(start) !== HASH) {
      // Directives and document markers.
      if (text.startsWith('---', begin) || text.startsWith('...', begin) || text.charCodeAt(begin) === 0x25) return NOT_PLAIN;
      let end = finish;
      while (text.charCodeAt(end - 1) === SPACE) end--;
      lines.indent.push(start - begin);
      lines.start.push(start);
      lines.end.push(end);
      lines.no.push(no);
      lines.count++;
    }
    begin = finish + 1;
  }
  return lines;
}

/** Reads lines into data; with `positions`, records them under path keys (which are built only then). */
class Reader {
  position = 0;
  private readonly indent: number[];
  private readonly start: number[];
  private readonly end: number[];
  private readonly no: number[];
  private readonly count: number;

  constructor(
    private readonly text: string,
    lines: Lines,
    private readonly positions: PositionSink | undefined,
  ) {
    ({ indent: this.indent, start: this.start, end: this.end, no: this.no, count: this.count } = lines);
  }

  private child(path: string, segment: string | number): string {
    return this.positions ? this.positions.child(path, segment) : '';
  }

  /** "-" alone or "- " followed by the item. */
  isSeqItem(at: number): boolean {
    const start = this.start[at]!;
    return this.text.charCodeAt(start) === DASH && (this.end[at] === start + 1 || this.text.charCodeAt(start + 1) === SPACE);
  }

  /**
   * Where the key of a "key:" or "key: value" line ends (its colon), or -1 when the text from `start` is not one:
   * a key is a letter or "_" followed by letters, digits, "_" and "-", and the colon ends the line or is followed by
   * a space.
   */
  private keyColon(start: number, end: number): number {
    const text = this.text;
    if (!isKeyStart(text.charCodeAt(start))) return -1;
    let at = start + 1;
    while (at < end && isKeyPart(text.charCodeAt(at))) at++;
    if (at === end || text.charCodeAt(at) !== COLON) return -1;
    return at + 1 === end || text.charCodeAt(at + 1) === SPACE ? at : -1;
  }

  private block(at: number, indent: number, path: string): unknown {
    this.positions?.set(path, packPosition(this.no[at]!, this.indent[at]! + 1));
    return this.isSeqItem(at) ? this.seq(at, indent, path) : this.map(at, indent, path);
  }

  /** The value of a key or item written on the following lines, or null when there are none. */
  private nested(after: number, indent: number, allowSameIndentSeq: boolean, path: string): unknown {
    if (after < this.count) {
      const next = this.indent[after]!;
      if (next > indent) return this.block(after, next, path);
      if (allowSameIndentSeq && next === indent && this.isSeqItem(after)) return this.block(after, indent, path);
    }
    this.position = after;
    return null;
  }

  /** After a one-line value, a more indented line would continue it (a multi-line scalar): not plain. */
  private afterScalar(at: number, indent: number): void {
    if (at + 1 < this.count && this.indent[at + 1]! > indent) bail();
    this.position = at + 1;
  }

  map(at: number, indent: number, path: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const text = this.text;
    let i = at;
    while (i < this.count && this.indent[i] === indent) {
      const start = this.start[i]!;
      const end = this.end[i]!;
      const colon = this.keyColon(start, end);
      if (colon < 0) bail();
      const key = text.slice(start, colon);
      if (key === '__proto__' || Object.hasOwn(out, key)) bail();
      let from = colon + 1;
      while (from < end && text.charCodeAt(from) === SPACE) from++;
      const inner = this.child(path, key);
      this.positions?.set(inner + KEY_SUFFIX, packPosition(this.no[i]!, indent + 1));
      if (from === end) {
        out[key] = this.nested(i + 1, indent, true, inner);
      } else {
        this.positions?.set(inner, packPosition(this.no[i]!, indent + 1 + from - start));
        out[key] = inline(text, from, withoutComment(text, from, end));
        this.afterScalar(i, indent);
      }
      i = this.position;
    }
    if (i < this.count && this.indent[i]! > indent) bail();
    this.position = i;
    return out;
  }

  private seq(at: number, indent: number, path: string): unknown[] {
    const out: unknown[] = [];
    const text = this.text;
    let i = at;
    while (i < this.count && this.indent[i] === indent && this.isSeqItem(i)) {
      const end = this.end[i]!;
      let from = this.start[i]! + 1;
      while (from < end && text.charCodeAt(from) === SPACE) from++;
      const innerIndent = indent + from - this.start[i]!;
      const inner = this.child(path, out.length);
      if (from === end) {
        out.push(this.nested(i + 1, indent, false, inner));
      } else if (this.keyColon(from, end) >= 0) {
        // "- key: value" opens a mapping whose further keys are indented to line up with "key".
        this.indent[i] = innerIndent;
        this.start[i] = from;
        this.positions?.set(inner, packPosition(this.no[i]!, innerIndent + 1));
        out.push(this.map(i, innerIndent, inner));
      } else {
        this.positions?.set(inner, packPosition(this.no[i]!, innerIndent + 1));
        out.push(inline(text, from, withoutComment(text, from, end)));
        this.afterScalar(i, indent);
      }
      i = this.position;
    }
    if (i < this.count && this.indent[i]! > indent) bail();
    this.position = i;
    return out;
  }
}

function isKeyStart(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x5f;
}

function isKeyPart(code: number): boolean {
  return isKeyStart(code) || (code >= 0x30 && code <= 0x39) || code === DASH;
}

/**
 * Where the value starting at `from` (not a space) ends once a trailing comment (" #" outside quotes) is cut; a value
 * that opens a quote ends at its closing quote, which only spaces or a comment may follow.
 */
function withoutComment(text: string, from: number, end: number): number {
  const quote = text.charCodeAt(from);
  if (quote === 0x22 || quote === 0x27) {
    let close = from + 1;
    while (close < end && text.charCodeAt(close) !== quote) close++;
    if (close === end) bail();
    let tail = close + 1;
    while (tail < end && text.charCodeAt(tail) === SPACE) tail++;
    if (tail < end && text.charCodeAt(tail) !== HASH) bail();
    return close + 1;
  }
  let cut = from + 1;
  while (cut < end && !(text.charCodeAt(cut) === HASH && text.charCodeAt(cut - 1) === SPACE)) cut++;
  while (cut > from && text.charCodeAt(cut - 1) === SPACE) cut--;
  return cut;
}

/** The value written in text[from, to): a quoted or plain scalar, a flow list of plain scalars, or `{}`. */
function inline(text: string, from: number, to: number): unknown {
  const first = text[from];
  if (first === '"' || first === "'") {
    const body = text.slice(from + 1, to - 1);
    // Escapes are the full parser's business.
    if (first === '"' ? body.includes('\\') || body.includes('"') : body.includes("'")) bail();
    return body;
  }
  const value = text.slice(from, to);
  if (first === '[') {
    if (!value.endsWith(']')) bail();
    const body = value.slice(1, -1);
    if (/[[\]{}"'#]/.test(body)) bail();
    if (body.trim() === '') return [];
    return body.split(',').map((item) => {
      const trimmed = item.trim();
      if (trimmed === '' || /:( |$)/.test(trimmed)) bail();
      return scalar(trimmed);
    });
  }
  if (first === '{') {
    if (/^\{ *\}$/.test(value)) return {};
    bail();
  }
  return scalar(value);
}

/** A plain scalar resolved as YAML 1.2's core schema does; anything unusual is left to the full parser. */
function scalar(value: string): unknown {
  if (INDICATOR.test(value) || value.includes(': ') || value.endsWith(':')) bail();
  switch (value) {
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
  }
  const first = value.charCodeAt(0);
  if ((first >= 0x30 && first <= 0x39) || first === 0x2b || first === 0x2e) {
    if (/^(?:0|[1-9][0-9]{0,14})$/.test(value)) return Number(value);
    bail();
  }
  return value;
}

/** A first character that makes a plain value something else in YAML (or is one the full parser should judge). */
const INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`]/;
