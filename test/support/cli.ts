// Test helper: runs the built CLI (dist/cli/main.js) as a child process against an emulator and
// captures stdout, stderr and the exit code; also copies the example tenant and reads the request log.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RequestLogEntry, RunningEmulator } from '../../src/emulator/index.js';
import { isLockRequest } from './emulator.js';

export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
export const REPO_TENANT = fileURLToPath(new URL('../../tenant', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  /** Added to (or, with `undefined`, removed from) the inherited environment; AUTH0_* are never inherited. */
  env?: Record<string, string | undefined>;
  /** Written to the child's stdin, which is then closed; stdin is never a terminal here. */
  input?: string;
}

export function runCli(args: readonly string[], options: RunOptions): Promise<CliRun> {
  return runNodeScript(CLI, args, options);
}

/** Runs a Node.js script (the CLI, or another tool the tests drive) with the same environment rules as runCli. */
export function runNodeScript(script: string, args: readonly string[], options: RunOptions): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = {
      ...process.env,
      AUTH0_DOMAIN: undefined,
      AUTH0_CLIENT_ID: undefined,
      AUTH0_CLIENT_SECRET: undefined,
      TENANTCTL_DEBUG: undefined,
      NO_COLOR: '1',
      ...options.env,
    };
    for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
    const child = spawn(process.execPath, [script, ...args], { cwd: options.cwd, env: env as NodeJS.ProcessEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** The AUTH0_* settings that point the CLI at an emulator. */
export function envFor(emulator: RunningEmulator): Record<string, string> {
  return { AUTH0_DOMAIN: emulator.domain, AUTH0_CLIENT_ID: emulator.clientId, AUTH0_CLIENT_SECRET: emulator.clientSecret };
}

/** A fresh temporary directory holding a copy of the repository's `tenant/`; returns the directory. */
export function copyRepoTenant(prefix = 'tenantctl-e2e-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(REPO_TENANT, join(dir, 'tenant'), { recursive: true });
  return dir;
}

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** Write requests to the Management API (token requests and the tenant lock's own excluded) from index `from` on. */
export function writesSince(emulator: RunningEmulator, from: number): RequestLogEntry[] {
  return emulator.requests
    .slice(from)
    .filter((entry) => WRITE_METHODS.has(entry.method) && entry.path.startsWith('/api/v2/') && !isLockRequest(emulator, entry));
}

/** The tenant lock's own writes (create, renew, release) from index `from` on. */
export function lockWritesSince(emulator: RunningEmulator, from: number): RequestLogEntry[] {
  return emulator.requests.slice(from).filter((entry) => isLockRequest(emulator, entry));
}

/** Requests to the Management API (token requests excluded) from index `from` on. */
export function apiRequestsSince(emulator: RunningEmulator, from: number): RequestLogEntry[] {
  return emulator.requests.slice(from).filter((entry) => entry.path.startsWith('/api/v2/'));
}

/** A stack frame line in output means an error escaped the single failure printer. */
export const STACK_TRACE = /\n\s+at .+[:(]/;

/** Asserting helper data: no value from `secrets` appears in the run's output. */
export function leakedSecrets(run: CliRun, secrets: readonly string[]): string[] {
  return secrets.filter((secret) => secret.length > 0 && (run.stdout.includes(secret) || run.stderr.includes(secret)));
}
