import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GofleetError } from '../errors.ts';
import { posixStandalone } from '../platform/posix/standalone-script.ts';
import { windowsStandalone } from '../platform/windows/standalone-script.ts';
import { standaloneFor as standaloneBuilder } from '../platform/registry.ts';
import { checkScriptOptions } from './standalone-script.ts';

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof GofleetError, String(err));
    return err.code;
  }
  return 'no error';
};

test('--os: linux, darwin, windows (any case); anything else is BAD_OPTION', () => {
  assert.deepEqual(checkScriptOptions({ os: 'linux' }), { os: 'linux', method: 'zip' });
  assert.deepEqual(checkScriptOptions({ os: 'Darwin' }), { os: 'darwin', method: 'zip' });
  assert.deepEqual(checkScriptOptions({ os: 'windows', method: 'msi' }), { os: 'windows', method: 'msi' });
  assert.equal(code(() => checkScriptOptions({ os: 'freebsd' })), 'BAD_OPTION');
  assert.equal(code(() => checkScriptOptions({ os: '' })), 'BAD_OPTION');
});

test('--method: zip or msi, and msi only with --os windows', () => {
  assert.equal(code(() => checkScriptOptions({ os: 'linux', method: 'msi' })), 'BAD_OPTION');
  assert.equal(code(() => checkScriptOptions({ os: 'darwin', method: 'msi' })), 'BAD_OPTION');
  assert.equal(code(() => checkScriptOptions({ os: 'windows', method: 'exe' })), 'BAD_OPTION');
  assert.deepEqual(checkScriptOptions({ os: 'linux', method: 'zip' }), { os: 'linux', method: 'zip' });
  try {
    checkScriptOptions({ os: 'linux', method: 'msi' });
  } catch (err) {
    assert.match((err as GofleetError).message, /needs --os windows/);
  }
});

test('the builder per OS: sh for linux and darwin, PowerShell (.ps1) for windows', () => {
  assert.equal(standaloneBuilder('linux'), posixStandalone);
  assert.equal(standaloneBuilder('darwin'), posixStandalone);
  assert.equal(standaloneBuilder('windows'), windowsStandalone);
  assert.equal(standaloneBuilder('windows').extension, '.ps1');
});
