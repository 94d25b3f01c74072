// Decides which field values are secrets, and masks them in anything that is shown or saved.
// One rule for the whole project, so text, markdown, json and plan files can never disagree.
import { isPlainObject } from './canonical.js';

/** What every output prints in place of a secret value. */
export const MASK = '(sensitive)';

const SECRET_NAME = /secret|password|private_?key|token$|key$/i;

// Names that match the pattern above but hold settings, not secrets; values that are plain
// objects or booleans are never masked either (`refresh_token` on a client is a settings
// object, `jwt_configuration.secret_encoded` a flag), their members are judged one by one.
const SETTINGS_NAMES = new Set([
  'passwordpolicy',
  'password_complexity_options',
  'password_history',
  'password_dictionary',
  'password_no_personal_info',
  'password_options',
  'token_endpoint_auth_method',
]);

/** Whether a member named `name` holding `value` is a secret that must never be shown. */
export function isSensitive(name: string, value: unknown): boolean {
  if (!SECRET_NAME.test(name) || SETTINGS_NAMES.has(name.toLowerCase())) return false;
  if (value === undefined || value === null || typeof value === 'boolean' || isPlainObject(value)) return false;
  return true;
}

/** Same name test without a value: for paths whose value is being decided elsewhere. */
export function hasSensitiveName(name: string): boolean {
  return SECRET_NAME.test(name) && !SETTINGS_NAMES.has(name.toLowerCase());
}

/** A copy of `value` with every secret member, at any depth, replaced by MASK. */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (!isPlainObject(value)) return value;
  const masked: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    masked[key] = isSensitive(key, member) ? MASK : maskSecrets(member);
  }
  return masked;
}
