import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { GofleetError } from '../../errors.ts';
import type { EngineEvent } from '../../engine/events.ts';
import type { HostSpec } from '../../inventory/types.ts';
import { junitXml, type JunitRun } from '../../report/junit.ts';
import { openServeStore, openStore, type Store } from '../../store/index.ts';
import { syntheticRun, T0 } from '../../store/testdata/synthetic-run.ts';
import { exitCodeForError } from '../exit-code.ts';
import type { CliIo } from '../io.ts';
import { hostJson } from './change.ts';
import { historyCommand, showCommand } from './history.ts';

function fixture(t: { after: (fn: () => void) => void }): Store {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-history-'));
  const store = openStore(join(dir, 'gofleet.db'));
  t.after(() => (store.close(), rmSync(dir, { recursive: true, force: true })));
  return store;
}

function capture(): CliIo & { stdout: () => string } {
  const out: string[] = [];
  return { out: (s) => void out.push(s), err: () => {}, stdoutTty: false, stderrTty: false, stdout: () => out.join('') };
}

function record(store: Store, run: string, events: EngineEvent[]): void {
  const sink = store.recorder({ run, user: 'ops', argv: ['gofleet', 'upgrade', '--to', '1.27'], command: 'upgrade', target: 'go1.27.3', policy: {} });
  for (const e of events) sink(e);
}

test('history --json: docs/design.md shape, newest first', async (t) => {
  const store = fixture(t);
  record(store, '20261125-091502-aaaa', syntheticRun('20261125-091502-aaaa').events);
  const second = syntheticRun('20261126-091502-bbbb', undefined, T0 + 86_400_000).events;
  record(store, '20261126-091502-bbbb', second.slice(0, 4));
  const io = capture();
  assert.equal(await historyCommand(store, io, { json: true }), 0);
  const doc = JSON.parse(io.stdout()) as { runs: Record<string, unknown>[] };
  assert.deepEqual(doc.runs.map((r) => [r.id, r.started, r.user, r.command, r.target, r.status, r.counts]), [
    ['20261126-091502-bbbb', '2026-11-26T09:15:02.000Z', 'ops', 'upgrade', 'go1.27.3', 'running', {}],
    ['20261125-091502-aaaa', '2026-11-25T09:15:02.000Z', 'ops', 'upgrade', 'go1.27.3', 'done', { upgraded: 1, rolled_back: 1, unreachable: 1 }],
  ]);
  assert.deepEqual(doc.runs.map((r) => r.abandoned), [false, false], 'this process is alive');
  const gone = capture();
  await historyCommand(store, gone, { json: true, probe: { hostname: hostname(), isAlive: () => false } });
  assert.deepEqual((JSON.parse(gone.stdout()) as { runs: { abandoned: unknown }[] }).runs.map((r) => r.abandoned), [true, false]);
  const table = capture();
  await historyCommand(store, table, { probe: { hostname: hostname(), isAlive: () => false } });
  assert.match(table.stdout(), /\n20261126-091502-bbbb .* running \(controller gone\)\s/);
  const limited = capture();
  await historyCommand(store, limited, { json: true, limit: 1 });
  assert.equal((JSON.parse(limited.stdout()) as { runs: unknown[] }).runs.length, 1);
});

test('history table', async (t) => {
  const store = fixture(t);
  const empty = capture();
  await historyCommand(store, empty);
  assert.match(empty.stdout(), /^no runs recorded yet \(journal: .*gofleet\.db\)\n$/);
  record(store, 'r-1', syntheticRun('r-1').events);
  const io = capture();
  await historyCommand(store, io);
  const lines = io.stdout().split('\n');
  assert.match(lines[0] ?? '', /^run\s+started \(UTC\)\s+user\s+command\s+target\s+status\s+hosts$/);
  assert.match(lines[2] ?? '', /^r-1\s+2026-11-25 09:15:02\s+ops\s+upgrade\s+go1\.27\.3\s+done\s+1 upgraded, 1 rolled_back, 1 unreachable$/);
});

test('show --json: hosts carry exactly what upgrade --json printed for them', async (t) => {
  const store = fixture(t);
  const { events, results } = syntheticRun('r-1');
  record(store, 'r-1', events);
  const io = capture();
  assert.equal(await showCommand(store, io, 'r-1', { json: true }), 0);
  const doc = JSON.parse(io.stdout()) as { run: string; target: string; status: string; hosts: Record<string, unknown>[] };
  assert.deepEqual([doc.run, doc.target, doc.status], ['r-1', 'go1.27.3', 'done']);
  assert.deepEqual(doc.hosts.map((h) => h.name), ['build-01', 'build-02', 'win-01']);
  for (const result of results) {
    const printed = JSON.parse(JSON.stringify(hostJson(result))) as Record<string, unknown>;
    const shown = doc.hosts.find((h) => h.name === result.name);
    assert.ok(shown);
    for (const [key, value] of Object.entries(printed)) assert.deepEqual(shown[key], value, `${result.name}.${key}`);
    assert.equal(shown.finished, true);
    assert.equal(shown.started_at, new Date(result.startedAt).toISOString());
  }
  const failed = doc.hosts[1];
  assert.deepEqual(failed?.error, { code: 'VERIFY_FAILED', message: 'go version printed go1.26.8, want go1.27.3', hint: 'The new toolchain did not pass verification.' });
});

test('show --json of a run that stopped: in-flight hosts keep their last state', async (t) => {
  const store = fixture(t);
  const { events } = syntheticRun('r-1');
  record(store, 'r-1', events.slice(0, 9)); // build-01 has just started its facts step
  const io = capture();
  await showCommand(store, io, 'r-1', { json: true });
  const doc = JSON.parse(io.stdout()) as { status: string; hosts: Record<string, unknown>[] };
  assert.equal(doc.status, 'running');
  const build01 = doc.hosts[0];
  assert.equal(build01?.status, 'probing');
  assert.equal(build01?.finished, false);
  assert.equal(build01?.duration_ms, null);
  assert.deepEqual((build01?.steps as { step: string; status: string }[]).map((s) => `${s.step}:${s.status}`), ['connect:ok', 'facts:running']);
});

test('show table: every host, the steps of hosts that did not succeed, and hints', async (t) => {
  const store = fixture(t);
  record(store, 'r-1', syntheticRun('r-1').events);
  const io = capture();
  await showCommand(store, io, 'r-1');
  const text = io.stdout();
  assert.match(text, /^run r-1 · upgrade → go1\.27\.3 · done\nstarted 2026-11-25 09:15:02 UTC by ops on .+ · took \d/);
  assert.match(text, /command: gofleet upgrade --to 1\.27\n/);
  assert.match(text, /\nbuild-02\s+go1\.26\.8\s+go1\.27\.3\s+rolled_back\s+\S+\s+VERIFY_FAILED: go version printed go1\.26\.8, want go1\.27\.3\n/);
  assert.match(text, /total: 1 upgraded, 1 rolled_back, 1 unreachable\n/);
  assert.match(text, /build-02 steps:\n/);
  assert.match(text, /\nverify\s+fail\s+250ms\s+VERIFY_FAILED\s+go version printed go1\.26\.8, want go1\.27\.3 …\n/);
  assert.match(text, / {2}verify output:\n {4}\| go version printed go1\.26\.8, want go1\.27\.3\n {4}\| <stderr & "quotes">\n/);
  assert.match(text, /win-01 steps:\n/);
  assert.doesNotMatch(text, /build-01 steps:/);
  assert.match(text, /\nhint VERIFY_FAILED: The new toolchain did not pass verification\.\n$/);
});

test('show of an unknown run is RUN_NOT_FOUND (exit 4)', async (t) => {
  const store = fixture(t);
  await assert.rejects(
    () => showCommand(store, capture(), 'nope'),
    (err: unknown) => err instanceof GofleetError && err.code === 'RUN_NOT_FOUND' && exitCodeForError(err) === 4 && err.message.includes('"nope"'),
  );
});

test('show --json feeds the JUnit report', async (t) => {
  const store = fixture(t);
  record(store, 'r-1', syntheticRun('r-1').events);
  const io = capture();
  await showCommand(store, io, 'r-1', { json: true });
  const xml = junitXml(JSON.parse(io.stdout()) as JunitRun);
  assert.match(xml, /<testsuite name="gofleet upgrade go1\.27\.3 run r-1" tests="3" failures="2" errors="0" skipped="0" time="\d+\.\d{3}" timestamp="2026-11-25T09:15:02">/);
  assert.match(xml, /<testcase classname="gofleet\.upgrade" name="build-02" time="[\d.]+">\n\s+<failure type="VERIFY_FAILED"/);
});

test('the real executor, journaled through fanOut, shows what upgrade --json printed', async (t) => {
  const store = fixture(t);
  const { runFleet } = await import('../../engine/run-fleet.ts');
  const { HostRecorder } = await import('../../engine/host-recorder.ts');
  const { fanOut } = await import('../../engine/events.ts');
  const { GofleetError: Err } = await import('../../errors.ts');
  let clock = T0;
  const hosts: HostSpec[] = ['a', 'b', 'c'].map((name) => ({
    name,
    address: name,
    port: 22,
    transport: 'ssh',
    knownHosts: '',
    become: false,
    tags: [],
    groups: [],
    vars: {},
    source: { file: 'inv' },
  }));
  const ctx = {
    run: 'exec-run',
    emit: fanOut(store.recorder({ run: 'exec-run', user: 'ops', argv: ['gofleet', 'upgrade'], command: 'upgrade', target: 'go1.27.3', policy: { parallel: 2 } })),
    now: () => (clock += 10),
    connect: () => Promise.reject(new Error('no connections in this test')),
  } as unknown as import('../../engine/context.ts').EngineContext;
  const results = await runFleet(
    hosts,
    async (spec) => {
      const rec = new HostRecorder(spec.name, ctx.run, ctx.emit, ctx.now);
      await rec.step('connect', async () => {});
      if (spec.name === 'b') {
        await rec.step('stage', async () => {
          throw new Err('DISK_FULL', 'no space left on device');
        }).catch(() => {});
        return rec.result('failed', 'go1.26.8', 'go1.27.3', new Err('DISK_FULL', 'no space left on device'));
      }
      return rec.result('upgraded', 'go1.26.8', 'go1.27.3');
    },
    ctx,
    { command: 'upgrade', target: 'go1.27.3', parallel: 2 },
  );
  const io = capture();
  await showCommand(store, io, 'exec-run', { json: true });
  const shown = JSON.parse(io.stdout()) as { run: string; status: string; counts: unknown; hosts: Record<string, unknown>[] };
  assert.deepEqual([shown.run, shown.status, shown.counts], ['exec-run', 'done', { upgraded: 2, failed: 1 }]);
  for (const r of results) {
    const printed = JSON.parse(JSON.stringify(hostJson(r))) as Record<string, unknown>;
    const host = shown.hosts.find((h) => h.name === r.name) ?? {};
    for (const [key, value] of Object.entries(printed)) assert.deepEqual(host[key], value, `${r.name}.${key}`);
  }
  assert.deepEqual((await store.runEvents('exec-run')).map((e) => e.kind).filter((k) => k !== 'host-step'), ['run-start', 'wave-start', 'host-done', 'host-done', 'host-done', 'wave-end', 'run-end']);
});

test('show and history print hostile host names and host output escaped, never as terminal controls', async (t) => {
  const store = fixture(t);
  const name = 'web\x1b[2J\x1b]0;pwned\x07';
  const message = 'tar: broken\n\x1b]2;title\x1b\\line two\x9b2J';
  const hosts = [{ name, status: 'failed' as const, from: 'go1.26.8', to: null, error: { code: 'STAGE_FAILED' as const, message, hint: 'h\x1bc' },
    steps: [{ step: 'stage' as const, status: 'fail' as const, code: 'STAGE_FAILED' as const, message }] }];
  record(store, '20261127-091502-cccc', syntheticRun('20261127-091502-cccc', hosts).events);
  for (const print of [(io: CliIo) => showCommand(store, io, '20261127-091502-cccc'), (io: CliIo) => historyCommand(store, io)]) {
    const io = capture();
    await print(io);
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    assert.deepEqual(io.stdout().match(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g), null, io.stdout());
  }
  const io = capture();
  await showCommand(store, io, '20261127-091502-cccc');
  assert.match(io.stdout(), /web\\u001b\[2J\\u001b\]0;pwned\\u0007/);
  assert.match(io.stdout(), /\| \\u001b\]2;title\\u001b\\line two\\u009b2J/);
});

test("show: the run's audit trail (who approved or stopped a wave, when, from where), in the table and in --json", async (t) => {
  const store = fixture(t);
  record(store, 'r-1', syntheticRun('r-1').events);
  const trail = openServeStore(store.path);
  trail.appendAudit({ at: Date.UTC(2026, 11, 3, 9, 41, 7), actor: 'alice', source: '10.0.0.9', action: 'approve', run: 'r-1', wave: 2, detail: { hosts: ['w2', 'w3'] } });
  trail.appendAudit({ at: Date.UTC(2026, 11, 3, 9, 45), actor: 'bob', source: '10.0.0.7', action: 'token-create', detail: { name: 'ci' } });
  trail.close();
  const table = capture();
  await showCommand(store, table, 'r-1');
  assert.match(table.stdout(), /^audit 2026-12-03 09:41:07 approve wave 2 by alice from 10\.0\.0\.9 \(w2, w3\)$/m);
  assert.doesNotMatch(table.stdout(), /token-create/, 'entries about other things are not the run\'s');
  const json = capture();
  await showCommand(store, json, 'r-1', { json: true });
  assert.deepEqual(JSON.parse(json.stdout()).audit, [{ at: '2026-12-03T09:41:07.000Z', actor: 'alice', from: '10.0.0.9', action: 'approve', wave: 2, hosts: ['w2', 'w3'] }]);
});
