// Shared checks of the policy parser: a field's place in the file, unknown keys with "did you mean",
// strings, integers and durations. Each throws POLICY_INVALID at the field's line.

import { closestKey } from '../inventory/closest-key.ts';
import { describeValue } from '../inventory/inventory-errors.ts';
import { isPlainMap, whereIn, type YamlPath, type YamlSource } from '../inventory/yaml-source.ts';
import { policyInvalidAt } from './policy-errors.ts';

export interface Field {
  src: YamlSource;
  path: YamlPath;
  value: unknown;
}

export function child(f: Field, key: string | number): Field {
  const value = isPlainMap(f.value) ? f.value[String(key)] : Array.isArray(f.value) ? f.value[key as number] : undefined;
  return { src: f.src, path: [...f.path, key], value };
}

export function invalid(f: Field, message: string, hint?: string): Error {
  return policyInvalidAt(whereIn(f.src, f.path), message, hint);
}

/** The field as a map whose keys are all in `known`; `what` names it in messages. */
export function mapOf(f: Field, what: string, known: readonly string[]): Record<string, unknown> {
  if (!isPlainMap(f.value)) throw invalid(f, `${what} must be a map, got ${describeValue(f.value)}`);
  for (const key of Object.keys(f.value)) {
    if (known.includes(key)) continue;
    const near = closestKey(key, known);
    throw invalid(child(f, key), `unknown key ${JSON.stringify(key)} in ${what}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ''}`,
      `Known keys of ${what}: ${known.join(', ')}.`);
  }
  return f.value;
}

export function stringOf(f: Field, what: string): string {
  if (typeof f.value !== 'string' || f.value.trim() === '') throw invalid(f, `${what} must be a non-empty string, got ${describeValue(f.value)}`);
  return f.value.trim();
}

export function intOf(f: Field, what: string, min: number, max: number): number {
  const n = f.value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) throw invalid(f, `${what} must be a whole number from ${min} to ${max}, got ${describeValue(n)}`);
  return n;
}

export function boolOf(f: Field, what: string): boolean {
  if (typeof f.value !== 'boolean') throw invalid(f, `${what} must be true or false, got ${describeValue(f.value)}`);
  return f.value;
}

/** A value the parser reads as text although YAML may type it (3d stays a string, 10 becomes a number). */
export function textOf(f: Field, what: string): string {
  if (typeof f.value === 'number') return String(f.value);
  return stringOf(f, what);
}
