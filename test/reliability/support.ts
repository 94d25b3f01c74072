// Shared helpers of the reliability suite: spawn the built CLI with a time limit, look for stack traces
// and leaked secrets in what it printed, and record the suite's figures for the closing summary.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningEmulator } from '../../src/emulator/index.js';

export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliRun {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
  /** The run was killed at its time limit: a hang. */
  timedOut: boolean;
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

/** Runs `tenantctl ARGS` as a user would; never rejects, a hang comes back as `timedOut`. */
export function runCli(args: string[], options: RunOptions): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    // A clean environment: no AUTH0_* from the machine running the suite reaches the CLI unless given.
    const env: Record<string, string | undefined> = {
      ...process.env,
      AUTH0_DOMAIN: undefined,
      AUTH0_CLIENT_ID: undefined,
      AUTH0_CLIENT_SECRET: undefined,
      NO_COLOR: '1',
      ...options.env,
    };
    for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ args, code: -1, stdout, stderr: `${stderr}${error.message}`, ms: Date.now() - started, timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ args, code: code ?? -1, stdout, stderr, ms: Date.now() - started, timedOut });
    });
  });
}

export function envFor(emulator: RunningEmulator): Record<string, string> {
  return { AUTH0_DOMAIN: emulator.domain, AUTH0_CLIENT_ID: emulator.clientId, AUTH0_CLIENT_SECRET: emulator.clientSecret };
}

/** A JavaScript stack frame or the CLI's own "internal error" fallback: what a user must never see. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+/m.test(text) || /internal error/i.test(text);
}

/** Every client secret the emulator holds, the management client's included: unique random canaries. */
export function clientSecretCanaries(emulator: RunningEmulator): Map<string, string> {
  const canaries = new Map<string, string>();
  for (const client of emulator.store.clients.all()) {
    if (typeof client.client_secret === 'string' && client.client_secret.length >= 16) {
      canaries.set(client.client_secret, `client_secret of "${String(client.name)}"`);
    }
  }
  return canaries;
}

/** Names each canary found in the text (empty when the text is clean). */
export function canaryHits(text: string, canaries: ReadonlyMap<string, string>): string[] {
  const hits: string[] = [];
  for (const [secret, what] of canaries) if (text.includes(secret)) hits.push(what);
  return hits;
}

/** The directory the suite's global setup (figures.ts) made for the figures; absent outside the suite. */
function figuresDir(): string | undefined {
  return process.env.TENANTCTL_RELIABILITY_FIGURES;
}

/**
 * Records one figure of the suite (e.g. faults injected) for the summary printed after all files ran.
 * Each file writes its own JSON, so files running in parallel workers never interleave writes.
 */
export function recordFigures(section: string, figures: Record<string, number | string>): void {
  const dir = figuresDir();
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${section}.json`), `${JSON.stringify({ section, figures }, null, 2)}\n`);
}

/** Appends a line to the suite log (kept beside the figures) for the summary; for findings a reader of the figures should see. */
export function noteForSummary(line: string): void {
  const dir = figuresDir();
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, 'notes.txt'), `${line}\n`);
}
