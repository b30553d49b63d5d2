// Exit codes are decided here and only here (docs/design.md; Ansible's, which ops people already script against):
// 0 all done (upgraded, switched, pruned, unchanged) or the confirmation declined · 1 error · 2 host(s) failed · 3 host(s) unreachable (none failed) · 4 input · 5 options · 99 interrupted.

import { errorPolicy, type GofleetError } from '../errors.ts';
import type { HostResult } from '../engine/events.ts';

export const EXIT = { ok: 0, error: 1, failed: 2, unreachable: 3, input: 4, usage: 5, interrupted: 99 } as const;

/** `journalFailed`: the run journal failed mid-run and no host started after that — an error of the controller (1). */
export function exitCodeForResults(results: Pick<HostResult, 'status' | 'error'>[], interrupted = false, journalFailed = false): number {
  if (journalFailed) return EXIT.error;
  if (interrupted) return EXIT.interrupted;
  if (results.some((r) => r.status === 'failed' || r.status === 'rolled_back')) return EXIT.failed;
  if (results.some((r) => r.status === 'unreachable')) return EXIT.unreachable;
  if (results.some((r) => r.status === 'skipped')) return EXIT.failed;
  return EXIT.ok;
}

export function exitCodeForError(err: GofleetError): number {
  return errorPolicy(err.code).exitCode;
}
