import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openNote, parseVerifierKey } from './note.ts';
import { fakeSumdb } from '../../../test/harness/fake-sumdb.ts';

const REAL_KEY = 'sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8';
const lookup = readFileSync(join(import.meta.dirname, 'testdata/sum.golang.org/lookup/golang.org/toolchain@v0.0.1-go1.27.3.linux-amd64'), 'utf8');
const realNote = lookup.slice(lookup.indexOf('go.sum database tree'));
const refused = { code: 'SUMDB_VERIFY_FAILED' };

test('the real sum.golang.org key opens the real signed tree note', () => {
  const key = parseVerifierKey(REAL_KEY);
  assert.equal(key.name, 'sum.golang.org');
  assert.equal(key.hash, 0x033de0ae);
  assert.equal(openNote(realNote, key), 'go.sum database tree\n70835252\ni/47wIAMOilgNhOrV2EcYgX2bQrKd0NLTxkgv0yNjLA=\n');
});

test('a verifier key whose hash does not match its key bytes, a wrong algorithm or a bad form is refused', () => {
  // the key as misquoted in a brief: right name and hash, wrong key bytes
  assert.throws(() => parseVerifierKey('sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ep6bMVNZmUP+4JhI'), refused);
  const bytes = Buffer.from(REAL_KEY.split('+').slice(2).join('+'), 'base64');
  bytes[0] = 2;
  assert.throws(() => parseVerifierKey(`sum.golang.org+033de0ae+${bytes.toString('base64')}`), refused);
  assert.throws(() => parseVerifierKey('sum.golang.org+033de0ae'), refused);
});

test('a tampered, unsigned or foreign-signed real note is refused', () => {
  const key = parseVerifierKey(REAL_KEY);
  assert.throws(() => openNote(realNote.replace('70835252', '70835253'), key), /tampered/);
  assert.throws(() => openNote(realNote.replace('i/47w', 'j/47w'), key), refused);
  assert.throws(() => openNote(realNote.slice(0, realNote.indexOf('\n\n') + 1), key), refused); // signature cut off
  const sigLine = realNote.slice(realNote.indexOf('\u2014'));
  const b64 = sigLine.trim().split(' ')[2] as string;
  const sig = Buffer.from(b64, 'base64');
  sig[10] = (sig[10] as number) ^ 1;
  assert.throws(() => openNote(realNote.replace(b64, sig.toString('base64')), key), /tampered/);
  const other = fakeSumdb('other.example', []);
  assert.throws(() => openNote(other.signNote('go.sum database tree\n1\nAAAA\n'), key), /not signed by sum\.golang\.org/);
});

test('a note signed by a test-generated key verifies with that key and not with another of the same name', () => {
  const db = fakeSumdb('sum.example', []);
  const text = 'go.sum database tree\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n';
  assert.equal(openNote(db.signNote(text), parseVerifierKey(db.vkey)), text);
  const impostor = fakeSumdb('sum.example', []);
  assert.throws(() => openNote(impostor.signNote(text), parseVerifierKey(db.vkey)), /not signed by sum\.example/);
});
