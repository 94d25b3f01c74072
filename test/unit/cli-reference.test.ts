// The README's CLI reference is generated from the commands: it must be current and name every flag.
// Run `npm run docs:cli` after changing a command; this test fails until the README is regenerated.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { currentCliReference, renderCliReference } from '../../src/cli/reference.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README CLI reference', () => {
  it('equals the text generated from the commands (run `npm run docs:cli` after changing one)', async () => {
    expect(currentCliReference(readme)).toBe(renderCliReference(await buildProgram()));
  });

  it('names every command and flag', async () => {
    const section = currentCliReference(readme) ?? '';
    const program = await buildProgram();
    for (const name of ['validate', 'plan', 'apply', 'app add', 'credentials', 'check-login', 'emulator']) {
      expect(section).toContain(`### \`tenantctl ${name}`);
    }
    for (const flag of ['--detailed-exitcode', '--allow-delete', '--allow-destroy-connection', '--auto-approve', '--format', '--target']) {
      expect(section).toContain(flag);
    }
    expect(program.commands.length).toBeGreaterThanOrEqual(7);
  });
});
