// An in-memory DashboardData for tests, the benchmark and the screenshot script: a deterministic fleet of N hosts
// (every drift status, several OSes, groups, tags, channels, some with known vulnerabilities), a run history,
// a policy, and a run whose events the caller emits (`emit`), paused and resumed as a person answers.

import type { EngineEvent, HostResult } from '../../engine/events.ts';
import type { ActionResult, Actor, DashboardData, DriftStatusView, FleetHost, FleetView, LiveEvent, PolicyView, RunsView } from '../types.ts';
import { DRIFT_STATUSES } from '../types.ts';

export interface FakeDashboard extends DashboardData {
  /** send an event to every subscriber (and keep it for runEvents when it names a run) */
  emit(e: LiveEvent): void;
  /** approve/stop calls, in order */
  actions: { kind: 'approve' | 'stop'; run: string; wave: number; actor: Actor }[];
  subscribers(): number;
  /** pause `run` before `wave` (emits `paused`) */
  pause(run: string, wave: number, waves: number, hosts: string[]): void;
}

export const T0 = Date.parse('2026-12-03T09:00:00Z');

const OSES: Array<[string, string]> = [['linux', 'amd64'], ['linux', 'arm64'], ['darwin', 'arm64'], ['windows', 'amd64']];
const GROUPS = ['build', 'ci-runners', 'web', 'batch', 'windows-agents'];
const CHANNELS: Array<[string, string]> = [['stable', 'go1.27.3'], ['fast', 'go1.28rc1'], ['legacy', 'go1.26.8']];
const VERSIONS = ['go1.27.3', 'go1.27.3', 'go1.27.3', 'go1.27.2', 'go1.26.8', 'go1.26.8', 'go1.25.4', 'go1.28rc1', 'go1.27.3', 'go1.27.1'];

function statusFor(i: number, active: string | null, wanted: string, channel: string): DriftStatusView {
  if (active === null) return 'unknown';
  if (i % 97 === 13) return 'unassigned';
  if (i % 41 === 7) return 'misconfigured';
  if (active === wanted) return 'compliant';
  if (channel === 'legacy') return 'off_pin';
  return active > wanted ? 'ahead' : 'behind';
}

export function fakeHost(i: number): FleetHost {
  const [os, arch] = OSES[i % OSES.length] ?? ['linux', 'amd64'];
  const group = GROUPS[i % GROUPS.length] ?? 'build';
  const [channel, wanted] = CHANNELS[i % 7 === 0 ? 1 : i % 11 === 0 ? 2 : 0] ?? ['stable', 'go1.27.3'];
  const reachable = i % 53 !== 5;
  const active = reachable ? (VERSIONS[(i * 7) % VERSIONS.length] ?? 'go1.27.3') : null;
  const status = statusFor(i, active, wanted, channel);
  const vulnerable = active !== null && active < 'go1.27.2';
  const name = `${group}-${String(i + 1).padStart(4, '0')}`;
  return {
    name,
    status,
    active,
    wanted: status === 'unassigned' ? null : wanted,
    channel: status === 'unassigned' ? null : channel,
    assignment: status === 'unassigned' ? null : CHANNELS.findIndex(([c]) => c === channel),
    reasons: status === 'compliant' ? [] : status === 'unknown' ? ['unreachable: connect timed out'] : status === 'misconfigured' ? ['GOTOOLCHAIN=auto, policy says local'] : status === 'unassigned' ? ['no assignment selects this host'] : [`runs ${active}, channel ${channel} wants ${wanted}`],
    notes: [],
    window: status === 'unassigned' ? null : { open: i % 2 === 0, closes_at: i % 2 === 0 ? '2026-12-03T13:00:00.000Z' : null, next_opening: '2026-12-05T01:00:00.000Z', tz: 'Europe/Berlin' },
    os,
    arch,
    groups: [group, ...(i % 3 === 0 ? ['eu-west'] : ['us-east'])],
    tags: i % 10 === 0 ? ['canary'] : i % 4 === 0 ? ['gpu'] : [],
    facts_at: reachable ? new Date(T0 - (i % 60) * 60_000).toISOString() : null,
    busy: null,
    vulns: active === null ? null : vulnerable ? [
      { id: 'GO-2026-4101', aliases: ['CVE-2026-31001'], summary: 'Excessive memory use in net/http header parsing', fixed: 'go1.27.2', packages: [{ path: 'net/http', symbols: ['Server.Serve'] }] },
      ...(active < 'go1.26' ? [{ id: 'GO-2025-3801', aliases: ['CVE-2025-22871'], summary: 'Request smuggling through invalid chunked data in net/http', fixed: 'go1.26.2', packages: [{ path: 'net/http/internal', symbols: ['chunkedReader.Read'] }] }] : []),
    ] : [],
    vulns_fixed_in: vulnerable ? 'go1.27.2' : null,
  };
}

export function fakeFleet(n: number): FleetView {
  const hosts = Array.from({ length: n }, (_, i) => fakeHost(i));
  const counts = Object.fromEntries(DRIFT_STATUSES.map((s) => [s, 0])) as Record<DriftStatusView, number>;
  for (const h of hosts) counts[h.status]++;
  return { generated_at: new Date(T0).toISOString(), hosts, counts, vulndb: { source: 'file:///srv/vuln.go.dev', modified: '2026-12-01T00:00:00Z' } };
}

export function fakeRuns(): RunsView {
  const run = (id: string, hoursAgo: number, status: string, counts: Record<string, number>, command = 'upgrade', target: string | null = 'go1.27.3') => ({
    id, started: new Date(T0 - hoursAgo * 3600_000).toISOString(), ended: status === 'running' ? null : new Date(T0 - hoursAgo * 3600_000 + 840_000).toISOString(),
    user: 'ops', command, target, status, counts, argv: ['gofleet', command, '-i', 'fleet.yml', ...(target ? ['--to', target] : [])], abandoned: status === 'running' ? false : null,
  });
  return {
    runs: [
      run('20261203-090000-live', 0, 'running', {}),
      run('20261202-020000-a1b2', 31, 'done', { upgraded: 118, unchanged: 4, failed: 1 }),
      run('20261201-020000-c3d4', 55, 'done', { upgraded: 40, unchanged: 2 }),
      run('20261128-140500-e5f6', 139, 'interrupted', { upgraded: 9, skipped: 31 }),
      run('20261125-091502-0a0b', 216, 'done', { switched: 12 }, 'rollback', null),
    ],
  };
}

export function fakePolicy(): PolicyView {
  return {
    file: '/etc/gofleet/policy.yml',
    channels: [
      { name: 'stable', target: 'track 1.27', resolved: 'go1.27.3', min_age: '3d', allow_downgrade: false, gotoolchain: 'local' },
      { name: 'fast', target: 'track latest', resolved: 'go1.28rc1', min_age: null, allow_downgrade: false, gotoolchain: null },
      { name: 'legacy', target: 'pin go1.26.8', resolved: 'go1.26.8', min_age: null, allow_downgrade: true, gotoolchain: 'auto' },
    ],
    assignments: [
      { index: 0, hosts: 'build,ci-runners', channel: 'stable', wanted: 'go1.27.3', host_count: 2400, window: 'sat,sun 02:00 for 4h Europe/Berlin', window_now: 'closed, opens 2026-12-05 02:00 Europe/Berlin', open: false, next_openings: ['2026-12-05T01:00:00.000Z', '2026-12-06T01:00:00.000Z'], rollout: { canary: 1, waves: '10%,50%', max_fail: '5%', parallel: 10 } },
      { index: 1, hosts: 'tag:canary', channel: 'fast', wanted: 'go1.28rc1', host_count: 500, window: 'cron 0 2 * * 6 for 4h America/New_York', window_now: 'open until 2026-12-03 13:00 America/New_York', open: true, next_openings: ['2026-12-05T07:00:00.000Z'], rollout: { parallel: 5 } },
      { index: 2, hosts: 'legacy-*', channel: 'legacy', wanted: 'go1.26.8', host_count: 0, window: null, window_now: null, open: null, next_openings: [], rollout: {} },
    ],
  };
}

export function fakeDashboard(options: { hosts?: number; fleet?: FleetView } = {}): FakeDashboard {
  const fleet = options.fleet ?? fakeFleet(options.hosts ?? 200);
  const subscribers = new Set<(e: LiveEvent) => void>();
  const events = new Map<string, LiveEvent[]>();
  const paused = new Map<string, number>();
  const actions: FakeDashboard['actions'] = [];
  const runs = fakeRuns();
  const emit = (e: LiveEvent): void => {
    if ('run' in e) events.set(e.run, [...(events.get(e.run) ?? []), e]);
    for (const fn of [...subscribers]) fn(e);
  };
  const answer = (kind: 'approve' | 'stop') => async (run: string, wave: number, actor: Actor): Promise<ActionResult> => {
    actions.push({ kind, run, wave, actor });
    const at = paused.get(run);
    if (at === undefined) return events.has(run) ? { ok: false, reason: 'not_paused', message: `run ${run} is not waiting for anyone` } : { ok: false, reason: 'not_found', message: `no run ${run}` };
    if (at !== wave) return { ok: false, reason: 'wrong_wave', message: `run ${run} waits before wave ${at}, not ${wave}` };
    paused.delete(run);
    emit({ kind: 'resumed', run, wave, decision: kind === 'approve' ? 'approved' : 'stopped', by: actor.who, at: Date.now() });
    return { ok: true };
  };
  return {
    fleet: async () => fleet,
    runs: async () => runs,
    runEvents: async (id) => events.get(id) ?? (runs.runs.some((r) => r.id === id) ? [] : null),
    runReport: async (id) => (runs.runs.some((r) => r.id === id) ? `<!DOCTYPE html><html><head><title>report ${id}</title></head><body><h1>Report of ${id}</h1></body></html>` : null),
    policy: async () => fakePolicy(),
    subscribe(fn) {
      subscribers.add(fn);
      return () => void subscribers.delete(fn);
    },
    approve: answer('approve'),
    stop: answer('stop'),
    emit,
    actions,
    subscribers: () => subscribers.size,
    pause(run, wave, waves, hosts) {
      paused.set(run, wave);
      emit({ kind: 'paused', run, wave, waves, hosts, at: Date.now() });
    },
  };
}

/** A host's finished result, for host-done events. */
export function doneResult(name: string, status: HostResult['status'], startedAt: number, durationMs: number): HostResult {
  return { name, status, from: 'go1.26.8', to: 'go1.27.3', error: status === 'failed' || status === 'rolled_back' ? { code: 'VERIFY_FAILED', message: 'go version printed go1.26.8, want go1.27.3' } : null, warnings: [], startedAt, durationMs, steps: [] };
}

/** The events of one host going through an upgrade, `stepMs` apart. */
export function hostEvents(run: string, host: string, start: number, stepMs: number, status: HostResult['status'] = 'upgraded'): EngineEvent[] {
  const steps = ['connect', 'facts', 'upload', 'stage', 'switch', 'verify'] as const;
  const out: EngineEvent[] = [];
  steps.forEach((step, i) => {
    out.push({ kind: 'host-step', run, host, step, status: 'start', at: start + i * stepMs });
    out.push({ kind: 'host-step', run, host, step, status: (status === 'failed' || status === 'rolled_back') && step === 'verify' ? 'fail' : 'ok', at: start + (i + 1) * stepMs });
  });
  out.push({ kind: 'host-done', run, result: doneResult(host, status, start, steps.length * stepMs), at: start + steps.length * stepMs });
  return out;
}
