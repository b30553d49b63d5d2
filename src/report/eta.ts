// The estimated time left in a run, for the live status line; pure.
//
// Every host still to do is assumed to take the mean duration of the hosts that finished (skipped hosts, which
// did no work, are left out by the caller). Hosts in flight need what is left of that mean (none once they are
// past it). The hosts not started in the current wave go to the earliest free of `parallel` slots; each later
// wave starts when the one before it ends (after `pauseMs`, --pause-after) and takes ceil(size / parallel)
// rounds. Unknown (null) until at least one host finished.

export interface EtaInput {
  /** how long each finished (not skipped) host took, in ms */
  finished: readonly number[];
  /** how long each host in flight has been running, in ms */
  inFlight: readonly number[];
  /** hosts of the current wave not started yet */
  pending: number;
  /** sizes of the waves that have not started yet */
  laterWaves?: readonly number[];
  /** --parallel */
  parallel: number;
  /** wait between waves (--pause-after), in ms */
  pauseMs?: number;
}

/** Milliseconds left, or null while no host has finished. */
export function estimateRemaining(input: EtaInput): number | null {
  if (input.finished.length === 0) return null;
  const mean = input.finished.reduce((a, b) => a + b, 0) / input.finished.length;
  const parallel = Math.max(1, Math.floor(input.parallel));
  // the current wave: slots free up as in-flight hosts finish, then take the pending hosts one by one
  const slots = input.inFlight.slice(0, parallel).map((elapsed) => Math.max(0, mean - elapsed));
  while (slots.length < parallel) slots.push(0);
  for (let i = 0; i < input.pending; i++) {
    const earliest = slots.indexOf(Math.min(...slots));
    slots[earliest] = (slots[earliest] ?? 0) + mean;
  }
  let left = input.inFlight.length + input.pending > 0 ? Math.max(...slots) : 0;
  for (const size of input.laterWaves ?? []) {
    if (size > 0) left += (input.pauseMs ?? 0) + Math.ceil(size / parallel) * mean;
  }
  return Math.round(left);
}

/** `eta 45s`, `eta 2m10s`, `eta 1h05m`: whole seconds, rounded up (a countdown never shows 0 while work is left). */
export function formatEta(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  if (total < 60) return `${total}s`;
  if (total < 3600) return `${Math.floor(total / 60)}m${String(total % 60).padStart(2, '0')}s`;
  return `${Math.floor(total / 3600)}h${String(Math.floor((total % 3600) / 60)).padStart(2, '0')}m`;
}
