import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GofleetError } from '../errors.ts';
import { allowedFailures, FailureBudget, parseMaxFail, parseWaves, planWaves, type WavePolicy } from './waves.ts';

/** `n` hosts h1..hn; the names in `canary` carry the canary tag. */
function fleet(n: number, canary: string[] = []): { name: string; tags: string[] }[] {
  return Array.from({ length: n }, (_, i) => ({ name: `h${i + 1}`, tags: canary.includes(`h${i + 1}`) ? ['canary', 'x'] : ['x'] }));
}

const sizes = (waves: unknown[][]): number[] => waves.map((w) => w.length);
const names = (waves: { name: string }[][]): string[][] => waves.map((w) => w.map((h) => h.name));

test('planWaves: wave sizes for counts, percentages, rounding and tiny fleets', () => {
  const table: [number, WavePolicy, number[]][] = [
    // no policy: one wave
    [5, {}, [5]],
    [1, {}, [1]],
    // the classic list: cumulative, percentages round up, an entry adding no host adds no wave
    [40, { waves: '1,10%,50%,100%' }, [1, 3, 16, 20]],
    [100, { waves: '1,10%,50%,100%' }, [1, 9, 40, 50]],
    [10, { waves: '1,10%,50%,100%' }, [1, 4, 5]],
    [3, { waves: '1,10%,50%,100%' }, [1, 1, 1]],
    [2, { waves: '1,10%,50%,100%' }, [1, 1]],
    [1, { waves: '1,10%,50%,100%' }, [1]],
    // a percentage is at least one host; 33% of 10 = 3.3 -> 4
    [10, { waves: '1%,33%' }, [1, 3, 6]],
    // the list does not reach every host: the rest make one last wave
    [5, { waves: '2' }, [2, 3]],
    [5, { waves: [1] }, [1, 4]],
    [20, { waves: [1, '10%'] }, [1, 1, 18]],
    // more waves than hosts, and entries beyond the fleet
    [3, { waves: '1,2,3,4,5' }, [1, 1, 1]],
    [3, { waves: '100' }, [3]],
    [3, { waves: '2,50' }, [2, 1]],
    // mixed kinds that resolve lower add no wave
    [10, { waves: '5,10%,100%' }, [5, 5]],
    // numbers in an array are counts; numeric strings too; spaces are fine
    [6, { waves: [1, '3', ' 100% '] }, [1, 2, 3]],
    // canary alone: the canary wave, then the rest
    [5, { canary: 1 }, [1, 4]],
    [5, { canary: 2 }, [2, 3]],
    [2, { canary: 5 }, [2]],
    [1, { canary: 1 }, [1]],
    // canary + waves: the list applies to the hosts left after the canary wave
    [11, { canary: 1, waves: '50%,100%' }, [1, 5, 5]],
    [3, { canary: 1, waves: '1,100%' }, [1, 1, 1]],
    [2, { canary: 1, waves: '1,100%' }, [1, 1]],
    [1, { canary: 1, waves: '1,100%' }, [1]],
  ];
  for (const [n, policy, want] of table) {
    assert.deepEqual(sizes(planWaves(fleet(n), policy)), want, `${n} hosts, ${JSON.stringify(policy)}`);
  }
  assert.deepEqual(planWaves([], { canary: 2, waves: '1,100%' }), []);
});

test('planWaves: hosts keep inventory order; canary-tagged hosts come first when a rollout is asked for', () => {
  const hosts = fleet(6, ['h4', 'h6']);
  assert.deepEqual(names(planWaves(hosts)), [['h1', 'h2', 'h3', 'h4', 'h5', 'h6']], 'no rollout: inventory order');
  assert.deepEqual(names(planWaves(hosts, { canary: 1 })), [['h4'], ['h6', 'h1', 'h2', 'h3', 'h5']]);
  assert.deepEqual(names(planWaves(hosts, { canary: 3 })), [['h4', 'h6', 'h1'], ['h2', 'h3', 'h5']]);
  assert.deepEqual(names(planWaves(hosts, { canary: 1, waves: '2,100%' })), [['h4'], ['h6', 'h1'], ['h2', 'h3', 'h5']]);
  assert.deepEqual(names(planWaves(hosts, { waves: '1,50%' })), [['h4'], ['h6', 'h1'], ['h2', 'h3', 'h5']]);
  assert.deepEqual(names(planWaves(fleet(3), { canary: 1 })), [['h1'], ['h2', 'h3']], 'no tagged host: inventory order');
});

test('planWaves and parseWaves: invalid lists and canaries are BAD_OPTION (exit 5)', () => {
  const bad: WavePolicy[] = [
    { waves: '' },
    { waves: ' ' },
    { waves: [] },
    { waves: '0' },
    { waves: '-1' },
    { waves: '1,,2' },
    { waves: '1,' },
    { waves: 'abc' },
    { waves: '1.5' },
    { waves: [0.5] },
    { waves: '0%' },
    { waves: '101%' },
    { waves: '10 %' },
    { waves: '5,3' },
    { waves: '50%,10%' },
    { canary: 0 },
    { canary: -1 },
    { canary: 1.5 },
  ];
  for (const policy of bad) {
    assert.throws(
      () => planWaves(fleet(4), policy),
      (e: unknown) => e instanceof GofleetError && e.code === 'BAD_OPTION' && e.kind === 'usage',
      JSON.stringify(policy),
    );
  }
  assert.match(
    (() => {
      try {
        parseWaves('5,3');
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    })(),
    /--waves "5,3": entries are cumulative/,
  );
  assert.deepEqual(parseWaves('1, 10% ,12.5%'), [{ count: 1 }, { percent: 10 }, { percent: 12.5 }]);
});

test('parseMaxFail: counts and percentages; anything else is BAD_OPTION', () => {
  assert.deepEqual(parseMaxFail('0'), { count: 0 });
  assert.deepEqual(parseMaxFail('3'), { count: 3 });
  assert.deepEqual(parseMaxFail('10%'), { percent: 10 });
  assert.deepEqual(parseMaxFail('0%'), { percent: 0 });
  assert.deepEqual(parseMaxFail('100%'), { percent: 100 });
  for (const bad of ['', '-1', 'x', '101%', '1.5', '%', 'one']) {
    assert.throws(() => parseMaxFail(bad), (e: unknown) => e instanceof GofleetError && e.code === 'BAD_OPTION', bad);
  }
});

test('allowedFailures: counts as given, percentages of the size rounded down', () => {
  const table: [Parameters<typeof allowedFailures>[0], number, number][] = [
    [{ count: 0 }, 10, 0],
    [{ count: 2 }, 1, 2],
    [{ percent: 0 }, 100, 0],
    [{ percent: 10 }, 9, 0],
    [{ percent: 10 }, 10, 1],
    [{ percent: 10 }, 29, 2],
    [{ percent: 50 }, 3, 1],
    [{ percent: 100 }, 7, 7],
  ];
  for (const [limit, size, want] of table) assert.equal(allowedFailures(limit, size), want, `${JSON.stringify(limit)} of ${size}`);
});

test('FailureBudget: failed, rolled_back and unreachable count, per wave and overall', () => {
  const none = new FailureBudget(undefined, 3);
  none.startWave(1, 3);
  for (const s of ['failed', 'failed', 'unreachable'] as const) none.record(s);
  assert.equal(none.spent(), null, 'no --max-fail: never spent');

  const zero = new FailureBudget({ count: 0 }, 6);
  zero.startWave(1, 1);
  zero.record('upgraded');
  zero.record('unchanged');
  zero.record('skipped');
  assert.equal(zero.spent(), null);
  zero.startWave(2, 2);
  zero.record('rolled_back');
  assert.equal(zero.spent(), 'wave 2: 1 of 2 host(s) failed, --max-fail 0 allows 0');

  // 50% per wave: a wave of 2 tolerates 1; overall 50% of 6 tolerates 3
  const half = new FailureBudget({ percent: 50 }, 6);
  half.startWave(1, 2);
  half.record('unreachable');
  assert.equal(half.spent(), null);
  half.startWave(2, 2);
  half.record('failed');
  assert.equal(half.spent(), null, 'per wave 1 of 2 allowed, overall 2 of 6 allowed');
  half.startWave(3, 2);
  half.record('failed');
  assert.equal(half.spent(), null, '3 of 6 overall is still allowed');
  half.record('rolled_back');
  assert.equal(half.spent(), 'wave 3: 2 of 2 host(s) failed, --max-fail 50% allows 1');

  // the overall budget catches failures spread thinly over many waves
  const spread = new FailureBudget({ percent: 25 }, 8);
  for (let w = 1; w <= 3; w++) {
    spread.startWave(w, 4);
    spread.record('failed');
  }
  assert.equal(spread.spent(), '3 of 8 host(s) failed, --max-fail 25% allows 2');
});
