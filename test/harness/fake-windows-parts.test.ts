// The pure parts of the fake Windows OpenSSH host: command-line and stop-request parsing, Windows paths,
// CLIXML and CRLF output.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapCommandLine, BOOTSTRAP_SCRIPT, decodeEncodedCommand } from '../../src/platform/windows/bootstrap.ts';
import { parseBootstrap, powershellCommandLine, readsScriptFromStdin } from './fake-windows-bootstrap.ts';
import { clixmlError, crlf, notRecognized } from './fake-windows-output.ts';
import { WindowsDrives } from './fake-windows-paths.ts';
import { parseInterruptScript, parseStopScript, parseTaskkill } from './fake-windows-stop.ts';

describe('fake Windows host parts', () => {
  test('the production bootstrap line is accepted and decodes to the bootstrap text, which reads stdin', () => {
    const b = parseBootstrap(bootstrapCommandLine());
    assert.deepEqual(b, { kind: 'bootstrap', text: BOOTSTRAP_SCRIPT });
    assert.equal(decodeEncodedCommand(powershellCommandLine('Write-Output 1')), 'Write-Output 1');
    assert.equal(readsScriptFromStdin(BOOTSTRAP_SCRIPT), true);
    assert.equal(readsScriptFromStdin("Write-Output 'ReadToEnd()'"), false);
  });

  test('other powershell lines are refused; non-powershell lines are left to cmd.exe', () => {
    const line = powershellCommandLine('x');
    const b64 = line.split(' ').at(-1) as string;
    assert.equal(parseBootstrap(`powershell.exe -enc ${b64}`).kind, 'refused');
    assert.equal(parseBootstrap(line.replace('Bypass', 'Unrestricted')).kind, 'refused');
    assert.equal(parseBootstrap(`${line} -Command x`).kind, 'refused');
    assert.equal(parseBootstrap(`${line.slice(0, -1)}*`).kind, 'refused');
    assert.equal(parseBootstrap(line.replace('powershell.exe', 'PowerShell')).kind, 'bootstrap');
    assert.equal(parseBootstrap(line.replace('-NoProfile -NonInteractive', '-NonInteractive -NoProfile')).kind, 'bootstrap');
    assert.equal(parseBootstrap('pwsh -c x').kind, 'other');
  });

  test('taskkill and Stop-Process shapes', () => {
    assert.deepEqual(parseTaskkill('taskkill /T /F /PID 4242'), { pid: 4242, how: 'taskkill', force: true, quiet: false });
    assert.deepEqual(parseTaskkill('TASKKILL.EXE /pid 8 /t /f')?.pid, 8);
    assert.equal(parseTaskkill('taskkill /PID 8')?.force, false);
    assert.equal(parseTaskkill('taskkill /IM go.exe /F'), undefined);
    assert.equal(parseTaskkill('kill -9 8'), undefined);
    assert.deepEqual(parseStopScript("$ErrorActionPreference = 'Stop'\r\nStop-Process -Force -Id 12 -ErrorAction SilentlyContinue\r\n"),
      { pid: 12, how: 'Stop-Process', force: true, quiet: true });
    assert.equal(parseStopScript('& taskkill.exe /PID 16 /T /F')?.pid, 16);
    assert.equal(parseStopScript('Stop-Process -Id 12 -Force\nWrite-Output x'), undefined);
    assert.equal(parseInterruptScript("New-Item -ItemType File -Force -Path (Join-Path $env:TEMP 'gofleet-interrupt-20') | Out-Null"), 20);
    assert.equal(parseInterruptScript("New-Item -ItemType File -Force -Path 'C:\\x'"), undefined);
  });

  test('Windows paths: drive forms, separators, normalisation, refused names', () => {
    const root = mkdtempSync(join(tmpdir(), 'gofleet-fakewin-paths-'));
    try {
      const d = new WindowsDrives(root, ['C', 'd'], 'C:\\Users\\deploy');
      assert.equal(d.toLocal('/C:/ProgramData/x'), join(root, 'C', 'ProgramData', 'x'));
      assert.equal(d.toLocal('c:\\ProgramData\\..\\y'), join(root, 'C', 'y'));
      assert.equal(d.toLocal('D:/'), join(root, 'D'));
      assert.equal(d.toSftp('.'), '/C:/Users/deploy');
      assert.equal(d.toSftp('a\\b'), '/C:/Users/deploy/a/b');
      assert.equal(d.toWindows('/C:/Program Files/Go'), 'C:\\Program Files\\Go');
      for (const bad of ['/tmp/x', 'E:/x', 'relative']) assert.throws(() => d.toLocal(bad), /not a path on a drive/);
      for (const bad of ['C:/a"b', 'C:/a|b', 'C:/a?', 'C:/a*', 'C:/a<b', 'C:/dir./x', 'C:/x ', 'C:/a\u0001']) {
        assert.throws(() => d.toLocal(bad), /invalid file name/, bad);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('CLIXML: one <S S="Error"> a line, entities, _x escapes, PowerShell 5.1 trailer lines', () => {
    const x = clixmlError('a <b> & _x0041_\tc\nline 2');
    assert.ok(x.startsWith('#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">'));
    assert.ok(x.includes('<S S="Error">a &lt;b&gt; &amp; _x005F_x0041__x0009_c_x000D__x000A_</S><S S="Error">line 2_x000D__x000A_</S>'), x);
    assert.match(x, /\[Write-Error\], WriteErrorException_x000D__x000A_<\/S>.*<S S="Error"> _x000D__x000A_<\/S><\/Objs>$/);
    assert.match(clixmlError('m', { progress: true }), /<Obj S="progress" RefId="0">.*<S S="Error">m_x000D__x000A_/);
  });

  test('CRLF and cmd.exe refusal', () => {
    assert.equal(crlf('a\nb\r\nc\n'), 'a\r\nb\r\nc\r\n');
    assert.equal(notRecognized("printf 'x' >&2"), "'printf' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n");
  });
});
