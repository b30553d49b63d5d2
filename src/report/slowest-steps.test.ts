import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostResult, StepRecord } from '../engine/events.ts';
import { slowestSteps, slowestStepsBlock } from './slowest-steps.ts';

function host(name: string, steps: [StepRecord['step'], number, number | null, StepRecord['status']?][]): Pick<HostResult, 'name' | 'steps'> {
  return { name, steps: steps.map(([step, startedAt, endedAt, status]) => ({ step, startedAt, endedAt, status: status ?? (endedAt === null ? 'running' : 'ok') })) };
}

const results = [
  host('a', [['connect', 0, 100], ['facts', 100, 400], ['stage', 400, 9400], ['verify', 9400, 12400]]),
  host('b', [['connect', 0, 5000, 'fail']]),
  host('c', [['connect', 0, 50], ['facts', 50, 350], ['upload', 350, 2350], ['stage', 2350, null]]),
];

test('slowestSteps: the longest finished steps over all hosts, longest first, ties in host order', () => {
  assert.deepEqual(
    slowestSteps(results).map((s) => `${s.host} ${s.step} ${s.status} ${s.durationMs}`),
    ['a stage ok 9000', 'b connect fail 5000', 'a verify ok 3000', 'c upload ok 2000', 'a facts ok 300'],
  );
});

test('slowestSteps: running steps are left out, the limit is honoured, nothing in gives nothing out', () => {
  assert.ok(!slowestSteps(results, 100).some((s) => s.host === 'c' && s.step === 'stage'));
  assert.equal(slowestSteps(results, 100).length, 8);
  assert.deepEqual(slowestSteps(results, 2).map((s) => s.step), ['stage', 'connect']);
  assert.deepEqual(slowestSteps([]), []);
  assert.deepEqual(slowestSteps([host('x', [])]), []);
});

test('slowestStepsBlock: a heading and a table with durations; a failed step says so; empty without steps', () => {
  const block = slowestStepsBlock(slowestSteps(results, 2));
  assert.equal(block, ['slowest steps:', 'host  step            duration', '----  --------------  --------', 'a     stage               9.0s', 'b     connect (fail)      5.0s', ''].join('\n'));
  assert.equal(slowestStepsBlock([]), '');
});
