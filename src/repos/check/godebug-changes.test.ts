import { test } from 'node:test';
import assert from 'node:assert/strict';
import { behaviourFindings, GODEBUG_DEFAULTS, godebugDefault } from './godebug-changes.ts';

test('from 1.22 to 1.27.0 lists the GODEBUG changes of 1.23 through 1.26 and the 1.24 vet change', () => {
  const f = behaviourFindings('1.22', '1.27.0');
  const godebug = f.find((x) => x.code === 'GODEBUG_DEFAULTS_CHANGE');
  assert.ok(godebug);
  assert.equal(godebug.severity, 'info');
  assert.match(godebug.message, /1\.23: asynctimerchan=0/);
  assert.match(godebug.message, /1\.26: urlstrictcolons=1/);
  assert.doesNotMatch(godebug.message, /1\.22: /);
  assert.deepEqual(f.filter((x) => x.code === 'LANGUAGE_CHANGE').map((x) => x.message.slice(0, 7)), ['go 1.24']);
});

test('go lines below 1.20 act as 1.20; a missing go line is 1.16', () => {
  const f = behaviourFindings(null, '1.21.0');
  assert.equal(f.length, 1);
  assert.match(f[0]?.message ?? '', /from 1\.16 \(none\).*1\.21: panicnil=0/);
  assert.deepEqual(behaviourFindings('1.16', '1.20'), []);
  assert.equal(behaviourFindings('1.19', '1.22.0').filter((x) => x.code === 'LANGUAGE_CHANGE').length, 1);
});

test('no change within a line or downwards', () => {
  assert.deepEqual(behaviourFindings('1.27.0', '1.27.3'), []);
  assert.deepEqual(behaviourFindings('1.26.0', '1.24.0'), []);
});

test('godebug default=go1.X freezes the defaults (the language notes stay)', () => {
  const frozen = [{ key: 'default', value: 'go1.21' }];
  assert.equal(godebugDefault(frozen), 'go1.21');
  assert.deepEqual(behaviourFindings('1.21.0', '1.27.0', frozen).map((f) => f.code), ['LANGUAGE_CHANGE', 'LANGUAGE_CHANGE']);
});

test('the table keys are language versions', () => {
  for (const k of Object.keys(GODEBUG_DEFAULTS)) assert.match(k, /^1\.\d+$/);
});
