// Where this tenantctl is installed, as paths that files written into a project can use: the schema
// modelines in tenant/ files and the composite action in workflows. Relative paths, so they work in
// every clone of the project, not only on the machine that wrote them.
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: this repository from src/ (tests), or node_modules/tenantctl from dist/. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Where a project that ran `npm i -D tenantctl` has it. */
const NPM_INSTALL_PATH = 'node_modules/tenantctl';

function posix(path: string): string {
  return path.split(sep).join('/');
}

/**
 * The package directory as seen from `projectDir` (posix, no trailing slash, '.' for tenantctl's own
 * repository). When it runs from outside the project (npx without an install, a global install), the
 * path a committed file can rely on is where `npm i -D tenantctl` puts it.
 */
export function packagePathIn(projectDir: string): { path: string; inProject: boolean } {
  const fromProject = relative(resolve(projectDir), resolve(PACKAGE_ROOT));
  if (fromProject === '' ) return { path: '.', inProject: true };
  if (fromProject.startsWith('..') || isAbsolute(fromProject)) return { path: NPM_INSTALL_PATH, inProject: false };
  return { path: posix(fromProject), inProject: true };
}

/** The schemas folder as seen from `fromDir` (e.g. the tenant directory), relative and posix. */
export function schemaDirFrom(fromDir: string, projectDir: string = process.cwd()): string {
  const schemas = join(resolve(projectDir), packagePathIn(projectDir).path, 'schemas');
  return posix(relative(resolve(fromDir), schemas)) || '.';
}
