// Substitutes `${NAME}` (the environment's vars) and `${env:NAME}` (the process environment) in string values.
// An undefined variable is a diagnostic at the exact column of its `${`; `$${` writes a literal `${`.
import type { Diagnostic } from '../model/types.js';
import { closestMatch } from '../did-you-mean.js';
import { refAtOffset, scalarSource, type PathSegment, type SourceFile } from './source.js';

export interface VariableScope {
  environment: string;
  /** Absent while substituting tenant.yaml's own vars, where only `${env:NAME}` is allowed. */
  vars?: Record<string, string>;
  processEnv: Record<string, string | undefined>;
}

const REFERENCE = /\$\$\{|\$\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `data` with every variable reference in string values replaced; lists and mappings without one are the same objects. */
export function substituteVariables(
  source: SourceFile,
  data: unknown,
  scope: VariableScope,
  basePath: PathSegment[] = [],
): { value: unknown; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  // Most files of a large tenant hold no reference at all, which a look at the text tells without walking the data.
  if (source.verbatim && !source.text.includes('${')) return { value: data, diagnostics };
  // One shared path stack, copied only when a diagnostic needs it: most values hold no variable.
  const path: PathSegment[] = [...basePath];
  // A list or mapping is copied only when something inside it changed: most hold no variable, and a large tenant
  // has tens of thousands of them. Nothing downstream writes to the data, so sharing the unchanged ones is safe.
  const visit = (value: unknown): unknown => {
    if (typeof value === 'string') return value.includes('${') ? substituteString(value, [...path]) : value;
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      for (let index = 0; index < value.length; index++) {
        path.push(index);
        const result = visit(value[index]);
        path.pop();
        if (!copy && result !== value[index]) copy = value.slice(0, index);
        copy?.push(result);
      }
      return copy ?? value;
    }
    if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      let copy: Record<string, unknown> | undefined;
      for (let index = 0; index < keys.length; index++) {
        const key = keys[index]!;
        const inner = record[key];
        path.push(key);
        const result = visit(inner);
        path.pop();
        if (!copy && result !== inner) {
          copy = {};
          for (const earlier of keys.slice(0, index)) define(copy, earlier, record[earlier]);
        }
        if (copy) define(copy, key, result);
      }
      return copy ?? value;
    }
    return value;
  };

  const substituteString = (text: string, path: PathSegment[]): string =>
    text.replace(REFERENCE, (whole: string, body: string | undefined, index: number) => {
      if (body === undefined) return '${';
      const resolved = resolve(body);
      if (resolved.value !== undefined) return resolved.value;
      diagnostics.push({
        severity: 'error',
        rule: resolved.rule,
        message: resolved.message,
        at: positionInside(source, path, whole, text, index),
        ...(resolved.hint ? { hint: resolved.hint } : {}),
      });
      return whole;
    });

  const resolve = (body: string): { value?: string; rule: string; message: string; hint?: string } => {
    const isProcess = body.startsWith('env:');
    const name = isProcess ? body.slice(4) : body;
    if (!NAME.test(name)) {
      return { rule: 'variable-syntax', message: `"\${${body}}" is not a variable reference`, hint: 'write ${NAME} for a var of the environment or ${env:NAME} for a process environment variable; $${ writes a literal ${' };
    }
    if (isProcess) {
      const value = scope.processEnv[name];
      if (value !== undefined) return { value, rule: '', message: '' };
      return { rule: 'undefined-variable', message: `environment variable ${name} is not set`, hint: `set ${name} in the environment tenantctl runs in` };
    }
    if (!scope.vars) {
      return { rule: 'variable-syntax', message: `\${${name}} cannot be used inside vars`, hint: `vars may only take values from the process environment with \${env:${name}}` };
    }
    const value = scope.vars[name];
    if (value !== undefined && Object.hasOwn(scope.vars, name)) return { value, rule: '', message: '' };
    const suggestion = closestMatch(name, Object.keys(scope.vars));
    return {
      rule: 'undefined-variable',
      message: `variable ${name} is not defined`,
      hint: suggestion ? `did you mean \${${suggestion}}?` : `define it under vars of environment ${scope.environment} in tenant.yaml`,
    };
  };

  return { value: visit(data), diagnostics };
}

/**
 * Finds the reference inside the scalar's source text. Quoting and escapes can shift offsets,
 * so we search the raw text for the reference itself rather than trusting the parsed index.
 */
function positionInside(source: SourceFile, path: PathSegment[], reference: string, parsed: string, index: number) {
  const scalar = scalarSource(source, path);
  if (!scalar) return refAtOffset(source, 0);
  const occurrence = countOccurrences(parsed.slice(0, index), reference);
  let at = -1;
  for (let seen = 0; seen <= occurrence; seen++) {
    at = scalar.raw.indexOf(reference, at + 1);
    if (at < 0) break;
  }
  return refAtOffset(source, scalar.offset + Math.max(at, 0));
}

function countOccurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) count++;
  return count;
}

/** defineProperty, so a YAML key named __proto__ stays an ordinary (and reported) field. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
