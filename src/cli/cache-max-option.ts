// --cache-max SIZE / $GOFLEET_CACHE_MAX: how large the controller's archive cache may grow (releases/cache-evict.ts
// keeps it under this). In the CLI layer, not releases/, so that the CLI entry checks it without loading release code.
import { GofleetError } from '../errors.ts';

/** 5 GiB: a few dozen archives (each ~70-150 MB), enough for every platform of two or three releases. */
export const DEFAULT_CACHE_MAX = 5 * 1024 ** 3;

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12,
  kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4,
};

/** `2GiB` -> 2147483648, `500MB` -> 500000000, `0` -> 0 (no limit); `what` names the option in the error. */
export function parseCacheMax(text: string, what = '--cache-max'): number {
  const m = /^(\d+)(?:\.(\d+))?\s*([a-z]*)$/i.exec(text.trim());
  const unit = m ? UNITS[(m[3] || 'b').toLowerCase()] : undefined;
  const bytes = m && unit !== undefined ? Math.floor(Number(`${m[1]}.${m[2] ?? '0'}`) * unit) : NaN;
  if (!Number.isSafeInteger(bytes) || (m?.[2] !== undefined && unit === 1)) {
    throw new GofleetError(
      'BAD_OPTION',
      `${what} must be a size like 2GiB, 500MB or 0 for no limit (units B, kB, MB, GB, TB, KiB, MiB, GiB, TiB), got "${text}"`,
    );
  }
  return bytes;
}

/** The limit in bytes: the flag (already parsed) wins, then $GOFLEET_CACHE_MAX, then 5 GiB; 0 means no limit. */
export function resolveCacheMax(flag: number | undefined, env: Record<string, string | undefined>): number {
  if (flag !== undefined) return flag;
  const fromEnv = env.GOFLEET_CACHE_MAX;
  return fromEnv !== undefined && fromEnv !== '' ? parseCacheMax(fromEnv, 'GOFLEET_CACHE_MAX') : DEFAULT_CACHE_MAX;
}
