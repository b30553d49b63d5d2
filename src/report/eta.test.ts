import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateRemaining, formatEta, type EtaInput } from './eta.ts';

const S = 1000;

test('estimateRemaining: a table of runs in progress', () => {
  const cases: [string, EtaInput, number | null][] = [
    ['nothing finished yet: unknown', { finished: [], inFlight: [5 * S], pending: 10, parallel: 2 }, null],
    ['all done', { finished: [10 * S], inFlight: [], pending: 0, parallel: 4 }, 0],
    ['one slot, 3 pending of 10s each', { finished: [10 * S], inFlight: [], pending: 3, parallel: 1 }, 30 * S],
    ['mean of the finished hosts', { finished: [10 * S, 20 * S], inFlight: [], pending: 2, parallel: 1 }, 30 * S],
    ['parallel 2: 3 pending take two rounds', { finished: [10 * S], inFlight: [], pending: 3, parallel: 2 }, 20 * S],
    ['in flight need what is left of the mean', { finished: [10 * S], inFlight: [4 * S], pending: 0, parallel: 2 }, 6 * S],
    ['in flight past the mean need nothing more', { finished: [10 * S], inFlight: [15 * S], pending: 0, parallel: 2 }, 0],
    ['pending hosts wait for the earliest free slot', { finished: [10 * S], inFlight: [8 * S, 1 * S], pending: 1, parallel: 2 }, 12 * S],
    ['more hosts than --parallel in one slot each round', { finished: [10 * S], inFlight: [], pending: 5, parallel: 10 }, 10 * S],
    ['later waves follow, ceil(size / parallel) rounds each', { finished: [10 * S], inFlight: [], pending: 0, laterWaves: [3, 4], parallel: 2 }, 40 * S],
    ['--pause-after adds a wait before each later wave', { finished: [10 * S], inFlight: [5 * S], pending: 0, laterWaves: [2], parallel: 2, pauseMs: 30 * S }, 45 * S],
    ['empty later waves are ignored', { finished: [10 * S], inFlight: [], pending: 0, laterWaves: [0], parallel: 2, pauseMs: 30 * S }, 0],
    ['parallel below 1 counts as 1', { finished: [10 * S], inFlight: [], pending: 2, parallel: 0 }, 20 * S],
  ];
  for (const [name, input, want] of cases) assert.equal(estimateRemaining(input), want, name);
});

test('formatEta: seconds rounded up, then minutes and seconds, then hours and minutes', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [1, '1s'],
    [44_200, '45s'],
    [59_001, '1m00s'],
    [130_000, '2m10s'],
    [3_599_000, '59m59s'],
    [3_900_000, '1h05m'],
    [-5, '0s'],
  ];
  for (const [ms, want] of cases) assert.equal(formatEta(ms), want, String(ms));
});
