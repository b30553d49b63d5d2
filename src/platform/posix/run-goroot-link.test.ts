// issue 8: a goroot that links to something that is not a Go toolchain, and a switch whose rename lies,
// run for real under dash against a fake host.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import type { VerifyPolicy } from '../types.ts';
import { posix } from './index.ts';
import { BASE_PATH, FakeHost } from './testing/fake-host.ts';

let h: FakeHost;
beforeEach(() => {
  h = new FakeHost();
});
afterEach(() => h.cleanup());

const verify: VerifyPolicy = { build: true, requirePath: false };
const vdir = (v: string): string => join(h.versionsDir, v);

function run(script: string, env: Record<string, string> = {}) {
  const r = h.runScript(script, { env });
  const parsed = posix.parseRun(r.stdout);
  return { ...r, ...parsed, trail: parsed.steps.map((s) => `${s.step}:${s.status}${s.code ? `:${s.code}` : ''}`) };
}

/** goroot -> <root>/libdir, a directory that is not a Go toolchain (like /lib64 on a merged-/usr system) */
function foreignLink(): string {
  const libdir = join(h.root, 'libdir');
  mkdirSync(libdir, { recursive: true });
  writeFileSync(join(libdir, 'libc.so.6'), 'not go');
  mkdirSync(h.usrLocal, { recursive: true });
  symlinkSync(libdir, h.goroot);
  return libdir;
}

test('a goroot link to a non-toolchain is not touched without --adopt-link; with it, its target is recorded and rollback restores it', () => {
  const libdir = foreignLink();
  h.install('go1.27.3');
  const refused = run(posix.switchTo({ paths: h.paths, target: 'go1.27.3', verify, run: h.run }));
  assert.equal(refused.outcome?.result, 'failed', refused.stdout + refused.stderr);
  assert.equal(refused.outcome?.code, 'GOROOT_NOT_TOOLCHAIN');
  assert.deepEqual(refused.trail, ['switch:fail:GOROOT_NOT_TOOLCHAIN']);
  assert.equal(h.gorootTarget(), libdir, 'the link was not touched');

  const adopted = run(posix.switchTo({ paths: h.paths, target: 'go1.27.3', verify, run: h.run, adoptLink: true }));
  assert.equal(adopted.outcome?.result, 'switched', adopted.stdout + adopted.stderr);
  assert.equal(h.gorootTarget(), vdir('go1.27.3'));
  assert.equal(h.state().previous_link, libdir);
  const f = posix.parseFacts(h.runScript(posix.facts(h.paths)).stdout);
  assert.equal(f.managed.previousLink, libdir);
  assert.equal(f.managed.previous, null);

  const back = run(posix.restoreLink({ paths: h.paths, run: h.run }));
  assert.equal(back.outcome?.result, 'switched', back.stdout + back.stderr);
  assert.equal(h.gorootTarget(), libdir, 'rollback put the old link back');
  assert.equal(h.state().previous, 'go1.27.3');
  assert.equal(h.state().previous_link, undefined);
});

test('with --adopt-link, a failed verification puts the non-toolchain link back (no go to ask there)', () => {
  const libdir = foreignLink();
  h.install('go1.27.3', 'crashes');
  const r = run(posix.switchTo({ paths: h.paths, target: 'go1.27.3', verify, run: h.run, adoptLink: true }));
  assert.equal(r.outcome?.result, 'rolled_back', r.stdout + r.stderr);
  assert.ok(r.trail.includes('rollback:ok'), r.trail.join(' '));
  assert.equal(h.gorootTarget(), libdir);
});

test('a rename that reports failure but happened: the report says what goroot is, read back, and it is rolled back', () => {
  h.install('go1.26.8');
  h.install('go1.27.3');
  h.linkGoroot('go1.26.8');
  // an mv that renames, then says it failed (once): the old script claimed "it was left as it was"
  const bin = join(h.root, 'lying-bin');
  mkdirSync(bin);
  const flag = join(h.root, 'lied');
  writeFileSync(join(bin, 'mv'), `#!/bin/sh\ncase "$*" in *gofleet-new*) if [ ! -e '${flag}' ]; then : >'${flag}'; /bin/mv "$@"; exit 1; fi ;; esac\nexec /bin/mv "$@"\n`);
  chmodSync(join(bin, 'mv'), 0o755);
  const r = run(posix.switchTo({ paths: h.paths, target: 'go1.27.3', verify, run: h.run }), { PATH: `${bin}:${BASE_PATH}` });
  assert.equal(r.outcome?.code, 'SWITCH_FAILED', r.stdout + r.stderr);
  assert.doesNotMatch(r.outcome?.message ?? '', /left as it was/);
  assert.match(r.outcome?.message ?? '', new RegExp(`it is a link resolving to ${vdir('go1.27.3')}`));
  assert.equal(r.outcome?.result, 'rolled_back');
  assert.match(r.outcome?.message ?? '', new RegExp(`goroot is now a link resolving to ${vdir('go1.26.8')}`));
  assert.equal(h.gorootTarget(), vdir('go1.26.8'));
});

test('a rename that fails for real: "left as it was" is said only after reading goroot back', () => {
  h.install('go1.26.8');
  h.install('go1.27.3');
  h.linkGoroot('go1.26.8');
  const bin = join(h.root, 'failing-bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'mv'), `#!/bin/sh\ncase "$*" in *gofleet-new*) exit 1 ;; esac\nexec /bin/mv "$@"\n`);
  chmodSync(join(bin, 'mv'), 0o755);
  const r = run(posix.switchTo({ paths: h.paths, target: 'go1.27.3', verify, run: h.run }), { PATH: `${bin}:${BASE_PATH}` });
  assert.equal(r.outcome?.result, 'failed', r.stdout + r.stderr);
  assert.match(r.outcome?.message ?? '', new RegExp(`read back, it was left as it was: a link resolving to ${vdir('go1.26.8')}`));
  assert.equal(h.gorootTarget(), vdir('go1.26.8'));
});

test('an adoption whose link cannot be put in place says what goroot is after moving the directory back, read back', () => {
  h.realGoroot('go1.26.8');
  h.install('go1.27.3');
  const bin = join(h.root, 'failing-bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'mv'), `#!/bin/sh\ncase "$*" in *gofleet-new*) exit 1 ;; esac\nexec /bin/mv "$@"\n`);
  chmodSync(join(bin, 'mv'), 0o755);
  const r = run(posix.switchTo({ paths: h.paths, target: 'go1.27.3', verify, run: h.run }), { PATH: `${bin}:${BASE_PATH}` });
  assert.equal(r.outcome?.code, 'ADOPT_FAILED', r.stdout + r.stderr);
  assert.match(r.outcome?.message ?? '', new RegExp(`directory back \\(read back: a directory \\(${h.goroot}\\)\\)`));
  assert.equal(h.gorootTarget(), null, 'goroot is a directory again');
});
