// Checks each file's data against its JSON Schema and turns every violation into a Diagnostic at the
// offending key or value, with did-you-mean hints for typos. The schemas are compiled ahead of time
// (schema-code.ts, `npm run schemas:code`), so a run neither loads ajv's compiler nor compiles them.
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Diagnostic } from '../model/types.js';
import { locate, type FileKind, type PathSegment, type SourceFile } from './source.js';
import { closestMatch } from '../did-you-mean.js';
import type { JsonSchema } from './schema-files.js';
import * as generated from './schema-validators.generated.js';

const VALIDATORS = generated as unknown as Record<FileKind, ValidateFunction>;

/** All schema violations of one file's data (after variable substitution). */
export function checkSchema(source: SourceFile, data: unknown): Diagnostic[] {
  const validate = VALIDATORS[source.kind];
  if (validate(data)) return [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const diagnostic = describe(source, error);
    if (!diagnostic) continue;
    const key = `${diagnostic.rule}|${diagnostic.message}|${diagnostic.at?.line}:${diagnostic.at?.column}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(diagnostic);
  }
  return diagnostics;
}

function describe(source: SourceFile, error: ErrorObject): Diagnostic | undefined {
  const path = parsePointer(error.instancePath);
  const where = displayPath(path);
  const parent = error.parentSchema as JsonSchema | undefined;
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String((error.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys(parent?.properties ?? {});
      const suggestion = closestMatch(field, known);
      return {
        severity: 'error',
        rule: 'unknown-field',
        message: `unknown field "${field}"${where ? ` in ${where}` : ''}`,
        at: locate(source, [...path, field], 'key'),
        hint: suggestion ? `did you mean "${suggestion}"?` : `known fields: ${known.join(', ')}`,
      };
    }
    case 'required': {
      const field = (error.params as { missingProperty: string }).missingProperty;
      return {
        severity: 'error',
        rule: 'missing-field',
        message: `missing required field "${field}"${where ? ` in ${where}` : ''}`,
        at: locate(source, path),
      };
    }
    case 'type': {
      const expected = describeType(String((error.params as { type: string }).type));
      return {
        severity: 'error',
        rule: 'wrong-type',
        message: where ? `${where} must be ${expected}, not ${describeValue(error.data)}` : `the file must be ${expected} of fields, not ${describeValue(error.data)}`,
        at: locate(source, path),
      };
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const suggestion = typeof error.data === 'string' ? closestMatch(error.data, allowed) : undefined;
      return {
        severity: 'error',
        rule: 'invalid-value',
        message: `${where} ${JSON.stringify(error.data)} is not one of: ${allowed.join(', ')}`,
        at: locate(source, path),
        ...(suggestion ? { hint: `did you mean "${suggestion}"?` } : {}),
      };
    }
    case 'propertyNames': {
      const name = String((error.params as { propertyName: string }).propertyName);
      return {
        severity: 'error',
        rule: 'invalid-name',
        message: `name "${name}"${where ? ` in ${where}` : ''} is not allowed: use letters, digits, "_" or "-" and start with a letter`,
        at: locate(source, [...path, name], 'key'),
      };
    }
    case 'pattern':
      // Inside propertyNames ajv reports the pattern again for the name; the propertyNames error covers it.
      if ((error as ErrorObject & { propertyName?: string }).propertyName !== undefined) return undefined;
      return { severity: 'error', rule: 'invalid-value', message: `${where} ${JSON.stringify(error.data)} has characters that are not allowed`, at: locate(source, path) };
    default:
      return { severity: 'error', rule: 'invalid-value', message: `${where || 'the file'} ${error.message ?? 'is not valid'}`, at: locate(source, path) };
  }
}

function parsePointer(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** `grants[0].scopes[2]`: the path the way a reader of the YAML thinks of it. */
export function displayPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) text += typeof segment === 'number' ? `[${segment}]` : text ? `.${segment}` : segment;
  return text;
}

function describeType(type: string): string {
  const names: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', integer: 'a whole number', number: 'a number', boolean: 'true or false' };
  return type.split(',').map((one) => names[one] ?? one).join(' or ');
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value === 'string' ? 'the string' : typeof value} ${JSON.stringify(value)}`;
}
