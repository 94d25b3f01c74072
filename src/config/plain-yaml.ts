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

interface Line {
  indent: number;
  text: string;
  /** 1-based line number in the file. */
  no: number;
}

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

/** The file as plain data (with node positions if asked), or NOT_PLAIN when it uses YAML this reader leaves to the full parser. */
export function parsePlainYaml(text: string, options: { positions?: boolean } = {}): PlainYaml | typeof NOT_PLAIN {
  // Carriage returns, tabs, a byte order mark, directives and document markers: the full parser's business.
  if (/[\r\t\uFEFF]/.test(text)) return NOT_PLAIN;
  const lines: Line[] = [];
  const raws = text.split('\n');
  for (let index = 0; index < raws.length; index++) {
    const raw = raws[index]!;
    const content = raw.trimStart();
    if (content === '' || content.startsWith('#')) continue;
    if (raw.startsWith('---') || raw.startsWith('...') || raw.startsWith('%')) return NOT_PLAIN;
    lines.push({ indent: raw.length - content.length, text: content.trimEnd(), no: index + 1 });
  }
  if (lines.length === 0 || lines[0]!.indent !== 0) return NOT_PLAIN;
  try {
    const positions = options.positions ? new Map<string, number>() : undefined;
    const reader = new Reader(lines, positions);
    if (isSeqItem(lines[0]!.text)) return NOT_PLAIN;
    const data = reader.map(0, 0, '');
    if (reader.position !== lines.length) return NOT_PLAIN;
    if (!positions) return { data };
    positions.set('', packPosition(lines[0]!.no, 1));
    return { data, positions };
  } catch (error) {
    if (error instanceof NotPlain) return NOT_PLAIN;
    throw error;
  }
}

const KEY = /^([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?$/;

function isSeqItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

/** Reads lines into data; with `positions`, records them under path keys (which are built only then). */
class Reader {
  position = 0;
  constructor(
    private readonly lines: Line[],
    private readonly positions: Map<string, number> | undefined,
  ) {}

  private child(path: string, segment: string | number): string {
    return this.positions ? childKey(path, segment) : '';
  }

  private block(at: number, indent: number, path: string): unknown {
    const line = this.lines[at]!;
    this.positions?.set(path, packPosition(line.no, line.indent + 1));
    return isSeqItem(line.text) ? this.seq(at, indent, path) : this.map(at, indent, path);
  }

  /** The value of a key or item written on the following lines, or null when there are none. */
  private nested(after: number, indent: number, allowSameIndentSeq: boolean, path: string): unknown {
    const next = this.lines[after];
    if (next && next.indent > indent) return this.block(after, next.indent, path);
    if (next && allowSameIndentSeq && next.indent === indent && isSeqItem(next.text)) return this.block(after, indent, path);
    this.position = after;
    return null;
  }

  /** After a one-line value, a more indented line would continue it (a multi-line scalar): not plain. */
  private afterScalar(at: number, indent: number): void {
    const next = this.lines[at + 1];
    if (next && next.indent > indent) bail();
    this.position = at + 1;
  }

  map(at: number, indent: number, path: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    let i = at;
    while (i < this.lines.length && this.lines[i]!.indent === indent) {
      const line = this.lines[i]!;
      const match = KEY.exec(line.text);
      if (!match) bail();
      const key = match![1]!;
      if (key === '__proto__' || Object.hasOwn(out, key)) bail();
      const rest = stripComment(match![2] ?? '');
      const inner = this.child(path, key);
      this.positions?.set(inner + KEY_SUFFIX, packPosition(line.no, indent + 1));
      if (rest === '') {
        out[key] = this.nested(i + 1, indent, true, inner);
      } else {
        const afterColon = line.text.slice(key.length + 1);
        this.positions?.set(inner, packPosition(line.no, indent + key.length + 2 + (afterColon.length - afterColon.trimStart().length)));
        out[key] = inline(rest);
        this.afterScalar(i, indent);
      }
      i = this.position;
    }
    if (i < this.lines.length && this.lines[i]!.indent > indent) bail();
    this.position = i;
    return out;
  }

  private seq(at: number, indent: number, path: string): unknown[] {
    const out: unknown[] = [];
    let i = at;
    while (i < this.lines.length && this.lines[i]!.indent === indent && isSeqItem(this.lines[i]!.text)) {
      const { text, no } = this.lines[i]!;
      const after = text === '-' ? '' : text.slice(2);
      const content = after.trimStart();
      const innerIndent = indent + 2 + (after.length - content.length);
      const inner = this.child(path, out.length);
      if (stripComment(content) === '') {
        out.push(this.nested(i + 1, indent, false, inner));
      } else if (KEY.test(content)) {
        // "- key: value" opens a mapping whose further keys are indented to line up with "key".
        this.lines[i] = { indent: innerIndent, text: content, no };
        this.positions?.set(inner, packPosition(no, innerIndent + 1));
        out.push(this.map(i, innerIndent, inner));
      } else {
        this.positions?.set(inner, packPosition(no, innerIndent + 1));
        out.push(inline(stripComment(content)));
        this.afterScalar(i, indent);
      }
      i = this.position;
    }
    if (i < this.lines.length && this.lines[i]!.indent > indent) bail();
    this.position = i;
    return out;
  }
}

/** Cuts a trailing comment (" #" outside quotes); a value that opens a quote is cut after its closing quote. */
function stripComment(value: string): string {
  const quote = value[0];
  if (quote === '"' || quote === "'") {
    const close = value.indexOf(quote, 1);
    if (close < 0) bail();
    const tail = value.slice(close + 1).trim();
    if (tail !== '' && !tail.startsWith('#')) bail();
    return value.slice(0, close + 1);
  }
  const hash = value.search(/\s#/);
  return (hash < 0 ? value : value.slice(0, hash)).trim();
}

function inline(value: string): unknown {
  const first = value[0];
  if (first === '"') {
    const body = value.slice(1, -1);
    // Escapes are the full parser's business.
    if (body.includes('\\') || body.includes('"')) bail();
    return body;
  }
  if (first === "'") {
    const body = value.slice(1, -1);
    if (body.includes("'")) bail();
    return body;
  }
  if (first === '[') {
    if (!value.endsWith(']')) bail();
    const body = value.slice(1, -1);
    if (/[[\]{}"'#]/.test(body)) bail();
    if (body.trim() === '') return [];
    return body.split(',').map((item) => {
      const trimmed = item.trim();
      if (trimmed === '' || /:(\s|$)/.test(trimmed)) bail();
      return scalar(trimmed);
    });
  }
  if (first === '{') {
    if (/^\{\s*\}$/.test(value)) return {};
    bail();
  }
  return scalar(value);
}

/** A plain scalar resolved as YAML 1.2's core schema does; anything unusual is left to the full parser. */
function scalar(value: string): unknown {
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(value) || /: /.test(value) || value.endsWith(':')) bail();
  if (/^(?:true|True|TRUE)$/.test(value)) return true;
  if (/^(?:false|False|FALSE)$/.test(value)) return false;
  if (/^(?:~|null|Null|NULL)$/.test(value)) return null;
  if (/^[0-9+.]/.test(value)) {
    if (/^(?:0|[1-9][0-9]{0,14})$/.test(value)) return Number(value);
    bail();
  }
  return value;
}
