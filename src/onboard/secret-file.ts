// Writes a file holding a client secret: mode 0600 from the first byte, never over an existing file
// unless asked, and never inside a git work tree at a path git would pick up and commit.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';

export interface SecretFileOptions {
  /** Replace an existing file (atomically, so it is never readable by others in between). */
  force?: boolean;
}

/** Whether `path` lies in a git work tree and git would NOT ignore it; undefined when git cannot tell. */
export function gitWouldTrack(path: string): boolean | undefined {
  const absolute = resolve(path);
  const cwd = dirname(absolute);
  const inside = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd, encoding: 'utf8' });
  if (inside.error || inside.status !== 0 || inside.stdout.trim() !== 'true') return undefined;
  // check-ignore exits 0 when the path is ignored, 1 when it is not, 128 on a fatal error.
  const ignored = spawnSync('git', ['check-ignore', '-q', '--', basename(absolute)], { cwd, encoding: 'utf8' });
  if (ignored.error) return undefined;
  if (ignored.status === 0) return false;
  if (ignored.status === 1) return true;
  return undefined;
}

/** Writes `content` to `path` with mode 0600; throws a UsageError explaining any refusal. */
export function writeSecretFile(path: string, content: string, options: SecretFileOptions = {}): void {
  const absolute = resolve(path);
  const folder = dirname(absolute);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new UsageError(`cannot write ${path}: folder ${dirname(path)} does not exist`);
  }
  if (existsSync(absolute) && !options.force) {
    throw new UsageError(`${path} already exists; it was left untouched`, 'pass --force to replace it, or choose another --out path');
  }
  if (gitWouldTrack(absolute)) {
    throw new UsageError(
      `refusing to write a client secret to ${path}: it is inside a git work tree and not ignored, so it could be committed`,
      `add "${basename(path)}" to .gitignore (check with: git check-ignore ${path}), or write the file outside the repository`,
    );
  }
  if (!options.force) {
    writeNew(absolute, content);
    return;
  }
  // A fresh 0600 file renamed over the old one: the old file's wider mode is never reused.
  const temporary = join(folder, `.${basename(absolute)}.${process.pid}.tmp`);
  writeNew(temporary, content);
  try {
    renameSync(temporary, absolute);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

function writeNew(path: string, content: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError(`${path} already exists; it was left untouched`, 'pass --force to replace it');
    throw new UsageError(`cannot create ${path}: ${code ?? String(error)}`);
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
}
