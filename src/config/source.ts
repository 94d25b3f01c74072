// Reads the files of a tenant directory and parses each into a YAML document with source positions.
// Every parse problem becomes a Diagnostic; one broken file never stops the others from being read.
import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import type { Document, LineCounter, Node, Pair } from 'yaml';
import { DECLARED_KINDS, KIND_SPECS, type DeclaredKind } from '../model/kinds.js';
import type { Diagnostic, SourceRef } from '../model/types.js';
import { KEY_SUFFIX, NOT_PLAIN, parsePlainYaml, pathKey, plainPosition, unpackPosition, type PlainYaml } from './plain-yaml.js';

/** tenant.yaml, or the file of a kind declared in files of its own (from the kind registry). */
export type FileKind = 'tenant' | DeclaredKind;
export type DeclaredFileKind = DeclaredKind;

/** Folders under the tenant directory and the kind of file each holds. */
export const KIND_FOLDERS = Object.fromEntries(DECLARED_KINDS.map((kind) => [kind, KIND_SPECS[kind].files!.folder])) as Record<DeclaredFileKind, string>;

export const TENANT_FILE = 'tenant.yaml';

export type PathSegment = string | number;

export interface SourceFile {
  kind: FileKind;
  /** Path as shown to the user: the tenant directory as given, joined with the file's relative path. */
  file: string;
  /** Path relative to the tenant directory, with forward slashes (stable across machines for hashing). */
  relative: string;
  text: string;
  /** The full parse with source positions; for a file read by the plain-YAML fast path, made on first use. */
  readonly doc: Document;
  readonly lineCounter: LineCounter;
  /** The document as plain data; undefined when the file could not be parsed at all. */
  data: unknown;
  /** For a file read by the fast path, the position it records at a path key (see PlainYaml), so locating needs no full parse. */
  position?(key: string): number | undefined;
  /** Set when every string of `data` is written as is in `text` (no escapes), so text the file lacks no value holds. */
  readonly verbatim?: boolean;
}

export interface TenantSource {
  dir: string;
  files: SourceFile[];
  diagnostics: Diagnostic[];
}

export interface RawFile {
  relative: string;
  text: string;
}

/** Lists the YAML files tenantctl reads under `dir`, sorted, plus warnings for YAML it ignores. */
export function listTenantFiles(dir: string): { relatives: string[]; diagnostics: Diagnostic[] } {
  const relatives: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const known = new Set(Object.values(KIND_FOLDERS));
  for (const entry of readEntries(dir, diagnostics)) {
    const path = join(dir, entry.name);
    // A declarations folder may be a link to a shared folder; a broken link must not look like an empty folder.
    const folderType = known.has(entry.name) && entry.isSymbolicLink() ? followLink(path, diagnostics) : entry.isDirectory() ? 'directory' : 'other';
    if (known.has(entry.name) && folderType === 'directory') {
      for (const inner of readEntries(path, diagnostics)) {
        if (!isYamlName(inner.name)) continue;
        // Links are followed; a loop, a dangling link or a folder with a YAML name is an error, never silently skipped.
        const type = inner.isSymbolicLink() ? followLink(join(path, inner.name), diagnostics) : inner.isFile() ? 'file' : 'other';
        if (type === 'file') relatives.push(`${entry.name}/${inner.name}`);
        else if (type !== 'unreadable') diagnostics.push(notAFile(join(path, inner.name), inner.name));
      }
    } else if (entry.isDirectory()) {
      if (containsYaml(path)) {
        diagnostics.push({
          severity: 'warning',
          rule: 'unexpected-file',
          message: `folder "${entry.name}" is not read; its YAML files are ignored`,
          at: { file: path, line: 1, column: 1 },
          hint: `declarations live in ${[...known].map((name) => `${name}/`).join(', ')}`,
        });
      }
    } else if (entry.name === TENANT_FILE && entry.isSymbolicLink()) {
      if (followLink(path, diagnostics) === 'file') relatives.push(entry.name);
    } else if (entry.isFile() && isYamlName(entry.name)) {
      if (entry.name === TENANT_FILE) relatives.push(entry.name);
      else {
        diagnostics.push({
          severity: 'warning',
          rule: 'unexpected-file',
          message: `file "${entry.name}" is not read`,
          at: { file: join(dir, entry.name), line: 1, column: 1 },
          hint: `only ${TENANT_FILE} lives at the top; applications, connections and APIs go in their folders`,
        });
      }
    }
  }
  relatives.sort(compareStrings);
  return { relatives, diagnostics };
}

type EntryType = 'file' | 'directory' | 'other' | 'unreadable';

/** What a symbolic link leads to; a loop or a dangling link is reported as an error at the link. */
function followLink(path: string, diagnostics: Diagnostic[]): EntryType {
  try {
    const stats = statSync(path);
    return stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : 'other';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ELOOP' ? 'a loop of symbolic links' : code === 'ENOENT' ? 'a symbolic link to something that does not exist' : `cannot follow the symbolic link: ${code ?? String(error)}`;
    diagnostics.push({ severity: 'error', rule: 'file-unreadable', message: why, at: { file: path, line: 1, column: 1 }, hint: 'point the link at a file, or remove it' });
    return 'unreadable';
  }
}

function notAFile(path: string, name: string): Diagnostic {
  return {
    severity: 'error',
    rule: 'file-unreadable',
    message: `"${name}" is not a regular file`,
    at: { file: path, line: 1, column: 1 },
    hint: 'each declaration is one YAML file; rename or remove this entry',
  };
}

function readEntries(dir: string, diagnostics: Diagnostic[]): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    diagnostics.push({
      severity: 'error',
      rule: 'file-unreadable',
      message: `cannot read folder: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      at: { file: dir, line: 1, column: 1 },
    });
    return [];
  }
}

/** Reads and parses every tenant file from disk. The directory must exist (the caller checks). */
export function readTenantSource(dir: string): TenantSource {
  const listing = listTenantFiles(dir);
  const raw: RawFile[] = [];
  const diagnostics = [...listing.diagnostics];
  const pathOf = pathJoiner(dir);
  for (const relative of listing.relatives) {
    const file = pathOf(relative);
    try {
      const decoded = decodeText(readFileSync(file));
      if (typeof decoded === 'string') raw.push({ relative, text: decoded });
      else diagnostics.push({ severity: 'error', rule: 'file-encoding', message: decoded.message, at: { file, line: decoded.line, column: decoded.column }, hint: 'save the file as UTF-8 text' });
    } catch (error) {
      diagnostics.push({
        severity: 'error',
        rule: 'file-unreadable',
        message: `cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        at: { file, line: 1, column: 1 },
      });
    }
  }
  const parsed = parseTenantFiles(dir, raw);
  return { dir, files: parsed.files, diagnostics: [...diagnostics, ...parsed.diagnostics] };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The file's text, or where and why it is not UTF-8 (a lenient decode would silently turn bytes into U+FFFD). */
export function decodeText(bytes: Buffer): string | { message: string; line: number; column: number } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { message: 'the file is UTF-16 (it starts with a UTF-16 byte order mark), not UTF-8', line: 1, column: 1 };
  }
  try {
    return strictUtf8.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const before = bytes.subarray(0, offset);
    const line = before.filter((byte) => byte === 0x0a).length + 1;
    const column = offset - (before.lastIndexOf(0x0a) + 1) + 1;
    const byte = (bytes[offset] ?? 0).toString(16).padStart(2, '0');
    return { message: `the file is not UTF-8 text: byte 0x${byte} at line ${line} cannot be decoded`, line, column };
  }
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Buffer): number {
  let offset = 0;
  while (offset < bytes.length) {
    const lead = bytes[offset]!;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0 || offset + length > bytes.length) return offset;
    try {
      strictUtf8.decode(bytes.subarray(offset, offset + length));
    } catch {
      return offset;
    }
    offset += length;
  }
  return bytes.length;
}

/** Characters YAML does not allow in a file (C0 controls other than tab and line breaks, DEL): binary data. */
const NON_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Parses already-read files; pure, so tests can validate configurations held in memory. */
export function parseTenantFiles(dir: string, raw: RawFile[]): TenantSource {
  const files: SourceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const pathOf = pathJoiner(dir);
  for (const { relative, text } of [...raw].sort((a, b) => compareStrings(a.relative, b.relative))) {
    const kind = kindOf(relative);
    if (!kind) continue;
    const file = pathOf(relative);
    const control = NON_TEXT.exec(text);
    // Most files are plain YAML: read them without building a document, which is made only if a position is needed.
    const plain = control ? NOT_PLAIN : parsePlainYaml(text);
    if (plain !== NOT_PLAIN) {
      files.push(new PlainSourceFile(kind, file, relative, text, plain.data));
      continue;
    }
    const { doc, lineCounter } = parseWithPositions(text);
    let broken = false;
    if (control) {
      broken = true;
      const [line, column] = positionOf(lineCounter, control.index);
      const code = `U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      diagnostics.push({ severity: 'error', rule: 'file-encoding', message: `the file holds a control character (${code}), not YAML text: is it binary?`, at: { file, line, column }, hint: 'write control characters as escapes inside double quotes, e.g. "\\t"' });
    }
    const problems = [...doc.errors.map((problem) => ({ problem, isError: true })), ...doc.warnings.map((problem) => ({ problem, isError: false }))];
    for (const { problem, isError: parserError } of problems) {
      const duplicate = problem.code === 'DUPLICATE_KEY';
      // An unknown tag (e.g. CloudFormation's !Ref) would be kept as a plain string: the author meant something else.
      const isError = parserError || problem.code === 'TAG_RESOLVE_FAILED';
      if (isError && !duplicate) broken = true;
      const [line, column] = positionOf(lineCounter, syntaxErrorOffset(text, problem.message, problem.pos[0]));
      diagnostics.push({
        severity: isError ? 'error' : 'warning',
        rule: duplicate ? 'duplicate-key' : 'yaml-syntax',
        message: duplicate ? duplicateKeyMessage(text, problem.pos[0]) : firstLine(problem.message),
        at: { file, line, column },
      });
    }
    let data: unknown;
    if (!broken) {
      try {
        data = doc.toJS({ maxAliasCount: 100 });
      } catch (error) {
        broken = true;
        diagnostics.push({ severity: 'error', rule: 'yaml-syntax', message: firstLine(String((error as Error).message ?? error)), at: { file, line: 1, column: 1 } });
      }
    }
    files.push({ kind, file, relative, text, doc, lineCounter, data: broken ? undefined : data });
  }
  return { dir, files, diagnostics };
}

let yamlLibrary: typeof import('yaml') | undefined;

/** The full YAML parser, loaded on first use: loading it costs more than reading thousands of plain files. */
function yaml(): typeof import('yaml') {
  return (yamlLibrary ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));
}

function parseWithPositions(text: string): { doc: Document; lineCounter: LineCounter } {
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  return { doc: parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false }), lineCounter };
}

/**
 * A file the fast path read. Its positions are recorded by reading it again the first time one is asked for (most
 * files of a large tenant never are: positions are for diagnostics and planned changes), and its full parse is made
 * the first time `doc` or `lineCounter` is read.
 */
class PlainSourceFile implements SourceFile {
  // The fast path reads no escapes: its strings are slices of the text.
  readonly verbatim = true;
  #positions: Map<string, number> | undefined;
  #asked = false;
  #parsed: { doc: Document; lineCounter: LineCounter } | undefined;

  constructor(
    public kind: FileKind,
    public file: string,
    public relative: string,
    public text: string,
    public data: unknown,
  ) {}

  position(key: string): number | undefined {
    // Most files are asked for one position, looked for alone; a file asked for more gets them all recorded.
    if (!this.#positions && !this.#asked) {
      this.#asked = true;
      return plainPosition(this.text, key);
    }
    this.#positions ??= (parsePlainYaml(this.text, { positions: true }) as PlainYaml).positions!;
    return this.#positions.get(key);
  }

  get doc(): Document {
    return (this.#parsed ??= parseWithPositions(this.text)).doc;
  }

  get lineCounter(): LineCounter {
    return (this.#parsed ??= parseWithPositions(this.text)).lineCounter;
  }
}

/** The parser reports an unclosed quote where the file ends; the opening quote is where the mistake is. */
function syntaxErrorOffset(text: string, message: string, offset: number): number {
  const quote = /^Missing closing (["'])quote/.exec(message)?.[1];
  if (!quote) return offset;
  const opening = text.lastIndexOf(quote, offset - 1);
  return opening >= 0 ? opening : offset;
}

const KIND_OF_FOLDER = new Map(Object.entries(KIND_FOLDERS).map(([kind, folder]) => [folder, kind as DeclaredFileKind]));

function kindOf(relative: string): FileKind | undefined {
  if (relative === TENANT_FILE) return 'tenant';
  const slash = relative.indexOf('/');
  return KIND_OF_FOLDER.get(slash < 0 ? relative : relative.slice(0, slash));
}

/**
 * `join(dir, relative)`, with each folder joined once: path.join normalises the whole path every time, which
 * costs more than reading a small file. A file name is appended as is; anything unusual goes through join.
 */
function pathJoiner(dir: string): (relative: string) => string {
  const folders = new Map<string, string>();
  return (relative) => {
    const slash = relative.indexOf('/');
    const folder = relative.slice(0, slash);
    const name = relative.slice(slash + 1);
    if (slash <= 0 || folder === '.' || folder === '..' || name === '' || name === '.' || name === '..' || name.includes('/')) return join(dir, relative);
    let base = folders.get(folder);
    if (base === undefined) folders.set(folder, (base = join(dir, folder)));
    return `${base}${sep}${name}`;
  };
}

function isYamlName(name: string): boolean {
  return name.endsWith('.yaml') || name.endsWith('.yml');
}

function containsYaml(dir: string): boolean {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' }).some((name) => isYamlName(name) && statSync(join(dir, name)).isFile());
  } catch {
    return false;
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function duplicateKeyMessage(text: string, offset: number): string {
  const key = /^[^\s:#]+|^"[^"]*"|^'[^']*'/.exec(text.slice(offset))?.[0];
  return key ? `key ${key} appears twice in the same mapping` : 'a key appears twice in the same mapping';
}

function positionOf(lineCounter: LineCounter, offset: number): [number, number] {
  const { line, col } = lineCounter.linePos(offset);
  return [line, col];
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The source position of the value at `path` (or, with `part: 'key'`, of its key).
 * A path that does not exist in the document falls back to the deepest node that does, so a
 * missing field points at the mapping that should hold it.
 */
export function locate(source: SourceFile, path: readonly PathSegment[], part: 'value' | 'key' = 'value'): SourceRef {
  if (source.position) {
    const key = pathKey(path);
    // A key is asked of mapping entries; a sequence item or the root has none, and the full parser gives the node.
    const packed = source.position(part === 'key' && typeof path[path.length - 1] === 'string' ? key + KEY_SUFFIX : key);
    if (packed !== undefined) {
      const [line, column] = unpackPosition(packed);
      return { file: source.file, line, column };
    }
  }
  const { isMap, isPair, isScalar, isSeq } = yaml();
  let node: Node | null | undefined = source.doc.contents as Node | null;
  let keyNode: Node | undefined;
  let fallback = node;
  for (const segment of path) {
    if (!node) break;
    fallback = node;
    keyNode = undefined;
    let next: Node | null | undefined;
    if (isMap(node)) {
      const pair: Pair | undefined = node.items.find((item) => isPair(item) && String(isScalar(item.key) ? item.key.value : item.key) === String(segment));
      if (pair) {
        keyNode = pair.key as Node | undefined;
        next = (pair.value as Node | null) ?? keyNode;
      }
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment] as Node | undefined;
    }
    if (!next) {
      node = undefined;
      break;
    }
    node = next;
  }
  const target = node ? (part === 'key' && keyNode ? keyNode : node) : fallback;
  const offset = target?.range?.[0] ?? 0;
  const [line, column] = positionOf(source.lineCounter, offset);
  return { file: source.file, line, column };
}

/** The source text of the scalar at `path`, with its offset, for pointing inside a value. */
export function scalarSource(source: SourceFile, path: readonly PathSegment[]): { offset: number; raw: string } | undefined {
  const node = source.doc.getIn(path as PathSegment[], true);
  if (!yaml().isScalar(node) || !node.range) return undefined;
  return { offset: node.range[0], raw: source.text.slice(node.range[0], node.range[1]) };
}

export function refAtOffset(source: SourceFile, offset: number): SourceRef {
  const [line, column] = positionOf(source.lineCounter, offset);
  return { file: source.file, line, column };
}
