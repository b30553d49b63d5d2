// Where a release's date comes from under --min-age: the Last-Modified the source serves for its file (the loopback
// release server sends the file's mtime), a local directory's file mtime, and null (unknown) when the file cannot
// be had.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fakeToolchainArchive, writeSourceDir } from '../../test/harness/toolchains.ts';
import { startHttpSource, type HttpSource } from '../../test/harness/http-source.ts';
import { openDirSource } from './source-dir.ts';
import { openOfficialSource } from './source-official.ts';
import { releaseDates } from './release-date.ts';

const WHEN = Date.parse('2026-10-02T20:28:03Z');
let root: string;
let sourceDir: string;
let http: HttpSource;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'gofleet-release-date-'));
  sourceDir = join(root, 'source');
  const a = await fakeToolchainArchive('go1.27.3');
  writeSourceDir(sourceDir, [a]);
  // a copy of its own (the source dir holds hard links into the fixture cache), dated
  const path = join(sourceDir, a.filename);
  rmSync(path);
  copyFileSync(a.path, path);
  utimesSync(path, new Date(WHEN), new Date(WHEN));
  http = await startHttpSource(sourceDir);
});
after(async () => {
  await http?.close();
  rmSync(root, { recursive: true, force: true });
});

test('an HTTP source: the Last-Modified of the release file', { timeout: 30_000 }, async () => {
  const source = openOfficialSource({ baseUrl: http.url });
  const dates = releaseDates(source, await source.releases());
  assert.equal(await dates('go1.27.3'), WHEN);
});

test('a local directory: the file mtime', { timeout: 30_000 }, async () => {
  const source = openDirSource(sourceDir);
  const dates = releaseDates(source, await source.releases());
  assert.equal(await dates('go1.27.3'), WHEN);
});

test('unknown (null) for a release the source does not list, or whose file cannot be reached', { timeout: 30_000 }, async () => {
  const source = openOfficialSource({ baseUrl: http.url });
  const releases = await source.releases();
  assert.equal(await releaseDates(source, releases)('go1.99.1'), null);
  // nothing listens on port 1: the look-up fails, and the date is unknown rather than an error
  const unreachable = { ...source, fileUrl: (f: string) => `http://127.0.0.1:1/${f}` };
  assert.equal(await releaseDates(unreachable, releases)('go1.27.3'), null);
});
