// The PowerShell bootstrap command line (bootstrap.ts): valid under cmd.exe and PowerShell, short enough for cmd,
// and its payload decodes back to the bootstrap script, which does what the transport relies on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BOOTSTRAP_SCRIPT, CMD_LINE_LIMIT, PID_LINE_PREFIX, bootstrapCommandLine, decodeEncodedCommand, encodeCommand } from './bootstrap.ts';

test('the command line is powershell.exe with fixed switches and a base64 payload only', () => {
  const line = bootstrapCommandLine();
  assert.match(line, /^powershell\.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand [A-Za-z0-9+/]+={0,2}$/);
  // nothing cmd.exe would interpret: no & | < > ^ % " ( ) and no newline
  assert.doesNotMatch(line, /[&|<>^%"()\r\n!]/);
  assert.ok(line.length < CMD_LINE_LIMIT, `${line.length} characters`);
  assert.equal(bootstrapCommandLine({ defaultShell: 'cmd' }), line);
});

test('under a PowerShell DefaultShell the line keeps the exit code (PowerShell/PowerShell#13501)', () => {
  const line = bootstrapCommandLine({ defaultShell: 'powershell' });
  assert.equal(line, `${bootstrapCommandLine()}; exit $LASTEXITCODE`);
});

test('the payload decodes back to the bootstrap script', () => {
  assert.equal(decodeEncodedCommand(bootstrapCommandLine()), BOOTSTRAP_SCRIPT);
  assert.equal(decodeEncodedCommand(bootstrapCommandLine({ defaultShell: 'powershell' })), BOOTSTRAP_SCRIPT);
  // known vector: "dir" in UTF-16LE
  assert.equal(encodeCommand('dir'), 'ZABpAHIA');
  assert.equal(decodeEncodedCommand('pwsh -enc ZABpAHIA'), 'dir');
  assert.equal(decodeEncodedCommand('powershell -e ZABpAHIA'), 'dir');
  const text = "Write-Output 'é漢😀'\r\n";
  assert.equal(decodeEncodedCommand(`powershell -EncodedCommand ${encodeCommand(text)}`), text);
});

test('decodeEncodedCommand refuses lines without a well-formed payload', () => {
  assert.equal(decodeEncodedCommand('powershell -NoProfile -Command dir'), null);
  assert.equal(decodeEncodedCommand('powershell -EncodedCommand ZABpAHI'), null);
  assert.equal(decodeEncodedCommand('powershell -EncodedCommand ZABpAHI='), null, 'an odd number of bytes is not UTF-16LE');
  assert.equal(decodeEncodedCommand('powershell -EncodedCommand ZABp$AHIA'), null);
});

test('the bootstrap reads all of stdin as UTF-8, reports its pid first, and keeps the exit code', () => {
  const lines = BOOTSTRAP_SCRIPT.split('\n').map((l) => l.trim());
  const pidAt = lines.indexOf(`[Console]::Error.WriteLine('${PID_LINE_PREFIX}' + $PID)`);
  const readAt = lines.findIndex((l) => l.includes('[Console]::OpenStandardInput()'));
  assert.ok(pidAt >= 0 && readAt > pidAt, 'the pid line is written before stdin is read');
  assert.ok(lines.slice(0, pidAt).every((l) => !/Write-|Out-|\[Console\]::(Out|Error)\.Write/.test(l)), 'nothing is printed before the pid line');
  assert.ok(lines.includes("$ProgressPreference = 'SilentlyContinue'"));
  assert.ok(lines.includes("$ErrorActionPreference = 'Stop'"));
  assert.ok(lines.includes('$gfUtf8 = New-Object System.Text.UTF8Encoding -ArgumentList $false'));
  assert.ok(lines.includes('$gfText = $gfReader.ReadToEnd()'));
  assert.ok(lines.includes('$gfBlock = [ScriptBlock]::Create($gfText)'));
  assert.ok(lines.includes('& $gfBlock'));
  assert.equal(lines.filter((l) => l !== '').at(-1), 'exit $LASTEXITCODE');
});
