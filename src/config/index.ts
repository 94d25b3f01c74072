// The public face of src/config: what the configuration's identity is (its hash) and where it lives.
// Loading with the semantic rules applied is src/validate/load.ts, which reads through this layer.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import type { TenantSource } from './source.js';

export type { EnvironmentSettings, UndeclaredPolicy } from './environment.js';

export function configHash(source: TenantSource, environment: string): string {
  const hash = createHash('sha256');
  for (const file of [...source.files].sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0))) {
    hash.update(`${file.relative}\0${Buffer.byteLength(file.text)}\0`);
    hash.update(file.text);
  }
  hash.update(`\0env:${environment}`);
  return hash.digest('hex');
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
