// Durations in a policy file: `4h`, `90m`, `1h30m`, `3d`, `2w` (s, m, h, d, w). Pure.

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `1h30m` -> 5400000; null when malformed or zero. */
export function parsePolicyDuration(text: string): number | null {
  const s = text.trim();
  if (!/^(\d+[smhdw])+$/.test(s)) return null;
  let ms = 0;
  for (const m of s.matchAll(/(\d+)([smhdw])/g)) ms += Number(m[1]) * (UNITS[m[2] ?? ''] ?? NaN);
  return Number.isSafeInteger(ms) && ms > 0 ? ms : null;
}

/** 5400000 -> `1h30m` (for messages and tables). */
export function formatDuration(ms: number): string {
  let rest = Math.round(ms / 60_000);
  const out: string[] = [];
  for (const [unit, size] of [['d', 1440], ['h', 60], ['m', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) out.push(`${n}${unit}`);
    rest -= n * size;
  }
  return out.length > 0 ? out.join('') : '0m';
}
