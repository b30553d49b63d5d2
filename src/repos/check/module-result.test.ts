import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateLineOptions } from '../shared/go-line.ts';
import { addFindings, newEntry, resultKind, toModuleResult } from './module-result.ts';
import { parseModFile } from '../shared/parse-mod-file.ts';
import { planRepo } from '../bump/plan-repo.ts';

const opts = validateLineOptions({ target: 'go1.27.3' });
const plan = planRepo([{ dir: '.', kind: 'module', file: 'go.mod', mod: parseModFile('module a\n\ngo 1.22\n', 'module') }], opts)[0]!;

test('resultKind: any fail fails, else any warn warns; info never counts', () => {
  const f = (severity: 'info' | 'warn' | 'fail') => ({ code: 'X', message: 'm', hint: 'h', severity });
  assert.equal(resultKind([]), 'pass');
  assert.equal(resultKind([f('info')]), 'pass');
  assert.equal(resultKind([f('info'), f('warn')]), 'warn');
  assert.equal(resultKind([f('warn'), f('fail')]), 'fail');
});

test('a failure becomes a fail finding, the class and the first error; the file as re-read gives "to"', () => {
  const e = newEntry(plan);
  addFindings(e, [{ code: 'K', message: 'same', hint: 'h', severity: 'warn' }, { code: 'K', message: 'same', hint: 'h', severity: 'warn' }]);
  assert.equal(e.findings.length, 1);
  e.failure = { class: 'test', code: 'TEST_FAILED', firstError: '--- FAIL: TestX (0.00s)\nx_test.go:3: boom', hint: 'h', step: 'test' };
  e.after = parseModFile('module a\n\ngo 1.27.2\n\ntoolchain go1.27.3\n', 'module');
  const m = toModuleResult(e);
  assert.deepEqual([m.result, m.class, m.from, m.to, m.toolchainTo], ['fail', 'test', '1.22', '1.27.2', 'go1.27.3']);
  assert.deepEqual(m.findings.at(-1), { code: 'TEST_FAILED', severity: 'fail', message: 'test failed: --- FAIL: TestX (0.00s)', hint: 'h' });
  assert.equal(m.firstError, '--- FAIL: TestX (0.00s)\nx_test.go:3: boom');
});

test('without a re-read (check --static) "to" is the plan', () => {
  const m = toModuleResult(newEntry(plan));
  assert.deepEqual([m.result, m.to, m.toolchainTo, m.firstError], ['pass', '1.27.0', 'go1.27.3', null]);
});

test('a module failed by a finding alone still shows a class and a first error in its row (issue 9)', () => {
  const e = newEntry(plan);
  addFindings(e, [{ code: 'PIN_DISAGREES', message: 'pin', hint: 'h', severity: 'warn' }, { code: 'KNOWN_BAD_DEPENDENCY', message: 'github.com/bytedance/sonic@v1.11.0 breaks', hint: 'h', severity: 'fail' }]);
  const m = toModuleResult(e);
  assert.deepEqual([m.result, m.class, m.firstError], ['fail', 'build', 'KNOWN_BAD_DEPENDENCY: github.com/bytedance/sonic@v1.11.0 breaks']);
  const g = newEntry(plan);
  addFindings(g, [{ code: 'GO_LINE_ABOVE_TARGET', message: 'go.mod: go 1.28.0 is newer', hint: 'h', severity: 'fail' }]);
  assert.deepEqual([toModuleResult(g).class, toModuleResult(g).firstError], ['gomod', 'GO_LINE_ABOVE_TARGET: go.mod: go 1.28.0 is newer']);
});
