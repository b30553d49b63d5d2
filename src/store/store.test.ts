import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { GofleetError, registerSecret } from '../errors.ts';
import type { EngineEvent, HostResult } from '../engine/events.ts';
import { MESSAGE_MAX_BYTES } from './excerpt.ts';
import { openStore } from './open-store.ts';
import type { RunMeta, Store } from './types.ts';
import { syntheticRun, T0 } from './testdata/synthetic-run.ts';

function scratch(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-store-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const meta = (run: string, extra: Partial<RunMeta> = {}): RunMeta => ({
  run,
  user: 'ops',
  argv: ['gofleet', 'upgrade', '-i', 'fleet.yml', '--to', '1.27'],
  command: 'upgrade',
  target: 'go1.27.3',
  policy: { parallel: 10 },
  ...extra,
});

function record(store: Store, run: string, events: EngineEvent[], extra: Partial<RunMeta> = {}): void {
  const sink = store.recorder(meta(run, extra));
  for (const e of events) sink(e);
}

/** The journal lists hosts in selection order; results come in completion order. */
function expectedHosts(results: HostResult[], events: EngineEvent[]) {
  const start = events.find((e) => e.kind === 'run-start');
  const order = start?.kind === 'run-start' ? start.hosts : [];
  return [...results].sort((x, y) => order.indexOf(x.name) - order.indexOf(y.name)).map(expectedHost);
}

/** What the engine's HostResult looks like once read back from the journal. */
function expectedHost(r: HostResult) {
  return {
    name: r.name,
    status: r.status,
    from: r.from,
    to: r.to,
    error: r.error,
    warnings: r.warnings,
    startedAt: r.startedAt,
    endedAt: r.startedAt + r.durationMs,
    extra: {},
    steps: r.steps.map((s, i) => ({ ...s, seq: i + 1 })),
  };
}

test('a recorded run reads back identically from a new Store on the same file', async (t) => {
  const path = join(scratch(t), 'deep', 'state', 'gofleet.db');
  const { events, results } = syntheticRun('r1');
  const store = openStore(path);
  record(store, 'r1', events);
  store.close();

  const again = openStore(path);
  t.after(() => again.close());
  const run = (await again.getRun('r1'));
  assert.ok(run);
  assert.equal(run.status, 'done');
  assert.equal(run.started, T0);
  assert.equal(run.ended, events.at(-1)?.at);
  assert.deepEqual([run.user, run.command, run.target, run.policy], ['ops', 'upgrade', 'go1.27.3', { parallel: 10 }]);
  assert.deepEqual(run.argv, meta('r1').argv);
  assert.equal(run.pid, process.pid);
  assert.deepEqual(run.counts, { upgraded: 1, rolled_back: 1, unreachable: 1 });
  assert.deepEqual(run.hosts, expectedHosts(results, events));
  assert.deepEqual((await again.unfinishedHosts('r1')), []);
  assert.deepEqual((await again.hostStepLog('r1', 'build-02')).map((s) => `${s.step}:${s.status}`), [
    'connect:ok', 'facts:ok', 'upload:ok', 'lock:ok', 'stage:ok', 'switch:ok', 'verify:fail', 'rollback:ok', 'unlock:ok',
  ]);
  const log = (await again.runEvents('r1'));
  assert.deepEqual(log.map((e) => e.seq), events.map((_, i) => i + 1));
  assert.deepEqual(log.map((e) => e.kind), events.map((e) => e.kind));
  assert.deepEqual(log[2]?.payload, JSON.parse(JSON.stringify(events[2])));
  // run-end keeps names and statuses only; the full results are in the host-done events
  assert.deepEqual(log.at(-1)?.payload.results, results.map((r) => ({ name: r.name, status: r.status })));
});

test('the state directory is created 0700 and the database files are 0600, in WAL mode', async (t) => {
  const dir = join(scratch(t), 'state');
  const path = join(dir, 'gofleet.db');
  const store = openStore(path);
  record(store, 'r1', syntheticRun('r1').events.slice(0, 3));
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.equal(statSync(path + '-wal').mode & 0o777, 0o600);
  const raw = new Database(path, { readonly: true });
  t.after(() => raw.close());
  assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
  store.close();
});

test('every event is committed on its own: another connection sees it as soon as the sink returns', async (t) => {
  const path = join(scratch(t), 'gofleet.db');
  const writer = openStore(path);
  const reader = openStore(path);
  t.after(() => (writer.close(), reader.close()));
  const { events } = syntheticRun('r1');
  const sink = writer.recorder(meta('r1'));
  for (const [i, e] of events.entries()) {
    sink(e);
    assert.equal((await reader.runEvents('r1')).length, i + 1, `after event ${i} (${e.kind})`);
  }
});

test('half a stream without close: a second Store sees a running run and where each host stood', async (t) => {
  const path = join(scratch(t), 'gofleet.db');
  const { events } = syntheticRun('r1');
  // stop right after build-01's host-done: build-02 is in the middle of its unlock step, win-01 is done
  const cut = events.findIndex((e) => e.kind === 'host-done' && e.result.name === 'build-01') + 1;
  record(openStore(path), 'r1', events.slice(0, cut)); // never closed, as after a crash

  const other = openStore(path);
  t.after(() => other.close());
  const run = (await other.getRun('r1'));
  assert.equal(run?.status, 'running');
  assert.equal(run?.ended, null);
  assert.deepEqual(run?.counts, { upgraded: 1, unreachable: 1 });
  const unfinished = (await other.unfinishedHosts('r1'));
  assert.deepEqual(unfinished.map((h) => [h.name, h.status, h.lastStep?.step, h.lastStep?.status]), [['build-02', 'switching', 'rollback', 'ok']]);
  assert.equal((await other.runEvents('r1')).length, cut);
  assert.equal((await other.listRuns())[0]?.status, 'running');
  assert.equal((await other.markInterrupted('r1', T0 + 99_000)), true);
  assert.equal((await other.getRun('r1'))?.status, 'interrupted');
  assert.equal((await other.getRun('r1'))?.ended, T0 + 99_000);
  assert.equal((await other.unfinishedHosts('r1')).length, 1, 'resume still finds the unfinished host');
  assert.equal((await other.markInterrupted('no-such-run')), false);
});

test('a host that was never started stays pending; an open step is journaled as running', async (t) => {
  const path = join(scratch(t), 'gofleet.db');
  const store = openStore(path);
  t.after(() => store.close());
  // the CLI may not know the resolved target when it creates the recorder: run-start fills it in
  const sink = store.recorder(meta('r1', { target: undefined, command: 'unknown-yet' }));
  sink({ kind: 'run-start', run: 'r1', command: 'upgrade', target: 'go1.27.3', hosts: ['a', 'b'], at: T0 });
  sink({ kind: 'host-step', run: 'r1', host: 'a', step: 'connect', status: 'start', at: T0 + 1 });
  sink({ kind: 'host-step', run: 'r1', host: 'a', step: 'connect', status: 'ok', at: T0 + 2 });
  sink({ kind: 'host-step', run: 'r1', host: 'a', step: 'stage', status: 'start', at: T0 + 3 });
  assert.deepEqual((await store.unfinishedHosts('r1')), [
    { name: 'a', status: 'staging', lastStep: { seq: 2, step: 'stage', status: 'running', startedAt: T0 + 3, endedAt: null } },
    { name: 'b', status: 'pending', lastStep: null },
  ]);
  assert.equal((await store.getRun('r1'))?.hosts[0]?.startedAt, T0 + 1);
  assert.deepEqual([(await store.getRun('r1'))?.command, (await store.getRun('r1'))?.target], ['upgrade', 'go1.27.3']);
});

test('the version the facts step found is the host\'s from before it finishes; the first probe wins', async (t) => {
  const store = openStore(join(scratch(t), 'gofleet.db'));
  t.after(() => store.close());
  const sink = store.recorder(meta('r1'));
  sink({ kind: 'run-start', run: 'r1', command: 'upgrade', target: 'go1.27.3', hosts: ['a', 'b'], at: T0 });
  sink({ kind: 'host-step', run: 'r1', host: 'a', step: 'facts', status: 'start', at: T0 + 1 });
  sink({ kind: 'host-step', run: 'r1', host: 'a', step: 'facts', status: 'ok', version: 'go1.26.8', at: T0 + 2 });
  sink({ kind: 'host-step', run: 'r1', host: 'b', step: 'facts', status: 'ok', version: null, at: T0 + 2 });
  // a resumed attempt probes again and finds the target: the journal keeps where the host started
  sink({ kind: 'host-step', run: 'r1', host: 'a', step: 'facts', status: 'ok', version: 'go1.27.3', at: T0 + 3 });
  const hosts = (await store.getRun('r1'))?.hosts ?? [];
  assert.deepEqual(hosts.map((h) => [h.name, h.from]), [['a', 'go1.26.8'], ['b', null]]);
});

test('claimRun takes a run over once: the second claimant, holding the old pid, gets false', async (t) => {
  const store = openStore(join(scratch(t), 'gofleet.db'));
  t.after(() => store.close());
  record(store, 'r1', syntheticRun('r1').events.slice(0, 3));
  const before = (await store.getRun('r1'));
  assert.equal(before?.status, 'running');
  const expect = { status: 'running' as const, pid: before?.pid ?? -1 };
  // pretend the recording controller was another process that died
  (await store.claimRun('r1', expect));
  const mine = (await store.getRun('r1'));
  assert.deepEqual([mine?.status, mine?.pid], ['running', process.pid]);
  assert.equal((await store.claimRun('r1', { status: 'interrupted', pid: expect.pid })), false, 'status no longer matches');
  assert.equal((await store.claimRun('r1', { status: 'running', pid: 999_999_999 })), false, 'pid no longer matches');
  assert.equal((await store.claimRun('nope', expect)), false);
  (await store.markInterrupted('r1'));
  assert.equal((await store.claimRun('r1', { status: 'interrupted', pid: process.pid })), true);
  assert.equal((await store.claimRun('r1', { status: 'interrupted', pid: process.pid })), false, 'a second claim of the same read fails');
});

test('a run-start on an existing run (resume) makes it this controller\'s again', async (t) => {
  const path = join(scratch(t), 'gofleet.db');
  const store = openStore(path);
  t.after(() => store.close());
  record(store, 'r1', syntheticRun('r1').events.slice(0, 2));
  new Database(path).prepare(`UPDATE runs SET pid = 1234567, controller = 'elsewhere', status = 'interrupted' WHERE id = 'r1'`).run();
  record(store, 'r1', syntheticRun('r1').events.slice(0, 1));
  const r = (await store.getRun('r1'));
  assert.deepEqual([r?.status, r?.pid, r?.controller], ['running', process.pid, hostname()]);
});

test('an interrupted run (hosts skipped with INTERRUPTED) ends as interrupted, and markFailed works', async (t) => {
  const path = join(scratch(t), 'gofleet.db');
  const store = openStore(path);
  t.after(() => store.close());
  const { events } = syntheticRun('r1', [
    { name: 'a', status: 'upgraded', from: 'go1.26.8', to: 'go1.27.3', steps: [{ step: 'connect', status: 'ok' }] },
    { name: 'b', status: 'skipped', from: null, to: 'go1.27.3', error: { code: 'INTERRUPTED', message: 'b: not started' }, steps: [] },
  ]);
  record(store, 'r1', events);
  assert.equal((await store.getRun('r1'))?.status, 'interrupted');
  assert.deepEqual((await store.getRun('r1'))?.counts, { upgraded: 1, skipped: 1 });
  record(store, 'r2', events.slice(0, 2).map((e) => ({ ...e, run: 'r2' })));
  assert.equal((await store.markFailed('r2', T0 + 5)), true);
  assert.equal((await store.getRun('r2'))?.status, 'failed');
});

test('secrets are redacted and host output is cut to 4 KiB before it is stored', async (t) => {
  const path = join(scratch(t), 'gofleet.db');
  registerSecret('pw-Sup3rSecret');
  const huge = 'start ' + 'x'.repeat(50_000) + ' end pw-Sup3rSecret';
  const { events } = syntheticRun('r1', [
    {
      name: 'a',
      status: 'failed',
      from: 'go1.26.8',
      to: 'go1.27.3',
      error: { code: 'REMOTE_FAILED', message: huge },
      steps: [{ step: 'stage', status: 'fail', code: 'STAGE_FAILED', message: huge }],
    },
  ]);
  const store = openStore(path);
  t.after(() => store.close());
  record(store, 'r1', events, { argv: ['gofleet', 'upgrade', '--password', 'pw-Sup3rSecret'], policy: { health: 'curl -u pw-Sup3rSecret' } });
  const run = (await store.getRun('r1'));
  const message = run?.hosts[0]?.steps[0]?.message ?? '';
  assert.ok(message.startsWith('start xxx') && message.endsWith(' end ***'), message.slice(-40));
  assert.ok(Buffer.byteLength(message) <= MESSAGE_MAX_BYTES);
  assert.ok(Buffer.byteLength(run?.hosts[0]?.error?.message ?? '') <= MESSAGE_MAX_BYTES);
  assert.deepEqual(run?.argv, ['gofleet', 'upgrade', '--password', '***']);
  assert.deepEqual(run?.policy, { health: 'curl -u ***' });
  // nothing anywhere in the file (events included) holds the secret or the full output
  store.close();
  const raw = new Database(path, { readonly: true });
  t.after(() => raw.close());
  const dump = (raw.prepare(`SELECT group_concat(payload, '') AS p FROM events`).get() as { p: string }).p;
  assert.doesNotMatch(dump, /Sup3rSecret/);
  assert.ok(!dump.includes('x'.repeat(MESSAGE_MAX_BYTES)));
});

test('command-specific result fields (prune "removed") are kept', async (t) => {
  const path = join(scratch(t), 'gofleet.db');
  const store = openStore(path);
  t.after(() => store.close());
  const { events, results } = syntheticRun('r1', [{ name: 'a', status: 'upgraded', from: 'go1.27.3', to: 'go1.27.3', steps: [{ step: 'prune', status: 'ok' }] }]);
  const done = events.find((e) => e.kind === 'host-done');
  assert.ok(done?.kind === 'host-done' && results[0]);
  Object.assign(done.result, { removed: ['go1.25.1', 'go1.26.0'] });
  record(store, 'r1', events, { command: 'prune', target: null });
  assert.deepEqual((await store.getRun('r1'))?.hosts[0]?.extra, { removed: ['go1.25.1', 'go1.26.0'] });
});

test('listRuns: newest first, limited; events of another run are ignored by a recorder', async (t) => {
  const path = join(scratch(t), 'gofleet.db');
  const store = openStore(path);
  t.after(() => store.close());
  for (const [i, id] of ['20261125-090000-aaaa', '20261126-090000-bbbb', '20261127-090000-cccc'].entries()) {
    record(store, id, syntheticRun(id, undefined, T0 + i * 86_400_000).events);
  }
  record(store, 'x', syntheticRun('not-x').events);
  assert.deepEqual((await store.listRuns()).map((r) => r.id), ['20261127-090000-cccc', '20261126-090000-bbbb', '20261125-090000-aaaa']);
  assert.deepEqual((await store.listRuns({ limit: 2 })).map((r) => r.id), ['20261127-090000-cccc', '20261126-090000-bbbb']);
  assert.equal((await store.getRun('x')), null);
  assert.equal((await store.getRun('nope')), null);
});

test('two Stores on one file write different runs, interleaved event by event', async (t) => {
  const path = join(scratch(t), 'gofleet.db');
  const a = openStore(path);
  const b = openStore(path);
  t.after(() => (a.close(), b.close()));
  const ra = syntheticRun('ra');
  const rb = syntheticRun('rb', undefined, T0 + 1);
  const sa = a.recorder(meta('ra'));
  const sb = b.recorder(meta('rb'));
  for (let i = 0; i < ra.events.length; i++) {
    sa(ra.events[i] as EngineEvent);
    sb(rb.events[i] as EngineEvent);
  }
  for (const [store, id, r] of [[b, 'ra', ra], [a, 'rb', rb]] as const) {
    const run = (await store.getRun(id));
    assert.equal(run?.status, 'done');
    assert.deepEqual(run?.hosts, expectedHosts(r.results, r.events));
    assert.equal((await store.runEvents(id)).length, r.events.length);
  }
});

test('a write that fails goes to onError and never throws into the engine', (t) => {
  const path = join(scratch(t), 'gofleet.db');
  const store = openStore(path);
  const errors: Error[] = [];
  const sink = store.recorder(meta('r1'), { onError: (e) => errors.push(e) });
  store.close();
  sink(syntheticRun('r1').events[0] as EngineEvent);
  assert.equal(errors.length, 1);
  assert.match(errors[0]?.message ?? '', /not open/);
});

test('a file that is not a journal, or a directory, is STATE_UNAVAILABLE', (t) => {
  const dir = scratch(t);
  writeFileSync(join(dir, 'notes.db'), 'this is not a database, just text that is long enough to have a header'.repeat(20));
  mkdirSync(join(dir, 'adir'));
  for (const p of [join(dir, 'notes.db'), join(dir, 'adir')]) {
    assert.throws(
      () => openStore(p),
      (err: unknown) => err instanceof GofleetError && err.code === 'STATE_UNAVAILABLE' && err.message.startsWith(p + ': cannot open the run journal'),
    );
  }
});

test('a recorder fenced by a write guard is refused on SQLite (workers need the journal on PostgreSQL), not left unchecked', async (t) => {
  const store = openStore(join(scratch(t), 'state.db'));
  t.after(() => store.close());
  const guard = { holds: async () => true, refused: () => undefined };
  assert.throws(() => store.recorder(meta('r-guard'), { hostsOnly: true, guard }), (err: unknown) => err instanceof GofleetError && err.code === 'WORKERS_NEED_POSTGRES');
});
