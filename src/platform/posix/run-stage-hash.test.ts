// Staging hashes the archive once (issue 9, less work on every host): the copy in the cache is what gets
// extracted, so it is the one hashed; a 78 MB toolchain was hashed twice before (as uploaded, as copied).
// sha256sum is wrapped by a logging script first on PATH, which counts the files hashed.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import type { ArchiveRef } from '../types.ts';
import { posix } from './index.ts';
import { BASE_PATH, FakeHost } from './testing/fake-host.ts';

let h: FakeHost;
let log: string;
let env: Record<string, string>;
beforeEach(() => {
  h = new FakeHost();
  const bin = join(h.root, 'logging-bin');
  log = join(h.root, 'sha256sum.log');
  mkdirSync(bin);
  writeFileSync(join(bin, 'sha256sum'), `#!/bin/sh\necho hashed >>'${log}'\nexec /usr/bin/sha256sum "$@"\n`);
  chmodSync(join(bin, 'sha256sum'), 0o755);
  env = { PATH: `${bin}:${BASE_PATH}` };
});
afterEach(() => h.cleanup());

function upgrade(archive: ArchiveRef) {
  const r = h.runScript(posix.upgrade({ paths: h.paths, target: 'go1.27.3', archive, verify: { build: false, requirePath: false }, run: h.run }), { env });
  return { ...r, ...posix.parseRun(r.stdout) };
}

const hashes = (): number => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0);

test('an uploaded archive is hashed once, then cached, extracted and switched to', () => {
  const ref = h.upload(h.archive('go1.27.3'));
  const r = upgrade(ref);
  assert.equal(r.outcome?.result, 'switched', r.stdout + r.stderr);
  assert.equal(hashes(), 1);
  assert.equal(existsSync(ref.remotePath), false, 'upload removed');
  assert.ok(existsSync(posix.cachedArchivePath(h.paths, ref.filename)), 'cached copy kept');
});

test('a mismatching upload is still refused after one hash: CHECKSUM_MISMATCH, upload and copy deleted', () => {
  const ref = h.upload(h.archive('go1.27.3'), 'e'.repeat(64));
  const r = upgrade(ref);
  assert.equal(r.outcome?.code, 'CHECKSUM_MISMATCH', r.stdout);
  assert.match(r.outcome?.message ?? '', /has SHA-256 [0-9a-f]{64} on the host, expected e{64}/);
  assert.equal(hashes(), 1);
  assert.equal(existsSync(ref.remotePath), false, 'upload deleted');
  const cache = join(h.versionsDir, '.gofleet', 'cache');
  assert.deepEqual(existsSync(cache) ? readdirSync(cache) : [], [], 'nothing cached, no partial copy left');
  assert.equal(existsSync(join(h.versionsDir, 'go1.27.3')), false);
});
