// The schemas are compiled ahead of time into src/config/schema-validators.generated.ts. That module must be what
// the generator writes from today's schemas (run `npm run schemas:code` after changing one; this test fails until
// then), and its functions must judge every document exactly as ajv compiling the schemas at run time does.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSchemas, type JsonSchema } from '../../src/config/schema-files.js';
import { SCHEMA_CODE_FILE, schemaCompiler, schemaValidatorsCode } from '../../src/config/schema-code.js';
import * as generated from '../../src/config/schema-validators.generated.js';
import { parseTenantFiles, type FileKind } from '../../src/config/source.js';
import { brokenConfigs } from '../reliability/corpus.js';
import { REPO_TENANT } from '../support/cli.js';

const precompiled = generated as unknown as Record<FileKind, ValidateFunction>;
const compiler = schemaCompiler();
const schemas = loadSchemas();
const kinds = Object.keys(schemas) as FileKind[];

/** The errors (with the data and schemas they are about) both validators report for one document. */
function judgements(kind: FileKind, data: unknown) {
  const atRunTime = compiler.getSchema(kind)!;
  const valid = atRunTime(data);
  const ahead = precompiled[kind];
  return { runTime: { valid, errors: atRunTime.errors ?? null }, ahead: { valid: ahead(data), errors: ahead.errors ?? null } };
}

function filesUnder(dir: string, relative = ''): { relative: string; text: string }[] {
  return readdirSync(join(dir, relative)).flatMap((name) => {
    const path = join(relative, name);
    return statSync(join(dir, path)).isDirectory() ? filesUnder(dir, path) : name.endsWith('.yaml') ? [{ relative: path, text: readFileSync(join(dir, path), 'utf8') }] : [];
  });
}

describe('schema validation code', () => {
  it('is what `npm run schemas:code` generates from the schemas today', () => {
    expect(readFileSync(SCHEMA_CODE_FILE, 'utf8')).toBe(schemaValidatorsCode());
  });

  it('has one validation function per file kind', () => {
    expect(Object.keys(precompiled).sort()).toEqual([...kinds].sort());
  });

  it('judges the example tenant and every file of the broken-config corpus as ajv does at run time', () => {
    const sources = [
      parseTenantFiles(REPO_TENANT, filesUnder(REPO_TENANT)),
      ...brokenConfigs().map((entry) =>
        parseTenantFiles(
          'corpus',
          Object.entries(entry.files).flatMap(([relative, text]) => (typeof text === 'string' ? [{ relative, text }] : [])),
        ),
      ),
    ];
    let invalid = 0;
    let documents = 0;
    for (const file of sources.flatMap((source) => source.files)) {
      if (file.data === undefined) continue;
      const { runTime, ahead } = judgements(file.kind, file.data);
      expect(ahead, file.relative).toEqual(runTime);
      documents++;
      if (!runTime.valid) invalid++;
    }
    // Only worth something if both valid and invalid documents were compared.
    expect(documents).toBeGreaterThan(50);
    expect(invalid).toBeGreaterThan(10);
  });

  it('judges random documents made of each schema\'s own field names as ajv does at run time', () => {
    const leaf = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.constantFrom('https://a.example.com/cb', 'spa', 'regular_web', 'none', 'RS256', 'not a host', 'example.us.auth0.com', 'read:things', ''),
      fc.integer({ min: -2, max: 100000 }),
      fc.boolean(),
      fc.constant(null),
    );
    let invalid = 0;
    for (const kind of kinds) {
      const fields = fieldNames(schemas[kind]);
      const key = fc.oneof(fc.constantFrom(...fields), fc.stringMatching(/^[a-z_]{1,6}$/));
      const value = fc.letrec((tie) => ({
        node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(key, tie('node'), { maxKeys: 4 })),
      })).node;
      fc.assert(
        fc.property(fc.dictionary(key, value, { maxKeys: 6 }), (data) => {
          const { runTime, ahead } = judgements(kind, data);
          expect(ahead).toEqual(runTime);
          if (!runTime.valid) invalid++;
        }),
        { numRuns: 300, seed: 16 },
      );
    }
    expect(invalid).toBeGreaterThan(100);
  });
});

/** Every property name a schema mentions, at any depth. */
function fieldNames(schema: JsonSchema): string[] {
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record.properties && typeof record.properties === 'object') for (const name of Object.keys(record.properties)) names.add(name);
      Object.values(record).forEach(walk);
    }
  };
  walk(schema);
  return [...names];
}
