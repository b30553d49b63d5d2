// Leaving the process immediately (second Ctrl-C). Kept beside main.ts as the only other exit.

export function exitNow(code: number): never {
  // eslint-disable-next-line no-restricted-syntax -- a second Ctrl-C must leave at once, with 99
  process.exit(code);
}
