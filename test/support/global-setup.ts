// Runs once before the test workers start: builds nothing, only checks the CLI was built.
// End-to-end tests run dist/cli/main.js, which `npm test` builds first.
import { existsSync } from 'node:fs';

export default function setup(): void {
  if (!existsSync(new URL('../../dist/cli/main.js', import.meta.url))) {
    throw new Error('dist/cli/main.js is missing: run `npm run build` (npm test does it for you)');
  }
}
