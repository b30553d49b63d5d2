// Reading the journal back: runs newest first, one run with its hosts and steps, what a run left unfinished.

import type { Database } from 'better-sqlite3';
import type { EngineStep, ErrorInfo, HostStatus, StepRecord } from '../engine/events.ts';
import { FINAL_STATUSES } from './final-status.ts';
import type { JournalEvent, RunStatus, RunSummary, StoredHost, StoredRun, StoredStep, UnfinishedHost } from './types.ts';

interface RunRow {
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

interface HostRow {
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

interface StepRow {
  host: string;
  seq: number;
  step: string;
  status: string;
  started: number;
  ended: number | null;
  code: string | null;
  message: string | null;
}

const FINAL_SQL = FINAL_STATUSES.map((s) => `'${s}'`).join(', ');

export function runReader(db: Database) {
  const sql = {
    list: db.prepare(`SELECT * FROM runs ORDER BY started DESC, id DESC LIMIT @limit`),
    run: db.prepare(`SELECT * FROM runs WHERE id = @run`),
    hosts: db.prepare(`SELECT * FROM run_hosts WHERE run = @run ORDER BY ord, host`),
    steps: db.prepare(`SELECT * FROM steps WHERE run = @run ORDER BY host, seq`),
    hostSteps: db.prepare(`SELECT * FROM steps WHERE run = @run AND host = @host ORDER BY seq`),
    unfinished: db.prepare(`SELECT host, status FROM run_hosts WHERE run = @run AND status NOT IN (${FINAL_SQL}) ORDER BY ord, host`),
    lastStep: db.prepare(`SELECT * FROM steps WHERE run = @run AND host = @host ORDER BY seq DESC LIMIT 1`),
    events: db.prepare(`SELECT seq, at, kind, payload FROM events WHERE run = @run ORDER BY seq`),
  };

  return {
    listRuns(limit = -1): RunSummary[] {
      return (sql.list.all({ limit }) as RunRow[]).map(toSummary);
    },
    getRun(run: string): StoredRun | null {
      const row = sql.run.get({ run }) as RunRow | undefined;
      if (!row) return null;
      const steps = new Map<string, StoredStep[]>();
      for (const s of sql.steps.all({ run }) as StepRow[]) {
        const list = steps.get(s.host) ?? [];
        list.push(toStep(s));
        steps.set(s.host, list);
      }
      const hosts = (sql.hosts.all({ run }) as HostRow[]).map((h) => toHost(h, steps.get(h.host) ?? []));
      return { ...toSummary(row), hosts };
    },
    unfinishedHosts(run: string): UnfinishedHost[] {
      return (sql.unfinished.all({ run }) as { host: string; status: string }[]).map((h) => {
        const last = sql.lastStep.get({ run, host: h.host }) as StepRow | undefined;
        return { name: h.host, status: h.status as HostStatus, lastStep: last ? toStep(last) : null };
      });
    },
    hostStepLog(run: string, host: string): StoredStep[] {
      return (sql.hostSteps.all({ run, host }) as StepRow[]).map(toStep);
    },
    runEvents(run: string): JournalEvent[] {
      return (sql.events.all({ run }) as { seq: number; at: number; kind: string; payload: string }[]).map((e) => ({
        ...e,
        payload: JSON.parse(e.payload) as Record<string, unknown>,
      }));
    },
  };
}

function toSummary(r: RunRow): RunSummary {
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

function toHost(h: HostRow, steps: StoredStep[]): StoredHost {
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

function toStep(s: StepRow): StoredStep {
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
