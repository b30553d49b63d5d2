// The facts script run for real under dash: what it reports, and that it changes nothing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { posix } from './index.ts';
import { FakeHost } from './testing/fake-host.ts';

let h: FakeHost;
beforeEach(() => {
  h = new FakeHost();
});
afterEach(() => h.cleanup());

function facts(prefix: string[] = []) {
  const r = h.runScript(posix.facts(h.paths), { prefix });
  assert.equal(r.code, 0, r.stderr);
  return posix.parseFacts(r.stdout);
}

/** what df says the file system type under `path` is (GNU df -T: the second field of its last line) */
const fsTypeOf = (path: string): string => spawnSync('df', ['-T', path], { encoding: 'utf8' }).stdout.trim().split('\n').pop()!.split(/\s+/)[1]!;

const canUnshare = process.getuid?.() === 0 && spawnSync('unshare', ['--mount', 'true']).status === 0;
const uname = (flag: string): string => spawnSync('uname', [flag], { encoding: 'utf8' }).stdout.trim();

test('an empty host: system facts, no go, goroot missing, and nothing is created', () => {
  h.loginPath([]);
  const before = h.listing();
  const f = facts();
  assert.equal(f.os, 'linux');
  assert.equal(f.arch, posix.parseFacts(`uname_m=${uname('-m')}\n`).arch);
  assert.equal(f.kernel, uname('-r'));
  assert.ok(f.osVersion.length > 0);
  assert.equal(f.user, spawnSync('id', ['-un'], { encoding: 'utf8' }).stdout.trim());
  assert.equal(f.isRoot, process.getuid?.() === 0);
  assert.equal(f.go, null);
  const fs = fsTypeOf(h.root);
  assert.deepEqual(f.goroot, { path: h.goroot, state: 'missing', target: null, version: null, goVersion: null, physical: h.goroot, fsType: fs, hasGo: false });
  assert.deepEqual(f.managed, { active: null, versions: [], previous: null, dirPhysical: h.versionsDir, dirFsType: fs, previousLink: null });
  assert.ok((f.freeBytes ?? 0) > 0, 'free space of the nearest existing ancestor');
  assert.equal(f.lock, null);
  assert.deepEqual(h.listing(), before);
  assert.deepEqual(before, [], 'versionsDir was not created');
});

test('a managed host: link, versions, active, previous, login go, cache, lock', () => {
  h.install('go1.26.8');
  h.install('go1.27.3');
  h.install('go1.9.7');
  mkdirSync(join(h.versionsDir, 'go1.28rc1')); // incomplete: not listed
  h.linkGoroot('go1.27.3');
  h.writeState('go1.27.3', 'go1.26.8');
  const meta = join(h.versionsDir, '.gofleet');
  mkdirSync(join(meta, 'cache'));
  writeFileSync(join(meta, 'cache', 'go1.27.3.linux-amd64.tar.gz'), 'x');
  writeFileSync(join(meta, 'cache', 'go1.28.0.linux-amd64.tar.gz.part-77'), 'x');
  mkdirSync(join(meta, 'lock'));
  writeFileSync(join(meta, 'lock', 'info'), `pid=${process.pid} run=r-live since=2026-11-25T09:00:00Z\n`);
  const before = h.listing();
  const f = facts();
  const fs = fsTypeOf(h.root);
  assert.deepEqual(f.goroot, {
    path: h.goroot, state: 'link', target: join(h.versionsDir, 'go1.27.3'), version: 'go1.27.3', goVersion: 'go1.27.3',
    physical: join(h.versionsDir, 'go1.27.3'), fsType: fs, hasGo: true,
  });
  assert.deepEqual(f.managed, {
    active: 'go1.27.3', versions: ['go1.9.7', 'go1.26.8', 'go1.27.3'], previous: 'go1.26.8', dirPhysical: h.versionsDir, dirFsType: fs, previousLink: null,
  });
  assert.deepEqual(f.go, {
    path: join(h.goroot, 'bin', 'go'),
    version: 'go1.27.3',
    goroot: join(h.versionsDir, 'go1.27.3'),
    gopath: join(h.home, 'go'),
    goversion: 'go1.27.3',
    gotoolchain: null,
  });
  assert.deepEqual(f.cachedArchives, ['go1.27.3.linux-amd64.tar.gz']);
  assert.deepEqual(f.lock, { pid: String(process.pid), run: 'r-live', since: '2026-11-25T09:00:00Z', stale: false });
  assert.deepEqual(h.listing(), before, 'facts changed nothing');
});

test('a real goroot directory and a stale lock', () => {
  h.realGoroot('go1.26.8');
  const lock = join(h.versionsDir, '.gofleet', 'lock');
  mkdirSync(lock, { recursive: true });
  const dead = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim();
  writeFileSync(join(lock, 'info'), `pid=${dead} run=r-dead since=then\n`);
  const f = facts();
  assert.equal(f.goroot.state, 'dir');
  assert.equal(f.goroot.version, 'go1.26.8');
  assert.equal(f.managed.active, null);
  assert.equal(f.lock?.stale, true);
  assert.equal(f.go?.version, 'go1.26.8');
});

test('an unprivileged user: not root, not writable, sudo not passwordless', { skip: process.getuid?.() === 0 ? false : 'needs root (setpriv to nobody)' }, () => {
  chmodSync(h.root, 0o755);
  h.loginPath([]);
  const f = facts(['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups']);
  assert.equal(f.isRoot, false);
  assert.equal(f.user, 'nobody');
  assert.equal(f.writable, false);
  assert.ok(['password-required', 'missing'].includes(f.sudo), f.sudo);
});

test('goroot that is a plain file is "other"', () => {
  writeFileSync(h.goroot, 'x');
  assert.equal(facts().goroot.state, 'other');
});

test('goroot.goVersion is what <goroot>/bin/go answers, not the name of its directory', () => {
  h.install('go1.27.3', 'crashes'); // exits 139 on every command
  h.linkGoroot('go1.27.3');
  const crashed = facts(); // the login PATH finds this very go: its answer is reused
  assert.equal(crashed.goroot.version, 'go1.27.3', 'VERSION says go1.27.3 ...');
  assert.equal(crashed.goroot.goVersion, null, '... but its go does not run');
  assert.equal(crashed.go?.version, '');
  h.loginPath([]); // goroot's go asked on its own
  assert.equal(facts().goroot.goVersion, null);

  h.install('go1.27.3');
  assert.equal(facts().goroot.goVersion, 'go1.27.3');
  h.loginPath([join(h.goroot, 'bin')]);
  assert.equal(facts().goroot.goVersion, 'go1.27.3');

  h.install('go1.27.3', 'wrong-version'); // answers go0.0.1
  assert.equal(facts().goroot.goVersion, 'go0.0.1');
});

test('a goroot go that never answers: goVersion null after the 10 s cap, facts still complete', () => {
  h.install('go1.27.3', 'version-hangs');
  h.linkGoroot('go1.27.3');
  h.loginPath([]);
  const r = h.runScript(posix.facts(h.paths), { timeoutMs: 60_000 });
  assert.equal(r.code, 0, `facts did not finish: ${r.stderr}`);
  const f = posix.parseFacts(r.stdout);
  assert.equal(f.goroot.goVersion, null);
  assert.deepEqual(f.managed.versions, ['go1.27.3'], 'the facts after the goroot ones are there too');
});

test('the login go: GOVERSION next to GOROOT and GOPATH', () => {
  const other = join(h.root, 'other');
  mkdirSync(other);
  const bin = join(other, 'go1.22.4', 'bin');
  h.install('go1.22.4');
  spawnSync('mv', [join(h.versionsDir, 'go1.22.4'), other]);
  h.loginPath([bin]);
  const f = facts();
  assert.deepEqual(f.go, { path: join(bin, 'go'), version: 'go1.22.4', goroot: join(other, 'go1.22.4'), gopath: join(h.home, 'go'), goversion: 'go1.22.4', gotoolchain: null });
});

const REAL = [
  ['/usr/local/go', 'go1.26.8'],
  ['/usr/lib/go-1.19', 'go1.19.8'],
] as const;

test('real toolchains (read only): go.goversion and goroot.goVersion', { skip: REAL.every(([d]) => existsSync(join(d, 'bin', 'go'))) ? false : 'needs /usr/local/go and /usr/lib/go-1.19' }, () => {
  for (const [dir, version] of REAL) {
    h.loginPath([join(dir, 'bin')]);
    spawnSync('rm', ['-f', h.goroot]);
    symlinkSync(dir, h.goroot); // a link outside versionsDir, as a manual install may leave
    const f = facts();
    assert.equal(f.go?.version, version);
    assert.equal(f.go?.goversion, version);
    assert.equal(f.goroot.goVersion, version);
  }
});

// issue 8: the controller refuses a goroot that physically is a system path or sits on a tmpfs; the facts must
// tell it where goroot and versions_dir really are
test('placement: physical goroot through links, not-a-toolchain, previous link, tmpfs under versions_dir', { skip: canUnshare ? false : 'needs root and unshare --mount' }, () => {
  const elsewhere = join(h.root, 'not-go');
  mkdirSync(join(elsewhere, 'lib'), { recursive: true });
  mkdirSync(h.usrLocal, { recursive: true });
  symlinkSync(elsewhere, join(h.usrLocal, 'hop'));
  symlinkSync(join(h.usrLocal, 'hop', 'lib'), h.goroot);
  h.writeState('', '');
  writeFileSync(join(h.versionsDir, '.gofleet', 'state'), 'active=\nprevious=\nprevious_link=/opt/old go\nrun=r\n');
  const mount = `mount -t tmpfs gofleet-test '${h.versionsDir}' && mkdir -p '${h.versionsDir}/.gofleet' && cp '${h.root}/state' '${h.versionsDir}/.gofleet/state'`;
  spawnSync('cp', [join(h.versionsDir, '.gofleet', 'state'), join(h.root, 'state')]);
  const r = h.runScript(posix.facts(h.paths), { shell: ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', `${mount} && dash -s`] });
  assert.equal(r.code, 0, r.stderr);
  const f = posix.parseFacts(r.stdout);
  assert.equal(f.goroot.state, 'link');
  assert.equal(f.goroot.physical, join(elsewhere, 'lib'));
  assert.equal(f.goroot.hasGo, false);
  assert.equal(f.goroot.fsType, fsTypeOf(h.root));
  assert.equal(f.managed.dirPhysical, h.versionsDir);
  assert.equal(f.managed.dirFsType, 'tmpfs');
  assert.equal(f.managed.previousLink, '/opt/old go');
});

// issue 13: drift compares GOTOOLCHAIN with the policy; go itself never runs under the user's GOTOOLCHAIN (a forced
// version would download), so the facts read it as go would: login environment, then go env -w's file, then go.env
test('the login go: GOTOOLCHAIN from the login environment, the go env file, then GOROOT/go.env', () => {
  h.install('go1.27.3');
  h.linkGoroot('go1.27.3');
  const profile = join(h.home, '.profile');
  const goenv = join(h.home, '.config', 'go', 'env');
  assert.equal(facts().go?.gotoolchain, null, 'none of them says');
  writeFileSync(join(h.versionsDir, 'go1.27.3', 'go.env'), 'GOPROXY=https://proxy.golang.org,direct\nGOTOOLCHAIN=auto\n');
  assert.equal(facts().go?.gotoolchain, 'auto', 'go.env');
  mkdirSync(join(h.home, '.config', 'go'), { recursive: true });
  writeFileSync(goenv, 'GOTOOLCHAIN=local\n');
  assert.equal(facts().go?.gotoolchain, 'local', 'go env -w');
  writeFileSync(profile, `${readFileSync(profile, 'utf8')}GOTOOLCHAIN=go1.28.0+auto\nexport GOTOOLCHAIN\n`);
  assert.equal(facts().go?.gotoolchain, 'go1.28.0+auto', 'the login environment');
});
