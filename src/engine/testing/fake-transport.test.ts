// The fakes keep the contracts the engine relies on (src/transport/types.ts, src/platform/types.ts): a test
// written against them must mean the same as against a real transport and dialect.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GofleetError } from '../../errors.ts';
import { fakeDialect, outcomeLine, readCommand, readScript, stepLine } from './fake-dialect.ts';
import { FakeTransport, reply } from './fake-transport.ts';
import { ScriptedHost } from './scripted-host.ts';
import { hostFacts } from './builders.ts';

async function codeOf(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  );
  return err instanceof GofleetError ? err.code : `not a GofleetError: ${String(err)}`;
}

test('replies are used in order, then the handler; an exec nobody answers rejects and is recorded', { timeout: 5_000 }, async () => {
  const t = new FakeTransport({ replies: [reply.ok('one'), reply.exit(2, 'bad')], handler: () => reply.ok('handled') });
  const got = [await t.exec('a'), await t.exec('b', { stdin: 'script' }), await t.exec('c')];
  assert.deepEqual(got.map((r) => [r.exitCode, r.stdout, r.stderr]), [[0, 'one', ''], [2, '', 'bad'], [0, 'handled', '']]);
  assert.deepEqual(t.calls.map((c) => [c.command, c.stdin]), [['a', ''], ['b', 'script'], ['c', '']]);
  const bare = new FakeTransport();
  await assert.rejects(bare.exec('x'), /no reply scripted for exec #1: x/);
  assert.deepEqual(bare.unexpected.map((c) => c.command), ['x']);
});

test('stdout is streamed to onStdout chunk by chunk, and kept whole in the result; not streamed when streams is off', { timeout: 5_000 }, async () => {
  const chunks: string[] = [];
  const t = new FakeTransport({ replies: [reply.stream('a', 'b'), reply.ok('tail')] });
  const r = await t.exec('x', { onStdout: (c) => chunks.push(c) });
  await t.exec('y', { onStdout: (c) => chunks.push(c) });
  assert.equal(r.stdout, 'ab');
  assert.deepEqual(chunks, ['a', 'b', 'tail']);
  const quiet = new FakeTransport({ replies: [reply.ok('all')], streams: false });
  const seen: string[] = [];
  assert.equal((await quiet.exec('x', { onStdout: (c) => seen.push(c) })).stdout, 'all');
  assert.deepEqual(seen, []);
});

test('an aborted signal rejects with INTERRUPTED, before or during the command', { timeout: 5_000 }, async () => {
  const before = new AbortController();
  before.abort();
  const t = new FakeTransport({ handler: () => reply.hang('partial') });
  assert.equal(await codeOf(t.exec('x', { signal: before.signal })), 'INTERRUPTED');
  const during = new AbortController();
  const running = t.exec('y', { signal: during.signal });
  during.abort();
  assert.equal(await codeOf(running), 'INTERRUPTED');
});

test('a command past its timeoutMs resolves as killed and timed out', { timeout: 5_000 }, async () => {
  const t = new FakeTransport({ replies: [reply.hang('so far')] });
  const r = await t.exec('x', { timeoutMs: 1 });
  assert.deepEqual([r.timedOut, r.exitCode, r.signal, r.stdout], [true, null, 'SIGKILL', 'so far']);
});

test('the interrupt reaches the command, which answers by itself', { timeout: 5_000 }, async () => {
  const interrupt = new AbortController();
  const t = new FakeTransport({ replies: [reply.onInterrupt('started\n', reply.ok('stopped\n'))] });
  const running = t.exec('x', { interrupt: interrupt.signal });
  interrupt.abort();
  const r = await running;
  assert.deepEqual([r.exitCode, r.stdout], [0, 'started\nstopped\n']);
});

test('a lost connection rejects with CONNECTION_LOST after its partial output; a closed transport refuses every call', { timeout: 5_000 }, async () => {
  const seen: string[] = [];
  const t = new FakeTransport({ replies: [reply.lost('half')] });
  assert.equal(await codeOf(t.exec('x', { onStdout: (c) => seen.push(c) })), 'CONNECTION_LOST');
  assert.deepEqual(seen, ['half']);
  await t.close();
  assert.equal(await codeOf(t.exec('y')), 'CONNECTION_LOST');
  assert.equal(await codeOf(t.put('/l', '/r')), 'CONNECTION_LOST');
});

test('puts are recorded; onPut may fail one; an aborted signal rejects it', { timeout: 5_000 }, async () => {
  let fail = true;
  const t = new FakeTransport({
    onPut: () => {
      if (fail) throw new GofleetError('TRANSFER_FAILED', 'disk full');
    },
  });
  assert.equal(await codeOf(t.put('/l', '/r', { mode: 0o600 })), 'TRANSFER_FAILED');
  fail = false;
  await t.put('/l2', '/r2');
  const stop = new AbortController();
  stop.abort();
  assert.equal(await codeOf(t.put('/l3', '/r3', { signal: stop.signal })), 'INTERRUPTED');
  assert.deepEqual(t.puts.map((p) => [p.local, p.remote, p.options.mode]), [['/l', '/r', 0o600], ['/l2', '/r2', undefined], ['/l3', '/r3', undefined]]);
});

test('the fake dialect writes the intent it was given and reads what a fake host answers', () => {
  const d = fakeDialect();
  const intent = { paths: { goroot: '/g', versionsDir: '/v' }, keep: 2, run: 'r' };
  assert.deepEqual(readScript(`password\n${d.prune(intent)}`), { kind: 'prune', intent });
  assert.deepEqual(readCommand(d.scriptCommand({ become: true })), { become: true });
  assert.equal(readScript('echo hi'), null);
  const facts = hostFacts();
  assert.deepEqual(d.parseFacts(JSON.stringify(facts)), facts);
  assert.throws(() => d.parseFacts('garbage'), /not JSON/);
  const partial = stepLine('lock', 'start') + stepLine('lock', 'ok') + outcomeLine({ result: 'switched', active: 'go1.27.3' }).slice(0, 20);
  assert.deepEqual(d.parseRun(partial), { steps: [{ step: 'lock', status: 'start' }, { step: 'lock', status: 'ok' }], outcome: null });
  const whole = stepLine('verify', 'fail', { code: 'VERIFY_FAILED' }) + outcomeLine({ result: 'rolled_back', code: 'VERIFY_FAILED' });
  assert.deepEqual(d.parseRun(whole).outcome, { result: 'rolled_back', active: null, previous: null, warnings: [], code: 'VERIFY_FAILED' });
});

test('a scripted host answers by script kind across connections; facts in turn, the last repeating', { timeout: 5_000 }, async () => {
  const d = fakeDialect();
  const paths = { goroot: '/g', versionsDir: '/v' };
  const host = new ScriptedHost({ facts: [hostFacts({ user: 'a' }), hostFacts({ user: 'b' })], scripts: { prune: [reply.ok('pruned')] } });
  const first = host.connection();
  const users = [];
  users.push(d.parseFacts((await first.exec('sh', { stdin: d.facts(paths) })).stdout).user);
  const second = host.connection();
  users.push(d.parseFacts((await second.exec('sh', { stdin: d.facts(paths) })).stdout).user);
  users.push(d.parseFacts((await second.exec('sh', { stdin: d.facts(paths) })).stdout).user);
  assert.deepEqual(users, ['a', 'b', 'b']);
  assert.equal((await second.exec('sh', { stdin: d.prune({ paths, keep: 1, run: 'r' }) })).stdout, 'pruned');
  await assert.rejects(second.exec('sh', { stdin: d.prune({ paths, keep: 1, run: 'r' }) }), /no answer for the prune script/);
  assert.deepEqual(host.kinds(), ['facts', 'facts', 'facts', 'prune', 'prune']);
  assert.equal(host.unexpected.length, 1);
  assert.equal(host.calls.length, 5);
});
