// The dashboard's data (types.ts DashboardData) over the running service (service.ts) and the run journal: the
// fleet view is the last facts round as `drift --json` has it plus what facts know per host; runs, run events and
// reports come from the journal as `history`, `show` and `report --format html` read them; approvals go to the
// service, which writes the audit trail before it answers.

import { driftJson } from '../policy/drift-report.ts';
import { schedule, type ScheduleEntry } from '../policy/schedule.ts';
import type { RolloutShape } from '../policy/types.ts';
import { windowState, windowWords } from '../policy/window-state.ts';
import { vulnsField } from '../report/host-vulns.ts';
import type { VulnReport } from '../vulndb/match.ts';
import type { FleetService, LiveEvent as ServiceLiveEvent } from './service.ts';
import type { AssignmentView, ChannelView, DashboardData, FleetHost, FleetView, LiveEvent, PolicyView, RunsView } from './types.ts';

/** What a facts round learnt of one host (the serve command fills it from the facts and the inventory). */
export interface ServeHostFacts {
  name: string;
  /** null: facts not read (unreachable) */
  os: string | null;
  arch: string | null;
  groups: string[];
  tags: string[];
  /** when the facts were read; null when they could not be */
  at: number | null;
  /** undefined: no --vulndb; null: not matched */
  vulns?: VulnReport | null;
}

export interface JournalReader {
  runs(): Promise<RunsView>;
  /** the journal's events of a run (engine events as recorded), or null when unknown */
  events(run: string): Promise<LiveEvent[] | null>;
  report(run: string): Promise<string | null>;
}

export interface DashboardSources {
  service: FleetService<ServeHostFacts>;
  journal: JournalReader;
  policyFile: string;
  vulndb: { source: string; modified: string | null } | null;
  now(): number;
}

export function dashboardData(s: DashboardSources): DashboardData {
  return {
    fleet: async () => fleetView(s),
    runs: () => s.journal.runs(),
    runEvents: async (id) => {
      const recorded = await s.journal.events(id);
      const live = s.service.active().find((r) => r.run === id);
      if (!recorded && !live) return null;
      const out = [...(recorded ?? [])];
      // a page opened while the run waits between waves: the pause is not in the journal, it is in the service
      if (live?.paused) out.push({ kind: 'paused', run: id, wave: live.paused.wave, waves: live.paused.waves, hosts: live.paused.hosts, at: s.now() });
      return out;
    },
    runReport: (id) => s.journal.report(id),
    policy: async () => policyView(s),
    subscribe: (fn) => s.service.subscribe((e) => {
      const out = liveEvent(e);
      if (out) fn(out);
    }),
    approve: async (run, wave, actor) => s.service.approve(run, wave, actor),
    stop: async (run, wave, actor) => s.service.stopRollout(run, wave, actor),
  };
}

/** The service's events as the page knows them (rollout start and end show through the engine's own). */
export function liveEvent(e: ServiceLiveEvent): LiveEvent | null {
  switch (e.kind) {
    case 'rollout-start':
    case 'rollout-end':
      return null;
    case 'paused':
      return e.run ? { kind: 'paused', run: e.run, wave: e.wave, waves: e.waves, hosts: e.hosts, at: e.at } : null;
    case 'resumed':
      return e.run ? { kind: 'resumed', run: e.run, wave: e.wave, decision: e.decision === 'continue' ? 'approved' : 'stopped', by: e.by?.who ?? (e.decision === 'continue' ? 'timer' : 'service stop'), at: e.at } : null;
    default:
      return e;
  }
}

export function fleetView(s: Pick<DashboardSources, 'service' | 'vulndb' | 'now'>): FleetView {
  const a = s.service.fleet();
  const generated = new Date(a?.at ?? s.now()).toISOString();
  if (!a) return { generated_at: generated, hosts: [], counts: driftJson([]).counts, vulndb: s.vulndb };
  const doc = driftJson(a.results);
  const facts = new Map(a.facts.map((f) => [f.name, f]));
  const busy = s.service.busyHosts();
  const now = s.now();
  const windows = a.policy.assign.map((x) => windowState(x.window, now));
  const hosts = doc.hosts.map((h): FleetHost => {
    const f = facts.get(h.name);
    const vulns = f?.vulns === undefined ? { vulns: null, vulns_fixed_in: null } : vulnsField(f.vulns);
    return {
      ...h,
      window: h.assignment === null ? null : (windows[h.assignment] ?? null),
      os: f?.os ?? null,
      arch: f?.arch ?? null,
      groups: f?.groups ?? [],
      tags: f?.tags ?? [],
      facts_at: f?.at != null ? new Date(f.at).toISOString() : null,
      busy: busy.get(h.name) ?? null,
      vulns: vulns.vulns as FleetHost['vulns'],
      vulns_fixed_in: vulns.vulns_fixed_in,
    };
  });
  return { generated_at: generated, hosts, counts: doc.counts, vulndb: s.vulndb };
}

export function policyView(s: Pick<DashboardSources, 'service' | 'policyFile' | 'now'>): PolicyView {
  const a = s.service.fleet();
  if (!a) return { file: s.policyFile, channels: [], assignments: [] };
  const now = s.now();
  const wanted = new Map<string, string>();
  for (const r of a.results) if (r.channel && r.wanted) wanted.set(r.channel, r.wanted);
  const counts = new Map<number, number>();
  for (const r of a.results) if (r.assignment !== null) counts.set(r.assignment, (counts.get(r.assignment) ?? 0) + 1);
  const next = schedule(a.policy, counts, now, 3);
  return {
    file: s.policyFile,
    channels: [...a.policy.channels.values()].map((c): ChannelView => ({
      name: c.name,
      target: c.target.kind === 'pin' ? `pin ${c.target.version}` : `track ${c.target.spec}`,
      resolved: wanted.get(c.name) ?? null,
      min_age: c.minAge ?? null,
      allow_downgrade: c.allowDowngrade,
      gotoolchain: c.gotoolchain ?? null,
    })),
    assignments: next.map((e): AssignmentView => assignmentView(e, a.policy.assign[e.assignment]!.rollout, wanted)),
  };
}

/** One assignment as the schedule sees it now (window, state, next openings), with its channel's version and shape. */
function assignmentView(e: ScheduleEntry, r: RolloutShape, wanted: ReadonlyMap<string, string>): AssignmentView {
  return {
    index: e.assignment,
    hosts: e.hosts,
    channel: e.channel,
    wanted: wanted.get(e.channel) ?? null,
    host_count: e.host_count,
    window: e.window ? `${e.window} ${e.tz}` : null,
    window_now: e.now ? windowWords(e.now) : null,
    open: e.now ? e.now.open : null,
    next_openings: e.next.map((o) => o.opens),
    rollout: {
      ...(r.canary !== undefined ? { canary: r.canary } : {}),
      ...(r.waves !== undefined ? { waves: r.waves } : {}),
      ...(r.maxFail !== undefined ? { max_fail: r.maxFail } : {}),
      ...(r.parallel !== undefined ? { parallel: r.parallel } : {}),
      ...(r.drainTimeout !== undefined ? { drain_timeout: r.drainTimeout } : {}),
      ...(r.pause ? { pause: true } : {}),
      ...(r.pauseAfter !== undefined ? { pause_after: r.pauseAfter } : {}),
    },
  };
}
