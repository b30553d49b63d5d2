import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JournalEvent } from '../store/index.ts';
import type { HtmlHost, HtmlRun } from './html-input.ts';
import { groupByWave, hasWaves, wavesFromEvents, withWaves } from './html-waves.ts';

const host = (name: string, wave?: number | null): HtmlHost => ({ name, status: 'upgraded', error: null, ...(wave === undefined ? {} : { wave }) });
const event = (seq: number, kind: string, payload: Record<string, unknown>): JournalEvent => ({ seq, at: seq, kind, payload: { kind, ...payload } });

test('waves come from the journal wave-start events; other events and odd payloads are ignored', () => {
  const events = [
    event(1, 'run-start', { hosts: ['a', 'b', 'c', 'd'] }),
    event(2, 'wave-start', { wave: 1, hosts: ['a'] }),
    event(3, 'wave-end', { wave: 1 }),
    event(4, 'wave-start', { wave: 2, hosts: ['b', 'c', 7] }),
    event(5, 'wave-start', { wave: 3, hosts: ['c'] }),
    event(6, 'wave-start', { wave: 'x', hosts: ['d'] }),
  ];
  assert.deepEqual([...wavesFromEvents(events)], [['a', 1], ['b', 2], ['c', 2]]);
});

test('a wave the host carries itself wins over the journal; no waves leaves the run as it was', () => {
  const run: HtmlRun = { run: 'r', target: null, hosts: [host('a', 5), host('b'), host('c')] };
  const waves = new Map([['a', 1], ['b', 2]]);
  assert.deepEqual(withWaves(run, waves).hosts.map((h) => h.wave), [5, 2, null]);
  assert.equal(withWaves(run, new Map()), run);
});

test('hosts group by wave in wave order, run order inside, hosts without a wave last', () => {
  const groups = groupByWave([host('a', 2), host('b', 1), host('c'), host('d', 2), host('e', 10)]);
  assert.deepEqual(groups.map((g) => [g.wave, g.hosts.map((h) => h.name)]), [[1, ['b']], [2, ['a', 'd']], [10, ['e']], [null, ['c']]]);
  assert.deepEqual(groupByWave([host('a'), host('b')]).map((g) => [g.wave, g.hosts.length]), [[null, 2]]);
  assert.deepEqual(groupByWave([]), []);
  assert.equal(hasWaves([host('a'), host('b', null)]), false);
  assert.equal(hasWaves([host('a'), host('b', 1)]), true);
  assert.equal(hasWaves([host('a', 1), host('b', 1)]), false, 'one wave: nothing to group');
  assert.equal(hasWaves([host('a', 1), host('b', 1), host('c', 2)]), true);
  assert.equal(hasWaves([]), false);
});
