// CLIXML stderr decoding. The samples have the shapes of real PowerShell output:
// - the error and progress documents are those recorded in ansible/ansible
//   test/units/plugins/shell/test_powershell.py (test_parse_clixml_single_stream, _with_progress, _empty),
//   as powershell.exe -EncodedCommand wrote them for `fake cmdlet`;
// - several documents after repeated headers: ansible/ansible#69550 ('#< CLIXML\r\n#< CLIXML\r\n<Objs>...');
// - plain text before the CLIXML on stderr: PowerShell/PowerShell#18600 ("XML is mixed with text").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeClixml, hasClixml, unescapeClixmlString } from './clixml.ts';

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

const NOT_RECOGNIZED_TEXT = [
  "fake : The term 'fake' is not recognized as the name of a cmdlet. Check",
  'the spelling of the name, or if a path was included.',
  'At line:1 char:1',
  '+ fake cmdlet',
  '+ ~~~~',
  '    + CategoryInfo          : ObjectNotFound: (fake:String) [], CommandNotFoundException',
  '    + FullyQualifiedErrorId : CommandNotFoundException',
  '',
].join('\n');

const PROGRESS =
  `#< CLIXML\r\n${OBJS}` +
  '<Obj S="progress" RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN><MS>' +
  '<I64 N="SourceId">1</I64><PR N="Record"><AV>Preparing modules for first use.</AV><AI>0</AI><Nil />' +
  '<PI>-1</PI><PC>-1</PC><T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj></Objs>';

test('an error document becomes its text, lines joined, CRLF read as newlines', () => {
  assert.ok(hasClixml(NOT_RECOGNIZED));
  assert.equal(decodeClixml(NOT_RECOGNIZED), NOT_RECOGNIZED_TEXT);
});

test('progress records and an empty document leave nothing', () => {
  assert.equal(decodeClixml(PROGRESS), '');
  assert.equal(decodeClixml(`#< CLIXML\r\n${OBJS}</Objs>`), '');
});

test('plain lines around CLIXML are kept: the pid line first, native stderr after', () => {
  const stderr = `gofleet-pid:4242\r\n${NOT_RECOGNIZED}\r\ntar.exe: Error opening archive\r\n`;
  assert.equal(decodeClixml(stderr), `gofleet-pid:4242\r\n${NOT_RECOGNIZED_TEXT}tar.exe: Error opening archive\r\n`);
  assert.equal(decodeClixml('no clixml here\n'), 'no clixml here\n');
  assert.equal(hasClixml('no clixml here\n'), false);
});

test('repeated headers and several documents are all decoded, in order (ansible#69550)', () => {
  const one = `${OBJS}<S S="Error">first_x000D__x000A_</S></Objs>`;
  const two = `${OBJS}<S S="Error">second_x000D__x000A_</S></Objs>`;
  assert.equal(decodeClixml(`#< CLIXML\r\n#< CLIXML\r\n${one}${two}`), 'first\nsecond\n');
  assert.equal(decodeClixml(`#< CLIXML\r\n${one}\r\n#< CLIXML\r\n${two}\r\n`), 'first\nsecond\n');
});

test('_xHHHH_ escapes, XML entities, surrogate pairs and the escaped underscore', () => {
  assert.equal(unescapeClixmlString('a_x0009_b_x000A_'), 'a\tb\n');
  assert.equal(unescapeClixmlString('_xD83D__xDE00_'), '😀');
  assert.equal(unescapeClixmlString('_x005F_x0041_'), '_x0041_', 'a literal _x0041_ is written with its underscore escaped');
  assert.equal(unescapeClixmlString('_x00e9_'), 'é');
  assert.equal(unescapeClixmlString('keep _x12_ and _xZZZZ_'), 'keep _x12_ and _xZZZZ_');
  const doc = `#< CLIXML\r\n${OBJS}<S S="Error">Cannot find path &apos;C:\\Program Files\\Go&apos; &lt;x&gt; &amp; _xD83D__xDE00_ &#233;_x000D__x000A_</S></Objs>`;
  assert.equal(decodeClixml(doc), "Cannot find path 'C:\\Program Files\\Go' <x> & 😀 é\n");
});

test('warnings are kept with a prefix, verbose/debug/information dropped', () => {
  const doc = `#< CLIXML\r\n${OBJS}<S S="warning">disk almost full</S><S S="verbose">noise</S><S S="debug">more</S><S S="information">info</S><S S="Error">boom_x000D__x000A_</S></Objs>`;
  assert.equal(decodeClixml(doc), 'WARNING: disk almost full\nboom\n');
});

test('a header without a complete document is left as it is', () => {
  const cut = `#< CLIXML\r\n${OBJS}<S S="Error">cut off`;
  assert.equal(decodeClixml(cut), cut);
});
