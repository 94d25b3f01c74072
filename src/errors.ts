// Typed errors for everything a user can get wrong or the tenant can refuse.
// Only src/cli/ turns them into messages and exit codes; nothing else prints them.
import type { Diagnostic } from './model/types.js';

/** Base class: a message meant for the user, and the exit code the CLI should use. */
export class TenantctlError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 1,
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The command line itself is wrong or cannot run (missing directory, bad flag value). */
export class UsageError extends TenantctlError {
  constructor(message: string, hint?: string) {
    super(message, 2, hint);
  }
}

/** Settings from the environment are missing or inconsistent (credentials, domain). */
export class SettingsError extends TenantctlError {}

/** Auth0 answered 403 insufficient_scope: the token lacks a Management API scope the request needs. */
export class MissingScopeError extends SettingsError {}

/** The Management API refused a request; names the object, the request and what Auth0 said. */
export class ApiError extends TenantctlError {
  constructor(
    readonly request: { method: string; path: string },
    readonly status: number | undefined,
    readonly auth0Message: string,
    readonly errorCode?: string,
    readonly object?: string,
  ) {
    const what = object ? `${object}: ` : '';
    const code = status === undefined ? 'no response' : `${status}${errorCode ? ` ${errorCode}` : ''}`;
    super(`${what}${request.method} ${request.path} failed (${code}): ${auth0Message}`);
  }
}

/** A create whose outcome is unknown (5xx or dropped connection): it may have landed, so look before retrying. */
export class UncertainCreateError extends ApiError {}

/** The configuration has errors; nothing was planned or applied. Carries every diagnostic. */
export class ConfigInvalidError extends TenantctlError {
  constructor(readonly diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    super(`the configuration has ${errors} error${errors === 1 ? '' : 's'}; nothing was planned`, 1, 'run `tenantctl validate` for the same list');
  }
}

/** Another apply holds the tenant lock (or held it and its lock has not expired yet); nothing was written. */
export class LockHeldError extends TenantctlError {}

/** The run was stopped by SIGINT (exit 130) or SIGTERM (exit 143). */
export class InterruptedError extends TenantctlError {}
