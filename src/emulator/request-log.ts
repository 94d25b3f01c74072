// The record of every request the emulator answered: kept in memory and optionally appended as JSON Lines.
// Secrets in request bodies are masked before they are stored anywhere.
import { appendFileSync } from 'node:fs';

export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  status: number;
  ms: number;
  /** The parsed request body with secrets masked; absent when there was none. */
  body?: unknown;
  /** Set when an injected fault decided the answer. */
  fault?: string;
}

const secretKeys = new Set([
  'client_secret', 'signing_secret', 'client_assertion', 'password', 'access_token', 'refresh_token_value',
  // Authentication API bodies (authn/): codes and refresh tokens are credentials too.
  'code', 'code_verifier', 'refresh_token', 'id_token',
]);

export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = secretKeys.has(key) && typeof inner === 'string' ? '[MASKED]' : maskSecrets(inner);
    }
    return out;
  }
  return value;
}

export class RequestLog {
  readonly entries: RequestLogEntry[] = [];

  constructor(private readonly filePath?: string) {}

  record(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.filePath) {
      const { body: _body, ...line } = entry;
      // Synchronous append keeps lines whole and ordered even when the process is killed right after.
      appendFileSync(this.filePath, `${JSON.stringify(line)}\n`);
    }
  }
}
