import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapCommandLine } from './bootstrap.ts';
import { POWERSHELL_PREFIX, encodedCommand, windowsRemoteShell, windowsRemoteShellFor } from './remote-shell.ts';

const decode = (line: string): string => {
  assert.ok(line.startsWith(POWERSHELL_PREFIX), line);
  return Buffer.from(line.slice(POWERSHELL_PREFIX.length), 'base64').toString('utf16le');
};

test('windows remote shell: PowerShell text goes as -EncodedCommand behind a line that writes gofleet-pid:$PID to stderr', () => {
  const line = windowsRemoteShell.wrap("Write-Output 'hé'");
  assert.match(line, /^powershell\.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand [A-Za-z0-9+/]+=*$/);
  const script = decode(line);
  assert.equal(script.split('\n')[0], "[Console]::Error.WriteLine('gofleet-pid:' + $PID)");
  assert.ok(script.endsWith("\nWrite-Output 'hé'"));
  assert.ok(line.length < 8191, 'fits the cmd.exe line limit');
});

test('windows remote shell: a bootstrap line (it reads the script from stdin and prints the pid itself) is sent unchanged', () => {
  const bootstrap = encodedCommand('$s = [Console]::In.ReadToEnd()');
  assert.equal(windowsRemoteShell.wrap(bootstrap), bootstrap);
  assert.equal(windowsRemoteShellFor('powershell').wrap(`${bootstrap}; exit $LASTEXITCODE`), `${bootstrap}; exit $LASTEXITCODE`);
  assert.notEqual(windowsRemoteShell.wrap(`${bootstrap} & whoami`), `${bootstrap} & whoami`);
});

test('windows remote shell: terminate is taskkill of the tree; interrupt creates the marker file the script polls', () => {
  assert.equal(windowsRemoteShell.terminate(4242), 'taskkill /T /F /PID 4242');
  assert.equal(decode(windowsRemoteShell.interrupt(4242)),
    "New-Item -ItemType File -Force -Path (Join-Path $env:TEMP 'gofleet-interrupt-4242') | Out-Null");
  assert.throws(() => windowsRemoteShell.terminate(0), RangeError);
  assert.equal(windowsRemoteShell.pathSeparators, '\\/');
});

test('windows remote shell: under a PowerShell DefaultShell the exit code is kept (powershell -c maps it to 0/1), under cmd the line stays bare', () => {
  const text = 'exit 3';
  assert.ok(windowsRemoteShellFor('powershell').wrap(text).endsWith('; exit $LASTEXITCODE'));
  assert.match(windowsRemoteShellFor('cmd').wrap(text), /-EncodedCommand [A-Za-z0-9+/]+=*$/);
  assert.equal(windowsRemoteShellFor('cmd').wrap(text), windowsRemoteShell.wrap(text));
});

test('windows remote shell: the dialect\'s bare bootstrap line gets `; exit $LASTEXITCODE` under a PowerShell DefaultShell (once), not under cmd', () => {
  const bare = bootstrapCommandLine();
  assert.equal(windowsRemoteShellFor('powershell').wrap(bare), `${bare}; exit $LASTEXITCODE`);
  assert.equal(windowsRemoteShellFor('powershell').wrap(bootstrapCommandLine({ defaultShell: 'powershell' })), `${bare}; exit $LASTEXITCODE`);
  assert.equal(windowsRemoteShellFor('cmd').wrap(bare), bare);
  assert.equal(windowsRemoteShell.wrap(bare), bare);
});

test('windows remote shell: SFTP names a Windows path /C:/...; a path without a drive is refused', () => {
  assert.equal(windowsRemoteShell.sftpPath('C:\\ProgramData\\gofleet-r1-go1.27.3.windows-amd64.zip'), '/C:/ProgramData/gofleet-r1-go1.27.3.windows-amd64.zip');
  assert.equal(windowsRemoteShell.sftpPath('d:\\Go dir\\x'), '/D:/Go dir/x');
  assert.equal(windowsRemoteShell.sftpPath('/c:/ProgramData/x'), '/C:/ProgramData/x');
  assert.throws(() => windowsRemoteShell.sftpPath('/tmp/x'), { code: 'WINDOWS_PATH_INVALID' });
});
