// Map a host script's outcome to a final host result.

import { GofleetError, type ErrorCode, ERROR_CODES } from '../errors.ts';
import type { ScriptOutcome } from '../platform/types.ts';
import type { HostLimits } from '../transport/types.ts';
import type { HostResult } from './events.ts';
import type { HostRecorder } from './host-recorder.ts';

export function outcomeToResult(
  outcome: ScriptOutcome,
  rec: HostRecorder,
  from: string | null,
  target: string,
  /** the word for a switch that held: `upgraded` after an install (upgrade), `switched` among installed versions (use, rollback) */
  switchedAs: 'upgraded' | 'switched' = 'upgraded',
  /** the WinRM host's session limits (transport.hostLimits): an out-of-memory build is then the shell's cap */
  limits?: HostLimits,
): HostResult {
  rec.warnings.push(...outcome.warnings);
  const error = outcome.code ? outcomeError(outcome, rec.host, limits) : null;
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

function outcomeError(outcome: ScriptOutcome, host: string, limits: HostLimits | undefined): GofleetError {
  const code = (outcome.code && outcome.code in ERROR_CODES ? outcome.code : 'REMOTE_FAILED') as ErrorCode;
  if (code === 'VERIFY_OUT_OF_MEMORY' && limits) return shellMemoryError(outcome, host, limits);
  return new GofleetError(code, `${host}: ${outcome.message ?? code}`, { host });
}

/**
 * Over WinRM every process of a command lives in the shell's job object, capped at MaxMemoryPerShellMB: a build
 * that ran out of memory there hit that cap (or, with the cap unknown, most likely did), not a broken toolchain.
 */
function shellMemoryError(outcome: ScriptOutcome, host: string, limits: HostLimits): GofleetError {
  const cap = limits.maxMemoryPerShellMB;
  const which = cap === undefined ? 'the WinRM shell\'s memory cap (MaxMemoryPerShellMB, not readable by this account)' : cap === 0 ? 'the host\'s memory (the WinRM shell has no cap: MaxMemoryPerShellMB=0)' : `the WinRM shell's memory cap (MaxMemoryPerShellMB=${cap})`;
  return new GofleetError('WINRM_SHELL_MEMORY', `${host}: ${outcome.message ?? 'the verification build ran out of memory'}; stopped by ${which}`, { host });
}
