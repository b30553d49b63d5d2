// syncMirror aborted mid-download (the CLI test covers a cut connection): nothing under a final name, no temp file.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { startHttpSource, type HttpSource } from '../../test/harness/http-source.ts';
import { fakeToolchainArchive, writeSourceDir, type FixtureArchive } from '../../test/harness/toolchains.ts';
import { GofleetError } from '../errors.ts';
import { syncMirror } from './mirror-sync.ts';
import { openUrlSource } from './source-url.ts';

let root: string;
let http: HttpSource;
let a127: FixtureArchive;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'gofleet-mirror-sync-'));
  a127 = await fakeToolchainArchive('go1.27.3');
  writeSourceDir(join(root, 'source'), [a127]);
  http = await startHttpSource(join(root, 'source'));
});
after(async () => {
  await http?.close();
  rmSync(root, { recursive: true, force: true });
});

it('aborted while the archive streams: INTERRUPTED, no file under a final name, no temp file left', { timeout: 30_000 }, async () => {
  const dir = join(root, 'mirror');
  http.addFault({ path: a127.filename, kind: 'stall', times: 1 });
  const abort = new AbortController();
  const pending = syncMirror({ source: openUrlSource(http.url), versions: ['1.27'], oses: ['linux'], arches: ['amd64'], dir, signal: abort.signal });
  // wait until half the body has been sent and the server stalls
  while (!http.requests.some((r) => r.path.endsWith(a127.filename) && r.bytes > 0)) await new Promise((r) => setTimeout(r, 10));
  abort.abort();
  await assert.rejects(pending, (e: unknown) => e instanceof GofleetError && e.code === 'INTERRUPTED');
  assert.deepEqual(existsSync(dir) ? readdirSync(dir) : [], []);
});

it("aborted before the archive's response came: INTERRUPTED too (not a source that failed), nothing left", { timeout: 30_000 }, async () => {
  const dir = join(root, 'mirror-hang');
  http.addFault({ path: a127.filename, kind: 'hang', times: 1 });
  const abort = new AbortController();
  const pending = syncMirror({ source: openUrlSource(http.url), versions: ['1.27'], oses: ['linux'], arches: ['amd64'], dir, signal: abort.signal });
  // the request for the archive has reached the server, which holds it without an answer
  while (!http.requests.some((r) => r.path.endsWith(a127.filename))) await new Promise((r) => setTimeout(r, 10));
  abort.abort();
  await assert.rejects(pending, (e: unknown) => e instanceof GofleetError && e.code === 'INTERRUPTED');
  assert.deepEqual(existsSync(dir) ? readdirSync(dir) : [], []);
});
