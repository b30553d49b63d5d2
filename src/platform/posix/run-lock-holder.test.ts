// Who holds the host lock, judged by pid + boot id + the process's start time (a pid alone is reused after a
// reboot): the upgrade script takes over a lock whose holder is gone and refuses a live one; the facts
// script reports the same judgement (lock_stale), which engine/own-lock.ts relies on. Run under dash and busybox sh.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { posix } from './index.ts';
import { renderScript } from './render-script.ts';
import { SH_COMMON } from './sh-common.ts';
import { FakeHost } from './testing/fake-host.ts';

const SHELLS: string[][] = [['dash', '-s'], ['busybox', 'sh', '-s']];
const BOOT_ID = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

/** Field 22 of /proc/PID/stat (start time in clock ticks), counted after the command name. */
function startTime(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
}

let h: FakeHost;
const children: ChildProcess[] = [];
beforeEach(() => {
  h = new FakeHost();
});
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  h.cleanup();
});

function plantLock(info: string): string {
  const lock = join(h.versionsDir, '.gofleet', 'lock');
  mkdirSync(lock, { recursive: true });
  writeFileSync(join(lock, 'info'), `${info}\n`);
  return lock;
}

function upgrade(shell: string[]) {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  const script = posix.upgrade({ paths: h.paths, target: 'go1.27.3', archive: h.upload(h.archive('go1.27.3')), verify: { build: false, requirePath: false }, run: h.run });
  const r = h.runScript(script, { shell });
  return { ...r, outcome: posix.parseRun(r.stdout).outcome };
}

function factsLock(shell: string[]) {
  const r = h.runScript(posix.facts(h.paths), { shell });
  assert.equal(r.code, 0, r.stderr);
  return posix.parseFacts(r.stdout).lock;
}

for (const shell of SHELLS) {
  const sh = shell[0];

  test(`${sh}: a lock whose pid is alive but from another boot is stale and taken over`, () => {
    const lock = plantLock(`pid=${process.pid} run=before-reboot since=2026-01-01T00:00:00Z boot=00000000-dead-beef-0000-000000000000 start=${startTime(process.pid)}`);
    assert.equal(factsLock(shell)?.stale, true, 'facts: stale');
    const r = upgrade(shell);
    assert.equal(r.outcome?.result, 'switched', r.stdout + r.stderr);
    assert.ok(r.outcome?.warnings.some((w) => /stale lock .*before-reboot/.test(w)), r.stdout);
    assert.equal(existsSync(lock), false);
  });

  test(`${sh}: a lock whose pid is alive but started at another time (pid reused) is stale and taken over`, () => {
    plantLock(`pid=${process.pid} run=reused-pid since=2026-01-01T00:00:00Z boot=${BOOT_ID} start=1`);
    assert.equal(factsLock(shell)?.stale, true, 'facts: stale');
    const r = upgrade(shell);
    assert.equal(r.outcome?.result, 'switched', r.stdout + r.stderr);
    assert.ok(r.outcome?.warnings.some((w) => /stale lock .*reused-pid/.test(w)), r.stdout);
  });

  test(`${sh}: a live holder (same pid, boot and start time) still yields HOST_LOCKED`, () => {
    const info = `pid=${process.pid} run=live-run since=2026-01-01T00:00:00Z boot=${BOOT_ID} start=${startTime(process.pid)}`;
    const lock = plantLock(info);
    assert.deepEqual(factsLock(shell), { pid: String(process.pid), run: 'live-run', since: '2026-01-01T00:00:00Z', stale: false });
    const r = upgrade(shell);
    assert.equal(r.outcome?.code, 'HOST_LOCKED', r.stdout + r.stderr);
    assert.equal(readFileSync(join(lock, 'info'), 'utf8'), `${info}\n`, 'the lock is left alone');
  });

  test(`${sh}: an old-format lock (pid only) is still judged by its pid`, () => {
    plantLock(`pid=${process.pid} run=old-gofleet since=2026-01-01T00:00:00Z`);
    assert.equal(factsLock(shell)?.stale, false);
    assert.equal(upgrade(shell).outcome?.code, 'HOST_LOCKED');
  });

  test(`${sh}: the lock a script takes records its pid, this boot and its start time`, () => {
    const seen = join(h.root, 'seen-lock');
    h.install('go1.26.8');
    h.linkGoroot('go1.26.8');
    const health = `cat ${join(h.versionsDir, '.gofleet', 'lock', 'info')} >${seen}`;
    const script = posix.upgrade({ paths: h.paths, target: 'go1.27.3', archive: h.upload(h.archive('go1.27.3')), verify: { build: false, requirePath: false, healthCommand: health }, run: h.run });
    const r = h.runScript(script, { shell });
    assert.equal(posix.parseRun(r.stdout).outcome?.result, 'switched', r.stdout + r.stderr);
    assert.match(readFileSync(seen, 'utf8'), new RegExp(`^pid=\\d+ run=${h.run} since=\\S+ boot=${BOOT_ID} start=\\d+\\n$`));
  });

  test(`${sh}: gf_proc_start reads field 22 even when the command name holds blanks and parentheses`, () => {
    const odd = join(h.root, 'a) b (c');
    copyFileSync('/bin/sleep', odd);
    spawnSync('chmod', ['755', odd]);
    const child = spawn(odd, ['30'], { stdio: 'ignore' });
    children.push(child);
    const pid = child.pid ?? 0;
    const script = renderScript({
      title: 'test',
      vars: [['VDIR', h.versionsDir], ['PID', String(pid)]],
      library: [SH_COMMON, 'gf_t() {\n  gf_boot_id\n  gf_proc_start "$PID"\n  printf \'%s %s\\n\' "$BOOT_ID" "$PROC_START"\n}\n'],
      entry: 'gf_t',
      lockTraps: false,
    });
    const r = h.runScript(script, { shell });
    assert.equal(r.stdout, `${BOOT_ID} ${startTime(pid)}\n`, r.stderr);
  });
}

// macOS has no /proc: the boot is `sysctl -n kern.boottime`, a process's start `ps -o lstart= -p PID`.
// Here: /proc hidden in a private mount namespace, and sysctl/ps shims answering as macOS does.
const BSD_BOOT = '{ sec = 1764670000, usec = 123456 } Wed Dec  2 10:06:40 2026';
const BSD_LSTART = 'Wed Dec  2 12:14:27 2026';
const NO_PROC = { skip: process.getuid?.() === 0 ? false : 'needs root (unshare -m to hide /proc)' };

function macUpgrade(): string | undefined {
  const shims = join(h.root, 'shims');
  mkdirSync(shims);
  writeFileSync(join(shims, 'sysctl'), `#!/bin/sh\n[ "$*" = "-n kern.boottime" ] || exit 1\necho '${BSD_BOOT}'\n`);
  writeFileSync(join(shims, 'ps'), `#!/bin/sh\ncase "$*" in *lstart=*) echo '${BSD_LSTART}' ;; esac\nexit 0\n`);
  for (const f of ['sysctl', 'ps']) chmodSync(join(shims, f), 0o755);
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  const script = posix.upgrade({ paths: h.paths, target: 'go1.27.3', archive: h.upload(h.archive('go1.27.3')), verify: { build: false, requirePath: false }, run: h.run });
  const prefix = ['unshare', '-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs none /proc && exec "$@"', 'no-proc'];
  const r = h.runScript(script, { prefix, env: { PATH: `${shims}:/usr/sbin:/usr/bin:/sbin:/bin` } });
  return posix.parseRun(r.stdout).outcome?.code ?? posix.parseRun(r.stdout).outcome?.result;
}

test('no /proc (macOS): a holder with the same kern.boottime and lstart is live', NO_PROC, () => {
  plantLock(`pid=${process.pid} run=mac-live since=x boot=1764670000 start=Wed_Dec_2_12:14:27_2026`);
  assert.equal(macUpgrade(), 'HOST_LOCKED');
});

test('no /proc (macOS): a holder from another kern.boottime is stale', NO_PROC, () => {
  plantLock(`pid=${process.pid} run=mac-old-boot since=x boot=1700000000 start=Wed_Dec_2_12:14:27_2026`);
  assert.equal(macUpgrade(), 'switched');
});

test('no /proc (macOS): a holder whose pid started at another time is stale', NO_PROC, () => {
  plantLock(`pid=${process.pid} run=mac-reused since=x boot=1764670000 start=Tue_Dec_1_08:00:00_2026`);
  assert.equal(macUpgrade(), 'switched');
});
