import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeModulePath, verifyModule } from './verify.ts';
import { parseTree } from './tree.ts';
import { fakeModules, fakeSumdb, fakeTilePath, fetchFrom } from '../../../test/harness/fake-sumdb.ts';

const realDir = join(import.meta.dirname, 'testdata/sum.golang.org');
const realFetch = (p: string) => readFile(join(realDir, p));
const TOOLCHAIN = { module: 'golang.org/toolchain', version: 'v0.0.1-go1.27.3.linux-amd64' };
const ZIPHASH = readFileSync(join(import.meta.dirname, 'testdata/v0.0.1-go1.27.3.linux-amd64.ziphash'), 'utf8').trim();
const refused = { code: 'SUMDB_VERIFY_FAILED' };

test('the real toolchain module verifies against sum.golang.org (default key) with the .ziphash the go command wrote', async () => {
  const got = await verifyModule({ ...TOOLCHAIN, h1: ZIPHASH, fetch: realFetch });
  assert.equal(got.h1, ZIPHASH);
  assert.equal(got.goModH1, 'h1:8wlg68NqwW7eMnI1aABk/C2pDYXj8mrMY4TyRfiLeS0=');
  assert.equal(got.tree.size, 70835252);
  const again = await verifyModule({ ...TOOLCHAIN, fetch: realFetch, knownTree: got.tree });
  assert.equal(again.h1, ZIPHASH);
});

test('the real module with another h1, or looked up under another version, is refused', async () => {
  await assert.rejects(verifyModule({ ...TOOLCHAIN, h1: 'h1:8wlg68NqwW7eMnI1aABk/C2pDYXj8mrMY4TyRfiLeS0=', fetch: realFetch }), /vouches for/);
  const lookup = await realFetch('lookup/golang.org/toolchain@v0.0.1-go1.27.3.linux-amd64');
  const renamed = async (p: string) => (p.startsWith('lookup/') ? lookup : realFetch(p));
  await assert.rejects(verifyModule({ module: 'golang.org/toolchain', version: 'v0.0.1-go1.27.4.linux-amd64', fetch: renamed }), /not about/);
});

test('an unreachable database is SUMDB_UNAVAILABLE, not a verification failure', async () => {
  const down = async () => { throw new Error('ECONNREFUSED'); };
  await assert.rejects(verifyModule({ ...TOOLCHAIN, fetch: down }), { code: 'SUMDB_UNAVAILABLE' });
  const noTiles = async (p: string) => (p.startsWith('lookup/') ? realFetch(p) : down());
  await assert.rejects(verifyModule({ ...TOOLCHAIN, fetch: noTiles }), { code: 'SUMDB_UNAVAILABLE' });
});

test('module paths are escaped for the lookup (upper case as !lower)', async () => {
  assert.equal(escapeModulePath('github.com/Azure/Go'), 'github.com/!azure/!go');
  const db = fakeSumdb('sum.example', [{ ...fakeModules(1)[0]!, module: 'example.com/BigCo' }]);
  const files = new Map([...db.files].map(([p, d]) => [p.replace('BigCo', '!big!co'), d]));
  const got = await verifyModule({ module: 'example.com/BigCo', version: 'v1.0.0', fetch: fetchFrom(files), key: db.vkey });
  assert.equal(got.tree.size, 1);
});

test('a generated database: the vouched h1 is returned; tampered record, signature, tile and root are each refused', async () => {
  const mods = fakeModules(300);
  const db = fakeSumdb('sum.example', mods);
  const m = mods[260]!;
  const opts = { module: m.module, version: m.version, key: db.vkey };
  const ok = await verifyModule({ ...opts, h1: m.h1, fetch: fetchFrom(db.files) });
  assert.deepEqual([ok.h1, ok.goModH1, ok.tree.size], [m.h1, m.goModH1, 300]);
  const lookupPath = `lookup/${m.module}@${m.version}`;
  const lookup = (db.files.get(lookupPath) as Buffer).toString();
  const withLookup = (text: string) => fetchFrom(new Map([...db.files, [lookupPath, Buffer.from(text)]]));
  // record: another h1 in the record data (the leaf no longer matches the tree)
  await assert.rejects(verifyModule({ ...opts, fetch: withLookup(lookup.replace(m.h1, mods[0]!.h1)) }), refused);
  // record: claimed to be another record id
  await assert.rejects(verifyModule({ ...opts, fetch: withLookup(lookup.replace(/^260\n/, '261\n')) }), refused);
  // signature: the note re-signed by a key that is not the database's
  const impostor = fakeSumdb('sum.example', []);
  const note = lookup.slice(lookup.indexOf('go.sum database tree'));
  const text = note.slice(0, note.indexOf('\n\n') + 1);
  await assert.rejects(verifyModule({ ...opts, fetch: withLookup(lookup.replace(note, impostor.signNote(text))) }), /not signed/);
  // root: a different root hash under the (now broken) original signature
  const hashLine = text.split('\n')[2]!;
  const otherRoot = Buffer.from(hashLine, 'base64');
  otherRoot[0] = otherRoot[0]! ^ 1;
  await assert.rejects(verifyModule({ ...opts, fetch: withLookup(lookup.replace(hashLine, otherRoot.toString('base64'))) }), /tampered/);
  // root: a different root properly signed by the database key itself still fails the inclusion check
  const resigned = db.signNote(text.replace(hashLine, otherRoot.toString('base64')));
  await assert.rejects(verifyModule({ ...opts, fetch: withLookup(lookup.replace(note, resigned)) }), /not included/);
  // tile: a sibling hash on record 260's path flipped
  const tile = fakeTilePath(0, 1, 44);
  const bad = Buffer.from(db.files.get(tile) as Buffer);
  bad[(261 - 256) * 32] = bad[(261 - 256) * 32]! ^ 1;
  await assert.rejects(verifyModule({ ...opts, fetch: fetchFrom(new Map([...db.files, [tile, bad]])) }), refused);
});

test('a signed tree that is not an extension of the known one (a forked log) is refused', async () => {
  const db = fakeSumdb('sum.example', fakeModules(300));
  const m = fakeModules(300)[10]!;
  const fork = fakeSumdb('sum.example', fakeModules(301).slice(1));
  const knownTree = parseTree(fork.treeText(200));
  await assert.rejects(verifyModule({ module: m.module, version: m.version, key: db.vkey, fetch: fetchFrom(db.files), knownTree }), /forked/);
  const good = await verifyModule({ module: m.module, version: m.version, key: db.vkey, fetch: fetchFrom(db.files), knownTree: parseTree(db.treeText(200)) });
  assert.equal(good.h1, m.h1);
});

test('a downloaded zip is hashed and compared with the vouched h1', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-sumdb-zip-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'ex.com/m@v1.0.0'), { recursive: true });
  writeFileSync(join(dir, 'ex.com/m@v1.0.0/go.mod'), 'module ex.com/m\n');
  execFileSync('zip', ['-q', '-X', '-D', 'm.zip', 'ex.com/m@v1.0.0/go.mod'], { cwd: dir });
  // computed with coreutils: sha256sum ex.com/m@v1.0.0/go.mod | sha256sum, as base64
  const h1 = 'h1:gbUCBgW6WAZ2n2ZpEaUrKZZRiaM9T5O6FYa3hIz9Bfo=';
  const good = fakeSumdb('sum.example', [{ module: 'ex.com/m', version: 'v1.0.0', h1, goModH1: h1 }]);
  const got = await verifyModule({ module: 'ex.com/m', version: 'v1.0.0', zipPath: join(dir, 'm.zip'), key: good.vkey, fetch: fetchFrom(good.files) });
  assert.equal(got.h1, h1);
  const other = fakeSumdb('sum.example', [{ ...fakeModules(1)[0]!, module: 'ex.com/m' }]);
  await assert.rejects(verifyModule({ module: 'ex.com/m', version: 'v1.0.0', zipPath: join(dir, 'm.zip'), key: other.vkey, fetch: fetchFrom(other.files) }),
    { code: 'SUMDB_VERIFY_FAILED', message: /m\.zip hashes to h1:.* but sum\.example vouches for/ });
});
