// gofleet reconcile -i INV --policy P [--yes] [--dry-run] [--json] | --print-schedule: drift over the selected
// hosts (as `drift`), then for every assignment whose window is open now, one `upgrade` rollout of its drifted hosts
// to its channel's version with its rollout shape, ending at the window's close (--deadline: no host starts
// after it). Hosts whose window is closed wait, with when it opens. Meant for cron, a systemd timer or a Windows
// scheduled task; each rollout is an ordinary upgrade run in the journal (history, show, report, resume).

import { resolve } from 'node:path';
import { GofleetError } from '../../errors.ts';
import { selectHosts } from '../../inventory/index.ts';
import { assignHosts } from '../../policy/assign-hosts.ts';
import { loadPolicy } from '../../policy/parse-policy.ts';
import { planReconcile, type PlannedRollout, type ReconcilePlan } from '../../policy/reconcile-plan.ts';
import { schedule, scheduleText } from '../../policy/schedule.ts';
import { windowWords } from '../../policy/window-state.ts';
import { renderTable } from '../../util/text-table.ts';
import { EXIT } from '../exit-code.ts';
import { printJson, type CliIo } from '../io.ts';
import { confirm, isInteractive } from '../prompt.ts';
import type { RunHooks, Runtime } from '../runtime.ts';
import { assessDrift } from './drift.ts';
import { upgradeArgv } from './reconcile-argv.ts';

/** Runs a command line in-process (program.ts passes runCli). */
export type RunCommand = (argv: string[], io: CliIo, hooks?: RunHooks) => Promise<number>;

const NEEDS_APPROVAL = 'its rollout has pause: true (a person approves each wave): `gofleet serve` runs it and asks on its dashboard';

/** How many openings --print-schedule shows per assignment. */
const SCHEDULE_OPENINGS = 3;

interface RolloutOutcome {
  rollout: PlannedRollout;
  argv: string[];
  /** the upgrade's exit code; null: not started (see `notStarted`) */
  exitCode: number | null;
  /** why it was not started: an earlier rollout was interrupted, or it needs approval between waves */
  notStarted?: string;
  /** upgrade --json's document (with --json) */
  result?: unknown;
}

export async function reconcileCommand(rt: Runtime, io: CliIo, argv: readonly string[], run: RunCommand): Promise<number> {
  const policy = await loadPolicy(String(rt.raw.policy));
  if (rt.raw.printSchedule === true) return printSchedule(rt, io, policy);
  const { results } = await assessDrift(rt, policy, 'reconcile');
  const plan = planReconcile(policy, results, Date.now());
  for (const r of plan.rollouts) {
    if (rt.options.deadline !== undefined) r.deadline = Math.min(r.deadline ?? Infinity, rt.options.deadline);
    checkExactLimit(rt, r);
  }
  const json = rt.options.json;
  if (!json) io.out(planText(plan));
  if (rt.raw.dryRun === true || plan.rollouts.length === 0) {
    if (json) printJson(io, reconcileJson(plan, []));
    else io.out(plan.rollouts.length === 0 ? 'nothing to roll out now.\n' : 'dry run: nothing changed.\n');
    return EXIT.ok;
  }
  if (!rt.options.yes && isInteractive()) {
    const n = plan.rollouts.reduce((sum, r) => sum + r.hosts.length, 0);
    const answer = await confirm(`Run ${plan.rollouts.length} rollout(s) on ${n} host(s)?`);
    if (answer !== 'yes') {
      io.err(answer === 'no' ? 'declined: nothing changed.\n' : 'interrupted: nothing changed.\n');
      return answer === 'no' ? EXIT.ok : EXIT.interrupted;
    }
  }
  // from here Ctrl-C belongs to each rollout (a first one stops starting hosts, as in upgrade); a rollout that
  // ends interrupted stops reconcile from starting the next
  await rt.dispose();
  const outcomes: RolloutOutcome[] = [];
  let interrupted = false;
  for (const rollout of plan.rollouts) {
    const args = upgradeArgv(argv, { hosts: rollout.hosts, target: rollout.target, shape: rollout.shape, deadline: rollout.deadline, json });
    const why = interrupted ? 'interrupted' : rollout.shape.pause ? NEEDS_APPROVAL : null;
    if (why) {
      outcomes.push({ rollout, argv: args, exitCode: null, notStarted: why });
      continue;
    }
    if (!json) io.out(`\n== ${rolloutWords(rollout)} ==\n`);
    const hooks: RunHooks = { origin: { by: 'reconcile', policy: resolve(String(rt.raw.policy)), assignment: rollout.assignment } };
    const outcome = json ? await runCaptured(run, args, io, hooks) : { exitCode: await run(args, io, hooks) };
    outcomes.push({ rollout, argv: args, ...outcome });
    if (outcome.exitCode === EXIT.interrupted) interrupted = true;
  }
  if (json) printJson(io, reconcileJson(plan, outcomes));
  else io.out(`\n${outcomesText(outcomes)}`);
  return worstExit(outcomes);
}

function printSchedule(rt: Runtime, io: CliIo, policy: Parameters<typeof assignHosts>[0]): number {
  const assigned = assignHosts(policy, rt.inventory);
  const counts = new Map<number, number>();
  for (const h of rt.hosts) {
    const a = assigned.get(h.name);
    if (a) counts.set(a.index, (counts.get(a.index) ?? 0) + 1);
  }
  const entries = schedule(policy, counts, Date.now(), SCHEDULE_OPENINGS);
  if (rt.options.json) printJson(io, { at: new Date().toISOString(), assignments: entries });
  else io.out(scheduleText(entries));
  return EXIT.ok;
}

/**
 * The rollout's --limit is its host names; a name that is also a group's would select that group's hosts too. Such a
 * rollout is refused before any host is touched (a rollout must never reach a host outside its window).
 */
function checkExactLimit(rt: Runtime, r: PlannedRollout): void {
  const got = selectHosts(rt.inventory, r.hosts.join(',')).map((h) => h.name);
  const extra = got.filter((n) => !r.hosts.includes(n));
  if (extra.length > 0) {
    throw new GofleetError('INVENTORY_INVALID', `reconcile cannot select exactly the hosts of assign[${r.assignment}]: a host name is also a group name, so --limit ${r.hosts.join(',')} also selects ${extra.join(', ')}`, {
      hint: 'Rename the host or the group so that no host has the name of a group (Ansible warns about it too); nothing was changed.',
    });
  }
}

async function runCaptured(run: RunCommand, argv: string[], io: CliIo, hooks: RunHooks): Promise<{ exitCode: number; result?: unknown }> {
  let out = '';
  const exitCode = await run(argv, { ...io, out: (s: string) => void (out += s), stdoutTty: false }, hooks);
  try {
    return { exitCode, result: JSON.parse(out) as unknown };
  } catch {
    return { exitCode, ...(out.trim() ? { result: { output: out } } : {}) };
  }
}

/** Interrupted first, then a controller error, then failed hosts (or a rollout that needs approval), then unreachable ones; 0 when every rollout did. */
function worstExit(outcomes: readonly RolloutOutcome[]): number {
  // a rollout that waits for approval under cron would wait forever: 2, so that it is noticed
  const codes = outcomes.map((o) => (o.notStarted === NEEDS_APPROVAL ? EXIT.failed : o.exitCode)).filter((c): c is number => c !== null);
  for (const c of [EXIT.interrupted, EXIT.error, EXIT.input, EXIT.usage, EXIT.failed, EXIT.unreachable]) if (codes.includes(c)) return c;
  return codes.find((c) => c !== EXIT.ok) ?? EXIT.ok;
}

/** `assign[0] hosts "web-*": 2 host(s) -> go1.27.3 (channel stable; window open until ...)` */
function rolloutWords(r: PlannedRollout): string {
  const when = r.window ? `window ${windowWords(r.window)}` : 'no window';
  return `assign[${r.assignment}] hosts ${JSON.stringify(r.pattern)}: ${r.hosts.length} host(s) -> ${r.target} (channel ${r.channel}; ${when})`;
}

export function planText(plan: ReconcilePlan): string {
  const rows = plan.hosts.map((h) => [h.name, h.status.replace('_', '-'), h.active ?? '-', h.wanted ?? '-', h.decision, h.reason || '-']);
  const lines = plan.rollouts.map((r) => `rollout: ${rolloutWords(r)}: ${r.hosts.join(', ')}\n`);
  return renderTable(['HOST', 'STATUS', 'ACTIVE', 'WANTED', 'DECISION', 'WHY'], rows) + '\n' + lines.join('');
}

function outcomesText(outcomes: readonly RolloutOutcome[]): string {
  return outcomes
    .map((o) => `reconcile: assign[${o.rollout.assignment}] (${o.rollout.hosts.length} host(s) -> ${o.rollout.target}): ${o.exitCode === null ? `not started: ${o.notStarted ?? 'interrupted'}` : `exit ${o.exitCode}`}\n`)
    .join('');
}

/** reconcile --json: every host's decision, and each rollout with the upgrade --json document of its run. */
export function reconcileJson(plan: ReconcilePlan, outcomes: readonly RolloutOutcome[]): unknown {
  const byAssignment = new Map(outcomes.map((o) => [o.rollout.assignment, o]));
  return {
    at: new Date(plan.at).toISOString(),
    hosts: plan.hosts,
    rollouts: plan.rollouts.map((r) => {
      const o = byAssignment.get(r.assignment);
      const result = o?.result as { run?: unknown } | undefined;
      return {
        assignment: r.assignment,
        hosts: r.pattern,
        channel: r.channel,
        target: r.target,
        names: r.hosts,
        window: r.window,
        deadline: r.deadline === null ? null : new Date(r.deadline).toISOString(),
        started: o !== undefined && o.exitCode !== null,
        not_started: o?.notStarted ?? null,
        exit_code: o?.exitCode ?? null,
        run: typeof result?.run === 'string' ? result.run : null,
        result: o?.result ?? null,
      };
    }),
  };
}
