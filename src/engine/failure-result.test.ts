import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GofleetError } from '../errors.ts';
import type { EngineStep } from './events.ts';
import { failureResult } from './failure-result.ts';
import { HostRecorder } from './host-recorder.ts';

function recorderWith(steps: Array<[EngineStep, 'ok' | 'fail']>): HostRecorder {
  const rec = new HostRecorder('h1', 'run-1', () => undefined, () => 0);
  for (const [step, status] of steps) rec.end(rec.start(step), status);
  return rec;
}

const lost = new GofleetError('CONNECTION_LOST', 'connection to h1 lost while copying', { host: 'h1' });

test('a connection lost during the upload, after facts: unreachable (nothing on the host changed)', () => {
  const rec = recorderWith([['facts', 'ok'], ['download', 'ok'], ['upload', 'fail']]);
  const r = failureResult(lost, rec, 'go1.26.8', 'go1.27.3');
  assert.equal(r.status, 'unreachable');
  assert.equal(r.error?.code, 'CONNECTION_LOST');
});

test('a connection lost once the host script ran (or while recovering it): failed', () => {
  for (const last of ['stage', 'recover'] as const) {
    const rec = recorderWith([['facts', 'ok'], ['upload', 'ok'], [last, 'fail']]);
    assert.equal(failureResult(lost, rec, 'go1.26.8', 'go1.27.3').status, 'failed', last);
  }
});

test('a genuine transfer failure stays a failure; host keys and auth stay unreachable', () => {
  const rec = recorderWith([['facts', 'ok'], ['upload', 'fail']]);
  const transfer = new GofleetError('TRANSFER_FAILED', 'copying x on h1 failed: Failure', { host: 'h1' });
  assert.equal(failureResult(transfer, rec, null, null).status, 'failed');
  assert.equal(failureResult(new GofleetError('HOST_KEY_CHANGED', 'x'), recorderWith([]), null, null).status, 'unreachable');
});
