// The reliability suite (`npm run test:reliability`): faults, secrets, bad input and safety, each
// through the built CLI against the emulator. Kept out of `npm test` by its *.rel.ts file names.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/reliability/**/*.rel.ts'],
    globalSetup: ['test/support/global-setup.ts', 'test/reliability/figures.ts'],
    pool: 'forks',
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});
