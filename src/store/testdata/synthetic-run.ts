// A synthetic but realistic event stream for journal tests: hosts worked on concurrently (round robin),
// each with its steps, a host-done and, at the end, run-end. Times are deterministic.

import type { EngineEvent, EngineStep, ErrorInfo, FinalStatus, HostResult, StepRecord } from '../../engine/events.ts';

export interface ScriptedStep {
  step: EngineStep;
  status: 'ok' | 'fail' | 'skip';
  code?: string;
  message?: string;
}

export interface ScriptedHost {
  name: string;
  status: FinalStatus;
  from: string | null;
  to: string | null;
  error?: ErrorInfo;
  warnings?: string[];
  steps: ScriptedStep[];
}

const UPGRADE: ScriptedStep[] = ['connect', 'facts', 'upload', 'lock', 'stage', 'switch', 'verify', 'unlock'].map((step) => ({
  step: step as EngineStep,
  status: 'ok',
}));

/** build-01 upgraded, build-02 rolled back after a failed verify, win-01 unreachable. */
export const THREE_HOSTS: ScriptedHost[] = [
  { name: 'build-01', status: 'upgraded', from: 'go1.26.8', to: 'go1.27.3', steps: UPGRADE },
  {
    name: 'build-02',
    status: 'rolled_back',
    from: 'go1.26.8',
    to: 'go1.27.3',
    error: { code: 'VERIFY_FAILED', message: 'go version printed go1.26.8, want go1.27.3', hint: 'The new toolchain did not pass verification.' },
    warnings: ['login PATH finds /usr/bin/go first'],
    steps: [
      ...UPGRADE.slice(0, 6),
      { step: 'verify', status: 'fail', code: 'VERIFY_FAILED', message: 'go version printed go1.26.8, want go1.27.3\n<stderr & "quotes">' },
      { step: 'rollback', status: 'ok' },
      { step: 'unlock', status: 'ok' },
    ],
  },
  {
    name: 'win-01',
    status: 'unreachable',
    from: null,
    to: 'go1.27.3',
    error: { code: 'HOST_UNREACHABLE', message: 'connect ECONNREFUSED 10.0.1.7:22' },
    steps: [{ step: 'connect', status: 'fail', code: 'HOST_UNREACHABLE', message: 'connect ECONNREFUSED 10.0.1.7:22' }],
  },
];

export const T0 = Date.UTC(2026, 10, 25, 9, 15, 2);

/** The whole stream, plus each host's final result as the engine would have built it. */
export function syntheticRun(run: string, hosts: ScriptedHost[] = THREE_HOSTS, t0 = T0): { events: EngineEvent[]; results: HostResult[] } {
  let clock = t0;
  const tick = (): number => (clock += 250);
  const events: EngineEvent[] = [];
  const target = hosts[0]?.to ?? null;
  events.push({ kind: 'run-start', run, command: 'upgrade', target, hosts: hosts.map((h) => h.name), at: t0 });
  events.push({ kind: 'wave-start', run, wave: 1, hosts: hosts.map((h) => h.name), at: t0 });
  const records = new Map<string, StepRecord[]>(hosts.map((h) => [h.name, []]));
  const started = new Map<string, number>();
  const results: HostResult[] = [];
  const longest = Math.max(...hosts.map((h) => h.steps.length));
  for (let i = 0; i <= longest; i++) {
    for (const h of hosts) {
      const s = h.steps[i];
      const steps = records.get(h.name) ?? [];
      if (s) {
        const rec: StepRecord = { step: s.step, status: 'running', startedAt: tick(), endedAt: null };
        if (!started.has(h.name)) started.set(h.name, rec.startedAt);
        steps.push(rec);
        events.push({ kind: 'host-step', run, host: h.name, step: s.step, status: 'start', at: rec.startedAt });
        rec.status = s.status;
        rec.endedAt = tick();
        if (s.code) rec.code = s.code;
        if (s.message) rec.message = s.message;
        const detail = { ...(s.code ? { code: s.code } : {}), ...(s.message ? { message: s.message } : {}) };
        events.push({ kind: 'host-step', run, host: h.name, step: s.step, status: s.status, ...detail, at: rec.endedAt });
      } else if (i === h.steps.length) {
        const at = tick();
        const start = started.get(h.name) ?? at;
        const result: HostResult = {
          name: h.name,
          status: h.status,
          from: h.from,
          to: h.to,
          error: h.error ?? null,
          warnings: h.warnings ?? [],
          startedAt: start,
          durationMs: at - start,
          steps: steps.map((r) => ({ ...r })),
        };
        results.push(result);
        events.push({ kind: 'host-done', run, result, at });
      }
    }
  }
  events.push({ kind: 'wave-end', run, wave: 1, at: tick() });
  events.push({ kind: 'run-end', run, results, at: tick() });
  return { events, results };
}

/** n upgraded hosts named host-000, host-001, ... */
export function upgradedHosts(n: number): ScriptedHost[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `host-${String(i).padStart(3, '0')}`,
    status: 'upgraded' as const,
    from: 'go1.26.8',
    to: 'go1.27.3',
    steps: UPGRADE,
  }));
}
