import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sessions } from './sessions.ts';
import type { HostSpec } from '../inventory/types.ts';
import type { Transport } from '../transport/types.ts';

const spec = (name: string): HostSpec =>
  ({ name, address: name, port: 22, transport: 'local', knownHosts: '', become: false, tags: [], groups: [], vars: {}, source: { file: 'x' } }) as HostSpec;

function fakeTransport(log: string[], name: string): Transport {
  return { host: name, close: async () => void log.push(`close ${name}`) } as unknown as Transport;
}

test('one connection per host, reused; closed per host and all at the end', async () => {
  const log: string[] = [];
  const s = new Sessions(async (h) => {
    log.push(`connect ${h.name}`);
    return fakeTransport(log, h.name);
  });
  const a1 = await s.get(spec('a'));
  const a2 = await s.get(spec('a'));
  assert.equal(a1, a2);
  await s.get(spec('b'));
  await s.close('a');
  await s.closeAll();
  assert.deepEqual(log, ['connect a', 'connect b', 'close a', 'close b']);
});

test('a failed connect is not cached; reopen replaces a broken session', async () => {
  let n = 0;
  const log: string[] = [];
  const s = new Sessions(async (h) => {
    n++;
    if (n === 1) throw new Error('refused');
    return fakeTransport(log, `${h.name}${n}`);
  });
  await assert.rejects(s.get(spec('a')), /refused/);
  const t2 = await s.get(spec('a'));
  assert.equal(t2.host, 'a2');
  const t3 = await s.reopen(spec('a'));
  assert.equal(t3.host, 'a3');
  assert.deepEqual(log, ['close a2']);
});

test('connect ahead: at most N waiting connections, refilled as hosts take theirs, never for started hosts', async () => {
  const log: string[] = [];
  const s = new Sessions(async (h) => {
    log.push(`connect ${h.name}`);
    return fakeTransport(log, h.name);
  });
  const hosts = ['a', 'b', 'c', 'd', 'e'].map(spec);
  await s.get(spec('a')); // already started: not connected ahead
  s.connectAhead(hosts, 2);
  assert.deepEqual(log, ['connect a', 'connect b', 'connect c']);
  const b = await s.get(spec('b')); // taken: one more is opened ahead
  assert.equal(b.host, 'b');
  assert.deepEqual(log, ['connect a', 'connect b', 'connect c', 'connect d']);
  await s.close('c'); // closed before its host started (skipped): the next one is opened
  assert.deepEqual(log.slice(4).sort(), ['close c', 'connect e']);
  await s.get(spec('d'));
  await s.get(spec('e'));
  assert.equal(log.filter((l) => l.startsWith('connect')).length, 5, 'no host connected twice');
  await s.closeAll();
  assert.deepEqual(log.slice(-4).sort(), ['close a', 'close b', 'close d', 'close e']);
});

test('connect ahead: a failed early connect is handed to its host once, then a later step may retry', async () => {
  let n = 0;
  const s = new Sessions(async (h) => {
    n++;
    if (h.name === 'b' && n <= 2) throw new Error('refused');
    return fakeTransport([], `${h.name}${n}`);
  });
  s.connectAhead([spec('a'), spec('b')], 5);
  assert.equal(n, 2);
  await assert.rejects(s.get(spec('b')), /refused/);
  assert.equal(n, 2, 'the early failure was not retried behind the host\'s back');
  assert.equal((await s.get(spec('b'))).host, 'b3');
  assert.equal((await s.get(spec('a'))).host, 'a1');
  await s.closeAll();
});

test('connect ahead: closeAll closes connections never taken and opens no more', async () => {
  const log: string[] = [];
  const s = new Sessions(async (h) => {
    log.push(`connect ${h.name}`);
    return fakeTransport(log, h.name);
  });
  s.connectAhead(['a', 'b', 'c'].map(spec), 1);
  await s.closeAll();
  assert.deepEqual(log, ['connect a', 'close a']);
});
