// The Windows dialect's stderr text keeps an error record's message where the engine's tail of the last lines
// finds it. Samples in Windows PowerShell 5.1's shapes: a CLIXML record (ansible/ansible
// test/units/plugins/shell/test_powershell.py, test_parse_clixml_single_stream) and the bootstrap's catch
// (`[Console]::Error.WriteLine('gofleet: ' + ($_ | Out-String))`: Out-String's CRLF lines, WriteLine's CRLF).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { windows } from './index.ts';

const OBJS = '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">';
const NOT_RECOGNIZED =
  `#< CLIXML\r\n${OBJS}` +
  '<S S="Error">fake : The term \'fake\' is not recognized as the name of a cmdlet. Check _x000D__x000A_</S>' +
  '<S S="Error">the spelling of the name, or if a path was included._x000D__x000A_</S>' +
  '<S S="Error">At line:1 char:1_x000D__x000A_</S>' +
  '<S S="Error">+ fake cmdlet_x000D__x000A_</S><S S="Error">+ ~~~~_x000D__x000A_</S>' +
  '<S S="Error">    + CategoryInfo          : ObjectNotFound: (fake:String) [], CommandNotFoundException_x000D__x000A_</S>' +
  '<S S="Error">    + FullyQualifiedErrorId : CommandNotFoundException_x000D__x000A_</S><S S="Error"> _x000D__x000A_</S>' +
  '</Objs>';

const BOOTSTRAP_CATCH = [
  'gofleet: Exception calling "Move" with "2" argument(s): "Access to the path \'C:\\Program Files\\Go\' is denied."',
  'At line:412 char:7',
  '+       [IO.Directory]::Move($From, $To)',
  '+       ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
  '    + CategoryInfo          : NotSpecified: (:) [], MethodInvocationException',
  '    + FullyQualifiedErrorId : UnauthorizedAccessException',
  '',
  '',
].join('\r\n');

/** the engine's tail (engine/probe-host.ts): the last 5 lines of the trimmed text */
const lastLines = (text: string): string[] => text.trim().split('\n').slice(-5);

test('a CLIXML error record: the message stays in the last lines, the position block goes', () => {
  const lines = lastLines(windows.stderrText(NOT_RECOGNIZED));
  assert.deepEqual(lines, [
    "fake : The term 'fake' is not recognized as the name of a cmdlet. Check",
    'the spelling of the name, or if a path was included.',
    '    + CategoryInfo          : ObjectNotFound: (fake:String) [], CommandNotFoundException',
    '    + FullyQualifiedErrorId : CommandNotFoundException',
  ]);
});

test("the bootstrap's catch (plain text, CRLF): the message stays, no CR is left", () => {
  const text = windows.stderrText(BOOTSTRAP_CATCH);
  assert.ok(!text.includes('\r'), JSON.stringify(text));
  assert.match(lastLines(text)[0] ?? '', /^gofleet: Exception calling "Move" .*is denied\."$/);
  assert.doesNotMatch(text, /At line:|\[IO\.Directory\]::Move\(\$From/);
});

test('text that is no error record is kept as it is (a native command, a "+ " line without a position)', () => {
  assert.equal(windows.stderrText('tar.exe: Error opening archive\n+ not a position echo\n'), 'tar.exe: Error opening archive\n+ not a position echo\n');
});
