// Request-body checks shared by every resource kind: object shape, allowed keys, required keys.
// Messages follow the Management API's "Payload validation error" wording.
import { additionalProperties, invalidBody } from '../errors.js';
import type { Json } from '../collection.js';

export function requireObject(body: unknown): Json {
  if (body === null || body === undefined) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    const found = Array.isArray(body) ? 'array' : typeof body;
    throw invalidBody(`Expected type object but found type ${found}`);
  }
  return body as Json;
}

/** Rejects keys outside the allow-list, naming all of them in one message as Auth0 does. */
export function rejectUnknownKeys(body: Json, allowed: ReadonlySet<string>): void {
  const unknown = Object.keys(body).filter((key) => !allowed.has(key));
  if (unknown.length > 0) throw additionalProperties(unknown);
}

export function requireString(body: Json, key: string): string {
  const value = body[key];
  if (value === undefined) throw invalidBody(`Missing required property: ${key}`);
  if (typeof value !== 'string') throw invalidBody(`Expected type string but found type ${typeOf(value)}`, key);
  if (value.length === 0) throw invalidBody('String is too short (0 chars), minimum 1', key);
  return value;
}

export function optionalStringArray(body: Json, key: string): string[] | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw invalidBody(`Expected type array but found type ${typeOf(value)}`, key);
  }
  return value as string[];
}

export function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep copy for JSON data, so stored objects never alias request bodies or responses. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}
