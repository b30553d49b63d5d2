// The executor: runs one per-host operation over the selected hosts with bounded concurrency,
// one connection per host for the whole command, and the run's event stream.
// (Waves, canaries and the failure budget build on this; see docs/architecture.md.)

import { GofleetError } from '../errors.ts';
import type { HostSpec } from '../inventory/types.ts';
import type { EngineContext } from './context.ts';
import type { HostResult } from './events.ts';
import { HostRecorder } from './host-recorder.ts';
import { createLimiter } from './limiter.ts';
import { Sessions } from './sessions.ts';

export interface FleetRunOptions {
  command: string;
  target: string | null;
  parallel: number;
}

export type HostOperation<R extends HostResult> = (spec: HostSpec, sessions: Sessions) => Promise<R>;

export async function runFleet<R extends HostResult>(
  hosts: HostSpec[],
  op: HostOperation<R>,
  ctx: EngineContext,
  options: FleetRunOptions,
): Promise<(R | HostResult)[]> {
  const sessions = new Sessions((h) => ctx.connect(h));
  const limit = createLimiter(Math.max(1, options.parallel));
  const names = hosts.map((h) => h.name);
  ctx.emit({ kind: 'run-start', run: ctx.run, command: options.command, target: options.target, hosts: names, at: ctx.now() });
  ctx.emit({ kind: 'wave-start', run: ctx.run, wave: 1, hosts: names, at: ctx.now() });
  try {
    const results = await Promise.all(
      hosts.map((spec) =>
        limit(async (): Promise<R | HostResult> => {
          let result: R | HostResult;
          try {
            result = ctx.signal?.aborted ? interrupted(spec, ctx, options.target) : await op(spec, sessions);
          } finally {
            await sessions.close(spec.name);
          }
          ctx.emit({ kind: 'host-done', run: ctx.run, result, at: ctx.now() });
          return result;
        }),
      ),
    );
    ctx.emit({ kind: 'wave-end', run: ctx.run, wave: 1, at: ctx.now() });
    ctx.emit({ kind: 'run-end', run: ctx.run, results, at: ctx.now() });
    return results;
  } finally {
    await sessions.closeAll();
  }
}

function interrupted(spec: HostSpec, ctx: EngineContext, target: string | null): HostResult {
  const rec = new HostRecorder(spec.name, ctx.run, ctx.emit, ctx.now);
  return rec.result('skipped', null, target, new GofleetError('INTERRUPTED', `${spec.name}: not started, the run was interrupted`));
}

/** A run id that sorts by time and is short enough to type: 20261125-091502-3fa2. */
export function newRunId(now = new Date(), random = Math.random): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const d = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`;
  const t = `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  const r = Math.floor(random() * 0x10000).toString(16).padStart(4, '0');
  return `${d}-${t}-${r}`;
}
