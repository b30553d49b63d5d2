import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  normalizePosixPath, normalizeWindowsPath, posixSystemPath, systemPathOf, volatilePathOf, windowsSystemPath,
} from './system-paths.ts';

describe('normalizePosixPath', () => {
  const table: Array<[string, string | null]> = [
    ['/lib64', '/lib64'],
    ['/lib64/', '/lib64'],
    ['//lib64//', '/lib64'],
    ['/usr/local/../../lib64', '/lib64'],
    ['/usr/./local/go/.', '/usr/local/go'],
    ['/..', '/'],
    ['/../../etc', '/etc'],
    ['lib64', null],
    ['', null],
  ];
  for (const [input, want] of table) test(JSON.stringify(input), () => assert.equal(normalizePosixPath(input), want));
});

describe('posixSystemPath', () => {
  const refused: Array<[string, string]> = [
    ['/', '/'],
    ['/lib64', '/lib64'],
    ['/lib64/', '/lib64'],
    ['/lib', '/lib'],
    ['/lib32', '/lib32'],
    ['/libx32', '/libx32'],
    ['/bin', '/bin'],
    ['/sbin', '/sbin'],
    ['/usr', '/usr'],
    ['/usr/bin', '/usr/bin'],
    ['/usr/sbin', '/usr/sbin'],
    ['/usr/lib', '/usr/lib'],
    ['/usr/lib64', '/usr/lib64'],
    ['/usr/lib/x86_64-linux-gnu', '/usr/lib'],
    ['/lib64/ld-linux-x86-64.so.2', '/lib64'],
    ['/usr/local', '/usr/local'],
    ['/usr/local/', '/usr/local'],
    ['/usr/local/bin', '/usr/local/bin'],
    ['/usr/local/bin/go', '/usr/local/bin'],
    ['/usr/local/lib', '/usr/local/lib'],
    ['/etc', '/etc'],
    ['/etc/go', '/etc'],
    ['/boot', '/boot'],
    ['/dev', '/dev'],
    ['/dev/shm/go', '/dev'],
    ['/proc/self', '/proc'],
    ['/sys', '/sys'],
    ['/run', '/run'],
    ['/var', '/var'],
    ['/var/lib', '/var/lib'],
    ['/home', '/home'],
    ['/root', '/root'],
    ['/opt', '/opt'],
    ['/tmp', '/tmp'],
    ['/usr/local/go/../lib', '/usr/local/lib'],
    ['/usr/local/go/../../../lib64', '/lib64'],
    ['/System', '/System'],
    ['/System/Library/Go', '/System'],
    ['/Library', '/Library'],
    ['/library', '/Library'],
    ['/Applications', '/Applications'],
    ['/private', '/private'],
    ['/private/var', '/private/var'],
    ['/private/etc/go', '/private/etc'],
    ['/Users', '/Users'],
    ['/opt/homebrew', '/opt/homebrew'],
  ];
  for (const [path, entry] of refused) test(`refuses ${path}`, () => assert.equal(posixSystemPath(path), entry));
  const allowed = ['/usr/local/go', '/usr/local/gofleet/versions', '/opt/go', '/home/ci/go', '/srv/go', '/Users/me/go',
    '/usr/local/go/', '/opt/homebrew/go', '/var/lib/gofleet', '/usr/local/golib', '/libfoo', '/etcetera', 'relative'];
  for (const path of allowed) test(`allows ${path}`, () => assert.equal(posixSystemPath(path), null));
});

describe('normalizeWindowsPath', () => {
  const table: Array<[string, { drive: string; rest: string } | null]> = [
    ['C:\\', { drive: 'c:', rest: '\\' }],
    ['c:', { drive: 'c:', rest: '\\' }],
    ['C:/Windows/', { drive: 'c:', rest: '\\windows' }],
    ['C:\\Program Files\\Go\\..\\..\\Windows\\.', { drive: 'c:', rest: '\\windows' }],
    ['\\\\?\\C:\\Windows', { drive: 'c:', rest: '\\windows' }],
    ['\\\\server\\share\\go', { drive: '\\\\server\\share', rest: '\\go' }],
    ['\\Windows', { drive: '', rest: '\\windows' }],
    ['Go\\bin', null],
  ];
  for (const [input, want] of table) test(JSON.stringify(input), () => assert.deepEqual(normalizeWindowsPath(input), want));
});

describe('windowsSystemPath', () => {
  const refused: Array<[string, string]> = [
    ['C:\\', '\\'],
    ['C:', '\\'],
    ['D:\\', '\\'],
    ['c:/', '\\'],
    ['C:\\Windows', '\\windows'],
    ['C:\\WINDOWS\\', '\\windows'],
    ['c:/windows/system32', '\\windows'],
    ['C:\\Windows\\System32\\drivers', '\\windows'],
    ['C:\\Windows.', '\\windows'],
    ['C:\\Program Files', '\\program files'],
    ['C:\\program files\\', '\\program files'],
    ['C:/Program Files (x86)', '\\program files (x86)'],
    ['C:\\ProgramData', '\\programdata'],
    ['C:\\Users', '\\users'],
    ['C:\\Users\\Public', '\\users\\public'],
    ['C:\\Program Files\\Go\\..', '\\program files'],
    ['\\\\?\\C:\\Windows\\Temp', '\\windows'],
    ['\\\\server\\share', '\\'],
    ['\\Windows', '\\windows'],
  ];
  for (const [path, entry] of refused) test(`refuses ${path}`, () => assert.equal(windowsSystemPath(path), entry));
  const allowed = ['C:\\Program Files\\Go', 'C:\\ProgramData\\gofleet\\versions', 'D:\\go', 'C:\\Users\\ci\\go',
    'C:/Go', '\\\\server\\share\\go', 'C:\\WindowsApps'];
  for (const path of allowed) test(`allows ${path}`, () => assert.equal(windowsSystemPath(path), null));
});

describe('systemPathOf picks the dialect by the shape of the path', () => {
  test('POSIX and Windows paths', () => {
    assert.equal(systemPathOf('/lib64'), '/lib64');
    assert.equal(systemPathOf('//lib64'), '/lib64');
    assert.equal(systemPathOf('C:\\Windows'), '\\windows');
    assert.equal(systemPathOf('/usr/local/go'), null);
    assert.equal(systemPathOf('C:\\Program Files\\Go'), null);
  });
});

describe('volatilePathOf', () => {
  const table: Array<[string, string | null]> = [
    ['/tmp/go', '/tmp'],
    ['/tmp', '/tmp'],
    ['/var/tmp/gofleet/versions', '/var/tmp'],
    ['/dev/shm/go', '/dev/shm'],
    ['/run/go', '/run'],
    ['/var/run/go', '/var/run'],
    ['/private/tmp/go', '/private/tmp'],
    ['/usr/local/../../tmp/go', '/tmp'],
    ['/tmpfoo/go', null],
    ['/usr/local/go', null],
    ['C:\\tmp\\go', null],
  ];
  for (const [path, want] of table) test(JSON.stringify(path), () => assert.equal(volatilePathOf(path), want));
});
