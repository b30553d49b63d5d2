import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostWarningLine } from './host-warning.ts';

test('a warning names its host once, whether or not the text already starts with it', () => {
  assert.equal(hostWarningLine('win-1', 'win-1: certificate validation is off'), 'warning: win-1: certificate validation is off\n');
  assert.equal(hostWarningLine('win-1', 'messages go in clear text'), 'warning: win-1: messages go in clear text\n');
  assert.equal(hostWarningLine('win-1', 'win-10: other host named'), 'warning: win-1: win-10: other host named\n');
});

test('control characters in the host or the text are shown escaped', () => {
  assert.equal(hostWarningLine('w\u001b[2J', 'x\u202ey'), 'warning: w\\u001b[2J: x\\u202ey\n');
});
