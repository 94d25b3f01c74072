// Writing a file a command was asked to write (export's and init's files): the folders are made as needed, and a
// file system refusal (no permission, a file where a folder should be) is a user error naming the path, not a crash.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from './errors.js';

export function writeFileMakingFolders(path: string, text: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!code) throw error;
    throw new UsageError(`cannot write ${path} (${code})`, 'check that the folder can be written and that no file stands where a folder should be');
  }
}
