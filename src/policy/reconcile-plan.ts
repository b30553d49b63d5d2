// What `reconcile` does with each host, decided from drift (src/policy/drift.ts) and the assignments' windows at
// one instant. Pure: `now` comes in. A drifted host is upgraded (moved to its channel's version) when its
// assignment's window is open (or it has none); it waits when the window is closed; it is held when the policy
// forbids the move (newer than its channel without allow_downgrade) or when only settings drift (reconcile changes
// versions, not GOTOOLCHAIN or PATH). One rollout per assignment, with its rollout shape, ending at the window's close.

import { compareVersions } from '../version/go-version.ts';
import type { DriftResult, DriftStatus } from './drift.ts';
import type { Assignment, Channel, Policy, RolloutShape } from './types.ts';
import { closesAt } from './window.ts';
import { windowState, windowWords, type WindowState } from './window-state.ts';

/** upgrade: in this run · wait: its window is closed · hold: needs a person or allow_downgrade · unknown: not judged · none: nothing to do */
export type Decision = 'upgrade' | 'wait' | 'hold' | 'unknown' | 'none';

export interface HostDecision {
  name: string;
  status: DriftStatus;
  active: string | null;
  wanted: string | null;
  assignment: number | null;
  decision: Decision;
  /** why, in words (empty for `none` on a compliant host) */
  reason: string;
}

export interface PlannedRollout {
  /** 0-based index in `assign` */
  assignment: number;
  /** the assignment's host pattern, for people */
  pattern: string;
  channel: string;
  target: string;
  /** the hosts to move, in the order drift listed them */
  hosts: string[];
  shape: RolloutShape;
  /** the window now (null: the assignment has none) */
  window: WindowState | null;
  /** no host starts at or after this instant (the window's close); null: no window */
  deadline: number | null;
}

export interface ReconcilePlan {
  at: number;
  hosts: HostDecision[];
  rollouts: PlannedRollout[];
}

export function planReconcile(policy: Policy, results: readonly DriftResult[], now: number): ReconcilePlan {
  const hosts = results.map((r) => decide(policy, r, now));
  const rollouts: PlannedRollout[] = [];
  for (const a of policy.assign) {
    const names = hosts.filter((h) => h.assignment === a.index && h.decision === 'upgrade').map((h) => h.name);
    const target = hosts.find((h) => h.assignment === a.index && h.decision === 'upgrade')?.wanted;
    if (names.length === 0 || !target) continue;
    rollouts.push({
      assignment: a.index,
      pattern: a.hosts,
      channel: a.channel,
      target,
      hosts: names,
      shape: a.rollout,
      window: windowState(a.window, now),
      deadline: a.window ? closesAt(a.window, now) : null,
    });
  }
  return { at: now, hosts, rollouts };
}

function decide(policy: Policy, r: DriftResult, now: number): HostDecision {
  const base = { name: r.name, status: r.status, active: r.active, wanted: r.wanted, assignment: r.assignment };
  const assignment = r.assignment === null ? undefined : policy.assign[r.assignment];
  const channel = assignment ? policy.channels.get(assignment.channel) : undefined;
  const say = (decision: Decision, reason: string): HostDecision => ({ ...base, decision, reason });
  switch (r.status) {
    case 'compliant':
      return say('none', '');
    case 'unassigned':
      return say('none', 'no assignment of the policy matches this host');
    case 'unknown':
      return say('unknown', r.reasons.join('; '));
    case 'misconfigured':
      return say('hold', `the version is right; reconcile changes versions, not settings: ${r.reasons.join('; ')}`);
    default:
      return moveOrHold(r, assignment!, channel!, now, say);
  }
}

/** behind, ahead or off_pin: move to the channel's version unless that is a downgrade the channel does not allow. */
function moveOrHold(r: DriftResult, a: Assignment, channel: Channel, now: number, say: (d: Decision, why: string) => HostDecision): HostDecision {
  const wanted = r.wanted as string;
  const down = r.active !== null && compareVersions(r.active, wanted) > 0;
  if (down && !channel.allowDowngrade) {
    return say('hold', `runs ${r.active}, newer than channel ${channel.name}'s ${wanted}; reconcile moves a host down only with allow_downgrade: true`);
  }
  const move = `${r.active ?? 'no go'} -> ${wanted}${down ? ' (down: allow_downgrade)' : ''}`;
  const state = windowState(a.window, now);
  if (state && !state.open) return say('wait', `${move} when the window opens: ${windowWords(state)}`);
  return say('upgrade', state ? `${move}; window ${windowWords(state)}` : move);
}
