// The README's YAML reference is generated from the JSON Schemas: it must be current and name every field.
// Run `npm run docs:yaml` after changing a schema; this test fails until the README is regenerated.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSchemas } from '../../src/config/schema-files.js';
import { currentReferenceSection, fieldRows, renderYamlReference } from '../../src/validate/yaml-reference.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README YAML reference', () => {
  it('equals the text generated from the schemas (run `npm run docs:yaml` after changing a schema)', () => {
    expect(currentReferenceSection(readme)).toBe(renderYamlReference());
  });

  it('documents every field of every schema, each with a description', () => {
    const section = currentReferenceSection(readme) ?? '';
    const schemas = loadSchemas();
    const rows = Object.values(schemas).flatMap((schema) => fieldRows(schema, ''));
    expect(rows.length).toBeGreaterThan(40);
    for (const row of rows) {
      expect(section, row.path).toContain(`| \`${row.path}\` |`);
      expect(row.description, row.path).not.toBe('');
    }
    for (const nested of ['jwt_configuration.alg', 'grants[].scopes', 'scopes[].value', 'environments.<name>.vars', 'refresh_token.leeway']) {
      expect(section).toContain(`\`${nested}\``);
    }
  });
});
