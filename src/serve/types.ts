// What the dashboard server reads and asks (issue 13, `gofleet serve`): one narrow interface, DashboardData, that
// the service loop implements (facts refresh, reconciles, the journal) and tests fake in memory. Every shape here
// is plain JSON (ISO 8601 UTC strings for times in documents, ms since the epoch in events, as the engine emits
// them), so the server sends them to the page as they come.
//
//   fleet()       FleetView: the `drift --json` document (docs/design.md "Policy") plus, per host, what `facts`
//                 knows: os, arch, groups, tags, facts_at, busy (the id of the run working on it, or null) and
//                 vulns / vulns_fixed_in exactly as `facts --json` gives them (report/host-vulns.ts vulnsField).
//   runs()        RunsView: the `history --json` document ({runs: [...]}, newest first).
//   runEvents(id) the run's events so far (the journal's, plus the pause state), so a page opened mid-run can
//                 replay them before the live stream continues; null for an unknown run.
//   runReport(id) the existing HTML report (report/html.ts htmlReport) for the run, or null when unknown.
//   policy()      PolicyView: channels, assignments with their windows in words and next openings.
//   subscribe(fn) LiveEvent stream: the engine's events, pauses between waves, fleet refreshes; returns unsubscribe.
//   approve/stop  the person's answer to a run paused before `wave`; Actor says who (token name or "local") and
//                 from where (the request's address). The implementation records it in the audit trail.

import type { DriftStatus } from '../policy/drift.ts';
import type { DriftHostJson } from '../policy/drift-report.ts';
import type { EngineEvent } from '../engine/events.ts';

export type DriftStatusView = DriftStatus;

export const DRIFT_STATUSES: readonly DriftStatusView[] = ['compliant', 'behind', 'ahead', 'off_pin', 'misconfigured', 'unknown', 'unassigned'];

/** drift --json `window`: where the host's assignment window stands now; null when it has none. */
export interface WindowView {
  open: boolean;
  closes_at: string | null;
  next_opening: string | null;
  tz: string;
}

/** One known vulnerability, as `facts --json` lists it (report/host-vulns.ts vulnsField). */
export interface HostVulnView {
  id: string;
  aliases: string[];
  summary: string;
  /** first fixed version at or above the host's (go1.26.9); null: none published */
  fixed: string | null;
  packages: { path: string; symbols: string[] }[];
}

/** A host of `drift --json` (policy/drift-report.ts DriftHostJson: name, status, active, wanted, channel,
 * assignment, reasons, notes) plus its window and what facts know of it. */
export interface FleetHost extends DriftHostJson {
  window: WindowView | null;
  // facts
  os: string | null;
  arch: string | null;
  groups: string[];
  tags: string[];
  /** when the facts were gathered (ISO); null: never reached */
  facts_at: string | null;
  /** the run working on the host now, or null */
  busy: string | null;
  /** null: not checked (no --vulndb, or a toolchain that cannot be matched); [] none known */
  vulns: HostVulnView[] | null;
  vulns_fixed_in: string | null;
}

export interface FleetView {
  /** when this view was computed (ISO) */
  generated_at: string;
  hosts: FleetHost[];
  counts: Record<DriftStatusView, number>;
  /** the vulnerability database matched against, or null without --vulndb */
  vulndb: { source: string; modified: string | null } | null;
}

/** One run as `history --json` lists it (cli/commands/history.ts historyJson). */
export interface RunSummaryView {
  id: string;
  started: string;
  ended: string | null;
  user: string;
  command: string;
  target: string | null;
  status: string;
  counts: Record<string, number>;
  argv: string[];
  abandoned: boolean | null;
}

export interface RunsView {
  runs: RunSummaryView[];
}

export interface ChannelView {
  name: string;
  /** `track 1.27` / `track latest` / `pin go1.26.8` */
  target: string;
  /** what the channel resolves to now; null when not resolved (source down, no release yet) */
  resolved: string | null;
  min_age: string | null;
  allow_downgrade: boolean;
  gotoolchain: 'local' | 'auto' | null;
}

export interface AssignmentView {
  index: number;
  hosts: string;
  channel: string;
  /** the channel's version now (null: unresolved) */
  wanted: string | null;
  /** hosts the pattern selects */
  host_count: number;
  /** the window as written (`sat,sun 02:00 for 4h Europe/Berlin`, `cron 0 2 * * 6 for 4h ...`); null: any time */
  window: string | null;
  /** where it stands now in words (policy/window-state.ts windowWords); null without a window */
  window_now: string | null;
  open: boolean | null;
  /** the next openings (ISO), soonest first */
  next_openings: string[];
  /** the rollout shape, under `upgrade`'s option names */
  rollout: { canary?: number; waves?: string; max_fail?: string; parallel?: number; drain_timeout?: string; pause?: boolean; pause_after?: string };
}

export interface PolicyView {
  /** the policy file as given */
  file: string;
  channels: ChannelView[];
  assignments: AssignmentView[];
}

/** A rollout waiting for a person before `wave` (1-based) of `waves`; `hosts` are that wave's. */
export interface PausedEvent {
  kind: 'paused';
  run: string;
  wave: number;
  waves: number;
  hosts: string[];
  at: number;
}

export interface ResumedEvent {
  kind: 'resumed';
  run: string;
  wave: number;
  /** what the person decided, and who */
  decision: 'approved' | 'stopped';
  by: string;
  at: number;
}

/** The fleet view changed (facts refreshed, a rollout ended): the fleet page fetches /api/fleet again. */
export interface FleetUpdatedEvent {
  kind: 'fleet-updated';
  at: number;
}

export type LiveEvent = EngineEvent | PausedEvent | ResumedEvent | FleetUpdatedEvent;

/** Who asked: the token's name ("local" when no token is required) and the request's remote address. */
export interface Actor {
  who: string;
  from: string;
}

/** ok: done; otherwise why not (no such run, not paused at that wave): shown to the person as is. */
export type ActionResult = { ok: true } | { ok: false; reason: 'not_found' | 'not_paused' | 'wrong_wave'; message: string };

export interface DashboardData {
  fleet(): Promise<FleetView>;
  runs(): Promise<RunsView>;
  runEvents(id: string): Promise<LiveEvent[] | null>;
  runReport(id: string): Promise<string | null>;
  policy(): Promise<PolicyView>;
  subscribe(fn: (e: LiveEvent) => void): () => void;
  approve(run: string, wave: number, actor: Actor): Promise<ActionResult>;
  stop(run: string, wave: number, actor: Actor): Promise<ActionResult>;
}
