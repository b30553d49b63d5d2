// Builds in flight: before a host's goroot is switched, wait until no running process uses its goroot or a
// managed version (facts.busy), polling the facts script (one round trip per poll) every few seconds up to
// --drain-timeout. Still busy then: the host is skipped with HOST_BUSY, untouched. --force switches anyway
// (with a warning). Hosts whose facts do not report `busy` (not probed) are not waited for.

import { GofleetError } from '../errors.ts';
import type { HostFacts } from '../platform/types.ts';
import type { EngineContext } from './context.ts';
import { DEFAULT_DRAIN } from './drain-options.ts';
import type { HostRecorder } from './host-recorder.ts';
import { readFacts, type ProbedHost } from './probe-host.ts';
import { abortableSleep } from './abortable-sleep.ts';

export type { DrainOptions } from './drain-options.ts';
export { DEFAULT_DRAIN, parseDuration } from './drain-options.ts';

const DEFAULT_POLL_MS = 2_000;

/** `123 /usr/local/gofleet/versions/go1.26.8/bin/go, 456 /usr/bin/make` (first few) */
export function describeBusy(busy: NonNullable<HostFacts['busy']>, max = 3): string {
  const shown = busy.slice(0, max).map((b) => `${b.pid} ${b.exe}`.trim());
  return shown.join(', ') + (busy.length > max ? ` and ${busy.length - max} more` : '');
}

/**
 * Wait until the host is not busy. Returns null when the switch may go ahead (host.facts is then the latest
 * poll's), or the HOST_BUSY error the host is to be skipped with.
 */
export async function drainHost(
  host: ProbedHost,
  ctx: Pick<EngineContext, 'signal' | 'now' | 'drain'>,
  rec: HostRecorder,
): Promise<GofleetError | null> {
  const busy = host.facts.busy ?? [];
  if (busy.length === 0) return null;
  const opts = ctx.drain ?? DEFAULT_DRAIN;
  const name = host.spec.name;
  if (opts.force) {
    const msg = `forced: ${busy.length} process(es) still use the toolchain: ${describeBusy(busy)}`;
    rec.warnings.push(`switched while ${busy.length} process(es) used the toolchain: ${describeBusy(busy)}`);
    rec.skip('drain', msg);
    return null;
  }
  const record = rec.start('drain');
  const deadline = ctx.now() + opts.timeoutMs;
  let current = busy;
  try {
    while (current.length > 0) {
      const left = deadline - ctx.now();
      if (left <= 0) {
        const err = new GofleetError(
          'HOST_BUSY',
          `${name}: ${current.length} process(es) still use the toolchain after ${formatMs(opts.timeoutMs)}: ${describeBusy(current)}`,
          { host: name },
        );
        rec.end(record, 'fail', { code: err.code, message: err.message });
        return err;
      }
      await abortableSleep(Math.min(opts.pollMs ?? DEFAULT_POLL_MS, left), ctx.signal);
      if (ctx.signal?.aborted) {
        throw new GofleetError('INTERRUPTED', `${name}: stopped before changing anything (interrupted)`, { host: name });
      }
      host.facts = await readFacts(host, ctx);
      current = host.facts.busy ?? [];
    }
  } catch (err) {
    if (record.status === 'running') {
      const e = err instanceof GofleetError ? err : null;
      rec.end(record, 'fail', { ...(e ? { code: e.code, message: e.message } : {}) });
    }
    throw err;
  }
  rec.end(record, 'ok', { message: `no process uses the toolchain any more (was: ${describeBusy(busy)})` });
  return null;
}

function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}

