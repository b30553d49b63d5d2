import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashZip } from './dirhash.ts';
import { parseLookup, parseRecordLines } from './record.ts';

const testdata = join(import.meta.dirname, 'testdata');

let zips = 0;

/** A small module zip built with Info-ZIP `zip` (no directory entries, as module zips have none). */
function buildZip(dir: string, files: Record<string, string>, order: string[]): string {
  const root = join(dir, 'tree');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), content);
  }
  const zip = join(dir, `m${++zips}.zip`);
  execFileSync('zip', ['-q', '-X', '-D', zip, ...order], { cwd: root });
  return zip;
}

test('the h1 of a small module zip is the sha256sum-of-sha256sums hash, whatever the order in the zip', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-dirhash-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const files = {
    'ex.com/m@v1.0.0/go.mod': 'module ex.com/m\n',
    'ex.com/m@v1.0.0/m.go': 'package m\n',
    'ex.com/m@v1.0.0/sub/\u00e4 b.txt': 'h\u00e9llo w\u00f6rld\n',
  };
  // expected from coreutils, independently: (cd tree && find . -type f | sed 's|^./||' | LC_ALL=C sort |
  //   while read f; do sha256sum "$f"; done | sha256sum) as base64
  const want = 'h1:6429EZI3exy/uqfz1VZh48YQv8X7JO+k1vcM5OJKZes=';
  const names = Object.keys(files);
  assert.equal(await hashZip(buildZip(dir, files, names)), want);
  assert.equal(await hashZip(buildZip(dir, files, [...names].reverse())), want);
  assert.notEqual(await hashZip(buildZip(dir, { ...files, 'ex.com/m@v1.0.0/m.go': 'package m // changed\n' }, names)), want);
});

test('the real .ziphash the go command wrote is the h1 sum.golang.org vouches for in the real record', () => {
  const ziphash = readFileSync(join(testdata, 'v0.0.1-go1.27.3.linux-amd64.ziphash'), 'utf8').trim();
  const lookup = readFileSync(join(testdata, 'sum.golang.org/lookup/golang.org/toolchain@v0.0.1-go1.27.3.linux-amd64'), 'utf8');
  const lines = parseRecordLines(parseLookup(lookup).data);
  assert.deepEqual(lines.map((l) => l.version), ['v0.0.1-go1.27.3.linux-amd64', 'v0.0.1-go1.27.3.linux-amd64/go.mod']);
  assert.equal(lines[0]?.hash, ziphash);
});
