// The uploaded archive (/tmp/gofleet-<run>-<file>) is removed on every way the upgrade script ends,
// also when it stops before staging (locked, no privilege, goroot not adoptable) -- run under dash.
import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import type { ArchiveRef } from '../types.ts';
import { posix } from './index.ts';
import { FakeHost, type RunOptions } from './testing/fake-host.ts';

let h: FakeHost;
beforeEach(() => {
  h = new FakeHost();
});
afterEach(() => h.cleanup());

function upgrade(archive: ArchiveRef, options: RunOptions = {}) {
  const r = h.runScript(posix.upgrade({ paths: h.paths, target: 'go1.27.3', archive, verify: { build: true, requirePath: true }, run: h.run }), options);
  return posix.parseRun(r.stdout).outcome;
}

test('HOST_LOCKED: the upload is removed, the lock and goroot are left alone', () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  const lock = join(h.versionsDir, '.gofleet', 'lock');
  mkdirSync(lock, { recursive: true });
  writeFileSync(join(lock, 'info'), `pid=${process.pid} run=other-run since=2026-01-01T00:00:00Z\n`);
  const before = h.listing();
  const ref = h.upload(h.archive('go1.27.3'));
  assert.ok(existsSync(ref.remotePath));
  const outcome = upgrade(ref);
  assert.equal(outcome?.code, 'HOST_LOCKED');
  assert.equal(existsSync(ref.remotePath), false, 'upload removed');
  assert.deepEqual(h.listing(), before);
});

test('ADOPT_FAILED before staging (goroot is a plain file): the upload is removed', () => {
  writeFileSync(h.goroot, 'not a toolchain');
  const ref = h.upload(h.archive('go1.27.3'));
  assert.equal(upgrade(ref)?.code, 'ADOPT_FAILED');
  assert.equal(existsSync(ref.remotePath), false);
});

test('STAGE_FAILED on an upload that is a symlink: the link is removed, its target is not', () => {
  const archive = h.archive('go1.27.3');
  const ref = h.upload(archive);
  rmSync(ref.remotePath);
  symlinkSync(archive.path, ref.remotePath);
  assert.equal(upgrade(ref)?.code, 'STAGE_FAILED');
  assert.equal(existsSync(ref.remotePath), false);
  assert.ok(existsSync(archive.path));
});

test('NO_PRIVILEGE (a user who cannot write versionsDir): the upload is removed', { skip: process.getuid?.() === 0 ? false : 'needs root (setpriv to nobody)' }, () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  chmodSync(h.root, 0o755);
  const ref = h.upload(h.archive('go1.27.3'));
  chownSync(ref.remotePath, 65534, 65534); // uploaded by the connecting user, as the engine does
  const outcome = upgrade(ref, { prefix: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] });
  assert.equal(outcome?.code, 'NO_PRIVILEGE');
  assert.equal(existsSync(ref.remotePath), false);
});

test('unchanged (already at the target) and a successful upgrade: the upload is removed; the cache never is', () => {
  h.install('go1.27.3');
  h.linkGoroot('go1.27.3');
  const archive = h.archive('go1.27.3');
  const ref = h.upload(archive);
  assert.equal(upgrade(ref)?.result, 'unchanged');
  assert.equal(existsSync(ref.remotePath), false);

  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  rmSync(join(h.versionsDir, 'go1.27.3'), { recursive: true });
  const again = h.upload(archive);
  assert.equal(upgrade(again)?.result, 'switched');
  assert.equal(existsSync(again.remotePath), false);
  const cached = posix.cachedArchivePath(h.paths, archive.filename);
  h.linkGoroot('go1.26.8');
  assert.equal(upgrade({ ...again, remotePath: cached })?.result, 'switched', 'the cache path passed as the archive');
  assert.ok(existsSync(cached), 'the cached copy is kept');
});
