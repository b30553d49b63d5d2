// Error builders for inventory input. Every message starts with `file:line: field:` so that the
// user can jump straight to the offending spot, and the same data is kept in `location`.

import { GofleetError } from '../errors.ts';

export interface Where {
  file: string;
  line?: number;
  field?: string;
}

function prefix(where: Where): string {
  const at = where.line === undefined ? where.file : `${where.file}:${where.line}`;
  return where.field ? `${at}: ${where.field}` : at;
}

function location(where: Where): Where {
  const loc: Where = { file: where.file };
  if (where.line !== undefined) loc.line = where.line;
  if (where.field) loc.field = where.field;
  return loc;
}

/** A value of the wrong type or shape (INVENTORY_INVALID). */
export function invalidAt(where: Where, message: string, hint?: string): GofleetError {
  return new GofleetError('INVENTORY_INVALID', `${prefix(where)}: ${message}`, { location: location(where), hint });
}

/** A syntax error (INVENTORY_PARSE). */
export function parseErrorAt(where: Where, message: string, cause?: unknown): GofleetError {
  return new GofleetError('INVENTORY_PARSE', `${prefix(where)}: ${message}`, { location: location(where), cause });
}

/** `${env:NAME}` (or Ansible's lookup('env', NAME)) names a variable that is not set. */
export function envMissingAt(where: Where, name: string): GofleetError {
  return new GofleetError('INVENTORY_ENV_MISSING', `${prefix(where)}: environment variable ${name} is not set`, {
    location: location(where),
  });
}

/** Render a value for "got ..." in a message; strings are quoted, long values cut. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
