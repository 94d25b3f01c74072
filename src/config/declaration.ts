// A declaration file after variable substitution, and small helpers to read its fields defensively
// (a file may have failed its schema check). Made by src/config, read by the rules in src/validate.
import { locate, type SourceFile } from './source.js';
import type { SourceRef } from '../model/types.js';

/** One declaration file whose data is a mapping. */
export interface Declaration {
  source: SourceFile;
  data: Record<string, unknown>;
}

export function text(declaration: Declaration, field: string): string | undefined {
  const value = declaration.data[field];
  return typeof value === 'string' ? value : undefined;
}

/** The string items of a list field, with their indexes so diagnostics can point at each item. */
export function stringItems(value: unknown): { value: string; index: number }[] {
  if (!Array.isArray(value)) return [];
  const items: { value: string; index: number }[] = [];
  for (let index = 0; index < value.length; index++) {
    const item: unknown = value[index];
    if (typeof item === 'string') items.push({ value: item, index });
  }
  return items;
}

/** Whether a list field holds at least one string (what `stringItems(value).length > 0` says, without the list). */
export function hasStringItem(value: unknown): boolean {
  return Array.isArray(value) && value.some((item) => typeof item === 'string');
}

export function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Where a declaration's key field is written. */
export function keyAt(declaration: Declaration, field: string): SourceRef {
  return locate(declaration.source, [field]);
}
