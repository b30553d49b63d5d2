// Windows paths <-> the SFTP paths of Windows OpenSSH (/C:/...).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GofleetError } from '../../errors.ts';
import { normalizeWindowsPath, sftpToWindowsPath, windowsToSftpPath } from './sftp-path.ts';

const PAIRS: Array<[string, string]> = [
  ['C:\\ProgramData\\x', '/C:/ProgramData/x'],
  ['C:\\Program Files\\Go', '/C:/Program Files/Go'],
  ['C:\\', '/C:/'],
  ['D:\\gofleet\\versions\\go1.26.8', '/D:/gofleet/versions/go1.26.8'],
  ['C:\\Users\\Zoë\\go\\bin', '/C:/Users/Zoë/go/bin'],
  ["C:\\it's here", "/C:/it's here"],
];

test('Windows -> SFTP and back', () => {
  for (const [win, sftp] of PAIRS) {
    assert.equal(windowsToSftpPath(win), sftp);
    assert.equal(sftpToWindowsPath(sftp), win);
  }
});

test('forms that mean the same path are normalised', () => {
  assert.equal(windowsToSftpPath('c:\\ProgramData\\x\\'), '/C:/ProgramData/x');
  assert.equal(windowsToSftpPath('C:/ProgramData//x/./y'), '/C:/ProgramData/x/y');
  assert.equal(windowsToSftpPath('\\\\?\\C:\\ProgramData\\x'), '/C:/ProgramData/x');
  assert.equal(windowsToSftpPath('C:'), '/C:/');
  assert.equal(sftpToWindowsPath('C:/Users/x'), 'C:\\Users\\x');
  assert.equal(sftpToWindowsPath('/c:'), 'C:\\');
  assert.equal(normalizeWindowsPath('c:/Program Files/Go/'), 'C:\\Program Files\\Go');
});

function refused(path: string, pattern: RegExp, f: (p: string) => string = windowsToSftpPath): void {
  assert.throws(() => f(path), (e: unknown) => e instanceof GofleetError && e.code === 'WINDOWS_PATH_INVALID' && pattern.test(e.message), path);
}

test('UNC and device paths are refused with a clear error', () => {
  refused('\\\\server\\share\\go', /UNC path \(\\\\server\\share\) is not supported/);
  refused('//server/share/go', /UNC path/);
  refused('\\\\?\\UNC\\server\\share', /device path/);
  refused('\\\\.\\pipe\\x', /device path/);
});

test('relative, drive-relative and malformed paths are refused', () => {
  refused('ProgramData\\x', /must start with a drive letter/);
  refused('\\ProgramData\\x', /must start with a drive letter/);
  refused('C:ProgramData', /relative to the current directory of drive C:/);
  refused('C:\\a\\..\\b', /\.\. component/);
  refused('C:\\a\\b:c', /character Windows refuses/);
  refused('C:\\a\\b?', /character Windows refuses/);
  refused('C:\\a\nb', /character Windows refuses/);
  refused('/', /starts with a drive/, sftpToWindowsPath);
  refused('/home/x', /starts with a drive/, sftpToWindowsPath);
  refused('/C:x', /starts with a drive/, sftpToWindowsPath);
});
