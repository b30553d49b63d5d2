// The commands that change hosts: upgrade, use, rollback, prune. Each confirms on a terminal (unless --yes),
// shows live progress on stderr and a summary (or the JSON document) on stdout.

import type { EngineContext } from '../../engine/context.ts';
import type { HostResult } from '../../engine/events.ts';
import { pruneHost, type PruneResult } from '../../engine/prune-host.ts';
import { runFleet } from '../../engine/run-fleet.ts';
import { switchHost } from '../../engine/switch-host.ts';
import { upgradeHost } from '../../engine/upgrade-host.ts';
import { resultsSummary } from '../../report/summary.ts';
import { colourWanted } from '../../report/colour.ts';
import { EXIT, exitCodeForResults } from '../exit-code.ts';
import { printJson, type CliIo } from '../io.ts';
import { confirm, isInteractive } from '../prompt.ts';
import type { Runtime } from '../runtime.ts';

export async function upgradeCommand(rt: Runtime, io: CliIo, spec: string): Promise<number> {
  const target = await rt.resolveTarget(spec);
  return change(rt, io, 'upgrade', target, `Upgrade ${rt.hosts.length} host(s) to ${target}?`, (ctx) =>
    runFleet(rt.hosts, (h, s) => upgradeHost(h, target, ctx, s), ctx, { command: 'upgrade', target, parallel: rt.options.parallel }),
  );
}

export async function useCommand(rt: Runtime, io: CliIo, version: string): Promise<number> {
  const target = rt.normalizeVersion(version);
  return change(rt, io, 'use', target, `Switch ${rt.hosts.length} host(s) to the installed ${target}?`, (ctx) =>
    runFleet(rt.hosts, (h, s) => switchHost(h, target, ctx, s), ctx, { command: 'use', target, parallel: rt.options.parallel }),
  );
}

export async function rollbackCommand(rt: Runtime, io: CliIo): Promise<number> {
  return change(rt, io, 'rollback', null, `Roll ${rt.hosts.length} host(s) back to their previous Go?`, (ctx) =>
    runFleet(rt.hosts, (h, s) => switchHost(h, null, ctx, s), ctx, { command: 'rollback', target: null, parallel: rt.options.parallel }),
  );
}

export async function pruneCommand(rt: Runtime, io: CliIo, keep: number): Promise<number> {
  return change(rt, io, 'prune', null, `Remove old Go versions from ${rt.hosts.length} host(s), keeping ${keep}?`, (ctx) =>
    runFleet<PruneResult>(rt.hosts, (h, s) => pruneHost(h, keep, ctx, s), ctx, { command: 'prune', target: null, parallel: rt.options.parallel }),
  );
}

async function change(
  rt: Runtime,
  io: CliIo,
  command: string,
  target: string | null,
  question: string,
  run: (ctx: EngineContext) => Promise<HostResult[]>,
): Promise<number> {
  if (!rt.options.yes && isInteractive()) {
    io.err(`hosts: ${rt.hosts.map((h) => h.name).join(', ')}\n`);
    if (!(await confirm(question))) {
      io.err('nothing changed.\n');
      return EXIT.ok;
    }
  }
  const ctx = rt.context(command);
  const results = await run(ctx);
  if (rt.options.json) {
    printJson(io, { run: ctx.run, target, hosts: results.map(hostJson) });
  } else {
    io.out('\n' + resultsSummary(results, colourWanted({ isTTY: io.stdoutTty })));
  }
  return exitCodeForResults(results, ctx.signal?.aborted === true);
}

/** DESIGN.md `upgrade --json` host shape, plus extra fields. */
export function hostJson(r: HostResult): unknown {
  return {
    name: r.name,
    status: r.status,
    from: r.from,
    to: r.to,
    error: r.error,
    warnings: r.warnings,
    duration_ms: Math.round(r.durationMs),
    steps: r.steps.map((s) => ({ ...s, duration_ms: s.endedAt === null ? null : Math.round(s.endedAt - s.startedAt) })),
    ...('removed' in r ? { removed: (r as PruneResult).removed } : {}),
  };
}
