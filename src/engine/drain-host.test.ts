import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeBusy, parseDuration } from './drain-host.ts';

test('parseDuration: 90s, 10m, 1h and bare seconds; anything else is null', () => {
  assert.equal(parseDuration('90s'), 90_000);
  assert.equal(parseDuration('10m'), 600_000);
  assert.equal(parseDuration('1h'), 3_600_000);
  assert.equal(parseDuration('45'), 45_000);
  for (const bad of ['', 'm', '1.5m', '-1s', '10d', '1h30m', 'ten']) assert.equal(parseDuration(bad), null, bad);
});

test('describeBusy: the first few processes, then a count', () => {
  const busy = [1, 2, 3, 4, 5].map((n) => ({ pid: String(n), exe: `/x/${n}` }));
  assert.equal(describeBusy(busy.slice(0, 2)), '1 /x/1, 2 /x/2');
  assert.equal(describeBusy(busy), '1 /x/1, 2 /x/2, 3 /x/3 and 2 more');
});
