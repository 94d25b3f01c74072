// Writes what init decided into the project: never over an existing file without --force, .gitignore
// lines and the README section only when missing. Everything is checked before the first write.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { writeFileMakingFolders } from '../write-file.js';
import type { InitFile } from './files.js';

export type WriteOutcome = 'created' | 'replaced' | 'updated' | 'unchanged';

export interface InitWrite {
  path: string;
  outcome: WriteOutcome;
  /** The whole new text of the file. */
  text: string;
}

/** What each file would become; throws, naming every file, when one exists and `force` is not set. */
export function planWrites(projectDir: string, files: readonly InitFile[], force: boolean): InitWrite[] {
  const existing = (path: string): string | undefined => {
    const full = join(projectDir, path);
    return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
  };
  const conflicts = files.filter((file) => file.how === 'create' && existing(file.path) !== undefined && existing(file.path) !== file.text);
  if (conflicts.length > 0 && !force) {
    throw new UsageError(
      `init would overwrite ${conflicts.map((file) => file.path).join(', ')}; nothing was written`,
      'move them aside, or pass --force to replace them',
    );
  }
  return files.map((file): InitWrite => {
    const before = existing(file.path);
    if (before === undefined || (file.how !== 'create' && before.trim() === '')) return { path: file.path, outcome: before === undefined ? 'created' : 'updated', text: file.text };
    if (file.how === 'create') return { path: file.path, outcome: before === file.text ? 'unchanged' : 'replaced', text: file.text };
    if (file.how === 'section') {
      const title = file.text.split('\n')[0]!;
      if (before.split('\n').some((line) => line.trim() === title)) return { path: file.path, outcome: 'unchanged', text: before };
      return { path: file.path, outcome: 'updated', text: `${before.trimEnd()}\n\n${file.text}` };
    }
    const present = new Set(before.split('\n').map((line) => line.trim()));
    const [comment, ...lines] = file.text.trimEnd().split('\n');
    const missing = lines.filter((line) => !present.has(line));
    if (missing.length === 0) return { path: file.path, outcome: 'unchanged', text: before };
    return { path: file.path, outcome: 'updated', text: `${before.trimEnd()}\n\n${[comment, ...missing].join('\n')}\n` };
  });
}

export function performWrites(projectDir: string, writes: readonly InitWrite[]): void {
  for (const write of writes.filter((w) => w.outcome !== 'unchanged')) {
    writeFileMakingFolders(join(projectDir, write.path), write.text);
  }
}
