// Envelopes: byte for byte against our golden files (fixed message ids), and element by element against the
// requests pywinrm's own tests expect (testdata/pywinrm-*.xml) when given pywinrm's settings.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import {
  commandEnvelope, createShellEnvelope, deleteShellEnvelope, getConfigEnvelope, receiveEnvelope, sendChunkSize,
  sendEnvelope, signalEnvelope, type WsmanTarget,
} from './envelopes.ts';
import { xmlEscape } from './xml-escape.ts';

const DATA = join(import.meta.dirname, 'testdata');
const MID = '11111111-1111-1111-1111-111111111111';
const SHELL = '11111111-1111-1111-1111-111111111113';
const CMD = '11111111-1111-1111-1111-111111111114';
/** pywinrm's Protocol defaults (conftest.py endpoint) */
const PYWINRM: WsmanTarget = { url: 'http://windows-host:5985/wsman', maxEnvelopeSize: 153600, operationTimeoutSec: 20 };

const keepPrefixes = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, trimValues: true });

/** The element tree without namespace declarations, and the declarations of the prefixes it uses. */
function tree(xml: string): { elements: unknown; namespaces: Record<string, string> } {
  const namespaces: Record<string, string> = {};
  const strip = (n: unknown): unknown => {
    if (Array.isArray(n)) return n.map(strip);
    if (!n || typeof n !== 'object') return n;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(n)) {
      if (k.startsWith('@xmlns:')) namespaces[k.slice(7)] = String(v);
      else if (k !== '?xml') out[k] = strip(v);
    }
    return out;
  };
  return { elements: strip(keepPrefixes.parse(xml)), namespaces };
}

function assertSameAsPywinrm(ours: string, fixture: string): void {
  const want = tree(readFileSync(join(DATA, fixture), 'utf8'));
  const got = tree(ours);
  assert.deepEqual(got.elements, want.elements, fixture);
  for (const [prefix, uri] of Object.entries(got.namespaces)) assert.equal(uri, want.namespaces[prefix], `xmlns:${prefix}`);
}

function assertGolden(ours: string, name: string): void {
  const file = join(DATA, `golden-${name}.xml`);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, ours);
  assert.equal(ours, readFileSync(file, 'utf8'), `golden-${name}.xml (UPDATE_GOLDEN=1 rewrites it)`);
}

test('Create: the same request as pywinrm open_shell() (codepage 437, profile loaded), and our default (65001, no profile)', () => {
  assertSameAsPywinrm(createShellEnvelope(PYWINRM, { messageId: MID, codepage: 437, noProfile: false }), 'pywinrm-open-shell-request.xml');
  const ours = createShellEnvelope(PYWINRM, { messageId: MID });
  assert.match(ours, /<w:Option Name="WINRS_NOPROFILE">TRUE<\/w:Option>/);
  assert.match(ours, /<w:Option Name="WINRS_CODEPAGE">65001<\/w:Option>/);
  assertGolden(ours, 'create');
  assertGolden(createShellEnvelope({ ...PYWINRM, locale: 'de-DE' }, {
    messageId: MID, workingDirectory: 'C:\\Users\\deploy', idleTimeoutSec: 600, env: { GOFLEET: 'a&b', PATH: '%PATH%;C:\\Go\\bin' },
  }), 'create-options');
});

test('Command, Signal terminate, Receive, Delete: the same requests as pywinrm', () => {
  assertSameAsPywinrm(commandEnvelope(PYWINRM, SHELL, { messageId: MID, command: 'ipconfig', args: ['/all'] }), 'pywinrm-run-cmd-with-args-request.xml');
  assertSameAsPywinrm(commandEnvelope(PYWINRM, SHELL, { messageId: MID, command: 'hostname' }), 'pywinrm-run-cmd-wo-args-request.xml');
  assertSameAsPywinrm(signalEnvelope(PYWINRM, SHELL, CMD, 'terminate', MID), 'pywinrm-cleanup-cmd-request.xml');
  assertSameAsPywinrm(receiveEnvelope(PYWINRM, SHELL, CMD, MID), 'pywinrm-get-cmd-output-request.xml');
  assertSameAsPywinrm(deleteShellEnvelope(PYWINRM, SHELL, MID), 'pywinrm-close-shell-request.xml');
  assertGolden(commandEnvelope(PYWINRM, SHELL, { messageId: MID, command: 'powershell.exe', args: ['-NoProfile', '-EncodedCommand', 'AAAA'], skipCmdShell: true }), 'command');
  assertGolden(receiveEnvelope(PYWINRM, SHELL, CMD, MID), 'receive');
  assertGolden(signalEnvelope(PYWINRM, SHELL, CMD, 'ctrl_c', MID), 'signal-ctrl-c');
  assertGolden(deleteShellEnvelope(PYWINRM, SHELL, MID), 'delete');
});

test('Send: stdin as base64 with End on the last chunk; Get of winrm/config and winrm/config/Winrs', () => {
  const mid = `uuid:${MID}`; // an id given with its uuid: prefix is not prefixed twice
  assertGolden(sendEnvelope(PYWINRM, SHELL, CMD, Buffer.from('Write-Output "é"\r\n'), false, mid), 'send');
  const last = sendEnvelope(PYWINRM, SHELL, CMD, Buffer.alloc(0), true, MID);
  assert.match(last, /<rsp:Stream Name="stdin" CommandId="11111111-1111-1111-1111-111111111114" End="true"><\/rsp:Stream>/);
  assert.doesNotMatch(last, /uuid:uuid:/);
  assertGolden(getConfigEnvelope(PYWINRM, MID, 'config'), 'get-config');
  assertGolden(getConfigEnvelope(PYWINRM, MID, 'winrs'), 'get-winrs');
});

test('every interpolated value is escaped: a hostile command, shell id, variable and URL stay text', () => {
  const evil = `a"b'c<d>&e</rsp:Command><rsp:Arguments>x`;
  const xml = [
    commandEnvelope({ ...PYWINRM, url: `http://h/wsman?a=1&b=<2>` }, evil, { messageId: MID, command: evil, args: [evil] }),
    createShellEnvelope(PYWINRM, { messageId: MID, env: { [evil]: evil }, workingDirectory: evil }),
    sendEnvelope(PYWINRM, evil, evil, Buffer.from('x'), true, MID),
  ];
  for (const doc of xml) {
    const parsed = JSON.stringify(keepPrefixes.parse(doc));
    assert.ok(!doc.includes(evil), 'the raw value is never in the XML');
    assert.ok(parsed.includes(JSON.stringify(evil).slice(1, -1)), 'it reads back as the same text');
  }
  assert.equal(xmlEscape(`&<>"'`), '&amp;&lt;&gt;&quot;&apos;');
  assert.throws(() => xmlEscape('a\u0000b'), /U\+0000/);
  assert.throws(() => xmlEscape('\uD800'), /U\+D800/);
  assert.equal(xmlEscape('\u{1F600}\t\r\n'), '\u{1F600}\t\r\n');
});

test('sendChunkSize keeps a Send envelope under MaxEnvelopeSizekb (a 64-character shell and command id)', () => {
  const id = 'F'.repeat(64);
  for (const kb of [8, 150, 500, 8192]) {
    const n = sendChunkSize(kb);
    assert.equal(n % 3, 0, 'whole base64 quanta, so chunks concatenate');
    const env = sendEnvelope({ ...PYWINRM, url: `https://${'h'.repeat(200)}:5986/wsman` }, id, id, Buffer.alloc(n, 0xff), true, id);
    assert.ok(Buffer.byteLength(env) <= kb * 1024, `${kb} KB: ${Buffer.byteLength(env)} bytes`);
    assert.ok(Buffer.byteLength(env) > kb * 1024 - 8192, `${kb} KB: the chunk uses the room (${Buffer.byteLength(env)} bytes)`);
  }
  assert.throws(() => sendChunkSize(4), /no room/);
  assert.throws(() => sendChunkSize(0), /positive integer/);
});
