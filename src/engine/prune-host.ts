// `prune --keep N`: remove old managed versions, never the active one.

import type { HostSpec } from '../inventory/types.ts';
import type { EngineContext } from './context.ts';
import type { HostResult } from './events.ts';
import { checkGorootSafety } from './check-goroot-safety.ts';
import { failureResult } from './failure-result.ts';
import { HostRecorder } from './host-recorder.ts';
import { outcomeToResult } from './outcome.ts';
import { currentVersion, probeHost } from './probe-host.ts';
import { runHostScript } from './run-script.ts';
import type { Sessions } from './sessions.ts';
import { checkInterrupted } from './upgrade-host.ts';

export interface PruneResult extends HostResult {
  removed: string[];
}

export async function pruneHost(spec: HostSpec, keep: number, ctx: EngineContext, sessions: Sessions): Promise<PruneResult> {
  const rec = new HostRecorder(spec.name, ctx.run, ctx.emit, ctx.now);
  let from: string | null = null;
  try {
    const host = await probeHost(spec, ctx, sessions, rec);
    from = currentVersion(host.facts);
    // prune removes trees under versions_dir: never where that is a system or volatile place
    const unsafe = checkGorootSafety({ facts: host.facts, host: spec.name, versionsDirOnly: true });
    if (unsafe) throw unsafe;
    checkInterrupted(ctx, spec);
    const outcome = await runHostScript(host, host.dialect.prune({ paths: host.paths, keep, run: ctx.run }), ctx, rec, sessions, { from, target: null });
    return { ...outcomeToResult(outcome, rec, from, from ?? ''), to: from, removed: outcome.removed ?? [] };
  } catch (err) {
    return { ...failureResult(err, rec, from, from), removed: [] };
  }
}
