// --drain-timeout / --force as the engine context carries them. Its own file so context.ts does not
// import drain-host.ts, which imports context.ts (and probe-host.ts): no import circle. The CLI's option
// parsing reads the defaults from here without loading the engine (fast start, cli/program.ts).

export interface DrainOptions {
  /** how long to wait for the processes to end (default 10 min) */
  timeoutMs: number;
  /** switch even when processes still use the toolchain */
  force: boolean;
  /** time between polls (default 2 s); the last poll happens at the deadline */
  pollMs?: number;
}

export const DEFAULT_DRAIN: DrainOptions = { timeoutMs: 10 * 60_000, force: false };

/** `90s`, `10m`, `1h` (or a whole number of seconds) -> milliseconds; null when malformed. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+)(s|m|h)?$/.exec(text.trim());
  if (!m || m[1] === undefined) return null;
  const unit = m[2] === 'h' ? 3_600_000 : m[2] === 'm' ? 60_000 : 1_000;
  const ms = Number(m[1]) * unit;
  return Number.isSafeInteger(ms) ? ms : null;
}
