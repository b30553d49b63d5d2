// Portability of the POSIX scripts beyond dash + GNU coreutils:
// - a BSD-flavoured userland (mv without -T but with -h, no sha256sum: shasum), as on macOS;
// - a busybox userland (busybox sh and only busybox applets on PATH), as on Alpine/embedded;
// - a script cut short in transit runs nothing;
// - adopting across mounts (copy, then rename) inside a private mount namespace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
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

const FULL: VerifyPolicy = { build: true, requirePath: true };
const vdir = (v: string): string => join(h.versionsDir, v);

/** A PATH dir with every system command except `omit`, plus the given shims. */
function userland(omit: string[], shims: Record<string, string>): string {
  const dir = join(h.root, 'userland');
  mkdirSync(dir);
  for (const sys of ['/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
    if (!existsSync(sys)) continue;
    for (const name of readdirSync(sys)) {
      if (omit.includes(name) || name in shims || existsSync(join(dir, name))) continue;
      symlinkSync(join(sys, name), join(dir, name));
    }
  }
  for (const [name, text] of Object.entries(shims)) {
    writeFileSync(join(dir, name), text);
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

test('BSD-flavoured userland: mv -h instead of mv -T, shasum instead of sha256sum', () => {
  const log = join(h.root, 'shim.log');
  const dir = userland(['sha256sum'], {
    // BSD mv: no -T; -h = do not follow a target that is a symlink to a directory
    mv: `#!/bin/sh\ncase $1 in\n  -T) echo "mv: illegal option -- T" >&2; exit 64 ;;\n  -h) shift; echo "mv -h $*" >>'${log}'; exec /bin/mv -T "$@" ;;\nesac\nexec /bin/mv "$@"\n`,
    shasum: `#!/bin/sh\necho "shasum $*" >>'${log}'\nexec /usr/bin/shasum "$@"\n`,
  });
  h.realGoroot('go1.26.8');
  const ref = h.upload(h.archive('go1.27.3'));
  const r = h.runScript(posix.upgrade({ paths: h.paths, target: 'go1.27.3', archive: ref, verify: FULL, run: h.run }), {
    env: { PATH: dir },
  });
  const { outcome, steps } = posix.parseRun(r.stdout);
  assert.equal(outcome?.result, 'switched', r.stdout + r.stderr);
  assert.ok(steps.some((s) => s.step === 'adopt' && s.status === 'ok'));
  assert.equal(h.gorootTarget(), vdir('go1.27.3'));
  const used = readFileSync(log, 'utf8');
  assert.match(used, /^shasum -a 256$/m);
  assert.match(used, /^mv -h .*gofleet-new-/m);
});

const hasBusybox = spawnSync('busybox', ['true']).status === 0;

test('busybox userland: upgrade with adopt, a rolled-back upgrade, prune and facts', { skip: hasBusybox ? false : 'busybox not installed' }, () => {
  const bb = join(h.root, 'busybox-bin');
  mkdirSync(bb);
  const inst = spawnSync('busybox', ['--install', '-s', bb], { encoding: 'utf8' });
  assert.equal(inst.status, 0, inst.stderr);
  const opts = { shell: [join(bb, 'sh'), '-s'], env: { PATH: bb, SHELL: join(bb, 'sh') } };
  h.realGoroot('go1.26.8');

  const up = h.runScript(posix.upgrade({ paths: h.paths, target: 'go1.27.3', archive: h.upload(h.archive('go1.27.3')), verify: FULL, run: h.run }), opts);
  assert.equal(posix.parseRun(up.stdout).outcome?.result, 'switched', up.stdout + up.stderr);
  assert.equal(h.gorootTarget(), vdir('go1.27.3'));

  const bad = h.runScript(
    posix.upgrade({ paths: h.paths, target: 'go1.28.0', archive: h.upload(h.archive('go1.28.0', 'build-fails')), verify: FULL, run: h.run }),
    opts,
  );
  assert.equal(posix.parseRun(bad.stdout).outcome?.result, 'rolled_back', bad.stdout + bad.stderr);
  assert.equal(h.gorootTarget(), vdir('go1.27.3'));

  const facts = posix.parseFacts(h.runScript(posix.facts(h.paths), opts).stdout);
  // go1.28.0 failed verification and this run had staged it: removed at rollback
  const { active, versions, previous, dirPhysical } = facts.managed;
  assert.deepEqual({ active, versions, previous }, { active: 'go1.27.3', versions: ['go1.26.8', 'go1.27.3'], previous: 'go1.26.8' });
  assert.equal(dirPhysical, h.versionsDir, 'placement facts work under busybox too');
  assert.ok((facts.freeBytes ?? 0) > 0);

  const pr = h.runScript(posix.prune({ paths: h.paths, keep: 1, run: h.run }), opts);
  assert.deepEqual(posix.parseRun(pr.stdout).outcome?.removed, ['go1.26.8'], pr.stdout + pr.stderr);
});

test('bash in POSIX mode (what macOS runs as /bin/sh): adopt + upgrade, rollback, prune', () => {
  const opts = { shell: ['bash', '--posix', '-s'], env: { SHELL: '/bin/bash' } };
  h.loginPath([join(h.goroot, 'bin')]);
  writeFileSync(join(h.home, '.bash_profile'), '. "$HOME/.profile"\n');
  h.realGoroot('go1.26.8');
  const up = h.runScript(posix.upgrade({ paths: h.paths, target: 'go1.27.3', archive: h.upload(h.archive('go1.27.3')), verify: FULL, run: h.run }), opts);
  assert.equal(posix.parseRun(up.stdout).outcome?.result, 'switched', up.stdout + up.stderr);
  const bad = h.runScript(posix.switchTo({ paths: h.paths, target: 'go1.26.8', verify: { ...FULL, healthCommand: 'exit 1' }, run: h.run }), opts);
  assert.equal(posix.parseRun(bad.stdout).outcome?.result, 'rolled_back', bad.stdout + bad.stderr);
  const pr = h.runScript(posix.prune({ paths: h.paths, keep: 1, run: h.run }), opts);
  assert.deepEqual(posix.parseRun(pr.stdout).outcome?.removed, ['go1.26.8'], pr.stdout + pr.stderr);
  assert.equal(h.gorootTarget(), vdir('go1.27.3'));
});

test('a script cut short in transit runs nothing (everything is inside main, called on the last line)', () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  const ref = h.upload(h.archive('go1.27.3'));
  const script = posix.upgrade({ paths: h.paths, target: 'go1.27.3', archive: ref, verify: FULL, run: h.run });
  const before = h.listing();
  const end = script.length;
  assert.ok(script.endsWith('\n}\nmain\n'));
  // every cut up to the last line's `mai` runs nothing; `main` without its newline is the whole script
  const cuts = new Set<number>([0, 1, end - 2, end - 3, end - 4, end - 5, end - 6, end - 7]);
  for (let i = 1; i < 60; i++) cuts.add(Math.floor(((end - 2) * i) / 60));
  for (const cut of cuts) {
    const r = h.runScript(script.slice(0, cut));
    assert.doesNotMatch(r.stdout, /@@gofleet/, `cut at ${cut}/${end}`);
    assert.deepEqual(h.listing(), before, `cut at ${cut}/${end} changed something`);
    assert.ok(existsSync(ref.remotePath), `cut at ${cut}: the upload is untouched`);
  }
  const whole = h.runScript(script);
  assert.equal(posix.parseRun(whole.stdout).outcome?.result, 'switched', 'the same script, complete, works');
});

const isRoot = process.getuid?.() === 0;
const canUnshare = isRoot && spawnSync('unshare', ['--mount', 'true']).status === 0;

for (const how of ['tmpfs', 'bind'] as const) {
  test(`adopt across mounts (${how}): copied to .tmp-, renamed, then the link swapped in`, { skip: canUnshare ? false : 'needs root and unshare --mount' }, () => {
    h.realGoroot('go1.26.8');
    h.install('go1.27.3');
    const mountpoint = join(h.usrLocal, 'gofleet');
    const mount = how === 'tmpfs' ? `mount -t tmpfs gofleet-test '${mountpoint}'` : `mount --bind '${mountpoint}' '${mountpoint}'`;
    // a tmpfs hides what was there: seed it with go1.27.3 from a copy outside
    spawnSync('cp', ['-pR', vdir('go1.27.3'), join(h.root, 'seed')]);
    const seed = how === 'tmpfs' ? `mkdir -p '${h.versionsDir}' && cp -pR '${join(h.root, 'seed')}' '${vdir('go1.27.3')}' && ` : '';
    const check = `echo "CHECK link=$(readlink '${h.goroot}') adopted=$(head -n 1 '${vdir('go1.26.8')}/VERSION') left=$(ls -a '${h.usrLocal}' '${h.versionsDir}' | tr '\\n' ' ')"`;
    const r = h.runScript(posix.upgrade({ paths: h.paths, target: 'go1.27.3', archive: null, verify: FULL, run: h.run }), {
      shell: ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', `${mount} && ${seed}dash -s; ${check}`],
    });
    const { outcome, steps } = posix.parseRun(r.stdout);
    assert.equal(outcome?.result, 'switched', r.stdout + r.stderr);
    assert.ok(steps.some((s) => s.step === 'adopt' && s.status === 'ok' && /adopted/.test(s.message ?? '')), r.stdout);
    const line = r.stdout.split('\n').find((l) => l.startsWith('CHECK ')) ?? '';
    assert.match(line, new RegExp(`link=${vdir('go1.27.3')} adopted=go1.26.8 `));
    assert.doesNotMatch(line, /gofleet-adopted|gofleet-new|\.tmp-|\.trash-/);
  });
}
