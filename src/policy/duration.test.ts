import assert from 'node:assert/strict';
import test from 'node:test';
import { formatDuration, parsePolicyDuration } from './duration.ts';

test('parsePolicyDuration and formatDuration', () => {
  const cases: [string, number | null][] = [
    ['4h', 4 * 3_600_000], ['90m', 90 * 60_000], ['1h30m', 90 * 60_000], ['3d', 3 * 86_400_000], ['2w', 14 * 86_400_000], ['45s', 45_000],
    ['0h', null], ['4', null], ['4 h', null], ['h', null], ['1.5h', null], ['', null], ['-1h', null],
  ];
  for (const [text, ms] of cases) assert.equal(parsePolicyDuration(text), ms, text);
  assert.equal(formatDuration(90 * 60_000), '1h30m');
  assert.equal(formatDuration(26 * 3_600_000), '1d2h');
});
