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

  it('only src/remote imports the auth0 SDK, and the planner and renderers do no I/O', () => {
    const rawImports = (file: string): string[] =>
      [...readFileSync(join(SRC, file), 'utf8').matchAll(/^(?:import|export)(?:[^'";]*from)?\s*'([^']+)'/gm)].map((match) => match[1]!);
    const sdkUsers = filesUnder('.').filter((file) => rawImports(file).some((target) => target === 'auth0' || target.startsWith('auth0/')));
    expect(sdkUsers.length, 'the check finds the SDK import in src/remote').toBeGreaterThan(0);
    expect(sdkUsers.filter((file) => !file.startsWith('remote/'))).toEqual([]);
    const io = /^node:(?:fs|fs\/promises|child_process|http|https|net|tls)$/;
    const ioUsers = [...filesUnder('plan'), ...filesUnder('render')].filter((file) => rawImports(file).some((target) => io.test(target)));
    expect(ioUsers).toEqual([]);
  });

  it('did-you-mean is a leaf: it imports nothing of the project', () => {
    expect(importsOf('did-you-mean.ts')).toEqual([]);
  });
});
