// The upgrade script run for real under dash against a fake host in a temp dir (fake toolchains).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import type { ArchiveRef, UpgradeIntent, VerifyPolicy } from '../types.ts';
import { posix } from './index.ts';
import { FakeHost } from './testing/fake-host.ts';

let h: FakeHost;
beforeEach(() => {
  h = new FakeHost();
});
afterEach(() => h.cleanup());

const FULL: VerifyPolicy = { build: true, requirePath: true };

function upgrade(target: string, archive: ArchiveRef | null, verify: VerifyPolicy = FULL, env: Record<string, string> = {}) {
  const intent: UpgradeIntent = { paths: h.paths, target, archive, verify, run: h.run };
  const r = h.runScript(posix.upgrade(intent), { env });
  const parsed = posix.parseRun(r.stdout);
  return { ...r, ...parsed, trail: parsed.steps.map((s) => `${s.step}:${s.status}${s.code ? `:${s.code}` : ''}`) };
}

const vdir = (v: string): string => join(h.versionsDir, v);

test('fresh install onto a missing goroot: stage, switch, verify (offline build), cache kept, upload gone', () => {
  const ref = h.upload(h.archive('go1.27.3'));
  const log = join(h.root, 'go-build.log');
  const r = upgrade('go1.27.3', ref, FULL, { FAKE_GO_LOG: log });
  assert.deepEqual(r.trail, ['lock:start', 'lock:ok', 'stage:start', 'stage:ok', 'switch:start', 'switch:ok', 'verify:start', 'verify:ok', 'unlock:ok'], r.stderr);
  assert.deepEqual(r.outcome, { result: 'switched', active: 'go1.27.3', previous: null, warnings: [] });
  assert.equal(r.code, 0);
  assert.equal(h.gorootTarget(), vdir('go1.27.3'));
  assert.equal(readFileSync(join(vdir('go1.27.3'), 'VERSION'), 'utf8').split('\n')[0], 'go1.27.3');
  assert.ok(existsSync(join(h.versionsDir, '.gofleet', 'cache', 'go1.27.3.linux-amd64.tar.gz')));
  assert.equal(existsSync(ref.remotePath), false, 'the upload is removed');
  assert.equal(existsSync(join(h.versionsDir, '.gofleet', 'lock')), false, 'the lock is released');
  assert.deepEqual(
    readdirSync(h.versionsDir).filter((n) => n.startsWith('.tmp') || n.startsWith('.trash')),
    [],
  );
  assert.deepEqual(readdirSync(join(h.versionsDir, '.gofleet')).sort(), ['cache', 'state'], 'verify temp dir removed');
  assert.equal(h.state().active, 'go1.27.3');
  assert.equal(h.state().previous, '');
  const env = readFileSync(log, 'utf8');
  for (const kv of ['GOTOOLCHAIN=local', 'GOFLAGS=-mod=mod', 'GOPROXY=off', 'GOENV=off']) assert.match(env, new RegExp(`^${kv}$`, 'm'));
  assert.match(env, new RegExp(`^GOMODCACHE=${h.versionsDir}/.gofleet/verify\\.`, 'm'));
  assert.match(env, new RegExp(`^GOCACHE=${h.versionsDir}/.gofleet/verify\\.`, 'm'));
});

test('adopt a real goroot directory (same filesystem): moved under versionsDir, then upgraded', () => {
  h.realGoroot('go1.26.8');
  const ref = h.upload(h.archive('go1.27.3'));
  const r = upgrade('go1.27.3', ref);
  assert.deepEqual(r.trail, ['lock:start', 'lock:ok', 'stage:start', 'stage:ok', 'adopt:start', 'adopt:ok', 'switch:start', 'switch:ok', 'verify:start', 'verify:ok', 'unlock:ok'], r.stderr);
  assert.equal(r.outcome?.result, 'switched');
  assert.equal(r.outcome?.previous, 'go1.26.8');
  assert.equal(readFileSync(join(vdir('go1.26.8'), 'VERSION'), 'utf8').split('\n')[0], 'go1.26.8');
  assert.ok(existsSync(join(vdir('go1.26.8'), 'bin', 'go')));
  assert.equal(h.gorootTarget(), vdir('go1.27.3'));
  assert.deepEqual(readdirSync(h.usrLocal).sort(), ['go', 'gofleet'], 'no aside copy or temp link left');
  assert.equal(h.state().previous, 'go1.26.8', 'rollback returns to the adopted version');
});

test('adopt when versionsDir already holds that version: link swapped in, old directory removed', () => {
  h.realGoroot('go1.26.8');
  h.install('go1.26.8');
  h.install('go1.27.3');
  const r = upgrade('go1.27.3', null);
  assert.deepEqual(r.trail, ['lock:start', 'lock:ok', 'stage:start', 'stage:skip', 'adopt:start', 'adopt:ok', 'switch:start', 'switch:ok', 'verify:start', 'verify:ok', 'unlock:ok'], r.stderr);
  assert.equal(h.gorootTarget(), vdir('go1.27.3'));
  assert.deepEqual(readdirSync(h.usrLocal).sort(), ['go', 'gofleet']);
});

test('adopt a goroot that already is the target: adopted and switched, nothing staged', () => {
  h.realGoroot('go1.27.3');
  const r = upgrade('go1.27.3', null);
  assert.equal(r.outcome?.result, 'switched', r.stdout + r.stderr);
  assert.ok(r.trail.includes('stage:skip'));
  assert.equal(h.gorootTarget(), vdir('go1.27.3'));
});

test('upgrade link -> link, then the cached archive is reused on a re-run', () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  const archive = h.archive('go1.27.3');
  const r = upgrade('go1.27.3', h.upload(archive));
  assert.equal(r.outcome?.result, 'switched', r.stderr);
  assert.equal(r.outcome?.previous, 'go1.26.8');
  assert.equal(h.gorootTarget(), vdir('go1.27.3'));
  assert.deepEqual({ active: h.state().active, previous: h.state().previous }, { active: 'go1.27.3', previous: 'go1.26.8' });

  // the engine may pass the cache path itself: a re-install from it works without an upload
  h.linkGoroot('go1.26.8');
  spawnSync('rm', ['-rf', vdir('go1.27.3')]);
  const cached = posix.cachedArchivePath(h.paths, archive.filename);
  const again = upgrade('go1.27.3', { filename: archive.filename, sha256: archive.sha256, size: archive.size, remotePath: cached });
  assert.equal(again.outcome?.result, 'switched', again.stderr);
  assert.ok(again.trail.includes('stage:ok'));
  assert.ok(existsSync(cached), 'the cache is kept');
});

test('already at the target: unchanged, no lock, nothing on disk changes', () => {
  h.install('go1.26.8');
  h.install('go1.27.3');
  h.linkGoroot('go1.27.3');
  h.writeState('go1.27.3', 'go1.26.8');
  const before = h.listing();
  const r = upgrade('go1.27.3', null);
  assert.deepEqual(r.steps, []);
  assert.deepEqual(r.outcome, { result: 'unchanged', active: 'go1.27.3', previous: 'go1.27.3', warnings: [] });
  assert.equal(r.code, 0);
  assert.deepEqual(h.listing(), before);
});

test('checksum mismatch: stage fails, the upload is deleted, nothing else changes', () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  h.writeState('go1.26.8', '');
  const before = h.listing();
  const ref = h.upload(h.archive('go1.27.3'), 'f'.repeat(64));
  const r = upgrade('go1.27.3', ref);
  assert.deepEqual(r.trail, ['lock:start', 'lock:ok', 'stage:start', 'stage:fail:CHECKSUM_MISMATCH', 'unlock:ok']);
  assert.equal(r.outcome?.result, 'failed');
  assert.equal(r.outcome?.code, 'CHECKSUM_MISMATCH');
  assert.equal(r.outcome?.active, 'go1.26.8');
  assert.match(r.outcome?.message ?? '', /expected f{64}/);
  assert.notEqual(r.code, 0);
  assert.equal(existsSync(ref.remotePath), false);
  assert.deepEqual(h.listing().filter((l) => !l.startsWith('gofleet/versions/.gofleet ')), before.filter((l) => !l.startsWith('gofleet/versions/.gofleet ')));
});

test('checksum mismatch on a real goroot directory: it is not adopted', () => {
  h.realGoroot('go1.26.8');
  const before = h.listing();
  const r = upgrade('go1.27.3', h.upload(h.archive('go1.27.3'), '0'.repeat(64)));
  assert.equal(r.outcome?.code, 'CHECKSUM_MISMATCH');
  assert.deepEqual(h.listing().filter((l) => !l.startsWith('gofleet')), before.filter((l) => !l.startsWith('gofleet')));
  assert.equal(h.gorootTarget(), null, 'still a real directory');
});

test('not enough free space for the archive: DISK_FULL before extracting', () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  const archive = h.archive('go1.27.3');
  const ref = { ...h.upload(archive), size: 2 ** 50 };
  const r = upgrade('go1.27.3', ref);
  assert.equal(r.outcome?.code, 'DISK_FULL', r.stdout);
  assert.ok(r.trail.includes('stage:fail:DISK_FULL'));
  assert.equal(existsSync(vdir('go1.27.3')), false);
  assert.equal(h.gorootTarget(), vdir('go1.26.8'));
});

test('an archive that does not hold the target: STAGE_FAILED, temp dir removed', () => {
  const archive = h.archive('go1.27.3', 'ok', 'go1.27.2');
  const r = upgrade('go1.27.3', h.upload(archive));
  assert.equal(r.outcome?.code, 'STAGE_FAILED');
  assert.match(r.outcome?.message ?? '', /go1\.27\.2/);
  assert.deepEqual(readdirSync(h.versionsDir).filter((n) => n !== '.gofleet'), []);
  assert.equal(existsSync(h.goroot), false);
});

test('a corrupt archive with a matching checksum: tar fails -> STAGE_FAILED, nothing left', () => {
  const bad = join(h.root, 'go1.27.3.linux-amd64.tar.gz');
  writeFileSync(bad, 'this is not gzip');
  const ref = h.upload({ path: bad, filename: 'go1.27.3.linux-amd64.tar.gz', ...sha(bad) });
  const r = upgrade('go1.27.3', ref);
  assert.equal(r.outcome?.code, 'STAGE_FAILED', r.stdout);
  assert.match(r.outcome?.message ?? '', /tar exit/);
  assert.deepEqual(readdirSync(h.versionsDir).filter((n) => n.startsWith('.tmp')), []);
});

function sha(path: string): { sha256: string; size: number } {
  const out = spawnSync('sha256sum', [path], { encoding: 'utf8' }).stdout.split(' ')[0] ?? '';
  return { sha256: out, size: readFileSync(path).length };
}

test('target neither installed nor given as an archive: VERSION_NOT_INSTALLED', () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  const r = upgrade('go1.27.3', null);
  assert.equal(r.outcome?.code, 'VERSION_NOT_INSTALLED');
  assert.equal(h.gorootTarget(), vdir('go1.26.8'));
});

for (const [behaviour, pattern] of [
  ['build-fails', /hello-world build failed.*fake compile error/s],
  ['wrong-output', /printed 'something-else'/],
  // the marker alone does not prove the runtime: the program must also exit 0
  ['run-fails', /hello-world program exited 2: gofleet-verify-/],
  ['wrong-version', /version printed 'go version go0\.0\.1/],
  ['wrong-goroot', /go env GOROOT printed '\/opt\/elsewhere\/go'/],
  ['dead', /version printed 'fake go: cannot execute'/],
] as const) {
  test(`verify failure (${behaviour}) -> rolled back to the previous link, state restored`, () => {
    h.install('go1.26.8');
    h.linkGoroot('go1.26.8');
    h.writeState('go1.26.8', 'go1.25.0');
    const r = upgrade('go1.27.3', h.upload(h.archive('go1.27.3', behaviour)));
    assert.deepEqual(r.trail.slice(-5), ['verify:start', 'verify:fail:VERIFY_FAILED', 'rollback:start', 'rollback:ok', 'unlock:ok'], r.stdout);
    assert.equal(r.outcome?.result, 'rolled_back');
    assert.equal(r.outcome?.code, 'VERIFY_FAILED');
    assert.equal(r.outcome?.active, 'go1.26.8');
    assert.match(r.outcome?.message ?? '', pattern);
    assert.equal(h.gorootTarget(), vdir('go1.26.8'));
    assert.deepEqual({ active: h.state().active, previous: h.state().previous }, { active: 'go1.26.8', previous: 'go1.25.0' });
    assert.equal(existsSync(vdir('go1.27.3')), false, 'this run staged the failed version: it is removed again');
    assert.equal(existsSync(join(h.versionsDir, '.gofleet', 'failed', 'go1.27.3')), false, 'nothing left to mark');
    assert.match(r.outcome?.warnings.join('\n') ?? '', /removed .*go1\.27\.3: it failed verification/);
    assert.deepEqual(readdirSync(join(h.versionsDir, '.gofleet')).filter((n) => n.startsWith('verify')), [], 'verify temp dir removed');
  });
}

test('verify failure on a fresh install: the new link is removed again', () => {
  const r = upgrade('go1.27.3', h.upload(h.archive('go1.27.3', 'build-fails')));
  assert.equal(r.outcome?.result, 'rolled_back', r.stdout);
  assert.equal(r.outcome?.active, null);
  assert.equal(existsSync(h.goroot), false);
});

test('verify failure after adopting: goroot points at the adopted version', () => {
  h.realGoroot('go1.26.8');
  const r = upgrade('go1.27.3', h.upload(h.archive('go1.27.3', 'wrong-version')));
  assert.equal(r.outcome?.result, 'rolled_back', r.stdout);
  assert.equal(h.gorootTarget(), vdir('go1.26.8'));
  assert.equal(h.state().active, 'go1.26.8');
});

test('login PATH finds another go: VERIFY_FAILED with requirePath, a warning without', () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  const other = join(h.root, 'other-go');
  mkdirSync(other);
  h.install('go1.27.3');
  spawnSync('cp', ['-R', vdir('go1.27.3'), other]);
  h.loginPath([join(other, 'go1.27.3', 'bin'), join(h.goroot, 'bin')]);
  const strict = upgrade('go1.27.3', null);
  assert.equal(strict.outcome?.result, 'rolled_back', strict.stdout);
  assert.match(strict.outcome?.message ?? '', /login PATH finds go at .*other-go/);
  assert.equal(h.gorootTarget(), vdir('go1.26.8'));

  const lenient = upgrade('go1.27.3', null, { build: true, requirePath: false });
  assert.equal(lenient.outcome?.result, 'switched', lenient.stdout);
  assert.equal(lenient.outcome?.warnings.length, 1);
  assert.match(lenient.outcome?.warnings[0] ?? '', /login PATH finds go at/);
});

test('login PATH through a symlink chain to goroot/bin/go is accepted', () => {
  const bin = join(h.root, 'usr-bin');
  mkdirSync(bin);
  spawnSync('ln', ['-s', '../usr-local/go/bin/go', join(bin, 'go')]);
  h.loginPath([bin]);
  const r = upgrade('go1.27.3', h.upload(h.archive('go1.27.3')));
  assert.equal(r.outcome?.result, 'switched', r.stdout);
  assert.deepEqual(r.outcome?.warnings, []);
});

test('no go on the login PATH: a warning, not a failure', () => {
  h.loginPath([]);
  const r = upgrade('go1.27.3', h.upload(h.archive('go1.27.3')));
  assert.equal(r.outcome?.result, 'switched', r.stdout);
  assert.equal(r.outcome?.warnings.length, 1);
  assert.match(r.outcome?.warnings[0] ?? '', /no go on the login PATH/);
});

test('health command: runs with goroot/bin first on PATH; a failing one rolls back', () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  h.install('go1.27.3');
  const marker = join(h.root, 'health-ran');
  const ok = upgrade('go1.27.3', null, { build: false, requirePath: true, healthCommand: `go version > '${marker}'` });
  assert.equal(ok.outcome?.result, 'switched', ok.stdout);
  assert.match(readFileSync(marker, 'utf8'), /go1\.27\.3/);

  h.linkGoroot('go1.26.8');
  const bad = upgrade('go1.27.3', null, { build: false, requirePath: true, healthCommand: "echo 'health: not good'; exit 3" });
  assert.equal(bad.outcome?.result, 'rolled_back');
  assert.match(bad.outcome?.message ?? '', /health command exited 3: health: not good/);
  assert.equal(h.gorootTarget(), vdir('go1.26.8'));
});

test('rollback failure: the old go does not answer either -> rollback_failed', () => {
  h.install('go1.26.8', 'dead');
  h.linkGoroot('go1.26.8');
  const r = upgrade('go1.27.3', h.upload(h.archive('go1.27.3', 'build-fails')));
  assert.deepEqual(r.trail.slice(-3), ['rollback:start', 'rollback:fail:ROLLBACK_FAILED', 'unlock:ok'], r.stdout);
  assert.equal(r.outcome?.result, 'rollback_failed');
  assert.equal(r.outcome?.code, 'ROLLBACK_FAILED');
  assert.match(r.outcome?.message ?? '', /verify: .*build failed.*rollback: .*answers 'nothing'/s);
  assert.equal(h.gorootTarget(), vdir('go1.26.8'), 'goroot still points back');
});

test('lock held by a live process: HOST_LOCKED, nothing changed, the lock stays', () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  const lock = join(h.versionsDir, '.gofleet', 'lock');
  mkdirSync(lock, { recursive: true });
  writeFileSync(join(lock, 'info'), `pid=${process.pid} run=other-run since=2026-01-01T00:00:00Z\n`);
  const before = h.listing();
  const ref = h.upload(h.archive('go1.27.3'));
  const r = upgrade('go1.27.3', ref);
  assert.deepEqual(r.trail, ['lock:start', 'lock:fail:HOST_LOCKED']);
  assert.equal(r.outcome?.code, 'HOST_LOCKED');
  assert.match(r.outcome?.message ?? '', new RegExp(`pid ${process.pid} \\(run other-run`));
  assert.deepEqual(h.listing(), before);
});

test('stale lock (dead pid) is taken over, with a warning', () => {
  const dead = spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim();
  const lock = join(h.versionsDir, '.gofleet', 'lock');
  mkdirSync(lock, { recursive: true });
  writeFileSync(join(lock, 'info'), `pid=${dead} run=crashed-run since=2026-01-01T00:00:00Z\n`);
  const r = upgrade('go1.27.3', h.upload(h.archive('go1.27.3')));
  assert.equal(r.outcome?.result, 'switched', r.stdout + r.stderr);
  assert.ok(r.outcome?.warnings.some((w) => /stale lock .*crashed-run/.test(w)));
  assert.equal(existsSync(lock), false);
});

test('two upgrades at once: one switches, the other is HOST_LOCKED or finds it unchanged', async () => {
  h.install('go1.26.8');
  h.install('go1.27.3');
  h.linkGoroot('go1.26.8');
  const script = posix.upgrade({ paths: h.paths, target: 'go1.27.3', archive: null, verify: FULL, run: h.run });
  const [a, b] = await Promise.all([h.runScriptAsync(script), h.runScriptAsync(script)]);
  const results = [a, b].map((x) => posix.parseRun(x.stdout).outcome);
  const kinds = results.map((o) => (o?.result === 'failed' ? o.code : o?.result)).sort();
  // Exactly one switches; the other must be refused by the lock or find the work done.
  // Both "switched" means the lock did not serialize them, and must fail.
  assert.equal(kinds.filter((k) => k === 'switched').length, 1, JSON.stringify(results));
  const other = kinds.find((k) => k !== 'switched');
  assert.ok(other === 'HOST_LOCKED' || other === 'unchanged', JSON.stringify(results));
  assert.equal(h.gorootTarget(), vdir('go1.27.3'));
});

test('goroot is a plain file: ADOPT_FAILED, not touched', () => {
  writeFileSync(h.goroot, 'not a toolchain');
  const r = upgrade('go1.27.3', h.upload(h.archive('go1.27.3')));
  assert.equal(r.outcome?.code, 'ADOPT_FAILED');
  assert.equal(readFileSync(h.goroot, 'utf8'), 'not a toolchain');
});

test('a goroot directory without VERSION or a working go: ADOPT_FAILED, left in place', () => {
  mkdirSync(join(h.goroot, 'bin'), { recursive: true });
  writeFileSync(join(h.goroot, 'README'), 'hello');
  const r = upgrade('go1.27.3', h.upload(h.archive('go1.27.3')));
  assert.equal(r.outcome?.code, 'ADOPT_FAILED', r.stdout);
  assert.equal(readFileSync(join(h.goroot, 'README'), 'utf8'), 'hello');
});

test('paths with spaces, quotes and non-ASCII', () => {
  const odd = join(h.root, `it's a "dir" $HOME é`);
  const paths = { goroot: join(odd, 'go'), versionsDir: join(odd, 'vers ions') };
  mkdirSync(odd);
  h.loginPath([join(paths.goroot, 'bin')]);
  const archive = h.archive('go1.27.3');
  const ref = h.upload(archive);
  const r = h.runScript(posix.upgrade({ paths, target: 'go1.27.3', archive: ref, verify: FULL, run: h.run }));
  const { outcome } = posix.parseRun(r.stdout);
  assert.equal(outcome?.result, 'switched', r.stdout + r.stderr);
  assert.equal(spawnSync('readlink', [paths.goroot], { encoding: 'utf8' }).stdout.trim(), join(paths.versionsDir, 'go1.27.3'));
});

/** A shim dir whose `tar` sends TERM to the script's shell (pid in a file) and then extracts. */
/** A PATH dir whose `tool` first sends TERM to the script's pid, then runs the real one. */
function termOn(tool: 'tar' | 'mktemp', pidFile: string): string {
  const dir = join(h.root, `term-shim-${tool}`);
  mkdirSync(dir);
  writeFileSync(join(dir, tool), `#!/bin/sh\nkill -TERM "$(cat '${pidFile}')"\nexec /bin/${tool} "$@"\n`);
  spawnSync('chmod', ['+x', join(dir, tool)]);
  return dir;
}

function runWithPidFile(script: string, pidFile: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('dash', ['-s'], { env: h.env(env), cwd: h.root });
    writeFileSync(pidFile, String(child.pid));
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(out));
    child.stdin.end(script);
  });
}

test('TERM during staging: honoured at the next safe point, goroot untouched', async () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  const pidFile = join(h.root, 'pid');
  const shim = termOn('tar', pidFile);
  const script = posix.upgrade({ paths: h.paths, target: 'go1.27.3', archive: h.upload(h.archive('go1.27.3')), verify: FULL, run: h.run });
  const out = await runWithPidFile(script, pidFile, { PATH: `${shim}:/usr/sbin:/usr/bin:/sbin:/bin` });
  const { outcome, steps } = posix.parseRun(out);
  assert.equal(outcome?.code, 'INTERRUPTED', out);
  assert.ok(steps.some((s) => s.step === 'switch' && s.status === 'fail' && s.code === 'INTERRUPTED'));
  assert.equal(h.gorootTarget(), vdir('go1.26.8'));
  assert.equal(existsSync(join(h.versionsDir, '.gofleet', 'lock')), false);
});

test('TERM to the whole group during staging cuts tar too: reported INTERRUPTED (not STAGE_FAILED), goroot untouched', async () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  const pidFile = join(h.root, 'pid');
  // what the controller's TERM to the process group does: the script gets it, and tar dies of it (exit 143)
  const shim = join(h.root, 'group-term-shim');
  mkdirSync(shim);
  writeFileSync(join(shim, 'tar'), `#!/bin/sh\nkill -TERM "$(cat '${pidFile}')"\nexit 143\n`);
  spawnSync('chmod', ['+x', join(shim, 'tar')]);
  const script = posix.upgrade({ paths: h.paths, target: 'go1.27.3', archive: h.upload(h.archive('go1.27.3')), verify: FULL, run: h.run });
  const out = await runWithPidFile(script, pidFile, { PATH: `${shim}:/usr/sbin:/usr/bin:/sbin:/bin` });
  const { outcome, steps } = posix.parseRun(out);
  assert.deepEqual([outcome?.result, outcome?.code], ['failed', 'INTERRUPTED'], out);
  assert.match(outcome?.message ?? '', /^stopped on SIGTERM before the switch; goroot was not changed \(STAGE_FAILED: extracting/);
  assert.deepEqual(outcome?.warnings, [], 'no "after changes had begun" warning: nothing had changed');
  assert.ok(steps.some((s) => s.step === 'stage' && s.status === 'fail' && s.code === 'STAGE_FAILED'), out);
  assert.equal(h.gorootTarget(), vdir('go1.26.8'));
  assert.equal(existsSync(join(h.versionsDir, '.gofleet', 'lock')), false);
});

test('TERM after the switch: verification (and rollback) still complete, reported as INTERRUPTED', async () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  h.install('go1.27.3', 'build-fails');
  const pidFile = join(h.root, 'pid');
  // mktemp runs in the build check, after the switch: it sends the TERM
  const shim = termOn('mktemp', pidFile);
  const script = posix.upgrade({ paths: h.paths, target: 'go1.27.3', archive: null, verify: FULL, run: h.run });
  const out = await runWithPidFile(script, pidFile, { PATH: `${shim}:/usr/sbin:/usr/bin:/sbin:/bin` });
  const { outcome } = posix.parseRun(out);
  assert.equal(outcome?.result, 'rolled_back', out);
  assert.equal(outcome?.code, 'INTERRUPTED', out);
  assert.equal(h.gorootTarget(), vdir('go1.26.8'));
});

test('TERM after the switch of a good toolchain: it verifies, then rolls back (the controller asked to abort)', async () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  h.install('go1.27.3');
  const pidFile = join(h.root, 'pid');
  const shim = termOn('mktemp', pidFile);
  const script = posix.upgrade({ paths: h.paths, target: 'go1.27.3', archive: null, verify: FULL, run: h.run });
  const out = await runWithPidFile(script, pidFile, { PATH: `${shim}:/usr/sbin:/usr/bin:/sbin:/bin` });
  const { outcome, steps } = posix.parseRun(out);
  assert.deepEqual([outcome?.result, outcome?.code, outcome?.active], ['rolled_back', 'INTERRUPTED', 'go1.26.8'], out);
  assert.match(outcome?.message ?? '', /stopped on SIGTERM after the switch to go1\.27\.3; rolled back/);
  assert.ok(steps.some((s) => s.step === 'rollback' && s.status === 'ok'), out);
  assert.equal(h.gorootTarget(), vdir('go1.26.8'));
  assert.equal(h.state().active, 'go1.26.8');
  assert.equal(existsSync(join(h.versionsDir, '.gofleet', 'lock')), false);
});

test('a link outside versionsDir, or a relative one, is restored exactly on rollback', () => {
  const foreign = join(h.root, 'opt', 'go');
  h.install('go1.27.3', 'build-fails');
  spawnSync('mkdir', ['-p', join(h.root, 'opt')]);
  h.install('go1.22.1');
  spawnSync('mv', [vdir('go1.22.1'), foreign]);
  for (const target of [foreign, 'gofleet/versions/go1.27.3-old']) {
    if (!target.startsWith('/')) spawnSync('cp', ['-R', foreign, join(h.usrLocal, target)]);
    spawnSync('rm', ['-f', h.goroot]);
    spawnSync('ln', ['-s', target, h.goroot]);
    const r = upgrade('go1.27.3', null);
    assert.equal(r.outcome?.result, 'rolled_back', r.stdout);
    assert.equal(r.outcome?.active, 'go1.22.1');
    assert.equal(h.gorootTarget(), target, 'the very same link text');
    // it is marked failed, so it is not reused as installed; this test reuses it on purpose
    rmSync(join(h.versionsDir, '.gofleet', 'failed', 'go1.27.3'));
  }
  // success from a foreign link: no managed previous version is recorded
  spawnSync('rm', ['-f', h.goroot]);
  spawnSync('ln', ['-s', foreign, h.goroot]);
  h.install('go1.27.3');
  const ok = upgrade('go1.27.3', null);
  assert.equal(ok.outcome?.result, 'switched', ok.stdout);
  assert.equal(ok.outcome?.previous, 'go1.22.1');
  assert.equal(h.state().previous, '');
});

test('adopt over an incomplete leftover of the same version: the leftover is replaced', () => {
  h.realGoroot('go1.26.8');
  mkdirSync(join(vdir('go1.26.8'), 'bin'), { recursive: true }); // no VERSION, no bin/go
  h.install('go1.27.3');
  const r = upgrade('go1.27.3', null);
  assert.equal(r.outcome?.result, 'switched', r.stdout);
  assert.ok(existsSync(join(vdir('go1.26.8'), 'bin', 'go')));
  assert.deepEqual(readdirSync(h.versionsDir).filter((n) => n.startsWith('.trash')), []);
});

test('adopt a goroot directory without a VERSION file: its version comes from `bin/go version`', () => {
  h.realGoroot('go1.26.8');
  spawnSync('rm', [join(h.goroot, 'VERSION')]);
  const r = upgrade('go1.27.3', h.upload(h.archive('go1.27.3')));
  assert.equal(r.outcome?.result, 'switched', r.stdout);
  assert.equal(r.outcome?.previous, 'go1.26.8');
  assert.ok(existsSync(join(vdir('go1.26.8'), 'bin', 'go')));
});
