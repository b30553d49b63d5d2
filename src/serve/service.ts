// The fleet as a living system (`gofleet serve`): facts refreshed on an interval, reconciles started when windows
// are open, rollouts watched and answered between waves, and rollouts this service left unfinished resumed when it
// starts again. Everything that reaches hosts or the journal comes in as `ServiceDeps` (the serve command wires the
// real ones: runtime.ts, runCli, the journal); the decisions are here, tested with fakes in service.test.ts.
//
// Rules: never two rollouts on one host (a host in a running rollout is busy and left out of the next plan); one
// rollout per assignment at a time, and at most one per window opening (a host that failed waits for the next
// opening, or for --refresh when the assignment has no window, instead of being retried on every tick); `pause: true`
// waits for a person's approval between waves, `pause_after` waits that long unless stopped; stop() is a first
// Ctrl-C for every rollout (in-flight hosts finish or roll back) and the runs end interrupted, to be resumed by the
// next start.

import type { EngineEvent, EventSink } from '../engine/events.ts';
import type { UpcomingWave, WaveDecision } from '../engine/wave-gate.ts';
import type { DriftResult } from '../policy/drift.ts';
import { planReconcile, type PlannedRollout } from '../policy/reconcile-plan.ts';
import type { Policy, RolloutShape } from '../policy/types.ts';
import { openingsBetween } from '../policy/window.ts';
import { parseDuration } from '../engine/drain-options.ts';
import type { ActionResult, Actor } from './types.ts';

/** the exit code of a rollout a person stopped before it started (as an interrupted command's) */
const EXIT_INTERRUPTED = 99;

export type { ActionResult, Actor } from './types.ts';

/** What the last facts round found: the policy it was judged by, each host's drift and its facts. */
export interface Assessment<F = unknown> {
  at: number;
  policy: Policy;
  results: DriftResult[];
  facts: F[];
}

export interface RolloutHooks {
  sink: EventSink;
  beforeWave: (next: UpcomingWave) => Promise<WaveDecision>;
  signal: AbortSignal;
  origin: Record<string, unknown>;
}

/** A rollout of this service (or one it resumed): for the dashboard and the busy set. */
export interface ActiveRollout {
  key: string;
  assignment: number | null;
  /** the journal's run id, once its run-start was seen */
  run: string | null;
  target: string | null;
  hosts: string[];
  startedAt: number;
  /** set while it waits between waves */
  paused: { wave: number; waves: number; hosts: string[]; mode: 'approval' | 'timer'; until: number | null } | null;
  resumed: boolean;
}

export interface AuditEntry {
  at: number;
  actor: Actor;
  action: 'approve' | 'stop';
  run: string;
  wave: number;
  /** the hosts of the wave the answer was about (approvals carry over to a resumed run by host) */
  hosts: string[];
}

/** What the service tells the dashboard, besides the engine's own events. */
export type ServiceEvent =
  | { kind: 'rollout-start'; key: string; assignment: number | null; hosts: string[]; target: string | null; at: number }
  | { kind: 'rollout-end'; key: string; run: string | null; exitCode: number; at: number }
  | { kind: 'paused'; run: string | null; wave: number; waves: number; hosts: string[]; mode: 'approval' | 'timer'; until: number | null; at: number }
  | { kind: 'resumed'; run: string | null; wave: number; decision: WaveDecision; by: Actor | null; at: number }
  | { kind: 'fleet-updated'; at: number };

export type LiveEvent = EngineEvent | ServiceEvent;

export interface UnfinishedRun {
  id: string;
  /** the hosts the resume will work on */
  hosts: string[];
  assignment: number | null;
}

export interface ServiceDeps<F = unknown> {
  /** a facts round over the fleet, judged by the policy file as it is now */
  assess(): Promise<Assessment<F>>;
  /** run one planned rollout (an upgrade command line) to its end; its exit code */
  runRollout(rollout: PlannedRollout, hooks: RolloutHooks): Promise<number>;
  /** finish a run this service left unfinished (`gofleet resume RUN`); its exit code */
  resumeRun(run: string, hooks: RolloutHooks): Promise<number>;
  /** runs started by this service that are unfinished and were not stopped by a person */
  unfinishedRuns(): Promise<UnfinishedRun[]>;
  /** hosts of a run that need no approval any more: its first wave's, and those of every approved wave (journal) */
  approvedHosts(run: string): Promise<string[]>;
  audit(entry: AuditEntry): void;
  now(): number;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

export interface ServiceOptions {
  /** facts round interval (ms) */
  refreshMs: number;
  /** how often open windows are looked at (ms); rollouts start at most this late after a window opens */
  tickMs: number;
}

export class FleetService<F = unknown> {
  private assessment: Assessment<F> | null = null;
  private assessing: Promise<void> | null = null;
  private readonly rollouts = new Map<string, ActiveRollout>();
  private readonly done = new Set<Promise<unknown>>();
  /** assignment -> the window opening (or, without a window, the facts round) its last rollout belonged to */
  private readonly ranFor = new Map<number, number>();
  /** host -> when it last failed in a rollout of this service */
  private readonly failedAt = new Map<string, number>();
  private readonly listeners = new Set<(e: LiveEvent) => void>();
  private readonly gates = new Map<string, (d: { decision: WaveDecision; by: Actor | null }) => void>();
  /** run -> hosts a person has approved (or that were in its first wave): a wave of only these is not asked again */
  private readonly approved = new Map<string, Set<string>>();
  private readonly stopping = new AbortController();
  private timers: NodeJS.Timeout[] = [];
  private lastRefresh = 0;

  constructor(
    private readonly deps: ServiceDeps<F>,
    private readonly options: ServiceOptions,
  ) {}

  /** Resume what an earlier service left, take a first facts round, then tick. */
  async start(): Promise<void> {
    // the policy first: a resumed rollout's pause rules come from its assignment
    await this.refresh();
    for (const u of await this.deps.unfinishedRuns()) {
      this.approved.set(u.id, new Set(await this.deps.approvedHosts(u.id)));
      this.launch({ key: `resume:${u.id}`, assignment: u.assignment, run: u.id, target: null, hosts: u.hosts }, (hooks, entry) => this.resume(u, hooks, entry));
    }
    this.timers.push(setInterval(() => void this.tick(), this.options.tickMs));
    for (const t of this.timers) t.unref?.();
  }

  /** A facts round now (the dashboard's "refresh", and after every rollout). */
  refresh(): Promise<void> {
    this.assessing ??= (async () => {
      try {
        this.assessment = await this.deps.assess();
        this.lastRefresh = this.deps.now();
        this.emit({ kind: 'fleet-updated', at: this.lastRefresh });
      } catch (err) {
        this.deps.log('error', `facts round failed: ${(err as Error).message}`);
      } finally {
        this.assessing = null;
      }
    })();
    return this.assessing;
  }

  /** One look at the windows: refresh when due, then start the rollouts whose window is open. */
  async tick(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    if (this.deps.now() - this.lastRefresh >= this.options.refreshMs) await this.refresh();
    const a = this.assessment;
    if (!a || this.stopping.signal.aborted) return;
    const now = this.deps.now();
    const busy = this.busyHosts();
    for (const planned of planReconcile(a.policy, a.results, now).rollouts) {
      const assignment = a.policy.assign[planned.assignment];
      if (!assignment || [...this.rollouts.values()].some((r) => r.assignment === planned.assignment)) continue;
      const round = assignment.window ? (openingsBetween(assignment.window, now - assignment.window.durationMs + 1, now).at(-1) ?? now) : a.at;
      if (this.ranFor.get(planned.assignment) === round) continue;
      const hosts = planned.hosts.filter((h) => !busy.has(h) && !this.recentlyFailed(h, now));
      if (hosts.length === 0) continue;
      this.ranFor.set(planned.assignment, round);
      const rollout = { ...planned, hosts };
      this.launch({ key: `assign:${planned.assignment}:${round}`, assignment: planned.assignment, run: null, target: planned.target, hosts }, (hooks) => this.deps.runRollout(rollout, hooks));
    }
  }

  /** Stop: no new rollout, no new host (a first Ctrl-C for each rollout); resolves when they have ended. */
  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.stopping.abort();
    for (const release of this.gates.values()) release({ decision: 'stop', by: null });
    await Promise.allSettled([...this.done]);
  }

  fleet(): Assessment<F> | null {
    return this.assessment;
  }

  active(): ActiveRollout[] {
    return [...this.rollouts.values()];
  }

  busyHosts(): Map<string, string> {
    const out = new Map<string, string>();
    for (const r of this.rollouts.values()) for (const h of r.hosts) out.set(h, r.run ?? r.key);
    return out;
  }

  subscribe(fn: (e: LiveEvent) => void): () => void {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }

  approve(run: string, wave: number, actor: Actor): ActionResult {
    return this.answer(run, wave, actor, 'continue');
  }

  stopRollout(run: string, wave: number, actor: Actor): ActionResult {
    return this.answer(run, wave, actor, 'stop');
  }

  private answer(run: string, wave: number, actor: Actor, decision: WaveDecision): ActionResult {
    const r = [...this.rollouts.values()].find((x) => x.run === run);
    if (!r) return { ok: false, reason: 'not_found', message: `no rollout ${run} is running` };
    const release = this.gates.get(r.key);
    if (!r.paused || !release) return { ok: false, reason: 'not_paused', message: `rollout ${run} is not waiting between waves` };
    if (r.paused.wave !== wave) return { ok: false, reason: 'wrong_wave', message: `rollout ${run} waits before wave ${r.paused.wave}, not ${wave}` };
    // the audit trail first: an answer that is not recorded is not given
    this.deps.audit({ at: this.deps.now(), actor, action: decision === 'continue' ? 'approve' : 'stop', run, wave, hosts: r.paused.hosts });
    if (decision === 'continue') for (const h of r.paused.hosts) this.approvedOf(run).add(h);
    release({ decision, by: actor });
    return { ok: true };
  }

  private approvedOf(run: string): Set<string> {
    let set = this.approved.get(run);
    if (!set) this.approved.set(run, (set = new Set()));
    return set;
  }

  /**
   * Finish a run an earlier service left. Its remaining hosts are planned in waves again, so a host no person approved
   * could come first (where nobody is asked): then a person approves the resume itself before it starts.
   */
  private async resume(u: UnfinishedRun, hooks: RolloutHooks, entry: ActiveRollout): Promise<number> {
    const shape = this.shapeOf(entry);
    const unapproved = u.hosts.filter((h) => !this.approvedOf(u.id).has(h));
    if (shape.pause && unapproved.length > 0) {
      const decision = await this.pause(entry, { wave: 1, waves: 1, hosts: unapproved }, 'approval', 0);
      if (decision === 'stop') return EXIT_INTERRUPTED;
    }
    return this.deps.resumeRun(u.id, hooks);
  }

  private launch(r: Omit<ActiveRollout, 'startedAt' | 'paused' | 'resumed'>, run: (hooks: RolloutHooks, entry: ActiveRollout) => Promise<number>): void {
    const entry: ActiveRollout = { ...r, startedAt: this.deps.now(), paused: null, resumed: r.key.startsWith('resume:') };
    this.rollouts.set(r.key, entry);
    this.emit({ kind: 'rollout-start', key: r.key, assignment: r.assignment, hosts: r.hosts, target: r.target, at: entry.startedAt });
    const hooks: RolloutHooks = {
      sink: (e) => this.observe(entry, e),
      beforeWave: (next) => this.betweenWaves(entry, next),
      signal: this.stopping.signal,
      origin: { by: 'serve', assignment: r.assignment },
    };
    const p = run(hooks, entry)
      .catch((err: unknown) => {
        this.deps.log('error', `rollout ${entry.run ?? r.key} failed: ${(err as Error).message}`);
        return 1;
      })
      .then(async (exitCode) => {
        this.rollouts.delete(r.key);
        this.emit({ kind: 'rollout-end', key: r.key, run: entry.run, exitCode, at: this.deps.now() });
        if (!this.stopping.signal.aborted) await this.refresh();
      })
      .finally(() => this.done.delete(p));
    this.done.add(p);
  }

  private observe(entry: ActiveRollout, e: EngineEvent): void {
    if (e.kind === 'run-start') {
      entry.run = e.run;
      entry.target = e.target;
      if (e.hosts.length > 0) entry.hosts = e.hosts;
    }
    // the first wave of a fresh run is never asked about: its hosts count as approved for a later resume
    if (e.kind === 'wave-start' && e.wave === 1 && !entry.resumed) for (const h of e.hosts) this.approvedOf(e.run).add(h);
    if (e.kind === 'host-done' && (e.result.status === 'failed' || e.result.status === 'rolled_back' || e.result.status === 'unreachable')) {
      this.failedAt.set(e.result.name, this.deps.now());
    }
    this.emit(e);
  }

  private async betweenWaves(entry: ActiveRollout, next: UpcomingWave): Promise<WaveDecision> {
    const shape = this.shapeOf(entry);
    const waitMs = shape.pauseAfter ? (parseDuration(shape.pauseAfter) ?? 0) : 0;
    if (!shape.pause && waitMs === 0) return 'continue';
    if (this.stopping.signal.aborted) return 'stop';
    const hosts = next.hosts.map((h) => h.name);
    // a resumed run's wave whose hosts a person approved before the restart is not asked again
    if (shape.pause && entry.run && hosts.every((h) => this.approvedOf(entry.run as string).has(h))) return 'continue';
    return this.pause(entry, { wave: next.wave, waves: next.waves, hosts }, shape.pause ? 'approval' : 'timer', waitMs);
  }

  /** Wait for a person (approval) or for `waitMs` (timer, unless a person stops it first). */
  private async pause(entry: ActiveRollout, next: { wave: number; waves: number; hosts: string[] }, mode: 'approval' | 'timer', waitMs: number): Promise<WaveDecision> {
    const until = mode === 'timer' ? this.deps.now() + waitMs : null;
    const hosts = next.hosts;
    entry.paused = { wave: next.wave, waves: next.waves, hosts, mode, until };
    this.emit({ kind: 'paused', run: entry.run, wave: next.wave, waves: next.waves, hosts, mode, until, at: this.deps.now() });
    const answer = await new Promise<{ decision: WaveDecision; by: Actor | null }>((resolve) => {
      this.gates.set(entry.key, resolve);
      if (mode === 'timer') setTimeout(() => resolve({ decision: 'continue', by: null }), waitMs);
    });
    this.gates.delete(entry.key);
    entry.paused = null;
    this.emit({ kind: 'resumed', run: entry.run, wave: next.wave, decision: answer.decision, by: answer.by, at: this.deps.now() });
    return answer.decision;
  }

  /** The rollout's assignment's shape; when it cannot be known (no policy read yet, an assignment gone), a person decides. */
  private shapeOf(entry: ActiveRollout): RolloutShape {
    const a = entry.assignment === null ? undefined : this.assessment?.policy.assign[entry.assignment];
    return a?.rollout ?? { pause: true };
  }

  private recentlyFailed(host: string, now: number): boolean {
    const at = this.failedAt.get(host);
    return at !== undefined && now - at < this.options.refreshMs;
  }

  private emit(e: LiveEvent): void {
    for (const fn of this.listeners) {
      try {
        fn(e);
      } catch {
        // a listener (one SSE client) that throws must not stop the others or the rollout
      }
    }
  }
}
