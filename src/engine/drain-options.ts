// --drain-timeout / --force as the engine context carries them. Its own file so context.ts does not
// import drain-host.ts, which imports context.ts (and probe-host.ts): no import circle.

export interface DrainOptions {
  /** how long to wait for the processes to end (default 10 min) */
  timeoutMs: number;
  /** switch even when processes still use the toolchain */
  force: boolean;
  /** time between polls (default 2 s); the last poll happens at the deadline */
  pollMs?: number;
}
