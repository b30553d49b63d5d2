import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GofleetError } from '../errors.ts';
import { exitCodeForError, exitCodeForResults } from './exit-code.ts';

const r = (status: 'upgraded' | 'unchanged' | 'failed' | 'rolled_back' | 'unreachable' | 'skipped') => ({ status, error: null });

test('exit codes follow docs/design.md', () => {
  assert.equal(exitCodeForResults([r('upgraded'), r('unchanged')]), 0);
  assert.equal(exitCodeForResults([]), 0);
  assert.equal(exitCodeForResults([r('upgraded'), r('failed'), r('unreachable')]), 2);
  assert.equal(exitCodeForResults([r('rolled_back')]), 2);
  assert.equal(exitCodeForResults([r('upgraded'), r('unreachable')]), 3);
  assert.equal(exitCodeForResults([r('upgraded')], true), 99);
});

test('errors map by class', () => {
  assert.equal(exitCodeForError(new GofleetError('INVENTORY_PARSE', 'x')), 4);
  assert.equal(exitCodeForError(new GofleetError('BAD_OPTION', 'x')), 5);
  assert.equal(exitCodeForError(new GofleetError('VERSION_UNKNOWN', 'x')), 1);
  assert.equal(exitCodeForError(new GofleetError('INTERRUPTED', 'x')), 99);
});
