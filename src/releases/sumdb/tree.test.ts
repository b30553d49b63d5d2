import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkRecord, checkTreeConsistency, parseTree, recordHash, tilePath, TileReader, treeHash, type Tree } from './tree.ts';
import { fakeModules, fakeSumdb, fakeTilePath, fetchFrom, merkleRoot } from '../../../test/harness/fake-sumdb.ts';

const refused = { code: 'SUMDB_VERIFY_FAILED' };
const realDir = join(import.meta.dirname, 'testdata/sum.golang.org');
const REAL_RECORD = 69478030;
const realTree: Tree = parseTree('go.sum database tree\n70835252\ni/47wIAMOilgNhOrV2EcYgX2bQrKd0NLTxkgv0yNjLA=\n');
const realRecord = Buffer.from(
  'golang.org/toolchain v0.0.1-go1.27.3.linux-amd64 h1:r0ub+FnqzZxoWm/dSUOI9DcIqYWn/mNYGFJcv7PyBzs=\n' +
  'golang.org/toolchain v0.0.1-go1.27.3.linux-amd64/go.mod h1:8wlg68NqwW7eMnI1aABk/C2pDYXj8mrMY4TyRfiLeS0=\n');

test('tile paths: x-prefixed 3-digit groups, .p/W for partial tiles', () => {
  assert.equal(tilePath(0, 271398, 256), 'tile/8/0/x271/398');
  assert.equal(tilePath(1, 1080, 220), 'tile/8/1/x001/080.p/220');
  assert.equal(tilePath(3, 0, 4), 'tile/8/3/000.p/4');
  assert.equal(tilePath(2, 1234567, 256), 'tile/8/2/x001/x234/567');
  assert.equal(tilePath('data', 5, 1), 'tile/8/data/005.p/1');
});

test('tree notes: the signed text parses, anything else is refused', () => {
  assert.equal(realTree.size, 70835252);
  assert.equal(realTree.hash.length, 32);
  assert.throws(() => parseTree('go.sum database tree\n12\nshort=\n'), refused);
  assert.throws(() => parseTree('go.sum database tree\n012\ni/47wIAMOilgNhOrV2EcYgX2bQrKd0NLTxkgv0yNjLA=\n'), refused);
  assert.throws(() => parseTree('go.sum database tree\n12\ni/47wIAMOilgNhOrV2EcYgX2bQrKd0NLTxkgv0yNjLA=\nextra\n'), refused);
});

test('the real record 69478030 is included in the real signed tree, read from the six cached tiles', async () => {
  const seen: string[] = [];
  const fetch = async (p: string) => { seen.push(p); return readFile(join(realDir, p)); };
  await checkRecord(realTree, REAL_RECORD, recordHash(realRecord), fetch);
  assert.deepEqual(seen.sort(), ['tile/8/0/x271/398', 'tile/8/0/x276/700.p/52', 'tile/8/1/x001/060',
    'tile/8/1/x001/080.p/220', 'tile/8/2/004.p/56', 'tile/8/3/000.p/4']);
  assert.ok((await treeHash(new TileReader(realTree.size, fetch), realTree.size)).equals(realTree.hash));
});

test('the real record, tiles or root, tampered, are refused', async () => {
  const fetch = (p: string) => readFile(join(realDir, p));
  const otherRecord = Buffer.from(realRecord.toString().replace('h1:r0ub', 'h1:r1ub'));
  await assert.rejects(checkRecord(realTree, REAL_RECORD, recordHash(otherRecord), fetch), refused);
  await assert.rejects(checkRecord(realTree, REAL_RECORD + 1, recordHash(realRecord), fetch), refused);
  const badRoot = { size: realTree.size, hash: Buffer.from(realTree.hash) };
  badRoot.hash[0] = (badRoot.hash[0] as number) ^ 1;
  await assert.rejects(checkRecord(badRoot, REAL_RECORD, recordHash(realRecord), fetch), refused);
  for (const tile of ['tile/8/0/x271/398', 'tile/8/1/x001/080.p/220', 'tile/8/3/000.p/4']) {
    const tampered = async (p: string) => {
      const data = Buffer.from(await fetch(p));
      if (p === tile) data[data.length - 1] = (data[data.length - 1] as number) ^ 0x80;
      return data;
    };
    await assert.rejects(checkRecord(realTree, REAL_RECORD, recordHash(realRecord), tampered), refused, tile);
  }
  const short = async (p: string) => (await fetch(p)).subarray(0, 64);
  await assert.rejects(checkRecord(realTree, REAL_RECORD, recordHash(realRecord), short), refused);
});

test('every record of generated trees of many sizes (partial and full tiles, two tile levels) checks out', async () => {
  for (const size of [1, 2, 3, 7, 8, 255, 256, 257, 513, 600]) {
    const db = fakeSumdb('sum.example', fakeModules(size));
    const tree = parseTree(db.treeText(size));
    assert.ok(tree.hash.equals(merkleRoot(db.records.map(recordHash))));
    for (const i of new Set([0, 1, Math.floor(size / 2), size - 2, size - 1].filter((i) => i >= 0 && i < size))) {
      await checkRecord(tree, i, recordHash(db.records[i] as Buffer), fetchFrom(db.files));
    }
    assert.ok((await treeHash(new TileReader(size, fetchFrom(db.files)), size)).equals(tree.hash), `size ${size}`);
  }
});

test('a generated tree refuses a tampered record, tile and root, and a record beyond the tree', async () => {
  const db = fakeSumdb('sum.example', fakeModules(300));
  const tree = parseTree(db.treeText(300));
  const leaf = recordHash(db.records[5] as Buffer);
  await assert.rejects(checkRecord(tree, 5, recordHash(db.records[6] as Buffer), fetchFrom(db.files)), refused);
  await assert.rejects(checkRecord(tree, 300, leaf, fetchFrom(db.files)), refused);
  await assert.rejects(checkRecord({ size: 300, hash: merkleRoot([leaf]) }, 5, leaf, fetchFrom(db.files)), refused);
  for (const path of [fakeTilePath(0, 0, 256), fakeTilePath(0, 1, 44), fakeTilePath(1, 0, 1)]) {
    const files = new Map(db.files);
    const data = Buffer.from(files.get(path) as Buffer);
    data[0] = (data[0] as number) ^ 1; // the first hash of each: a sibling on record 5's path or the root's
    files.set(path, data);
    await assert.rejects(checkRecord(tree, path.endsWith('256') ? 5 : 260, leaf, fetchFrom(files)), refused, path);
  }
});

test('a partial tile that is gone is read from the full tile', async () => {
  const db = fakeSumdb('sum.example', fakeModules(600));
  const tree = parseTree(db.treeText(300));
  db.addTiles(300);
  const files = new Map(db.files);
  files.delete(fakeTilePath(0, 1, 44)); // the tree of 300 wants .p/44 of tile 1; the server has moved on to full
  const seen: string[] = [];
  await checkRecord(tree, 299, recordHash(db.records[299] as Buffer), fetchFrom(files, seen));
  assert.ok(seen.includes(fakeTilePath(0, 1, 256)));
});

test('consistency: an older signed tree must be a prefix of the newer one', async () => {
  const db = fakeSumdb('sum.example', fakeModules(600));
  db.addTiles(600);
  const fetch = fetchFrom(db.files);
  const newer = parseTree(db.treeText(600));
  for (const size of [1, 100, 256, 300, 599, 600]) {
    await checkTreeConsistency(parseTree(db.treeText(size)), newer, fetch);
    await checkTreeConsistency(newer, parseTree(db.treeText(size)), fetch);
  }
  const fork = fakeSumdb('sum.example', fakeModules(301).slice(1));
  await assert.rejects(checkTreeConsistency(parseTree(fork.treeText(300)), newer, fetch), /forked/);
  const sameSize = parseTree(fork.treeText(300));
  await assert.rejects(checkTreeConsistency(sameSize, parseTree(db.treeText(300)), fetch), /forked/);
});
