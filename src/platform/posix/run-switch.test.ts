// switchTo (gofleet use / rollback) run for real under dash against a fake host.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import type { VerifyPolicy } from '../types.ts';
import { posix } from './index.ts';
import { FakeHost } from './testing/fake-host.ts';

let h: FakeHost;
beforeEach(() => {
  h = new FakeHost();
});
afterEach(() => h.cleanup());

function switchTo(target: string, verify: VerifyPolicy = { build: true, requirePath: true }) {
  const r = h.runScript(posix.switchTo({ paths: h.paths, target, verify, run: h.run }));
  const parsed = posix.parseRun(r.stdout);
  return { ...r, ...parsed, trail: parsed.steps.map((s) => `${s.step}:${s.status}${s.code ? `:${s.code}` : ''}`) };
}

function facts() {
  return posix.parseFacts(h.runScript(posix.facts(h.paths)).stdout);
}

const vdir = (v: string): string => join(h.versionsDir, v);

test('use an installed version, then roll back to the previous one (state.previous round-trips)', () => {
  h.install('go1.26.8');
  h.install('go1.27.3');
  h.linkGoroot('go1.27.3');
  h.writeState('go1.27.3', 'go1.26.8');

  const use = switchTo('go1.26.8');
  assert.deepEqual(use.trail, ['lock:start', 'lock:ok', 'switch:start', 'switch:ok', 'verify:start', 'verify:ok', 'unlock:ok'], use.stdout + use.stderr);
  assert.deepEqual(use.outcome, { result: 'switched', active: 'go1.26.8', previous: 'go1.27.3', warnings: [] });
  assert.equal(h.gorootTarget(), vdir('go1.26.8'));
  assert.equal(facts().managed.previous, 'go1.27.3');

  // gofleet rollback = switchTo(facts.managed.previous)
  const previous = facts().managed.previous ?? '';
  const back = switchTo(previous);
  assert.equal(back.outcome?.result, 'switched');
  assert.equal(h.gorootTarget(), vdir('go1.27.3'));
  assert.equal(facts().managed.previous, 'go1.26.8');
});

test('switch to a version that is not installed: VERSION_NOT_INSTALLED, no lock, nothing changed', () => {
  h.install('go1.27.3');
  h.linkGoroot('go1.27.3');
  mkdirSync(vdir('go1.25.0')); // incomplete: no bin/go, no VERSION
  const before = h.listing();
  const r = switchTo('go1.25.0');
  assert.deepEqual(r.trail, ['switch:fail:VERSION_NOT_INSTALLED']);
  assert.equal(r.outcome?.result, 'failed');
  assert.equal(r.outcome?.code, 'VERSION_NOT_INSTALLED');
  assert.deepEqual(h.listing(), before);
});

test('switch to the active version: unchanged', () => {
  h.install('go1.27.3');
  h.linkGoroot('go1.27.3');
  const before = h.listing();
  const r = switchTo('go1.27.3');
  assert.equal(r.outcome?.result, 'unchanged');
  assert.deepEqual(h.listing(), before);
});

test('switch that fails verification is rolled back', () => {
  h.install('go1.26.8', 'build-fails');
  h.install('go1.27.3');
  h.linkGoroot('go1.27.3');
  const r = switchTo('go1.26.8');
  assert.equal(r.outcome?.result, 'rolled_back', r.stdout);
  assert.equal(h.gorootTarget(), vdir('go1.27.3'));
  const noBuild = switchTo('go1.26.8', { build: false, requirePath: true });
  assert.equal(noBuild.outcome?.result, 'switched', 'without the build check the same toolchain passes');
});

test('switch adopts a real goroot directory first', () => {
  h.realGoroot('go1.26.8');
  h.install('go1.27.3');
  const r = switchTo('go1.27.3');
  assert.ok(r.trail.includes('adopt:ok'), r.stdout);
  assert.equal(r.outcome?.result, 'switched');
  assert.ok(existsSync(join(vdir('go1.26.8'), 'bin', 'go')));
});

test('switch as a user who cannot write versionsDir: NO_PRIVILEGE before any change', { skip: process.getuid?.() === 0 ? false : 'needs root (setpriv to nobody)' }, () => {
  h.install('go1.26.8');
  h.install('go1.27.3');
  h.linkGoroot('go1.26.8');
  chmodSync(h.root, 0o755); // mkdtemp makes it 0700: let the unprivileged user in (read-only)
  const before = h.listing();
  const r = h.runScript(posix.switchTo({ paths: h.paths, target: 'go1.27.3', verify: { build: false, requirePath: false }, run: h.run }), {
    prefix: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
  });
  const { outcome, steps } = posix.parseRun(r.stdout);
  assert.equal(outcome?.code, 'NO_PRIVILEGE', r.stdout + r.stderr);
  assert.deepEqual(steps.map((s) => `${s.step}:${s.status}`), ['lock:start', 'lock:fail']);
  assert.deepEqual(h.listing(), before);
});
