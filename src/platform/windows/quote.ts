// The one quoting function for PowerShell. Every value a Windows builder puts into a script goes through it.
// A single-quoted string is verbatim in PowerShell ($, backticks, double quotes, newlines, non-ASCII are
// literal); the only character with meaning inside it is the single quote, written twice. PowerShell also
// treats the typographic quotes U+2018, U+2019, U+201A and U+201B as single quotes, so each of them is
// doubled too (doubling a typographic quote yields that same quote). NUL is refused.

import { GofleetError } from '../../errors.ts';

const SINGLE_QUOTES = /['\u2018\u2019\u201A\u201B]/g;

/** Quote `value` as one PowerShell single-quoted string literal that evaluates to exactly `value`. */
export function psQuote(value: string): string {
  if (value.includes('\0')) {
    throw new GofleetError('INTERNAL', 'a value for a PowerShell script contains a NUL character and cannot be quoted');
  }
  return `'${value.replace(SINGLE_QUOTES, (quote) => quote + quote)}'`;
}
