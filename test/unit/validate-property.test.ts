// Property: random mutations of a valid configuration never make validate throw; it always ends in
// exit 0 or 1, and every finding is well-formed and points inside the file it names.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTenantFiles } from '../../src/config/source.js';
import { hasErrors, validateTenantSource } from '../../src/validate/index.js';
import { formatDiagnostics } from '../../src/validate/format.js';

function readExample(): { relative: string; text: string }[] {
  const files: { relative: string; text: string }[] = [{ relative: 'tenant.yaml', text: readFileSync('tenant/tenant.yaml', 'utf8') }];
  for (const folder of ['applications', 'connections', 'apis']) {
    for (const name of readdirSync(join('tenant', folder))) files.push({ relative: `${folder}/${name}`, text: readFileSync(join('tenant', folder, name), 'utf8') });
  }
  return files;
}

const example = readExample();
const FRAGMENTS = [':', '- ', '\n', '  ', '{', '}', '[', ']', '"', "'", '#', '*', '${', '${X}', '${env:Y}', '&a', '*a', '!!int ', 'null', '~', '\t', 'http://', 'https://*.', '100', 'true', 'name: x\n', 'app_type: spa\n'];

const mutation = fc.oneof(
  fc.record({ type: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 6 })) }),
  fc.record({ type: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ type: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ type: fc.constant('swap-lines' as const), at: fc.nat(), with: fc.nat() }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function apply(text: string, change: Mutation): string {
  const at = text.length === 0 ? 0 : change.at % (text.length + 1);
  if (change.type === 'insert') return text.slice(0, at) + change.text + text.slice(at);
  if (change.type === 'delete') return text.slice(0, at) + text.slice(at + change.length);
  const lines = text.split('\n');
  const index = change.at % lines.length;
  if (change.type === 'duplicate-line') lines.splice(index, 0, lines[index]!);
  else {
    const other = change.with % lines.length;
    [lines[index], lines[other]] = [lines[other]!, lines[index]!];
  }
  return lines.join('\n');
}

describe('validate under random mutations', () => {
  it('never throws, exits 0 or 1, and gives well-formed diagnostics', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 4 }), fc.option(fc.constantFrom('dev', 'prod'), { nil: undefined }), (changes, env) => {
        const files = example.map((file) => ({ ...file }));
        for (const [which, change] of changes) {
          const file = files[which % files.length]!;
          file.text = apply(file.text, change);
        }
        let result;
        try {
          result = validateTenantSource(parseTenantFiles('tenant', files), { processEnv: {}, ...(env ? { env } : {}) });
        } catch (error) {
          // Only the CLI's "cannot run" case may throw: --env naming an environment the mutated tenant.yaml lost.
          expect((error as Error).name).toBe('UsageError');
          return;
        }
        const exit = hasErrors(result.diagnostics) ? 1 : 0;
        expect([0, 1]).toContain(exit);
        const lineCounts = new Map(files.map((file) => [`tenant/${file.relative}`, file.text.split('\n').length]));
        for (const diagnostic of result.diagnostics) {
          expect(['error', 'warning']).toContain(diagnostic.severity);
          expect(diagnostic.rule).toMatch(/^[a-z0-9-]+$/);
          expect(diagnostic.message.length).toBeGreaterThan(0);
          if (diagnostic.at && lineCounts.has(diagnostic.at.file)) {
            expect(diagnostic.at.line).toBeGreaterThanOrEqual(1);
            expect(diagnostic.at.line).toBeLessThanOrEqual(lineCounts.get(diagnostic.at.file)!);
            expect(diagnostic.at.column).toBeGreaterThanOrEqual(1);
          }
        }
        for (const format of ['text', 'json', 'github'] as const) expect(typeof formatDiagnostics(format, result.diagnostics, files.length)).toBe('string');
      }),
      { numRuns: 150 },
    );
  });

  it('finds a mutation that breaks the example, so the property exercises real errors', () => {
    const broken = example.map((file) => (file.relative === 'applications/partner-portal.yaml' ? { ...file, text: file.text.replace('callbacks:', 'callback:') } : file));
    expect(hasErrors(validateTenantSource(parseTenantFiles('tenant', broken), { processEnv: {} }).diagnostics)).toBe(true);
  });
});
