import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLookup, parseRecordLines } from './record.ts';

const H = 'h1:r0ub+FnqzZxoWm/dSUOI9DcIqYWn/mNYGFJcv7PyBzs=';
const note = 'go.sum database tree\n3\nAAAA\n\n\u2014 sum.example AAAA\n';
const refused = { code: 'SUMDB_VERIFY_FAILED' };

test('a lookup response splits into id, record data (hashed as the leaf) and the tree note', () => {
  const r = parseLookup(`2\nex.com/m v1.0.0 ${H}\nex.com/m v1.0.0/go.mod ${H}\n\n${note}`);
  assert.equal(r.id, 2);
  assert.equal(r.data.toString(), `ex.com/m v1.0.0 ${H}\nex.com/m v1.0.0/go.mod ${H}\n`);
  assert.equal(r.treeNote, note);
  assert.deepEqual(parseRecordLines(r.data).map((l) => [l.module, l.version, l.hash]),
    [['ex.com/m', 'v1.0.0', H], ['ex.com/m', 'v1.0.0/go.mod', H]]);
});

test('malformed lookup responses and record lines are refused', () => {
  assert.throws(() => parseLookup(`x\nex.com/m v1.0.0 ${H}\n\n${note}`), refused);
  assert.throws(() => parseLookup(`02\nex.com/m v1.0.0 ${H}\n\n${note}`), refused);
  assert.throws(() => parseLookup(`2\nex.com/m v1.0.0 ${H}\n`), refused);
  assert.throws(() => parseLookup(`2\n\n${note}`), refused);
  assert.throws(() => parseRecordLines(Buffer.from(`ex.com/m v1.0.0 ${H}`)), refused);
  assert.throws(() => parseRecordLines(Buffer.from(`ex.com/m v1.0.0 h1:short\n`)), refused);
  assert.throws(() => parseRecordLines(Buffer.from(`ex.com/m  v1.0.0 ${H}\n`)), refused);
  assert.throws(() => parseRecordLines(Buffer.from(`ex.com/m v1.0.0 ${H} extra\n`)), refused);
});
