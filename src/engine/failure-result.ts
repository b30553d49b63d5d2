// Turn anything thrown while working on a host into that host's final result.

import { asGofleetError } from '../errors.ts';
import type { EngineStep, HostResult } from './events.ts';
import type { HostRecorder } from './host-recorder.ts';

/** Controller-side steps before a host script runs: a connection lost during them changed nothing on the host. */
const BEFORE_SCRIPT: ReadonlySet<EngineStep> = new Set<EngineStep>(['connect', 'facts', 'drain', 'download', 'upload']);

export function failureResult(err: unknown, rec: HostRecorder, from: string | null, to: string | null): HostResult {
  const e = asGofleetError(err);
  if (e.kind === 'interrupted') return rec.result('skipped', from, to, e);
  const unreachable = e.kind === 'unreachable' || e.kind === 'auth' || e.kind === 'hostkey';
  // A connection lost once a host script ran (or its outcome was being recovered) leaves the host in a state
  // we could not read back: a failure of that host. Lost before (probing, draining, uploading), nothing on
  // the host changed: the host is unreachable (exit 3), like one that never answered.
  const scriptRan = rec.steps.some((s) => !BEFORE_SCRIPT.has(s.step));
  return rec.result(unreachable && !(scriptRan && e.code === 'CONNECTION_LOST') ? 'unreachable' : 'failed', from, to, e);
}
