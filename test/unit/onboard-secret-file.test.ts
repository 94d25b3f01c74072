// The secret file writer: mode 0600, no silent overwrite, and no secret files git would commit.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { gitWouldTrack, writeSecretFile } from '../../src/onboard/secret-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tenantctl-secret-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}

function gitInit(at: string): void {
  execFileSync('git', ['init', '-q', at]);
}

describe('writeSecretFile outside a git work tree', () => {
  it('creates the file with mode 0600 and the exact content', () => {
    const path = join(dir, '.env');
    writeSecretFile(path, 'AUTH0_CLIENT_SECRET=s3cret\n');
    expect(readFileSync(path, 'utf8')).toBe('AUTH0_CLIENT_SECRET=s3cret\n');
    expect(modeOf(path)).toBe(0o600);
  });

  it('refuses to overwrite an existing file and leaves it untouched', () => {
    const path = join(dir, '.env');
    writeFileSync(path, 'KEEP=1\n');
    expect(() => writeSecretFile(path, 'NEW=1\n')).toThrow(/already exists/);
    expect(readFileSync(path, 'utf8')).toBe('KEEP=1\n');
  });

  it('with force replaces the file, and a file that was world-readable becomes 0600', () => {
    const path = join(dir, '.env');
    writeFileSync(path, 'OLD=1\n');
    chmodSync(path, 0o644);
    writeSecretFile(path, 'NEW=1\n', { force: true });
    expect(readFileSync(path, 'utf8')).toBe('NEW=1\n');
    expect(modeOf(path)).toBe(0o600);
  });

  it('says when the folder does not exist', () => {
    expect(() => writeSecretFile(join(dir, 'missing', '.env'), 'X=1\n')).toThrow(/does not exist/);
  });
});

describe('writeSecretFile inside a git work tree', () => {
  it('refuses a path git would not ignore, explaining how to fix it, and writes nothing', () => {
    gitInit(dir);
    const path = join(dir, '.env');
    let caught: unknown;
    try {
      writeSecretFile(path, 'AUTH0_CLIENT_SECRET=s3cret\n');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).message).toContain('inside a git work tree and not ignored');
    expect((caught as UsageError).hint).toContain('.gitignore');
    expect(() => statSync(path)).toThrow();
    expect(gitWouldTrack(path)).toBe(true);
  });

  it('allows a path that .gitignore covers', () => {
    gitInit(dir);
    writeFileSync(join(dir, '.gitignore'), '.env\n');
    const path = join(dir, '.env');
    expect(gitWouldTrack(path)).toBe(false);
    writeSecretFile(path, 'AUTH0_CLIENT_SECRET=s3cret\n');
    expect(modeOf(path)).toBe(0o600);
  });

  it('outside any repository, git has no say', () => {
    expect(gitWouldTrack(join(dir, '.env'))).toBeUndefined();
  });
});
