import assert from 'node:assert/strict';
import test from 'node:test';
import type { DriftResult, DriftStatus } from './drift.ts';
import { driftExitCode, driftText } from './drift-report.ts';

const r = (name: string, status: DriftStatus): DriftResult =>
  ({ name, status, active: 'go1.26.8', wanted: 'go1.27.3', channel: 'stable', assignment: 0, reasons: status === 'compliant' ? [] : ['why'], notes: [] });

test('driftExitCode: 0 all comply (unassigned hosts too), 2 any drift, 3 only unknown', () => {
  const cases: [DriftStatus[], number][] = [
    [['compliant', 'compliant'], 0],
    [['compliant', 'unassigned'], 0],
    [['compliant', 'unknown'], 3],
    [['unknown', 'behind'], 2],
    [['ahead'], 2],
    [['off_pin'], 2],
    [['misconfigured', 'unknown'], 2],
    [[], 0],
  ];
  for (const [statuses, code] of cases) assert.equal(driftExitCode(statuses.map((st, i) => r(`h${i}`, st))), code, statuses.join(','));
});

test('driftText: a row per host and the counts', () => {
  const text = driftText([r('a', 'compliant'), r('b', 'off_pin'), { ...r('c', 'compliant'), notes: ['GOTOOLCHAIN not checked'] }]);
  assert.match(text, /^b\s+off-pin\s+go1\.26\.8\s+go1\.27\.3\s+stable\s+why$/m);
  assert.match(text, /^3 hosts: 2 compliant, 1 off-pin$/m);
  assert.match(text, /^note: c: GOTOOLCHAIN not checked$/m);
});
