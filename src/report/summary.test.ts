import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ErrorInfo, FinalStatus, StepRecord } from '../engine/events.ts';
import { resultsSummary, type SummaryResult } from './summary.ts';

function result(name: string, status: FinalStatus, wave: number, steps: [StepRecord['step'], number][] = [], error: ErrorInfo | null = null): SummaryResult {
  let at = 0;
  const records = steps.map(([step, ms]): StepRecord => ({ step, status: 'ok', startedAt: at, endedAt: (at += ms) }));
  return { name, status, from: 'go1.26.8', to: 'go1.27.3', error, warnings: [], startedAt: 0, durationMs: at, steps: records, wave };
}

const hosts = [
  result('a', 'upgraded', 1, [['connect', 120], ['stage', 7000], ['verify', 2500]]),
  result('b', 'upgraded', 2, [['connect', 90], ['stage', 6000], ['switch', 40], ['verify', 3100]]),
  result('c', 'skipped', 3, [], { code: 'INTERRUPTED', message: 'c: not started, the rollout was stopped before wave 3', hint: 'gofleet resume r1' }),
  result('d', 'skipped', 3, [], { code: 'INTERRUPTED', message: 'd: not started, the rollout was stopped before wave 3', hint: 'gofleet resume r1' }),
];

test('the summary lists the 5 slowest host steps after the per-host table and the totals', () => {
  const text = resultsSummary(hosts);
  const lines = text.split('\n');
  const total = lines.findIndex((l) => l.startsWith('total: '));
  const slow = lines.indexOf('slowest steps:');
  assert.ok(total > 0 && slow > total, text);
  assert.deepEqual(lines.slice(slow + 3, slow + 8).map((l) => l.split(/\s+/).join(' ')), [
    'a stage 7.0s', 'b stage 6.0s', 'b verify 3.1s', 'a verify 2.5s', 'a connect 120ms',
  ]);
  assert.equal(resultsSummary(hosts, false, { slowest: 0 }).includes('slowest steps'), false);
  assert.equal(resultsSummary([hosts[2] as SummaryResult]).includes('slowest steps'), false, 'no finished step, no block');
});

test('hosts a pause (or a Ctrl-C) left untouched are named in a "stopped" line with the wave', () => {
  const text = resultsSummary(hosts);
  assert.match(text, /^stopped: the rollout was stopped before wave 3; 2 host\(s\) not started \(from wave 3 on\)$/m);
  const budget = resultsSummary([
    result('a', 'failed', 1, [['stage', 10]]),
    result('b', 'skipped', 2, [], { code: 'BUDGET_EXCEEDED', message: 'b: not started, the failure budget is spent (wave 1: 1 of 1 host(s) failed, --max-fail 0 allows 0)' }),
  ]);
  assert.match(budget, /^stopped: wave 1: 1 of 1 host\(s\) failed, --max-fail 0 allows 0; 1 host\(s\) not started \(from wave 2 on\)$/m);
  assert.doesNotMatch(resultsSummary(hosts.slice(0, 2)), /stopped/);
});

test('switched and pruned hosts are done (✓ / −, never the ✗ of a failure) and counted under their own word', () => {
  const text = resultsSummary([result('a', 'switched', 1), result('b', 'pruned', 1), result('c', 'upgraded', 1)]);
  assert.match(text, /✓ a .* switched /);
  assert.match(text, /− b .* pruned /);
  assert.doesNotMatch(text, /✗/);
  assert.match(text, /^total: 1 switched, 1 pruned, 1 upgraded$/m);
});
