// The journal's rows as both back ends read them (SQLite and PostgreSQL have the same columns, JSON kept as text),
// and what they become: a run summary, a host with its steps, a step.

import type { EngineStep, ErrorInfo, HostStatus, StepRecord } from '../engine/events.ts';
import type { RunStatus, RunSummary, StoredHost, StoredStep } from './types.ts';

export interface RunRow {
  id: string;
  started: number;
  ended: number | null;
  user: string;
  argv: string;
  command: string;
  target: string | null;
  policy: string;
  status: string;
  counts: string;
  controller: string;
  pid: number;
  cwd: string | null;
}

export interface HostRow {
  host: string;
  status: string;
  from_version: string | null;
  to_version: string | null;
  error_code: string | null;
  error_message: string | null;
  error_hint: string | null;
  started: number | null;
  ended: number | null;
  warnings: string;
  extra: string;
}

export interface StepRow {
  host: string;
  seq: number;
  step: string;
  status: string;
  started: number;
  ended: number | null;
  code: string | null;
  message: string | null;
}

export function toSummary(r: RunRow): RunSummary {
  return {
    id: r.id,
    started: r.started,
    ended: r.ended,
    user: r.user,
    argv: JSON.parse(r.argv) as string[],
    command: r.command,
    target: r.target,
    policy: JSON.parse(r.policy) as Record<string, unknown>,
    status: r.status as RunStatus,
    counts: JSON.parse(r.counts) as Record<string, number>,
    controller: r.controller,
    pid: r.pid,
    cwd: r.cwd,
  };
}

export function toHost(h: HostRow, steps: StoredStep[]): StoredHost {
  const error: ErrorInfo | null =
    h.error_code === null
      ? null
      : { code: h.error_code as ErrorInfo['code'], message: h.error_message ?? '', ...(h.error_hint === null ? {} : { hint: h.error_hint }) };
  return {
    name: h.host,
    status: h.status as HostStatus,
    from: h.from_version,
    to: h.to_version,
    error,
    warnings: JSON.parse(h.warnings) as string[],
    startedAt: h.started,
    endedAt: h.ended,
    extra: JSON.parse(h.extra) as Record<string, unknown>,
    steps,
  };
}

export function toStep(s: StepRow): StoredStep {
  return {
    seq: s.seq,
    step: s.step as EngineStep,
    status: s.status as StepRecord['status'],
    startedAt: s.started,
    endedAt: s.ended,
    ...(s.code === null ? {} : { code: s.code }),
    ...(s.message === null ? {} : { message: s.message }),
  };
}
