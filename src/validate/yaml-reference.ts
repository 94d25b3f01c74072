// Generates the README's YAML reference from the JSON Schemas, so the docs cannot drift from the
// fields the validator accepts; `npm run docs:yaml` writes it and a test checks it is current.
import { DECLARED_KINDS } from '../model/kinds.js';
import { loadSchemas, SCHEMA_FILE_NAMES, type JsonSchema } from '../config/schema-files.js';
import type { FileKind } from '../config/source.js';

export const REFERENCE_START = '<!-- yaml-reference:start -->';
export const REFERENCE_END = '<!-- yaml-reference:end -->';

const FILE_ORDER: FileKind[] = ['tenant', ...DECLARED_KINDS];

const INTRODUCTION = `The tenant lives in one folder (\`tenant/\` by default) and uses Auth0's own field names:

| file | declares |
|---|---|
| \`tenant.yaml\` | environments (one Auth0 tenant each) and how undeclared objects are treated |
| \`applications/<slug>.yaml\` | one application, the connections its users log in with, its grants |
| \`connections/<slug>.yaml\` | one connection |
| \`apis/<slug>.yaml\` | one API |

Start a file with \`# yaml-language-server: $schema=../../node_modules/tenantctl/schemas/<kind>.schema.json\`
(\`../node_modules/tenantctl/schemas/tenant.schema.json\` for tenant.yaml; \`../../schemas/…\` in this
repository) and editors complete and check its fields. \`init\`, \`app add\` and \`export\` write it for you.

**Variables.** In any string value, \`\${NAME}\` is replaced by the chosen environment's \`vars.NAME\`
and \`\${env:NAME}\` by the process environment variable \`NAME\`; \`$\${\` writes a literal \`\${\`.
An undefined variable is an error at its column. \`\${env:NAME}\` is for values that differ per
deployment, never for secrets: tenantctl needs no secret in YAML, and none may be written there.

**Checks.** \`tenantctl validate [--dir tenant] [--env NAME] [--format text|json|github]\` checks
every environment (or only \`--env\`) offline and reports every problem with its file, line, column
and rule id, e.g. \`unknown-field\`, \`duplicate-name\`, \`unknown-connection\`, \`unknown-scope\`,
\`url-https\`, \`url-wildcard\`, \`spa-auth-method\`. Exit status: 0 without errors (warnings
allowed), 1 with errors, 2 when it cannot run.`;

/** The markdown between the README markers (without the markers). */
export function renderYamlReference(schemas: Record<FileKind, JsonSchema> = loadSchemas()): string {
  const sections = FILE_ORDER.map((kind) => {
    const schema = schemas[kind];
    const rows = fieldRows(schema, '').map(({ path, type, required, description }) => `| \`${path}\` | ${type}${required ? ', required' : ''} | ${cell(description)} |`);
    return [
      `### \`${schema.title ?? kind}\``,
      '',
      `${schema.description ?? ''} Schema: \`schemas/${SCHEMA_FILE_NAMES[kind]}\`.`,
      '',
      '| field | type | meaning |',
      '|---|---|---|',
      ...rows,
    ].join('\n');
  });
  return [INTRODUCTION, ...sections].join('\n\n');
}

/** Every documented field path of a schema, depth first, e.g. `grants[].scopes`, `environments.<name>.domain`. */
export function fieldRows(schema: JsonSchema, prefix: string): { path: string; type: string; required: boolean; description: string }[] {
  const rows: { path: string; type: string; required: boolean; description: string }[] = [];
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    const path = `${prefix}${name}`;
    rows.push({ path, type: describeType(field), required: (schema.required ?? []).includes(name), description: field.description ?? '' });
    rows.push(...nestedRows(field, path));
  }
  return rows;
}

function nestedRows(field: JsonSchema, path: string) {
  if (field.properties) return fieldRows(field, `${path}.`);
  if (field.items?.properties) return fieldRows(field.items, `${path}[].`);
  const values = typeof field.additionalProperties === 'object' ? field.additionalProperties : undefined;
  if (values?.properties) return fieldRows(values, `${path}.<name>.`);
  return [];
}

function describeType(field: JsonSchema): string {
  if (field.enum) return `one of ${field.enum.map((value) => `\`${String(value)}\``).join(', ')}`;
  switch (field.type) {
    case 'array':
      return field.items?.properties ? 'list of mappings' : field.items?.enum ? 'list of grant type names' : `list of ${describeType(field.items ?? {})}s`;
    case 'object': {
      const values = typeof field.additionalProperties === 'object' ? field.additionalProperties : undefined;
      if (field.properties) return 'mapping';
      if (values?.properties) return 'mapping of name to mapping';
      if (values?.type) return `mapping of name to ${values.type}`;
      return 'mapping';
    }
    case 'integer':
      return 'integer';
    default:
      return field.type ?? 'any';
  }
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The README with its reference section replaced; throws if the markers are missing. */
export function replaceReferenceSection(readme: string, reference: string): string {
  const start = readme.indexOf(REFERENCE_START);
  const end = readme.indexOf(REFERENCE_END);
  if (start < 0 || end < start) throw new Error(`README has no ${REFERENCE_START} ... ${REFERENCE_END} markers`);
  return `${readme.slice(0, start + REFERENCE_START.length)}\n${reference}\n${readme.slice(end)}`;
}

/** The current text between the markers, for the test that the README is up to date. */
export function currentReferenceSection(readme: string): string | undefined {
  const start = readme.indexOf(REFERENCE_START);
  const end = readme.indexOf(REFERENCE_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + REFERENCE_START.length, end).replace(/^\n/, '').replace(/\n$/, '');
}
