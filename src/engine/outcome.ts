// Map a host script's outcome to a final host result.

import { GofleetError, type ErrorCode, ERROR_CODES } from '../errors.ts';
import type { ScriptOutcome } from '../platform/types.ts';
import type { HostResult } from './events.ts';
import type { HostRecorder } from './host-recorder.ts';

export function outcomeToResult(
  outcome: ScriptOutcome,
  rec: HostRecorder,
  from: string | null,
  target: string,
  /** the word for a switch that held: `upgraded` after an install (upgrade), `switched` among installed versions (use, rollback) */
  switchedAs: 'upgraded' | 'switched' = 'upgraded',
): HostResult {
  rec.warnings.push(...outcome.warnings);
  const error = outcome.code ? outcomeError(outcome, rec.host) : null;
  switch (outcome.result) {
    case 'switched':
      return rec.result(switchedAs, outcome.previous ?? from, outcome.active ?? target);
    case 'unchanged':
      return rec.result('unchanged', from, outcome.active ?? target);
    case 'pruned':
      // a prune that removed nothing changed nothing
      return rec.result(outcome.removed?.length ? 'pruned' : 'unchanged', from, outcome.active ?? from);
    case 'rolled_back':
      return rec.result('rolled_back', from, target, error ?? new GofleetError('VERIFY_FAILED', 'verification failed'));
    case 'rollback_failed':
      return rec.result('failed', from, target, error ?? new GofleetError('ROLLBACK_FAILED', 'rollback failed'));
    case 'failed':
      // stopped at a safe point before changing goroot (a second Ctrl-C): not done, as a host never started
      if (error?.code === 'INTERRUPTED') return rec.result('skipped', from, target, error);
      return rec.result('failed', from, target, error ?? new GofleetError('REMOTE_FAILED', 'host script failed'));
  }
}

function outcomeError(outcome: ScriptOutcome, host: string): GofleetError {
  const code = (outcome.code && outcome.code in ERROR_CODES ? outcome.code : 'REMOTE_FAILED') as ErrorCode;
  return new GofleetError(code, `${host}: ${outcome.message ?? code}`, { host });
}
