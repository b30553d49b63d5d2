// --min-age DURATION (3d, 12h, 2w, 90m) read into milliseconds. In the CLI layer, not releases/, so that the CLI
// entry can check the option without loading release code (test/cli-start-lazy.test.ts).
import { GofleetError } from '../errors.ts';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `3d` -> 259200000; anything else (no unit, zero, fractions, overflow) is BAD_OPTION. */
export function parseMinAge(text: string): number {
  const m = /^(\d+)([mhdw])$/.exec(text.trim());
  const ms = m?.[1] !== undefined && m[2] !== undefined ? Number(m[1]) * (UNITS[m[2]] ?? 0) : NaN;
  if (!Number.isSafeInteger(ms) || ms <= 0) {
    throw new GofleetError('BAD_OPTION', `--min-age must be a duration like 3d, 12h or 2w (m, h, d, w), got "${text}"`);
  }
  return ms;
}
