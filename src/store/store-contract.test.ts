// The store contract: ONE list of checks that every journal back end passes — the SQLite file and the
// PostgreSQL journal on a real server (test/harness/postgres.ts, one server for this file, a fresh database per
// test). Reads after writes go through `flush()`, as the CLI does: the SQLite journal has written already,
// the PostgreSQL one has queued.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { registerSecret } from '../errors.ts';
import type { EngineEvent, HostResult } from '../engine/events.ts';
import { postgresSkip } from '../../test/harness/postgres.ts';
import { MESSAGE_MAX_BYTES } from './excerpt.ts';
import type { RecorderOptions, RunMeta, Store } from './types.ts';
import { syntheticRun, T0 } from './testdata/synthetic-run.ts';
import { postgresBackend, sqliteBackend, type Backend, type Journal } from './testdata/journal-backends.ts';

const meta = (run: string, extra: Partial<RunMeta> = {}): RunMeta => ({
  run,
  user: 'ops',
  argv: ['gofleet', 'upgrade', '-i', 'fleet.yml', '--to', '1.27'],
  command: 'upgrade',
  target: 'go1.27.3',
  policy: { parallel: 10 },
  ...extra,
});

async function record(store: Store, run: string, events: EngineEvent[], extra: Partial<RunMeta> = {}, options: RecorderOptions = {}): Promise<void> {
  const sink = store.recorder(meta(run, extra), options);
  for (const e of events) sink(e);
  await store.flush();
}

/** The journal lists hosts in selection order; results come in completion order. */
function expectedHosts(results: HostResult[], events: EngineEvent[]) {
  const start = events.find((e) => e.kind === 'run-start');
  const order = start?.kind === 'run-start' ? start.hosts : [];
  return [...results]
    .sort((x, y) => order.indexOf(x.name) - order.indexOf(y.name))
    .map((r) => ({
      name: r.name, status: r.status, from: r.from, to: r.to, error: r.error, warnings: r.warnings,
      startedAt: r.startedAt, endedAt: r.startedAt + r.durationMs, extra: {}, steps: r.steps.map((s, i) => ({ ...s, seq: i + 1 })),
    }));
}

type Check = [name: string, fn: (j: Journal) => Promise<void>];

export const CHECKS: Check[] = [
  ['a recorded run reads back identically from a new Store on the same journal', async (j) => {
    const { events, results } = syntheticRun('r1');
    const store = await j.open();
    await record(store, 'r1', events);
    await store.close();
    const again = await j.open();
    const run = await again.getRun('r1');
    assert.ok(run);
    assert.equal(run.status, 'done');
    assert.equal(run.started, T0);
    assert.equal(run.ended, events.at(-1)?.at);
    assert.deepEqual([run.user, run.command, run.target, run.policy], ['ops', 'upgrade', 'go1.27.3', { parallel: 10 }]);
    assert.deepEqual(run.argv, meta('r1').argv);
    assert.deepEqual([run.pid, run.controller, run.cwd], [process.pid, hostname(), process.cwd()]);
    assert.deepEqual(run.counts, { upgraded: 1, rolled_back: 1, unreachable: 1 });
    assert.deepEqual(run.hosts, expectedHosts(results, events));
    assert.deepEqual(await again.unfinishedHosts('r1'), []);
    assert.deepEqual((await again.hostStepLog('r1', 'build-02')).map((s) => `${s.step}:${s.status}`), [
      'connect:ok', 'facts:ok', 'upload:ok', 'lock:ok', 'stage:ok', 'switch:ok', 'verify:fail', 'rollback:ok', 'unlock:ok',
    ]);
    const log = await again.runEvents('r1');
    assert.deepEqual(log.map((e) => e.seq), events.map((_, i) => i + 1));
    assert.deepEqual(log.map((e) => e.kind), events.map((e) => e.kind));
    assert.deepEqual(log[2]?.payload, JSON.parse(JSON.stringify(events[2])));
    // run-end keeps names and statuses only; the full results are in the host-done events
    assert.deepEqual(log.at(-1)?.payload.results, results.map((r) => ({ name: r.name, status: r.status })));
  }],
  ['the stored JSON is the text the recorder wrote, byte for byte', async (j) => {
    const { events } = syntheticRun('r1');
    const store = await j.open();
    await record(store, 'r1', events);
    const payloads = (await j.sql(`SELECT payload FROM events WHERE run = 'r1' ORDER BY seq`)).map((r) => r.payload);
    assert.deepEqual(payloads, events.map((e) => JSON.stringify(e.kind === 'run-end' ? { ...e, results: e.results.map((r) => ({ name: r.name, status: r.status })) } : e)));
    const [row] = await j.sql(`SELECT argv, policy, counts FROM runs WHERE id = 'r1'`);
    assert.deepEqual(row, { argv: JSON.stringify(meta('r1').argv), policy: '{"parallel":10}', counts: '{"upgraded":1,"rolled_back":1,"unreachable":1}' });
  }],
  ['every event is committed on its own: another Store sees it once the writer has flushed', async (j) => {
    const writer = await j.open();
    const reader = await j.open();
    const { events } = syntheticRun('r1');
    const sink = writer.recorder(meta('r1'));
    for (const [i, e] of events.entries()) {
      sink(e);
      await writer.flush();
      assert.equal((await reader.runEvents('r1')).length, i + 1, `after event ${i} (${e.kind})`);
    }
  }],
  ['half a stream without close: a second Store sees a running run and where each host stood', async (j) => {
    const { events } = syntheticRun('r1');
    const cut = events.findIndex((e) => e.kind === 'host-done' && e.result.name === 'build-01') + 1;
    await record(await j.open(), 'r1', events.slice(0, cut)); // not closed, as after a crash
    const other = await j.open();
    const run = await other.getRun('r1');
    assert.equal(run?.status, 'running');
    assert.equal(run?.ended, null);
    assert.deepEqual(run?.counts, { upgraded: 1, unreachable: 1 });
    const unfinished = await other.unfinishedHosts('r1');
    assert.deepEqual(unfinished.map((h) => [h.name, h.status, h.lastStep?.step, h.lastStep?.status]), [['build-02', 'switching', 'rollback', 'ok']]);
    assert.equal((await other.runEvents('r1')).length, cut);
    assert.equal((await other.listRuns())[0]?.status, 'running');
    assert.equal(await other.markInterrupted('r1', T0 + 99_000), true);
    assert.equal((await other.getRun('r1'))?.status, 'interrupted');
    assert.equal((await other.getRun('r1'))?.ended, T0 + 99_000);
    assert.equal((await other.unfinishedHosts('r1')).length, 1, 'resume still finds the unfinished host');
    assert.equal(await other.markInterrupted('no-such-run'), false);
  }],
  ['a host that was never started stays pending; an open step is journaled as running; run-start fills in the target', async (j) => {
    const store = await j.open();
    const sink = store.recorder(meta('r1', { target: undefined, command: 'unknown-yet' }));
    sink({ kind: 'run-start', run: 'r1', command: 'upgrade', target: 'go1.27.3', hosts: ['b-2', 'a-1'], at: T0 });
    sink({ kind: 'host-step', run: 'r1', host: 'b-2', step: 'connect', status: 'start', at: T0 + 1 });
    sink({ kind: 'host-step', run: 'r1', host: 'b-2', step: 'connect', status: 'ok', at: T0 + 2 });
    sink({ kind: 'host-step', run: 'r1', host: 'b-2', step: 'stage', status: 'start', at: T0 + 3 });
    // a host the run-start did not name (a recorder attached late) comes after the others
    sink({ kind: 'host-step', run: 'r1', host: 'Z-late', step: 'verify', status: 'ok', at: T0 + 4 });
    await store.flush();
    assert.deepEqual(await store.unfinishedHosts('r1'), [
      { name: 'b-2', status: 'staging', lastStep: { seq: 2, step: 'stage', status: 'running', startedAt: T0 + 3, endedAt: null } },
      { name: 'a-1', status: 'pending', lastStep: null },
      { name: 'Z-late', status: 'pending', lastStep: { seq: 1, step: 'verify', status: 'ok', startedAt: T0 + 4, endedAt: T0 + 4 } },
    ]);
    const run = await store.getRun('r1');
    assert.equal(run?.hosts[0]?.startedAt, T0 + 1);
    assert.deepEqual([run?.command, run?.target], ['upgrade', 'go1.27.3']);
  }],
  ['the version the facts step found is the host\'s from before it finishes; the first probe wins', async (j) => {
    const store = await j.open();
    const sink = store.recorder(meta('r1'));
    sink({ kind: 'run-start', run: 'r1', command: 'upgrade', target: 'go1.27.3', hosts: ['a', 'b'], at: T0 });
    sink({ kind: 'host-step', run: 'r1', host: 'a', step: 'facts', status: 'start', at: T0 + 1 });
    sink({ kind: 'host-step', run: 'r1', host: 'a', step: 'facts', status: 'ok', version: 'go1.26.8', at: T0 + 2 });
    sink({ kind: 'host-step', run: 'r1', host: 'b', step: 'facts', status: 'ok', version: null, at: T0 + 2 });
    sink({ kind: 'host-step', run: 'r1', host: 'a', step: 'facts', status: 'ok', version: 'go1.27.3', at: T0 + 3 });
    await store.flush();
    assert.deepEqual((await store.getRun('r1'))?.hosts.map((h) => [h.name, h.from]), [['a', 'go1.26.8'], ['b', null]]);
  }],
  ['claimRun takes a run over once: the second claimant, holding the old pid, gets false', async (j) => {
    const store = await j.open();
    await record(store, 'r1', syntheticRun('r1').events.slice(0, 3));
    await j.sql(`UPDATE runs SET pid = 1234567 WHERE id = 'r1'`);
    const expect = { status: 'running' as const, pid: 1234567 };
    assert.equal(await store.claimRun('r1', expect), true);
    const mine = await store.getRun('r1');
    assert.deepEqual([mine?.status, mine?.pid], ['running', process.pid]);
    assert.equal(await store.claimRun('r1', expect), false, 'pid no longer matches');
    assert.equal(await store.claimRun('r1', { status: 'interrupted', pid: process.pid }), false, 'status does not match');
    assert.equal(await store.claimRun('nope', expect), false);
    await store.markInterrupted('r1');
    const two = await Promise.all([store.claimRun('r1', { status: 'interrupted', pid: process.pid }), store.claimRun('r1', { status: 'interrupted', pid: process.pid })]);
    assert.deepEqual(two.sort(), [false, true], 'of two claims of the same read, exactly one wins');
  }],
  ['a run-start on an existing run (resume) makes it this controller\'s again', async (j) => {
    const store = await j.open();
    await record(store, 'r1', syntheticRun('r1').events.slice(0, 2));
    await j.sql(`UPDATE runs SET pid = 1234567, controller = 'elsewhere', status = 'interrupted', ended = 5 WHERE id = 'r1'`);
    await record(store, 'r1', syntheticRun('r1').events.slice(0, 1));
    const r = await store.getRun('r1');
    assert.deepEqual([r?.status, r?.pid, r?.controller, r?.ended], ['running', process.pid, hostname(), null]);
  }],
  ['an interrupted run (hosts skipped with INTERRUPTED) ends as interrupted, and markFailed works', async (j) => {
    const store = await j.open();
    const { events } = syntheticRun('r1', [
      { name: 'a', status: 'upgraded', from: 'go1.26.8', to: 'go1.27.3', steps: [{ step: 'connect', status: 'ok' }] },
      { name: 'b', status: 'skipped', from: null, to: 'go1.27.3', error: { code: 'INTERRUPTED', message: 'b: not started' }, steps: [] },
    ]);
    await record(store, 'r1', events);
    assert.equal((await store.getRun('r1'))?.status, 'interrupted');
    assert.deepEqual((await store.getRun('r1'))?.counts, { upgraded: 1, skipped: 1 });
    await record(store, 'r2', events.slice(0, 2).map((e) => ({ ...e, run: 'r2' })));
    assert.equal(await store.markFailed('r2', T0 + 5), true);
    assert.deepEqual([(await store.getRun('r2'))?.status, (await store.getRun('r2'))?.ended], ['failed', T0 + 5]);
    assert.equal(await store.markFailed('nope'), false);
  }],
  ['secrets are redacted and host output is cut to 4 KiB before it is stored', async (j) => {
    registerSecret('pw-Sup3rSecret');
    const huge = 'start ' + 'x'.repeat(50_000) + ' end pw-Sup3rSecret';
    const { events } = syntheticRun('r1', [{
      name: 'a', status: 'failed', from: 'go1.26.8', to: 'go1.27.3',
      error: { code: 'REMOTE_FAILED', message: huge },
      steps: [{ step: 'stage', status: 'fail', code: 'STAGE_FAILED', message: huge }],
    }]);
    const store = await j.open();
    await record(store, 'r1', events, { argv: ['gofleet', 'upgrade', '--password', 'pw-Sup3rSecret'], policy: { health: 'curl -u pw-Sup3rSecret' } });
    const run = await store.getRun('r1');
    const message = run?.hosts[0]?.steps[0]?.message ?? '';
    assert.ok(message.startsWith('start xxx') && message.endsWith(' end ***'), message.slice(-40));
    assert.ok(Buffer.byteLength(message) <= MESSAGE_MAX_BYTES);
    assert.ok(Buffer.byteLength(run?.hosts[0]?.error?.message ?? '') <= MESSAGE_MAX_BYTES);
    assert.deepEqual(run?.argv, ['gofleet', 'upgrade', '--password', '***']);
    assert.deepEqual(run?.policy, { health: 'curl -u ***' });
    const dump = (await j.sql(`SELECT payload FROM events`)).map((r) => r.payload).join('');
    assert.doesNotMatch(dump, /Sup3rSecret/);
    assert.ok(!dump.includes('x'.repeat(MESSAGE_MAX_BYTES)));
  }],
  ['command-specific result fields (prune "removed") are kept', async (j) => {
    const store = await j.open();
    const { events } = syntheticRun('r1', [{ name: 'a', status: 'upgraded', from: 'go1.27.3', to: 'go1.27.3', steps: [{ step: 'prune', status: 'ok' }] }]);
    const done = events.find((e) => e.kind === 'host-done');
    assert.ok(done?.kind === 'host-done');
    Object.assign(done.result, { removed: ['go1.25.1', 'go1.26.0'] });
    await record(store, 'r1', events, { command: 'prune', target: null });
    assert.deepEqual((await store.getRun('r1'))?.hosts[0]?.extra, { removed: ['go1.25.1', 'go1.26.0'] });
  }],
  ['listRuns: newest first (ties by id, byte order), limited; events of another run are ignored by a recorder', async (j) => {
    const store = await j.open();
    for (const [i, id] of ['20261125-090000-aaaa', '20261126-090000-bbbb', '20261127-090000-cccc'].entries()) {
      await record(store, id, syntheticRun(id, undefined, T0 + i * 86_400_000).events);
    }
    for (const id of ['B-tie', 'a-tie']) await record(store, id, syntheticRun(id, undefined, T0 - 1).events);
    await record(store, 'x', syntheticRun('not-x').events);
    assert.deepEqual((await store.listRuns()).map((r) => r.id), ['20261127-090000-cccc', '20261126-090000-bbbb', '20261125-090000-aaaa', 'a-tie', 'B-tie']);
    assert.deepEqual((await store.listRuns({ limit: 2 })).map((r) => r.id), ['20261127-090000-cccc', '20261126-090000-bbbb']);
    assert.equal(await store.getRun('x'), null);
    assert.equal(await store.getRun('nope'), null);
  }],
  ['two Stores write different runs, interleaved event by event', async (j) => {
    const a = await j.open();
    const b = await j.open();
    const ra = syntheticRun('ra');
    const rb = syntheticRun('rb', undefined, T0 + 1);
    const sa = a.recorder(meta('ra'));
    const sb = b.recorder(meta('rb'));
    for (let i = 0; i < ra.events.length; i++) {
      sa(ra.events[i] as EngineEvent);
      sb(rb.events[i] as EngineEvent);
    }
    await Promise.all([a.flush(), b.flush()]);
    for (const [store, id, r] of [[b, 'ra', ra], [a, 'rb', rb]] as const) {
      const run = await store.getRun(id);
      assert.equal(run?.status, 'done');
      assert.deepEqual(run?.hosts, expectedHosts(r.results, r.events));
      assert.equal((await store.runEvents(id)).length, r.events.length);
    }
  }],
  ['a coordinator and a worker (hostsOnly) write one run: the worker journals only its hosts, the log has no holes', async (j) => {
    const coordinator = await j.open();
    const worker = await j.open();
    const { events, results } = syntheticRun('r1');
    // the coordinator writes the run before it hands hosts out
    const c = coordinator.recorder(meta('r1'), { begin: true });
    await coordinator.flush();
    const w = worker.recorder(meta('r1', { user: 'worker', command: 'worker' }), { hostsOnly: true });
    // the coordinator sees only run-level events, the worker everything (as the engine on a worker emits them)
    for (const e of events) {
      if (e.kind === 'host-step' || e.kind === 'host-done') w(e);
      else {
        c(e);
        w(e); // ignored: run-level events are the coordinator's
      }
    }
    await Promise.all([coordinator.flush(), worker.flush()]);
    const run = await coordinator.getRun('r1');
    assert.deepEqual([run?.status, run?.user, run?.command], ['done', 'ops', 'upgrade']);
    assert.deepEqual(run?.hosts, expectedHosts(results, events));
    const log = await coordinator.runEvents('r1');
    assert.deepEqual(log.map((e) => e.seq), events.map((_, i) => i + 1));
    assert.deepEqual(log.map((e) => e.kind).sort(), events.map((e) => e.kind).sort());
    // alone, a hostsOnly recorder writes no run-level event
    const alone = worker.recorder(meta('r2'), { hostsOnly: true });
    for (const e of syntheticRun('r2').events) alone(e);
    await worker.flush();
    assert.deepEqual([...new Set((await worker.runEvents('r2')).map((e) => e.kind))].sort(), ['host-done', 'host-step']);
    assert.equal((await worker.getRun('r2'))?.status, 'running', 'no run-end from a worker');
  }],
  ['begin writes the run before any event; a write that fails goes to onError, never into the engine', async (j) => {
    const store = await j.open();
    store.recorder(meta('r0'), { begin: true });
    await store.flush();
    assert.deepEqual((await store.getRun('r0'))?.hosts, []);
    const errors: Error[] = [];
    const sink = store.recorder(meta('r1'), { onError: (e) => errors.push(e) });
    await store.close();
    sink(syntheticRun('r1').events[0] as EngineEvent);
    await store.flush().catch(() => undefined);
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof Error);
  }],
  ['the event log is append-only', async (j) => {
    const store = await j.open();
    await record(store, 'r1', syntheticRun('r1').events.slice(0, 2));
    await assert.rejects(j.sql(`UPDATE events SET kind = 'x' WHERE run = 'r1'`), /append-only/);
    assert.deepEqual((await store.runEvents('r1')).map((e) => e.kind), ['run-start', 'wave-start']);
  }],
  ['read-only: a journal that was never written reads as empty and is not created', async (j) => {
    const store = await j.open({ readOnly: true });
    assert.deepEqual(await store.listRuns(), []);
    assert.equal(await store.getRun('r1'), null);
    assert.deepEqual(await store.runEvents('r1'), []);
    assert.equal(await store.markInterrupted('r1'), false);
    await store.close();
    assert.deepEqual(await j.tables(), []);
  }],
  ['read-only, opened before anything was written: sees the runs a writer records afterwards', async (j) => {
    const reader = await j.open({ readOnly: true });
    assert.deepEqual(await reader.listRuns(), []);
    const writer = await j.open();
    await record(writer, 'r1', syntheticRun('r1').events.slice(0, 3));
    assert.deepEqual((await reader.listRuns()).map((r) => [r.id, r.status]), [['r1', 'running']]);
    assert.equal((await reader.runEvents('r1')).length, 3);
  }],
  ['read-only: a written journal reads back the same', async (j) => {
    const writer = await j.open();
    const { events, results } = syntheticRun('r1');
    await record(writer, 'r1', events);
    const reader = await j.open({ readOnly: true });
    assert.deepEqual((await reader.getRun('r1'))?.hosts, expectedHosts(results, events));
    assert.deepEqual(await reader.runAudit('r1'), []);
  }],
];

function suite(backend: Backend, skip: false | string): void {
  describe(`store contract: ${backend.name}`, { skip }, () => {
    after(() => backend.stop());
    for (const [name, fn] of CHECKS) test(name, async (t) => fn(await backend.journal(t)));
  });
}

suite(sqliteBackend(), false);
const pgSkip = postgresSkip();
if (pgSkip) console.log(`# skipping the PostgreSQL journal contract: ${pgSkip}`);
suite(postgresBackend(), pgSkip);
