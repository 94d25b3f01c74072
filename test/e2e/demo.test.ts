// `npm run demo` is the first thing a newcomer runs: it must show the whole loop and leave the repo untouched.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const demo = fileURLToPath(new URL('../../dist/demo/main.js', import.meta.url));
const tenant = fileURLToPath(new URL('../../tenant', import.meta.url));

function hashTree(dir: string): string {
  const hash = createHash('sha256');
  const walk = (path: string): void => {
    for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(path, entry.name);
      hash.update(full);
      if (entry.isDirectory()) walk(full);
      else hash.update(readFileSync(full));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

describe('npm run demo', () => {
  it('runs validate, plan, apply, a clean plan, app add, check-login --probe, credentials and a real login, leaving tenant/ untouched', async () => {
    const before = hashTree(tenant);
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
    for (const name of ['AUTH0_DOMAIN', 'AUTH0_CLIENT_ID', 'AUTH0_CLIENT_SECRET']) delete env[name];
    const run = await new Promise<{ code: number; out: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [demo], { env: env as NodeJS.ProcessEnv });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? -1, out }));
    });
    expect(run.code, run.out).toBe(0);
    for (const heading of ['== 1. Validate', '== 2. Plan', '== 3. Apply', '== 4. Plan again', '== 5. Register', '== 6. Apply', '== 7. Check', '== 8. Hand over', "== 9. The partner's app logs the user in"]) {
      expect(run.out).toContain(heading);
    }
    expect(run.out).toContain('No changes. The tenant matches the configuration.');
    expect(run.out).toMatch(/✓ callback https:\/\/demo-partner\.example\.com\/callback accepted by https:\/\/127\.0\.0\.1:\d+\/authorize/);
    expect(run.out).toContain('Logged in as driver@demo-partner.example.com');
    const claims = JSON.parse(/ID token claims, verified against \S+:\n(\{[\s\S]*?\n\})\n/.exec(run.out)![1]!) as Record<string, unknown>;
    expect(claims).toMatchObject({ email: 'driver@demo-partner.example.com', iss: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+\/$/), sub: expect.stringMatching(/^auth0\|/) });
    // Claims are shown, never a token (JWTs start with eyJ) or the user's password.
    expect(run.out).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
    expect(run.out).toContain('Demo complete');
    const envFile = /The partner's \.env is at (\S+) \(mode/.exec(run.out)?.[1];
    expect(envFile).toBeDefined();
    expect(statSync(envFile!).mode & 0o777).toBe(0o600);
    expect(readFileSync(envFile!, 'utf8')).toMatch(/^AUTH0_DOMAIN=127\.0\.0\.1:\d+\nAUTH0_CLIENT_ID=\w{32}\nAUTH0_CLIENT_SECRET=\S{64}\n$/);
    // The secret is in the file only, never on the screen.
    const secret = /AUTH0_CLIENT_SECRET=(\S+)/.exec(readFileSync(envFile!, 'utf8'))![1]!;
    expect(run.out).not.toContain(secret);
    expect(hashTree(tenant)).toBe(before);
    rmSync(dirname(envFile!), { recursive: true, force: true });
  });
});
