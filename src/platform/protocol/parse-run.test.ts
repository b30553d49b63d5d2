// parseRun: the @@gofleet protocol, including output cut short by a lost connection.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registerSecret } from '../../errors.ts';
import { parseRun } from './parse-run.ts';
import { percentEncode } from './percent.ts';

const FULL = [
  'some noise from a profile',
  '@@gofleet step lock start',
  '@@gofleet step lock ok',
  '@@gofleet step stage start',
  '@@gofleet step stage skip msg=go1.27.3%20is%20already%20installed',
  '@@gofleet step switch start',
  '@@gofleet step switch ok',
  '@@gofleet step verify start',
  '@@gofleet step verify fail code=VERIFY_FAILED msg=the%20hello-world%20build%20failed%3A%0A.%2Fmain.go',
  '@@gofleet step rollback start',
  '@@gofleet step rollback ok',
  '@@gofleet step unlock ok',
  '@@gofleet outcome result=rolled_back active=go1.26.8 previous=go1.26.8 code=VERIFY_FAILED msg=build%20failed warn=first%20w warn=second%2C%20w',
  '',
].join('\n');

test('parseRun: steps and outcome, messages decoded, noise ignored', () => {
  const { steps, outcome } = parseRun(FULL);
  assert.equal(steps.length, 11);
  assert.deepEqual(steps[3], { step: 'stage', status: 'skip', message: 'go1.27.3 is already installed' });
  assert.deepEqual(steps[7], {
    step: 'verify',
    status: 'fail',
    code: 'VERIFY_FAILED',
    message: 'the hello-world build failed:\n./main.go',
  });
  assert.deepEqual(outcome, {
    result: 'rolled_back',
    active: 'go1.26.8',
    previous: 'go1.26.8',
    code: 'VERIFY_FAILED',
    message: 'build failed',
    warnings: ['first w', 'second, w'],
  });
});

test('parseRun: partial output (connection died) -> steps so far, no outcome', () => {
  const cut = FULL.indexOf('@@gofleet step verify start');
  const { steps, outcome } = parseRun(FULL.slice(0, cut));
  assert.deepEqual(
    steps.map((s) => `${s.step}:${s.status}`),
    ['lock:start', 'lock:ok', 'stage:start', 'stage:skip', 'switch:start', 'switch:ok'],
  );
  assert.equal(outcome, null);
});

test('parseRun: a line cut in the middle is not read (not even a valid-looking prefix)', () => {
  const text = '@@gofleet step lock start\n@@gofleet outcome result=switched active=go1.27.3 previous=go1.2';
  const { steps, outcome } = parseRun(text);
  assert.equal(steps.length, 1);
  assert.equal(outcome, null);
  assert.equal(parseRun('@@gofleet step verify o').steps.length, 0);
});

test('parseRun: every prefix of a full output parses without throwing and never invents an outcome', () => {
  const end = FULL.lastIndexOf('@@gofleet outcome');
  for (let i = 0; i <= FULL.length; i++) {
    const r = parseRun(FULL.slice(0, i));
    if (i < FULL.length) assert.equal(r.outcome, null, `prefix ${i}`);
    else assert.equal(r.outcome?.result, 'rolled_back');
    assert.ok(r.steps.length <= 11);
  }
  assert.ok(end > 0);
});

test('parseRun: placeholders, removed lists, unknown steps and results', () => {
  const out = parseRun(
    [
      '@@gofleet step teleport ok',
      '@@gofleet step lock maybe',
      '@@gofleet outcome result=exploded active=- previous=-',
      '@@gofleet outcome result=pruned active=go1.27.3 previous=- removed=go1.20.1,go1.21rc2',
      '',
    ].join('\r\n'),
  );
  assert.deepEqual(out.steps, []);
  assert.deepEqual(out.outcome, { result: 'pruned', active: 'go1.27.3', previous: null, removed: ['go1.20.1', 'go1.21rc2'], warnings: [] });
  assert.deepEqual(parseRun('@@gofleet outcome result=pruned active=- previous=-\n').outcome?.removed, []);
  assert.equal(parseRun('@@gofleet outcome result=unchanged active=go1.27.3 previous=go1.27.3\n').outcome?.removed, undefined);
});

test('a message or warning cut on the host inside a secret: the secret\'s tail is redacted (issue 8)', () => {
  const secret = 'Hq3Zr8Vw1Mk6Pt0Jx5Lc9Bn2Gd7Sf4Ya0EiUoRrTt';
  registerSecret(secret);
  const kept = `${secret.slice(-15)}${'y'.repeat(20)}`; // what gf_enc's tail -c 2000 kept of the health output
  const { steps, outcome } = parseRun([
    `@@gofleet step verify fail code=VERIFY_FAILED msg=${percentEncode(kept)}`,
    `@@gofleet outcome result=rolled_back active=go1.26.8 previous=go1.26.8 code=VERIFY_FAILED msg=${percentEncode(kept)} warn=${percentEncode(kept)}`,
    '',
  ].join('\n'));
  const want = `***${'y'.repeat(20)}`;
  assert.equal(steps[0]?.message, want);
  assert.equal(outcome?.message, want);
  assert.deepEqual(outcome?.warnings, [want]);
});
