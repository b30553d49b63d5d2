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
