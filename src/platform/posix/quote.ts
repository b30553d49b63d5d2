// The one quoting function for POSIX sh. Every value a builder puts into a script goes through it.
// Single quotes make everything literal ($, `, \, newlines, non-ASCII); an embedded single quote
// is closed, escaped and reopened: it's -> 'it'\''s'. NUL cannot live in a shell word: rejected.

import { GofleetError } from '../../errors.ts';

/** Quote `value` as one sh word that expands to exactly `value`. */
export function shQuote(value: string): string {
  if (value.includes('\0')) {
    throw new GofleetError('INTERNAL', 'a value for a shell script contains a NUL byte and cannot be quoted');
  }
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
