// The shell probe against the real POSIX shells on this machine, and the documented cmd.exe / PowerShell shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { DETECT_SHELL_COMMAND, dialectOsOf, parseDetectShell } from './detect-shell.ts';

const has = (cmd: string, args: string[]): boolean => spawnSync(cmd, args).status === 0;

for (const shell of [['sh'], ['dash'], ['bash'], ['busybox', 'sh']]) {
  const name = shell.join(' ');
  const skip = has(shell[0] ?? 'sh', shell[0] === 'busybox' ? ['true'] : ['-c', 'true']) ? false : `${name} not installed`;
  test(`detect-shell: ${name} is a POSIX shell`, { skip }, () => {
    const r = spawnSync(shell[0] ?? 'sh', [...shell.slice(1), '-c', DETECT_SHELL_COMMAND], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'gofleet-shell %OS%\n');
    assert.deepEqual(parseDetectShell(r.stdout), { shell: 'posix' });
  });
}

test('detect-shell: a login banner before the answer is ignored', () => {
  assert.deepEqual(parseDetectShell('Welcome to host-1\nLast login: today\ngofleet-shell %OS%\n'), { shell: 'posix' });
});

test('detect-shell: cmd.exe keeps the quotes and expands %OS% (documented shape, CRLF)', () => {
  assert.deepEqual(parseDetectShell("gofleet-shell 'Windows_NT'\r\n"), { shell: 'cmd', osVar: 'Windows_NT' });
  assert.deepEqual(parseDetectShell("gofleet-shell '%OS%'\r\n"), { shell: 'cmd', osVar: null });
});

test('detect-shell: PowerShell prints each argument on its own line (documented shape, CRLF)', () => {
  assert.deepEqual(parseDetectShell('gofleet-shell\r\n%OS%\r\n'), { shell: 'powershell' });
});

test('detect-shell: anything else is unknown, with the answer kept for the message', () => {
  assert.deepEqual(parseDetectShell(''), { shell: 'unknown', answer: '' });
  assert.deepEqual(parseDetectShell('This account is currently not available.\n'), { shell: 'unknown', answer: 'This account is currently not available.' });
  assert.equal(parseDetectShell('gofleet-shell\r\nsomething\r\n').shell, 'unknown');
  assert.equal(parseDetectShell('gofleet-shell Windows_NT\n').shell, 'unknown');
});

test('detect-shell: the dialect each shell implies', () => {
  assert.equal(dialectOsOf({ shell: 'posix' }), 'linux');
  assert.equal(dialectOsOf({ shell: 'cmd', osVar: 'Windows_NT' }), 'windows');
  assert.equal(dialectOsOf({ shell: 'powershell' }), 'windows');
  assert.equal(dialectOsOf({ shell: 'unknown', answer: '' }), null);
});
