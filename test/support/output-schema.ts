// Test helper: checks a tool output against its published JSON Schema in schemas/, strictly: the
// document must be valid AND every field in it must be described, so the schema cannot fall behind.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; items?: Schema; additionalProperties?: boolean | Schema; $ref?: string };

const SCHEMA_DIR = new URL('../../schemas/', import.meta.url);

export function outputSchema(file: string): Schema {
  return JSON.parse(readFileSync(new URL(file, SCHEMA_DIR), 'utf8')) as Schema;
}

/** ajv's error list (empty when valid) plus `undescribed field <path>` for each field the schema does not name. */
export function schemaProblems(file: string, document: unknown): string[] {
  const schema = outputSchema(file);
  const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
  const problems = validate(document) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`);
  return [...problems, ...undescribed(document, schema, schema, '')];
}

function resolve(schema: Schema, root: Schema): Schema {
  if (typeof schema.$ref !== 'string') return schema;
  const path = schema.$ref.replace(/^#\//, '').split('/');
  return path.reduce<Schema>((node, part) => (node as Record<string, Schema>)[part] as Schema, root);
}

function undescribed(value: unknown, node: Schema, root: Schema, path: string): string[] {
  const schema = resolve(node, root);
  if (Array.isArray(value)) return schema.items ? value.flatMap((item, i) => undescribed(item, schema.items!, root, `${path}/${i}`)) : [];
  if (value === null || typeof value !== 'object') return [];
  const problems: string[] = [];
  for (const [key, member] of Object.entries(value)) {
    const described = schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    if (described) problems.push(...undescribed(member, described, root, `${path}/${key}`));
    else if (schema.properties !== undefined) problems.push(`undescribed field ${path}/${key}`);
  }
  return problems;
}
