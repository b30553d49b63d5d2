// prune run for real under dash against a fake host.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { posix } from './index.ts';
import { FakeHost } from './testing/fake-host.ts';

let h: FakeHost;
beforeEach(() => {
  h = new FakeHost();
});
afterEach(() => h.cleanup());

function prune(keep: number) {
  const r = h.runScript(posix.prune({ paths: h.paths, keep, run: h.run }));
  return { ...r, ...posix.parseRun(r.stdout) };
}

const versions = (): string[] => readdirSync(h.versionsDir).filter((n) => n.startsWith('go')).sort();

function fleet(): void {
  for (const v of ['go1.20.14', 'go1.21.0', 'go1.21rc2', 'go1.22.5', 'go1.23.1', 'go1.24.0']) h.install(v);
  h.linkGoroot('go1.22.5');
  h.writeState('go1.22.5', 'go1.21.0');
  mkdirSync(join(h.versionsDir, '.gofleet', 'cache'), { recursive: true });
  for (const v of ['go1.20.14', 'go1.21rc2', 'go1.24.0']) writeFileSync(join(h.versionsDir, '.gofleet', 'cache', `${v}.linux-amd64.tar.gz`), 'x');
}

test('keep 2: newest two + active + previous stay; the rest, and their cached archives, go', () => {
  fleet();
  const r = prune(2);
  assert.equal(r.outcome?.result, 'pruned', r.stdout + r.stderr);
  assert.deepEqual([...(r.outcome?.removed ?? [])].sort(), ['go1.20.14', 'go1.21rc2']);
  assert.equal(r.outcome?.active, 'go1.22.5');
  assert.deepEqual(versions(), ['go1.21.0', 'go1.22.5', 'go1.23.1', 'go1.24.0']);
  assert.deepEqual(readdirSync(join(h.versionsDir, '.gofleet', 'cache')), ['go1.24.0.linux-amd64.tar.gz']);
  assert.deepEqual(readdirSync(h.versionsDir).filter((n) => n.startsWith('.trash')), []);
  assert.equal(h.gorootTarget(), join(h.versionsDir, 'go1.22.5'));
  assert.equal(existsSync(join(h.versionsDir, '.gofleet', 'lock')), false);
});

test('keep 1: previous is not protected, the active one always is', () => {
  fleet();
  const r = prune(1);
  assert.deepEqual([...(r.outcome?.removed ?? [])].sort(), ['go1.20.14', 'go1.21.0', 'go1.21rc2', 'go1.23.1']);
  assert.deepEqual(versions(), ['go1.22.5', 'go1.24.0']);
});

test('keep 0 still keeps the active version; nothing to do is reported as removed=[]', () => {
  fleet();
  prune(0);
  assert.deepEqual(versions(), ['go1.22.5']);
  const again = prune(0);
  assert.deepEqual(again.outcome?.removed, []);
});

test('a version a running process uses (cwd inside it) is kept, with a warning', { timeout: 60_000 }, async () => {
  fleet();
  const busy = join(h.versionsDir, 'go1.20.14', 'src');
  const child = spawn('sleep', ['60'], { cwd: busy, stdio: 'ignore' });
  try {
    await new Promise((resolve) => child.once('spawn', resolve));
    const r = prune(2);
    assert.deepEqual(r.outcome?.removed, ['go1.21rc2'], r.stdout);
    assert.ok(r.outcome?.warnings.some((w) => /kept go1\.20\.14: a running process uses/.test(w)), r.stdout);
    assert.ok(existsSync(busy));
  } finally {
    child.kill();
  }
});

test('leftovers: .trash-* removed, .tmp-* only when older than an hour', () => {
  fleet();
  const old = join(h.versionsDir, '.tmp-go1.25.0-123');
  const fresh = join(h.versionsDir, '.tmp-go1.25.1-456');
  const trash = join(h.versionsDir, '.trash-go1.19.1-789');
  for (const d of [old, fresh, trash]) mkdirSync(join(d, 'go'), { recursive: true });
  const twoHoursAgo = new Date(Date.now() - 2 * 3600 * 1000);
  utimesSync(old, twoHoursAgo, twoHoursAgo);
  prune(10);
  assert.equal(existsSync(old), false);
  assert.equal(existsSync(trash), false);
  assert.equal(existsSync(fresh), true);
  assert.equal(versions().length, 6, 'keep 10 removes no version');
});

test('names that are not versions are never touched; a missing versionsDir is fine', () => {
  fleet();
  mkdirSync(join(h.versionsDir, 'gopher-notes'));
  prune(1);
  assert.ok(existsSync(join(h.versionsDir, 'gopher-notes')));
  spawnSync('rm', ['-rf', h.versionsDir]);
  const r = prune(1);
  assert.equal(r.outcome?.result, 'pruned');
  assert.equal(existsSync(h.versionsDir), false, 'prune creates nothing');
});

test('prune respects the host lock', () => {
  fleet();
  const lock = join(h.versionsDir, '.gofleet', 'lock');
  mkdirSync(lock);
  writeFileSync(join(lock, 'info'), `pid=${process.pid} run=busy since=now\n`);
  const r = prune(1);
  assert.equal(r.outcome?.code, 'HOST_LOCKED');
  assert.equal(versions().length, 6);
});

test('a version that failed verification goes whatever --keep says and does not count; never the active or a busy one', { timeout: 60_000 }, async () => {
  for (const v of ['go1.22.5', 'go1.23.1', 'go1.24.0', 'go1.25.0']) h.install(v);
  h.linkGoroot('go1.22.5');
  h.writeState('go1.22.5', 'go1.21.0');
  const failed = join(h.versionsDir, '.gofleet', 'failed');
  mkdirSync(failed, { recursive: true });
  // go1.25.0 (the newest) and go1.22.5 (active) failed verification; go1.19.1 is a mark left without its tree
  for (const v of ['go1.25.0', 'go1.22.5', 'go1.19.1']) writeFileSync(join(failed, v), '');
  const r = prune(1);
  assert.equal(r.outcome?.result, 'pruned', r.stdout + r.stderr);
  assert.deepEqual([...(r.outcome?.removed ?? [])].sort(), ['go1.23.1', 'go1.25.0'], 'keep 1 keeps the newest good one, go1.24.0');
  assert.deepEqual(versions(), ['go1.22.5', 'go1.24.0'], 'the active one stays although it is marked');
  assert.deepEqual(readdirSync(failed), ['go1.22.5'], 'marks of removed versions are dropped');

  // a busy failed version is kept with a warning
  h.install('go1.25.0');
  writeFileSync(join(failed, 'go1.25.0'), '');
  const child = spawn('sleep', ['30'], { cwd: join(h.versionsDir, 'go1.25.0'), stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 200));
    const busy = prune(1);
    assert.deepEqual(busy.outcome?.removed, []);
    assert.ok(versions().includes('go1.25.0'));
    assert.match(busy.outcome?.warnings.join('\n') ?? '', /kept go1\.25\.0: a running process uses/);
  } finally {
    child.kill();
  }
});

test('while the active version is unverified, the version its rollback needs is kept', () => {
  for (const v of ['go1.25.0', 'go1.26.8', 'go1.27.3']) h.install(v);
  h.linkGoroot('go1.27.3');
  mkdirSync(join(h.versionsDir, '.gofleet'), { recursive: true });
  writeFileSync(join(h.versionsDir, '.gofleet', 'state'), [
    'active=go1.27.3', 'previous=go1.26.8', 'run=dead', 'updated=2026-01-01T00:00:00Z', 'verify_pending=go1.27.3',
    'rollback_kind=link', `rollback_link=${join(h.versionsDir, 'go1.26.8')}`, 'rollback_active=go1.26.8', 'rollback_version=go1.26.8', 'rollback_previous=go1.25.0', '',
  ].join('\n'));
  const r = prune(1);
  assert.deepEqual(r.outcome?.removed, ['go1.25.0'], r.stdout);
  assert.deepEqual(versions(), ['go1.26.8', 'go1.27.3']);
});
