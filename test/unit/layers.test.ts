// The layers point one way: what a module may import is checked on the source, so a back edge fails here
// rather than growing into a cycle (config reads and lowers; validate judges and imports config).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../src/', import.meta.url).pathname;

function filesUnder(dir: string): string[] {
  return readdirSync(join(SRC, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  return [...text.matchAll(/^(?:import|export)(?:[^'";]*from)?\s*'([^']+)'/gm)].map((match) => join(file, '..', match[1]!));
}

function backEdges(layer: string, forbidden: readonly string[]): string[] {
  return filesUnder(layer).flatMap((file) =>
    importsOf(file)
      .filter((target) => forbidden.some((other) => target.startsWith(`${other}/`)))
      .map((target) => `${file} -> ${target}`),
  );
}

describe('layers', () => {
  it('src/config never imports src/validate (validate runs the rules over what config read)', () => {
    expect(backEdges('config', ['validate'])).toEqual([]);
  });

  it('src/model imports no other layer, and the planner neither I/O layers nor the SDK', () => {
    expect(backEdges('model', ['config', 'validate', 'plan', 'apply', 'remote', 'render', 'cli', 'emulator', 'export'])).toEqual([]);
    expect(backEdges('plan', ['config', 'validate', 'apply', 'remote', 'render', 'cli', 'emulator', 'export'])).toEqual([]);
  });

  it('did-you-mean is a leaf: it imports nothing of the project', () => {
    expect(importsOf('did-you-mean.ts')).toEqual([]);
  });
});
