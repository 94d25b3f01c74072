// Runs once before the test workers start: checks the CLI was built and creates the test TLS material.
// Workers and spawned CLI processes inherit NODE_EXTRA_CA_CERTS, so fetch in them trusts the emulator.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTlsMaterial } from '../../src/emulator/tls.js';

export default async function setup(): Promise<() => void> {
  if (!existsSync(new URL('../../dist/cli/main.js', import.meta.url))) {
    throw new Error('dist/cli/main.js is missing: run `npm run build` (npm test does it for you)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'tenantctl-test-tls-'));
  const material = await generateTlsMaterial();
  writeFileSync(join(dir, 'key.pem'), material.key, { mode: 0o600 });
  writeFileSync(join(dir, 'cert.pem'), material.cert);
  process.env.NODE_EXTRA_CA_CERTS = join(dir, 'cert.pem');
  process.env.TENANTCTL_TEST_TLS_DIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
