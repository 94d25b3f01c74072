// Terminal conventions shared by the commands: colour only on a terminal and never with NO_COLOR,
// and the request statistics shown by --verbose.
import type { RequestStats } from '../remote/transport.js';

export function useColor(stream: NodeJS.WriteStream): boolean {
  return stream.isTTY === true && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
}

export function describeStats(stats: RequestStats): string {
  const methods = Object.entries(stats.byMethod)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([method, count]) => `${count} ${method}`);
  return `requests: ${methods.join(', ') || 'none'} (+${stats.tokenRequests} token); ${stats.throttled} answered 429; ${stats.retries} retried`;
}
