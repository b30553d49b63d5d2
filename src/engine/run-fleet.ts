// The executor: runs one per-host operation over the selected hosts in the rollout's waves (rollout.ts: canary,
// waves, failure budget, the hook between waves, deadline, events), with bounded concurrency inside a wave and one
// connection per host for the whole command.

import type { HostSpec } from '../inventory/types.ts';
import type { EngineContext } from './context.ts';
import type { HostResult } from './events.ts';
import type { HostOperation } from './host-operation.ts';
import { createLimiter } from '../util/limiter.ts';
import { resumeOperation, resumeStateOf } from './resume-host.ts';
import { runRollout, type FleetResult, type FleetRunOptions } from './rollout.ts';
import { Sessions } from './sessions.ts';

/** Connections opened ahead of their host's turn, at most (bounded: each holds a socket and an sshd). */
const CONNECT_AHEAD = 4;

export type { HostOperation } from './host-operation.ts';
export type { FleetResult, FleetRunOptions, RolloutPolicy } from './rollout.ts';

export async function runFleet<R extends HostResult>(
  hosts: HostSpec[],
  op: HostOperation<R>,
  ctx: EngineContext,
  options: FleetRunOptions,
): Promise<FleetResult<R>[]> {
  // `resume RUN`: hosts the interrupted run had started are re-probed before anything is done again
  const resumed = resumeStateOf(ctx);
  const run: HostOperation<R | HostResult> = resumed ? resumeOperation(op, ctx, resumed) : op;
  const sessions = new Sessions((h) => ctx.connect(h));
  const limit = createLimiter(Math.max(1, options.parallel));
  try {
    return await runRollout<R>(hosts, ctx, options, async (wave) => {
      // while the limiter is full, the next few hosts' SSH handshakes overlap the others' work
      sessions.connectAhead(wave.hosts, Math.min(options.parallel, CONNECT_AHEAD));
      await Promise.all(
        wave.hosts.map((spec) =>
          limit(async () => {
            let result: R | HostResult | null;
            try {
              result = wave.mayStart(spec) ? await run(spec, sessions) : null;
            } finally {
              await sessions.close(spec.name);
            }
            if (result) wave.report(spec.name, result);
          }),
        ),
      );
    });
  } finally {
    await sessions.closeAll();
  }
}

/** A run id that sorts by time and is short enough to type: 20261125-091502-3fa2. */
export function newRunId(now = new Date(), random = Math.random): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const d = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`;
  const t = `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  const r = Math.floor(random() * 0x10000).toString(16).padStart(4, '0');
  return `${d}-${t}-${r}`;
}
