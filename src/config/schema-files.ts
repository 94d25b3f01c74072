// Locates and loads the JSON Schemas shipped in `schemas/`, the single source of truth for YAML fields.
// Resolved from this module's URL, so it works from src/ (tests) and dist/ (the built CLI) alike.
import { readFileSync } from 'node:fs';
import { DECLARED_KINDS, KIND_SPECS } from '../model/kinds.js';
import type { FileKind } from './source.js';

export const SCHEMA_DIR = new URL('../../schemas/', import.meta.url);

export const SCHEMA_FILE_NAMES = {
  tenant: 'tenant.schema.json',
  ...Object.fromEntries(DECLARED_KINDS.map((kind) => [kind, KIND_SPECS[kind].files!.schema])),
} as Record<FileKind, string>;

/** The part of JSON Schema our schemas use; enough to walk them for docs and hints. */
export interface JsonSchema {
  title?: string;
  description?: string;
  type?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  required?: string[];
  [keyword: string]: unknown;
}

/** The editor modeline for a `kind` file, given the schemas folder as seen from the tenant directory. */
export function schemaModeline(kind: FileKind, schemaDir = '../schemas'): string {
  const fromFile = kind === 'tenant' ? schemaDir : `../${schemaDir}`;
  return `# yaml-language-server: $schema=${fromFile}/${SCHEMA_FILE_NAMES[kind]}`;
}

let cache: Record<FileKind, JsonSchema> | undefined;

export function loadSchemas(): Record<FileKind, JsonSchema> {
  cache ??= Object.fromEntries(
    Object.entries(SCHEMA_FILE_NAMES).map(([kind, name]) => [kind, JSON.parse(readFileSync(new URL(name, SCHEMA_DIR), 'utf8')) as JsonSchema]),
  ) as Record<FileKind, JsonSchema>;
  return cache;
}
