// `tenantctl emulator`: runs the local Auth0 Management API emulator until SIGINT/SIGTERM.
// Prints the four dotenv lines a client needs; this is the one place the emulator's own credentials are shown.
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { knownScopes, rateLimitProfiles, startEmulator, type RateLimitProfile } from '../../emulator/index.js';

interface EmulatorFlags {
  port: string;
  state?: string;
  rateLimit: string;
  latency?: string;
  faultRate?: string;
  faultSeed?: string;
  requestLog?: string;
  scopes?: string;
}

function integerFlag(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function parseFlags(flags: EmulatorFlags) {
  const port = integerFlag('port', flags.port, 0, 65535) ?? 8443;
  if (!rateLimitProfiles.includes(flags.rateLimit as RateLimitProfile)) {
    throw new UsageError(`--rate-limit must be one of ${rateLimitProfiles.join(', ')}, got "${flags.rateLimit}"`);
  }
  let faultRate: number | undefined;
  if (flags.faultRate !== undefined) {
    faultRate = Number(flags.faultRate);
    if (!Number.isFinite(faultRate) || faultRate < 0 || faultRate > 1) {
      throw new UsageError(`--fault-rate must be a number from 0 to 1, got "${flags.faultRate}"`);
    }
  }
  let scopes: string[] | undefined;
  if (flags.scopes !== undefined) {
    scopes = flags.scopes.split(',').map((scope) => scope.trim()).filter((scope) => scope.length > 0);
    const unknown = scopes.filter((scope) => !knownScopes.includes(scope));
    if (unknown.length > 0) throw new UsageError(`--scopes has unknown scopes: ${unknown.join(', ')}`, `known scopes: ${knownScopes.join(' ')}`);
  }
  return {
    port,
    rateLimit: flags.rateLimit as RateLimitProfile,
    latencyMs: integerFlag('latency', flags.latency, 0, 60_000),
    faultRate,
    faultSeed: integerFlag('fault-seed', flags.faultSeed, 0, 2 ** 32 - 1),
    statePath: flags.state,
    requestLogPath: flags.requestLog,
    scopes,
  };
}

export function register(program: Command): void {
  program
    .command('emulator')
    .description('Run a local Auth0 emulator over HTTPS on 127.0.0.1: the Management API, and the Authentication API for logins (prints AUTH0_* settings)')
    .option('--port <port>', 'port to listen on; 0 picks a free one', '8443')
    .option('--state <file>', 'keep the tenant in this JSON file across restarts')
    .option('--rate-limit <profile>', `rate-limit profile: ${rateLimitProfiles.join('|')}`, 'off')
    .option('--latency <ms>', 'added delay per request in milliseconds')
    .option('--fault-rate <rate>', 'fraction of API requests answered with 500/503 or a dropped connection')
    .option('--fault-seed <n>', 'seed that makes the injected faults repeatable')
    .option('--request-log <file>', 'append one JSON line per request to this file')
    .option('--scopes <list>', "comma-separated scopes for the emulator's own client (default: all)")
    .action(async (flags: EmulatorFlags) => {
      const options = parseFlags(flags);
      let emulator;
      try {
        emulator = await startEmulator(options);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new UsageError(`the emulator could not start: ${message}`);
      }
      process.stdout.write(
        [
          `AUTH0_DOMAIN=${emulator.domain}`,
          `AUTH0_CLIENT_ID=${emulator.clientId}`,
          `AUTH0_CLIENT_SECRET=${emulator.clientSecret}`,
          `NODE_EXTRA_CA_CERTS=${emulator.caCertPath}`,
        ].join('\n') + '\n',
      );
      const running = emulator;
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void running.close().then(resolve, resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
