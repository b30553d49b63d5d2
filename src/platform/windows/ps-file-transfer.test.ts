import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FILE_MARK, FILE_MISMATCH_EXIT } from '../remote-shell.ts';
import { receiveFileScript, sendFileScript } from './ps-file-transfer.ts';
import { windowsRemoteShell } from './remote-shell.ts';
import { scriptKindOf } from './script-kind.ts';
import { assertPs51 } from './testing/check-ps51.ts';

const WEIRD = "C:\\ProgramData\\gofleet\\it's a $(file) `name` ‘é’.zip";
const SHA = 'ab'.repeat(32);

test('receive-file: PowerShell 5.1 parses it; every value quoted by psQuote; size and hash checked before the rename', () => {
  const script = windowsRemoteShell.receiveFile!({ temp: `${WEIRD}.gofleet-part`, path: WEIRD, size: 12, sha256: SHA });
  assertPs51(script, 'receive-file');
  assert.equal(scriptKindOf(script), 'receive-file');
  assert.ok(script.includes("  $gfPath = 'C:\\ProgramData\\gofleet\\it''s a $(file) `name` ‘‘é’’.zip'"), script);
  assert.ok(script.includes(`$gfWant = '${SHA}'`));
  assert.ok(script.includes('$gfSize = 12'));
  const check = script.indexOf('if ($gfLen -ne $gfSize -or $gfGot -ne $gfWant)');
  assert.ok(check > 0 && check < script.indexOf('Move-Item -LiteralPath $gfTemp -Destination $gfPath -Force'));
  assert.ok(script.includes(`$script:RC = ${FILE_MISMATCH_EXIT}`));
  assert.ok(script.includes(`'${FILE_MARK}ok'`));
});

test('receive-file refuses a size or a hash that is not one (nothing unchecked reaches the script)', () => {
  assert.throws(() => receiveFileScript({ temp: 'C:\\a.t', path: 'C:\\a', size: -1, sha256: SHA }), RangeError);
  assert.throws(() => receiveFileScript({ temp: 'C:\\a.t', path: 'C:\\a', size: 1, sha256: "x'; Remove-Item C:\\" }), RangeError);
});

test('send-file: PowerShell 5.1 parses it; the path quoted; the trailer line carries size and SHA-256', () => {
  const script = sendFileScript(WEIRD);
  assertPs51(script, 'send-file');
  assert.equal(scriptKindOf(script), 'send-file');
  assert.ok(script.includes("  $gfPath = 'C:\\ProgramData\\gofleet\\it''s a $(file) `name` ‘‘é’’.zip'"));
  assert.match(script, /\$gfOut\.Write\('gofleet-file:' \+ \$gfIn\.Length \+ ':' \+ /);
});
