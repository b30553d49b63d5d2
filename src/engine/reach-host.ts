// Effectful: run the dialect's reach probe on one host (--distribution auto): does the host itself answer a HEAD
// for the source URL, through its own network and proxies? One read-only round trip; a probe that cannot run
// (no probe for the dialect, exec failed, timed out) reads as not reached, so the host is pushed to.

import { asGofleetError } from '../errors.ts';
import type { Reach } from '../platform/types.ts';
import type { EngineContext } from './context.ts';
import { tail, type ProbedHost } from './probe-host.ts';

const REACH_TIMEOUT_MS = 60_000;

export async function reachHost(host: Pick<ProbedHost, 'transport' | 'dialect'>, url: string, ctx: Pick<EngineContext, 'signal'>): Promise<Reach> {
  const { transport, dialect } = host;
  try {
    transport.useShell(dialect.remoteShell);
    const r = await transport.exec(dialect.scriptCommand({ become: false }), {
      stdin: dialect.reachProbe(url),
      timeoutMs: REACH_TIMEOUT_MS,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    if (r.timedOut) return { ok: false, status: null, tool: null, detail: `the reach probe timed out after ${REACH_TIMEOUT_MS / 1000} s` };
    const reach = dialect.parseReach(r.stdout);
    if (r.exitCode !== 0 && !reach.ok) return { ...reach, detail: `${reach.detail} (probe exited ${r.exitCode}: ${tail(dialect.stderrText(r.stderr), 2)})` };
    return reach;
  } catch (err) {
    return { ok: false, status: null, tool: null, detail: `the reach probe failed: ${asGofleetError(err).message}` };
  }
}
