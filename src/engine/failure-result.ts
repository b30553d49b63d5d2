// Turn anything thrown while working on a host into that host's final result.

import { asGofleetError } from '../errors.ts';
import type { HostResult } from './events.ts';
import type { HostRecorder } from './host-recorder.ts';

export function failureResult(err: unknown, rec: HostRecorder, from: string | null, to: string | null): HostResult {
  const e = asGofleetError(err);
  if (e.kind === 'interrupted') return rec.result('skipped', from, to, e);
  const unreachable = e.kind === 'unreachable' || e.kind === 'auth' || e.kind === 'hostkey';
  // a connection lost after we reached the host is a failure of that host, not "unreachable"
  const reachedHost = rec.steps.some((s) => s.step === 'facts' && s.status === 'ok');
  return rec.result(unreachable && !(reachedHost && e.code === 'CONNECTION_LOST') ? 'unreachable' : 'failed', from, to, e);
}
