// What a worker does with a host, given what the shared journal already holds of it (issue 14), pure:
// - nothing (never started, or no step journaled): run it;
// - steps of an earlier attempt that did not finish (a worker died or lost its lease mid-host): resume it, so
//   engine/resume-host.ts re-probes the host and recovers its outcome instead of switching it again;
// - skipped or rolled back by an interrupt (INTERRUPTED): done again, as `resume RUN` does;
// - any other final result: it stands (the job is a duplicate delivery, or the earlier worker died after its
//   journal write and before completing the job): returned as it is, the host is not contacted.

import type { HostResult } from '../engine/events.ts';
import { isFinalStatus, type StoredHost, type StoredRun } from '../store/index.ts';
import { hostsToResume, resumeState } from './commands/resume.ts';
import type { RuntimeResume } from './runtime.ts';

export type PriorWork = { kind: 'run' } | { kind: 'resume'; resume: RuntimeResume } | { kind: 'final'; result: HostResult };

export function priorWork(run: StoredRun | null, host: string): PriorWork {
  const h = run?.hosts.find((x) => x.name === host);
  if (!run || !h || h.steps.length === 0) return { kind: 'run' };
  const again = hostsToResume(run, isFinalStatus(h.status) ? [] : [host]);
  if (!again.includes(host)) return { kind: 'final', result: storedResult(h) };
  return { kind: 'resume', resume: { run: run.id, hosts: [host], state: resumeState(run, [host]) } };
}

/** A journaled final host as the HostResult it was recorded from (its extra fields kept). */
function storedResult(h: StoredHost): HostResult {
  const startedAt = h.startedAt ?? h.steps[0]?.startedAt ?? 0;
  return {
    ...h.extra,
    name: h.name,
    status: isFinalStatus(h.status) ? h.status : 'failed',
    from: h.from,
    to: h.to,
    error: h.error,
    warnings: h.warnings,
    startedAt,
    durationMs: h.endedAt === null ? 0 : h.endedAt - startedAt,
    steps: h.steps.map(({ seq: _seq, ...s }) => s),
  };
}
