// Request bodies in a plan carry placeholders instead of secrets, so a saved plan holds none;
// apply fills them from the config or the re-read tenant with resolveSensitiveValues just before sending.
import { getPath, isPlainObject } from '../model/canonical.js';
import { isSensitive } from '../model/sensitive.js';
import { TenantctlError } from '../errors.js';
import type { SensitivePlaceholder } from './types.js';

type SourceOf = (path: readonly string[]) => 'desired' | 'live';

/** Replaces every secret in `body` (at any depth) with a placeholder naming where apply finds it. */
export function withPlaceholders(body: Record<string, unknown>, sourceOf: SourceOf): Record<string, unknown> {
  return replaceSecrets(body, [], sourceOf) as Record<string, unknown>;
}

function replaceSecrets(value: unknown, path: string[], sourceOf: SourceOf): unknown {
  if (Array.isArray(value)) return value.map((item, index) => replaceSecrets(item, [...path, String(index)], sourceOf));
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(value)) {
    const memberPath = [...path, name];
    copy[name] = isSensitive(name, member)
      ? ({ $sensitive: { from: sourceOf(memberPath), path: memberPath.join('.') } } satisfies SensitivePlaceholder)
      : replaceSecrets(member, memberPath, sourceOf);
  }
  return copy;
}

export function isSensitivePlaceholder(value: unknown): value is SensitivePlaceholder {
  if (!isPlainObject(value) || !isPlainObject(value.$sensitive)) return false;
  const { from, path } = value.$sensitive;
  return (from === 'desired' || from === 'live') && typeof path === 'string';
}

/**
 * The body with its placeholders filled: `desired` is the object's declared fields from the config,
 * `live` its fields as just read from the tenant. A missing secret is an error, never an empty value.
 */
export function resolveSensitiveValues(
  body: Record<string, unknown>,
  sources: { desired?: Record<string, unknown>; live?: Record<string, unknown> },
  objectName = 'object',
): Record<string, unknown> {
  const fill = (value: unknown): unknown => {
    if (isSensitivePlaceholder(value)) {
      const { from, path } = value.$sensitive;
      const found = getPath(sources[from], path.split('.'));
      if (found === undefined) {
        throw new TenantctlError(
          `${objectName}: the secret ${path} is not available from the ${from === 'desired' ? 'configuration' : 'tenant'}`,
          1,
          from === 'desired' ? 'check that the variables the config refers to are set' : 'run plan again',
        );
      }
      return found;
    }
    if (Array.isArray(value)) return value.map(fill);
    if (!isPlainObject(value)) return value;
    return Object.fromEntries(Object.entries(value).map(([name, member]) => [name, fill(member)]));
  };
  return fill(body) as Record<string, unknown>;
}
