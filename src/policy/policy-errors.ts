// Error builders for policy files: every message starts with `file:line: field:` as the inventory's do
// (inventory-errors.ts), under the policy's own codes.

import { GofleetError } from '../errors.ts';
import type { Where } from '../inventory/inventory-errors.ts';

function prefix(where: Where): string {
  const at = where.line === undefined ? where.file : `${where.file}:${where.line}`;
  return where.field ? `${at}: ${where.field}` : at;
}

/** A value of the wrong type or shape (POLICY_INVALID); `hint` replaces the code's generic one. */
export function policyInvalidAt(where: Where, message: string, hint?: string): GofleetError {
  const location: Where = { file: where.file, ...(where.line === undefined ? {} : { line: where.line }), ...(where.field ? { field: where.field } : {}) };
  return new GofleetError('POLICY_INVALID', `${prefix(where)}: ${message}`, { location, hint });
}
