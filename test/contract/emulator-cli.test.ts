// `tenantctl emulator` as a user starts it: what it prints, HTTPS with its own certificate, SIGTERM, bad flags.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

describe('tenantctl emulator', () => {
  it('prints the four dotenv lines, serves HTTPS with its own certificate, and exits cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [cli, 'emulator', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const started = Date.now();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no output within 5 s; stderr: ${stderr}`)), 5000);
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.split('\n').length > 4) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    expect(Date.now() - started).toBeLessThan(2000 + 1000); // 2 s budget plus process start-up on a busy CI box
    const env = Object.fromEntries(stdout.trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));
    expect(Object.keys(env)).toEqual(['AUTH0_DOMAIN', 'AUTH0_CLIENT_ID', 'AUTH0_CLIENT_SECRET', 'NODE_EXTRA_CA_CERTS']);
    expect(env.AUTH0_DOMAIN).toMatch(/^127\.0\.0\.1:\d+$/);

    // The emulator's own certificate, not the test one: check it with a fresh process that trusts only it.
    const probe = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', `const r = await fetch('https://${env.AUTH0_DOMAIN}/api/v2/clients'); console.log(r.status);`],
      { encoding: 'utf8', env: { ...process.env, NODE_EXTRA_CA_CERTS: env.NODE_EXTRA_CA_CERTS } },
    );
    expect(probe.stdout.trim()).toBe('401');

    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
  });

  it('rejects a bad flag value with exit 2 and no stack trace', () => {
    const run = spawnSync(process.execPath, [cli, 'emulator', '--rate-limit', 'turbo'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--rate-limit must be one of off, free, essentials, enterprise');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
