// Reading the journal back from PostgreSQL: the same answers as read-runs.ts on SQLite (the same row mappers,
// stored-rows.ts), ordered as SQLite orders text (byte order: COLLATE "C", whatever the database's collation).
// One run is read in one snapshot (REPEATABLE READ), so its hosts and steps agree with each other.

import type pg from 'pg';
import type { HostStatus } from '../../engine/events.ts';
import { FINAL_SQL } from '../journal-sql.ts';
import { toHost, toStep, toSummary, type HostRow, type RunRow, type StepRow } from '../stored-rows.ts';
import type { JournalEvent, RunAuditEntry, RunSummary, StoredRun, StoredStep, UnfinishedHost } from '../types.ts';

const SQL = {
  list: `SELECT * FROM runs ORDER BY started DESC, id COLLATE "C" DESC LIMIT $1`,
  run: `SELECT * FROM runs WHERE id = $1`,
  hosts: `SELECT * FROM run_hosts WHERE run = $1 ORDER BY ord, host COLLATE "C"`,
  steps: `SELECT * FROM steps WHERE run = $1 ORDER BY host COLLATE "C", seq`,
  hostSteps: `SELECT * FROM steps WHERE run = $1 AND host = $2 ORDER BY seq`,
  unfinished: `SELECT h.host, h.status, s.seq, s.step, s.status AS step_status, s.started, s.ended, s.code, s.message
    FROM run_hosts h LEFT JOIN LATERAL (SELECT * FROM steps WHERE run = h.run AND host = h.host ORDER BY seq DESC LIMIT 1) s ON true
    WHERE h.run = $1 AND h.status NOT IN (${FINAL_SQL}) ORDER BY h.ord, h.host COLLATE "C"`,
  events: `SELECT seq, at, kind, payload FROM events WHERE run = $1 ORDER BY seq`,
  audit: `SELECT at, actor, source, action, wave, detail FROM audit WHERE run = $1 ORDER BY seq`,
};

/** `exists()`: false for a database gofleet never wrote (read-only opening of an empty one): every read is empty. */
export function pgRunReader(pool: pg.Pool, exists: () => Promise<boolean>) {
  const rows = async <R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<R[]> => ((await exists()) ? (await pool.query<R>(text, values)).rows : []);
  return {
    async listRuns(limit?: number): Promise<RunSummary[]> {
      return (await rows<RunRow>(SQL.list, [limit ?? null])).map(toSummary);
    },
    async getRun(run: string): Promise<StoredRun | null> {
      if (!(await exists())) return null;
      const client = await pool.connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const row = (await client.query<RunRow>(SQL.run, [run])).rows[0];
        const hostRows = row ? (await client.query<HostRow>(SQL.hosts, [run])).rows : [];
        const stepRows = row ? (await client.query<StepRow>(SQL.steps, [run])).rows : [];
        await client.query('COMMIT');
        if (!row) return null;
        const steps = new Map<string, StoredStep[]>();
        for (const s of stepRows) steps.set(s.host, [...(steps.get(s.host) ?? []), toStep(s)]);
        return { ...toSummary(row), hosts: hostRows.map((h) => toHost(h, steps.get(h.host) ?? [])) };
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async unfinishedHosts(run: string): Promise<UnfinishedHost[]> {
      type Row = Omit<StepRow, 'status'> & { status: string; step_status: string | null };
      return (await rows<Row>(SQL.unfinished, [run])).map((h) => ({
        name: h.host,
        status: h.status as HostStatus,
        lastStep: h.step_status === null ? null : toStep({ ...h, status: h.step_status }),
      }));
    },
    async hostStepLog(run: string, host: string): Promise<StoredStep[]> {
      return (await rows<StepRow>(SQL.hostSteps, [run, host])).map(toStep);
    },
    async runEvents(run: string): Promise<JournalEvent[]> {
      type Row = { seq: number; at: number; kind: string; payload: string };
      return (await rows<Row>(SQL.events, [run])).map((e) => ({ ...e, payload: JSON.parse(e.payload) as Record<string, unknown> }));
    },
    async runAudit(run: string): Promise<RunAuditEntry[]> {
      type Row = Omit<RunAuditEntry, 'detail'> & { detail: string };
      return (await rows<Row>(SQL.audit, [run])).map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
    },
  };
}
