// Where `tenantctl export` writes: refuses a non-empty directory unless forced, then writes the files.
// The only part of src/export that touches the file system.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { KIND_FOLDERS } from '../config/source.js';
import { UsageError } from '../errors.js';
import { writeFileMakingFolders } from '../write-file.js';
import type { ExportedFile } from './convert.js';

/** Throws before anything is read from the tenant when the directory cannot be written as asked. */
export function checkOutputDirectory(dir: string, force: boolean): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new UsageError(`"${dir}" exists and is not a directory`, 'choose another --out');
  if (readdirSync(dir).length > 0 && !force) {
    throw new UsageError(`"${dir}" is not empty; export writes a whole tenant directory`, 'choose an empty or new --out directory, or pass --force to write into this one');
  }
}

/** Writes every file; returns YAML files already in the kind folders that this export did not write. */
export function writeExportedFiles(dir: string, files: readonly ExportedFile[]): { leftovers: string[] } {
  const written = new Set(files.map((file) => file.path));
  const leftovers: string[] = [];
  for (const folder of Object.values(KIND_FOLDERS)) {
    const path = join(dir, folder);
    if (!existsSync(path)) continue;
    for (const name of readdirSync(path).sort()) {
      if (/\.ya?ml$/i.test(name) && !written.has(`${folder}/${name}`)) leftovers.push(`${folder}/${name}`);
    }
  }
  for (const file of files) {
    writeFileMakingFolders(join(dir, ...file.path.split('/')), file.text);
  }
  return { leftovers };
}
