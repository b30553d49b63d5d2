// Reading the journal back: runs newest first, one run with its hosts and steps, what a run left unfinished.

import type { Database } from 'better-sqlite3';
import type { HostStatus } from '../engine/events.ts';
import { FINAL_SQL } from './journal-sql.ts';
import { toHost, toStep, toSummary, type HostRow, type RunRow, type StepRow } from './stored-rows.ts';
import type { JournalEvent, RunSummary, StoredRun, StoredStep, UnfinishedHost } from './types.ts';

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
