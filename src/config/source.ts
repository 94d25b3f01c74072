// Reads the files of a tenant directory and parses each into a YAML document with source positions.
// Every parse problem becomes a Diagnostic; one broken file never stops the others from being read.
import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, type Pair, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic, SourceRef } from '../model/types.js';

export type FileKind = 'tenant' | 'application' | 'connection' | 'api';

/** Folders under the tenant directory and the kind of file each holds. */
export const KIND_FOLDERS: Record<Exclude<FileKind, 'tenant'>, string> = {
  application: 'applications',
  connection: 'connections',
  api: 'apis',
};

export const TENANT_FILE = 'tenant.yaml';

export type PathSegment = string | number;

export interface SourceFile {
  kind: FileKind;
  /** Path as shown to the user: the tenant directory as given, joined with the file's relative path. */
  file: string;
  /** Path relative to the tenant directory, with forward slashes (stable across machines for hashing). */
  relative: string;
  text: string;
  doc: Document;
  lineCounter: LineCounter;
  /** The document as plain data; undefined when the file could not be parsed at all. */
  data: unknown;
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
    if (entry.isDirectory()) {
      if (known.has(entry.name)) {
        for (const inner of readEntries(join(dir, entry.name), diagnostics)) {
          if (inner.isFile() && isYamlName(inner.name)) relatives.push(`${entry.name}/${inner.name}`);
        }
      } else if (containsYaml(join(dir, entry.name))) {
        diagnostics.push({
          severity: 'warning',
          rule: 'unexpected-file',
          message: `folder "${entry.name}" is not read; its YAML files are ignored`,
          at: { file: join(dir, entry.name), line: 1, column: 1 },
          hint: `declarations live in ${[...known].map((name) => `${name}/`).join(', ')}`,
        });
      }
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
  for (const relative of listing.relatives) {
    try {
      raw.push({ relative, text: readFileSync(join(dir, relative), 'utf8') });
    } catch (error) {
      diagnostics.push({
        severity: 'error',
        rule: 'file-unreadable',
        message: `cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        at: { file: join(dir, relative), line: 1, column: 1 },
      });
    }
  }
  const parsed = parseTenantFiles(dir, raw);
  return { dir, files: parsed.files, diagnostics: [...diagnostics, ...parsed.diagnostics] };
}

/** Parses already-read files; pure, so tests can validate configurations held in memory. */
export function parseTenantFiles(dir: string, raw: RawFile[]): TenantSource {
  const files: SourceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const { relative, text } of [...raw].sort((a, b) => compareStrings(a.relative, b.relative))) {
    const kind = kindOf(relative);
    if (!kind) continue;
    const file = join(dir, relative);
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
    let broken = false;
    const problems = [...doc.errors.map((problem) => ({ problem, isError: true })), ...doc.warnings.map((problem) => ({ problem, isError: false }))];
    for (const { problem, isError } of problems) {
      const duplicate = problem.code === 'DUPLICATE_KEY';
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

/** The parser reports an unclosed quote where the file ends; the opening quote is where the mistake is. */
function syntaxErrorOffset(text: string, message: string, offset: number): number {
  const quote = /^Missing closing (["'])quote/.exec(message)?.[1];
  if (!quote) return offset;
  const opening = text.lastIndexOf(quote, offset - 1);
  return opening >= 0 ? opening : offset;
}

function kindOf(relative: string): FileKind | undefined {
  if (relative === TENANT_FILE) return 'tenant';
  const folder = relative.split('/')[0];
  for (const [kind, name] of Object.entries(KIND_FOLDERS)) if (name === folder) return kind as FileKind;
  return undefined;
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
  if (!isScalar(node) || !node.range) return undefined;
  return { offset: node.range[0], raw: source.text.slice(node.range[0], node.range[1]) };
}

export function refAtOffset(source: SourceFile, offset: number): SourceRef {
  const [line, column] = positionOf(source.lineCounter, offset);
  return { file: source.file, line, column };
}
