// Real processes on a real journal — a SQLite file, and the journal on a real PostgreSQL server (one per file, a
// fresh database per test): a controller killed with SIGKILL mid-stream, and two controllers writing to the same
// journal at once.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { postgresSkip } from '../../test/harness/postgres.ts';
import { isFinalStatus } from './final-status.ts';
import { postgresBackend, sqliteBackend, type Backend } from './testdata/journal-backends.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const child = fileURLToPath(new URL('./testdata/record-child.ts', import.meta.url));

function startChild(args: string[]): { proc: ChildProcess; lines: AsyncIterableIterator<string>; exited: Promise<unknown[]> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, ...args], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = once(proc, 'exit');
  const lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  return { proc, lines, exited };
}

async function nextLine(lines: AsyncIterableIterator<string>): Promise<string> {
  const r = await lines.next();
  if (r.done) throw new Error('the child exited early');
  return r.value;
}

function processChecks(backend: Backend, skip: false | string): void {
  describe(`journal processes: ${backend.name}`, { skip }, () => {
    after(() => backend.stop());
    test('a controller killed with SIGKILL mid-stream: every reported event is journaled, the run stays running', async (t) => {
      const j = await backend.journal(t);
      const c = startChild(['endless', j.spec, 'crash-run']);
      t.after(() => c.proc.kill('SIGKILL'));
      const reported: string[] = [];
      // host-000 and host-001 finish (17 events each after run-start), host-002 is in flight
      while (reported.length < 45) reported.push(await nextLine(c.lines));
      c.proc.kill('SIGKILL');
      const [code, signal] = await c.exited;
      assert.deepEqual([code, signal], [null, 'SIGKILL']);

      const store = await j.open();
      const events = (await store.runEvents('crash-run'));
      assert.ok(events.length >= reported.length, `${events.length} journaled, ${reported.length} reported`);
      assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => i + 1), 'no holes in the event log');
      for (const [i, line] of reported.entries()) {
        const e = events[i];
        const host = e?.kind === 'host-step' ? e.payload.host : e?.kind === 'host-done' ? (e.payload.result as { name: string }).name : '-';
        assert.equal(`${e?.seq} ${e?.kind} ${host}`, line);
      }
      assert.ok(!events.some((e) => e.kind === 'run-end'));

      const run = (await store.getRun('crash-run'));
      assert.equal(run?.status, 'running');
      assert.equal(run?.ended, null);
      // the tables agree with the event log, event for event: nothing half-written
      const done = new Set(events.filter((e) => e.kind === 'host-done').map((e) => (e.payload.result as { name: string }).name));
      assert.ok(done.has('host-000') && done.has('host-001'));
      for (const host of run?.hosts ?? []) {
        const stepEvents = events.filter((e) => e.kind === 'host-step' && e.payload.host === host.name);
        assert.equal(isFinalStatus(host.status), done.has(host.name), host.name);
        assert.equal(host.steps.length, stepEvents.filter((e) => e.payload.status === 'start').length, host.name);
        const open = stepEvents.length % 2 === 1;
        assert.equal(host.steps.at(-1)?.status === 'running', open, host.name);
      }
      const unfinished = (await store.unfinishedHosts('crash-run'));
      assert.equal(unfinished.length, 1000 - done.size);
      assert.equal(unfinished[0]?.name, `host-${String(done.size).padStart(3, '0')}`);

      if (backend.name === 'sqlite') {
        const raw = new Database(j.spec, { readonly: true });
        t.after(() => raw.close());
        assert.equal(raw.pragma('integrity_check', { simple: true }), 'ok');
      }
    });

    test('two controller processes write different runs to one new journal at the same time', async (t) => {
      const j = await backend.journal(t);
      const hosts = 25;
      const children = ['run-a', 'run-b'].map((run) => ({ run, ...startChild(['full', j.spec, run, String(hosts)]) }));
      t.after(() => children.forEach((c) => c.proc.kill('SIGKILL')));
      for (const c of children) assert.equal(await nextLine(c.lines), 'ready');
      for (const c of children) c.proc.stdin?.write('go\n');
      const counts = await Promise.all(children.map(async (c) => Number((await nextLine(c.lines)).split(' ')[1])));
      const exits = await Promise.all(children.map((c) => c.exited));
      assert.deepEqual(exits, [[0, null], [0, null]]);

      const store = await j.open();
      for (const [i, c] of children.entries()) {
        const run = (await store.getRun(c.run));
        assert.equal(run?.status, 'done');
        assert.deepEqual(run?.counts, { upgraded: hosts });
        assert.equal(run?.hosts.every((h) => h.steps.length === 8 && h.steps.every((s) => s.status === 'ok')), true);
        assert.equal((await store.runEvents(c.run)).length, counts[i]);
      }
      assert.deepEqual((await store.listRuns()).map((r) => r.id).sort(), ['run-a', 'run-b']);
    });
  });
}

processChecks(sqliteBackend(), false);
const pgSkip = postgresSkip();
if (pgSkip) console.log(`# skipping the PostgreSQL journal processes: ${pgSkip}`);
processChecks(postgresBackend(), pgSkip);
