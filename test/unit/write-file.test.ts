// Files that export and init write: folders made on the way, and a file system refusal told as a user error.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { writeFileMakingFolders } from '../../src/write-file.js';

const dir = mkdtempSync(join(tmpdir(), 'tenantctl-write-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileMakingFolders', () => {
  it('makes the folders on the way', () => {
    const path = join(dir, 'tenant', 'applications', 'portal.yaml');
    writeFileMakingFolders(path, 'name: Portal\n');
    expect(readFileSync(path, 'utf8')).toBe('name: Portal\n');
  });

  it('names the path and the reason when a file stands where a folder should be', () => {
    writeFileSync(join(dir, 'blocker'), 'not a folder');
    const target = join(dir, 'blocker', 'tenant.yaml');
    let caught: unknown;
    try {
      writeFileMakingFolders(target, 'x');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    // mkdir answers EEXIST for a file in the way (writeFile alone would say ENOTDIR).
    expect((caught as UsageError).message).toContain(`cannot write ${target} (`);
    expect((caught as UsageError).message).toMatch(/\((EEXIST|ENOTDIR)\)$/);
  });
});
