// Turns any error that reaches the top of a command into one readable line on stderr and an exit code.
// Typed errors carry their own message; anything else is a bug, reported without a stack unless asked.
import { ConfigInvalidError, TenantctlError } from '../errors.js';
import { formatDiagnosticLines } from '../validate/format.js';

export function reportFailure(error: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  if (error instanceof ConfigInvalidError) stderr.write(formatDiagnosticLines(error.diagnostics));
  if (error instanceof TenantctlError) {
    stderr.write(`error: ${error.message}\n`);
    if (error.hint) stderr.write(`hint: ${error.hint}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(`error: internal error: ${message}\n`);
  if (process.env.TENANTCTL_DEBUG && error instanceof Error && error.stack) stderr.write(`${error.stack}\n`);
  else stderr.write('hint: set TENANTCTL_DEBUG=1 to see the stack trace, and please report this as a bug\n');
  return 1;
}
