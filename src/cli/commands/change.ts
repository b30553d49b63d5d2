// The commands that change hosts: upgrade, use, rollback, prune. Each confirms on a terminal (unless --yes),
// shows live progress on stderr and a summary (or the JSON document) on stdout; upgrade and use may pause
// between waves (--pause, --pause-after: ../pause-gate.ts).

import type { EngineContext } from '../../engine/context.ts';
import type { GofleetError } from '../../errors.ts';
import type { HostResult } from '../../engine/events.ts';
import { pruneHost, type PruneResult } from '../../engine/prune-host.ts';
import { runFleet, type RolloutPolicy } from '../../engine/run-fleet.ts';
import type { BeforeWave } from '../../engine/wave-gate.ts';
import { switchHost } from '../../engine/switch-host.ts';
import { upgradeHost } from '../../engine/upgrade-host.ts';
import { planSummary, resultsSummary } from '../../report/summary.ts';
import { gatherFacts } from '../../engine/gather-facts.ts';
import { planFleet } from '../../engine/plan-fleet.ts';
import { checkMethodHosts } from '../../engine/plan-msi.ts';
import { planWaves, type MaxFail } from '../../engine/waves.ts';
import { colourWanted } from '../../report/colour.ts';
import { EXIT, exitCodeForResults } from '../exit-code.ts';
import { printJson, type CliIo } from '../io.ts';
import { pauseGate, pauseMode } from '../pause-gate.ts';
import { confirm, isInteractive } from '../prompt.ts';
import type { Runtime } from '../runtime.ts';
import type { FleetRunner } from '../coordinate-fleet.ts';

/** --canary, --waves and --max-fail as program.ts parsed them (upgrade, use; plan has the first two). */
export function rolloutOf(raw: Record<string, unknown>): RolloutPolicy {
  return {
    ...(typeof raw.canary === 'number' ? { canary: raw.canary } : {}),
    ...(typeof raw.waves === 'string' ? { waves: raw.waves } : {}),
    ...(typeof raw.maxFail === 'object' && raw.maxFail !== null ? { maxFail: raw.maxFail as MaxFail } : {}),
  };
}

/** --deadline for runFleet (upgrade, use). */
function deadlineOf(rt: Runtime): { deadline?: number } {
  return rt.options.deadline !== undefined ? { deadline: rt.options.deadline } : {};
}

/** Host names per wave, in rollout order (checks the policy before any host is contacted). */
export function waveNames(rt: Runtime, rollout: RolloutPolicy): string[][] {
  return planWaves(rt.hosts, rollout).map((w) => w.map((h) => h.name));
}

export async function upgradeCommand(rt: Runtime, io: CliIo, spec: string): Promise<number> {
  const rollout = rolloutOf(rt.raw);
  const waves = waveNames(rt, rollout);
  checkMethodHosts(rt.options.method, rt.hosts);
  const { version: target, heldBack } = await rt.resolveRelease(spec);
  const age = rt.options.minAge !== undefined ? { age: { minAge: rt.options.minAge, heldBack } } : {};
  const preview = async (): Promise<string> => {
    const facts = await gatherFacts(rt.hosts, rt.context('plan'), rt.options.parallel);
    return planSummary(planFleet(facts, target, await rt.archiveLookup(target), waves, { adoptLink: rt.options.adoptLink, method: rt.options.method, ...age }));
  };
  return withFleet(rt, (fleet) =>
    change(rt, io, { command: 'upgrade', target, question: `Upgrade ${rt.hosts.length} host(s) to ${target}?`, preview, waves }, (ctx, beforeWave) =>
      fleet(rt.hosts, (h, s) => upgradeHost(h, target, ctx, s), ctx, { command: 'upgrade', target, parallel: rt.options.parallel, rollout, beforeWave, ...deadlineOf(rt) }),
    ),
  );
}

export async function useCommand(rt: Runtime, io: CliIo, version: string): Promise<number> {
  const rollout = rolloutOf(rt.raw);
  const waves = waveNames(rt, rollout);
  const target = rt.normalizeVersion(version);
  const preview = async (): Promise<string> => waves.map((w, i) => `wave ${i + 1}: ${w.join(', ')}\n`).join('');
  return withFleet(rt, (fleet) =>
    change(rt, io, { command: 'use', target, question: `Switch ${rt.hosts.length} host(s) to the installed ${target}?`, preview, waves }, (ctx, beforeWave) =>
      fleet(rt.hosts, (h, s) => switchHost(h, target, ctx, s), ctx, { command: 'use', target, parallel: rt.options.parallel, rollout, beforeWave, ...deadlineOf(rt) }),
    ),
  );
}

export async function rollbackCommand(rt: Runtime, io: CliIo): Promise<number> {
  return withFleet(rt, (fleet) =>
    change(rt, io, { command: 'rollback', target: null, question: `Roll ${rt.hosts.length} host(s) back to their previous Go?` }, (ctx) =>
      fleet(rt.hosts, (h, s) => switchHost(h, null, ctx, s), ctx, { command: 'rollback', target: null, parallel: rt.options.parallel }),
    ),
  );
}

export async function pruneCommand(rt: Runtime, io: CliIo, keep: number): Promise<number> {
  return change(rt, io, { command: 'prune', target: null, question: `Remove old Go versions from ${rt.hosts.length} host(s), keeping ${keep}?` }, (ctx) =>
    runFleet<PruneResult>(rt.hosts, (h, s) => pruneHost(h, keep, ctx, s), ctx, { command: 'prune', target: null, parallel: rt.options.parallel }),
  );
}

/**
 * runFleet, or with --workers the coordinator that hands each wave's hosts to workers (../workers-fleet.ts): checked
 * and opened before anything is asked or any host contacted, closed when the command is done. Loaded only then, so
 * a local run never loads the queue.
 */
async function withFleet(rt: Runtime, fn: (fleet: FleetRunner) => Promise<number>): Promise<number> {
  if (rt.raw.workers !== true) return fn(runFleet);
  const { workersFleet } = await import('../workers-fleet.ts');
  const fleet = await workersFleet(rt);
  try {
    return await fn(fleet.run);
  } finally {
    await fleet.close();
  }
}

interface ChangeSpec {
  command: string;
  target: string | null;
  question: string;
  /** what will happen, shown before the question (the plan, for upgrade) */
  preview?: () => Promise<string>;
  /** host names per wave (commands that roll out in waves): for the progress estimate and --pause */
  waves?: string[][];
}

type RunChange = (ctx: EngineContext, beforeWave: BeforeWave | undefined) => Promise<HostResult[]>;

async function change(rt: Runtime, io: CliIo, spec: ChangeSpec, run: RunChange): Promise<number> {
  // --pause is checked before anything is asked or any host contacted: without a terminal it is refused (exit 5)
  const mode = pauseMode({ pause: rt.options.pause, yes: rt.options.yes }, isInteractive());
  if (mode === 'answered-by-yes') io.err('note: --yes answers the --pause questions; the waves follow each other without asking.\n');
  // no working journal, no change (unless --no-journal): refused before anything is asked or any host contacted
  await rt.openJournal();
  if (!rt.options.yes && isInteractive()) {
    io.err(spec.preview ? await spec.preview() : `hosts: ${rt.hosts.map((h) => h.name).join(', ')}\n`);
    const answer = await confirm(spec.question);
    // a "no" is an answer, not a failure: exit 0, and no run is journaled (none was started);
    // Ctrl-C at the question stays an interruption (99)
    if (answer === 'no') {
      io.err('declined: nothing changed, no host contacted.\n');
      return EXIT.ok;
    }
    if (answer !== 'yes') {
      io.err('interrupted: nothing changed.\n');
      return EXIT.interrupted;
    }
  }
  const ctx = rt.context(spec.command, spec.waves ? { waves: spec.waves.map((w) => w.length) } : {});
  // the run's row is committed before the first host is contacted (a journal on a server writes behind)
  await rt.journalReady();
  const log = rt.runLog(ctx.run);
  const gate = pauseGate(mode, rt.options.pauseAfterMs, {
    ask: confirm,
    write: io.err,
    tty: io.stderrTty,
    run: ctx.run,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(log ? { log: log.line } : {}),
  });
  // an in-process caller (serve) answers between waves itself; otherwise --pause / --pause-after
  const results = await run(ctx, rt.hooks.beforeWave ?? gate.beforeWave);
  if (rt.options.json) {
    const method = spec.command === 'upgrade' ? { method: rt.options.method } : {};
    // archives: where each fetched file came from and who vouched for it (only when something was fetched)
    const archives = rt.archives();
    printJson(io, { run: ctx.run, target: spec.target, ...method, hosts: results.map(hostJson), ...(archives.length > 0 ? { archives } : {}) });
  } else {
    const footer = log?.path ? `\nlog: ${log.path}\n` : '';
    io.out('\n' + resultsSummary(results, colourWanted({ isTTY: io.stdoutTty })) + footer);
  }
  const journalFailure = rt.journalFailure();
  if (journalFailure) reportJournalFailure(io, journalFailure, ctx.run, await rt.settleJournal(ctx.run));
  // a "no" at a pause stops a run that already changed hosts: exit 99 (interrupted)
  return exitCodeForResults(results, ctx.signal?.aborted === true || gate.stopped(), journalFailure !== undefined);
}

/** The journal failed mid-run: say so after the summary, and what the journal now holds of the run. */
function reportJournalFailure(io: CliIo, failure: GofleetError, run: string, status: string | null): void {
  const recorded =
    status === 'running' || status === null
      ? `the journal could not record the end of run ${run}: it will show it as running (controller gone) or not at all, and the summary above is the only record of the hosts`
      : `the journal recorded run ${run} as ${status}; once the journal works again, \`gofleet resume ${run}\` continues with the hosts not started`;
  io.err(`\ngofleet: error ${failure.code}: ${failure.message}\n  ${recorded}.\n  hint: ${failure.hint}\n`);
}

/** docs/design.md `upgrade --json` host shape, plus extra fields. */
export function hostJson(r: HostResult): unknown {
  return {
    name: r.name,
    status: r.status,
    from: r.from,
    to: r.to,
    error: r.error,
    warnings: r.warnings,
    duration_ms: Math.round(r.durationMs),
    steps: r.steps.map((s) => ({
      step: s.step,
      status: s.status,
      started_at: new Date(s.startedAt).toISOString(),
      ended_at: s.endedAt === null ? null : new Date(s.endedAt).toISOString(),
      duration_ms: s.endedAt === null ? null : Math.round(s.endedAt - s.startedAt),
      code: s.code ?? null,
      message: s.message ?? null,
    })),
    ...('removed' in r ? { removed: (r as PruneResult).removed } : {}),
    ...('wave' in r ? { wave: (r as HostResult & { wave: unknown }).wave } : {}),
    // --distribution (issue 12): how the archive reached the host, and why when there is something to say
    ...(r.delivery ? { delivery: r.delivery, ...(r.deliveryReason ? { delivery_reason: r.deliveryReason } : {}) } : {}),
  };
}
