// Reading hostile tenant directories: symbolic links, non-UTF-8 files, binary data and unknown YAML tags
// each become a positioned error instead of being skipped or silently mis-read (found by the reliability corpus).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/validate/load.js';
import { decodeText } from '../../src/config/source.js';

const root = mkdtempSync(join(tmpdir(), 'tenantctl-config-robust-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const TENANT = 'environments:\n  dev:\n    domain: d.us.auth0.com\n';
let count = 0;

function tenantDir(files: Record<string, string | Buffer> = {}, links: Record<string, string> = {}): string {
  const dir = join(root, `t${count++}`);
  mkdirSync(join(dir, 'applications'), { recursive: true });
  writeFileSync(join(dir, 'tenant.yaml'), TENANT);
  for (const [relative, content] of Object.entries(files)) writeFileSync(join(dir, relative), content);
  for (const [relative, target] of Object.entries(links)) symlinkSync(target, join(dir, relative));
  return dir;
}

describe('symbolic links in the tenant directory', () => {
  it('follows a link to a real file', () => {
    const dir = tenantDir({ 'shared.yml': 'name: Shared\napp_type: spa\n' }, { 'applications/shared.yaml': '../shared.yml' });
    const { config } = loadConfig({ dir, processEnv: {} });
    expect(config?.desired.map((object) => object.key)).toEqual(['Shared']);
  });

  it('reports a loop and a dangling link as errors at the link', () => {
    const dir = tenantDir({}, { 'applications/loop.yaml': 'loop.yaml', 'applications/gone.yaml': '../nowhere.yaml' });
    const { config, diagnostics } = loadConfig({ dir, processEnv: {} });
    expect(config).toBeUndefined();
    expect(diagnostics).toMatchObject([
      { severity: 'error', rule: 'file-unreadable', message: 'a symbolic link to something that does not exist', at: { file: join(dir, 'applications', 'gone.yaml'), line: 1 } },
      { severity: 'error', rule: 'file-unreadable', message: 'a loop of symbolic links', at: { file: join(dir, 'applications', 'loop.yaml'), line: 1 } },
    ]);
  });

  it('reports a folder with a YAML name instead of skipping it', () => {
    const dir = tenantDir();
    mkdirSync(join(dir, 'applications', 'web.yaml'));
    expect(loadConfig({ dir, processEnv: {} }).diagnostics).toMatchObject([{ severity: 'error', rule: 'file-unreadable', message: '"web.yaml" is not a regular file' }]);
  });
});

describe('file encodings and binary data', () => {
  it('reports Latin-1 bytes at their line and column', () => {
    const dir = tenantDir({ 'applications/cafe.yaml': Buffer.from('name: Cafe\napp_type: spa\ndescription: Caf\xe9\n', 'latin1') });
    const { config, diagnostics } = loadConfig({ dir, processEnv: {} });
    expect(config).toBeUndefined();
    expect(diagnostics).toMatchObject([{ severity: 'error', rule: 'file-encoding', at: { line: 3, column: 17 } }]);
    expect(diagnostics[0]!.message).toContain('byte 0xe9 at line 3');
  });

  it('names UTF-16 files as such', () => {
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name: x\n', 'utf16le')]))).toMatchObject({ message: expect.stringContaining('UTF-16') });
    expect(decodeText(Buffer.from('name: Café\n'))).toBe('name: Café\n');
  });

  it('reports a raw NUL or escape character as binary data, with its position', () => {
    const dir = tenantDir({ 'applications/bin.yaml': 'name: A\u0000B\napp_type: spa\n', 'applications/esc.yaml': 'name: ok\napp_type: spa\ndescription: red \u001b[31m\n' });
    const { config, diagnostics } = loadConfig({ dir, processEnv: {} });
    expect(config).toBeUndefined();
    const encoding = diagnostics.filter((diagnostic) => diagnostic.rule === 'file-encoding');
    expect(encoding).toMatchObject([
      { at: { file: join(dir, 'applications', 'bin.yaml'), line: 1, column: 8 }, message: expect.stringContaining('U+0000') },
      { at: { file: join(dir, 'applications', 'esc.yaml'), line: 3, column: 18 }, message: expect.stringContaining('U+001B') },
    ]);
  });

  it('accepts control characters written as escapes in double quotes', () => {
    const dir = tenantDir({ 'applications/tab.yaml': 'name: ok\napp_type: spa\ndescription: "a\\tb"\n' });
    expect(loadConfig({ dir, processEnv: {} }).config?.desired[0]?.fields.description).toBe('a\tb');
  });
});

describe('YAML tags', () => {
  it('makes an unknown tag an error: tenantctl would otherwise send the tag text as a plain string', () => {
    const dir = tenantDir({ 'applications/tag.yaml': 'name: !Ref AppName\napp_type: spa\n' });
    const { config, diagnostics } = loadConfig({ dir, processEnv: {} });
    expect(config).toBeUndefined();
    expect(diagnostics).toMatchObject([{ severity: 'error', rule: 'yaml-syntax', message: expect.stringContaining('!Ref'), at: { line: 1, column: 7 } }]);
  });
});
