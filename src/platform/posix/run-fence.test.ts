// Fencing tokens in the POSIX scripts (sh-fence.ts), run for real under dash and busybox sh on a fake host: the
// lock records the token; a live lock of the same run under a lower token is taken over (and the lock step says
// so); a higher one, live or recorded after its lock was released, makes the script refuse with LEASE_LOST and
// goroot untouched; a script whose lock was taken over while it verified neither keeps nor rolls back.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import type { VerifyPolicy } from '../types.ts';
import { posix } from './index.ts';
import { FakeHost } from './testing/fake-host.ts';

const SHELLS: string[][] = [['dash', '-s'], ['busybox', 'sh', '-s']];
const BOOT_ID = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

function startTime(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
}

let h: FakeHost;
const children: ChildProcess[] = [];
beforeEach(() => {
  h = new FakeHost();
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
});
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  h.cleanup();
});

const meta = (): string => join(h.versionsDir, '.gofleet');
const lockInfo = (): string => join(meta(), 'lock', 'info');

/** A live process's lock of this run (a sleeping child stands for the other worker's script). */
function plantLiveLock(token: number | null): string {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  children.push(child);
  const pid = child.pid ?? 0;
  const info = `pid=${pid} run=${h.run} since=2026-12-03T12:00:00Z boot=${BOOT_ID} start=${startTime(pid)}${token === null ? '' : ` token=${token}`}`;
  mkdirSync(join(meta(), 'lock'), { recursive: true });
  writeFileSync(lockInfo(), `${info}\n`);
  return info;
}

function upgrade(shell: string[], fence: number | undefined, verify: VerifyPolicy = { build: false, requirePath: false }) {
  const script = posix.upgrade({ paths: h.paths, target: 'go1.27.3', archive: h.upload(h.archive('go1.27.3')), verify, run: h.run, ...(fence === undefined ? {} : { fence }) });
  const r = h.runScript(script, { shell });
  const parsed = posix.parseRun(r.stdout);
  return { ...r, outcome: parsed.outcome, steps: parsed.steps, text: r.stdout + r.stderr };
}

for (const shell of SHELLS) {
  const sh = shell[0];

  test(`${sh}: the lock a fenced script takes records its token, and the host keeps the run's highest token`, () => {
    const seen = join(h.root, 'seen-lock');
    const r = upgrade(shell, 5, { build: false, requirePath: false, healthCommand: `cat ${lockInfo()} >${seen}` });
    assert.equal(r.outcome?.result, 'switched', r.text);
    assert.match(readFileSync(seen, 'utf8'), new RegExp(`^pid=\\d+ run=${h.run} since=\\S+ boot=\\S+ start=\\d+ token=5\\n$`));
    assert.equal(readFileSync(join(meta(), 'fence', h.run), 'utf8'), 'token=5\n');
    assert.equal(existsSync(join(meta(), 'lock')), false, 'released');
  });

  test(`${sh}: a live lock of the same run under a lower token is taken over, and the lock step says so`, () => {
    plantLiveLock(5);
    const r = upgrade(shell, 6);
    assert.equal(r.outcome?.result, 'switched', r.text);
    const lock = r.steps.find((s) => s.step === 'lock' && s.status === 'ok');
    assert.match(lock?.message ?? '', /took over the lock of run \S+ from pid \d+ \(fencing token 5, this script holds 6\): that worker lost its lease/, r.text);
    assert.equal(h.gorootTarget(), join(h.versionsDir, 'go1.27.3'));
    assert.equal(readFileSync(join(meta(), 'fence', h.run), 'utf8'), 'token=6\n');
  });

  test(`${sh}: a live lock of the same run under a higher token: LEASE_LOST, goroot and the lock untouched`, () => {
    const info = plantLiveLock(7);
    const r = upgrade(shell, 6);
    assert.equal(r.outcome?.result, 'failed', r.text);
    assert.equal(r.outcome?.code, 'LEASE_LOST', r.text);
    assert.equal(h.gorootTarget(), join(h.versionsDir, 'go1.26.8'));
    assert.equal(readFileSync(lockInfo(), 'utf8'), `${info}\n`);
  });

  test(`${sh}: a higher token recorded by a worker that has finished (lock released): LEASE_LOST, nothing changed`, () => {
    mkdirSync(join(meta(), 'fence'), { recursive: true });
    writeFileSync(join(meta(), 'fence', h.run), 'token=7\n');
    const r = upgrade(shell, 6);
    assert.equal(r.outcome?.code, 'LEASE_LOST', r.text);
    assert.match(r.outcome?.message ?? '', /fencing token 7 of run \S+ is recorded on this host \(this script holds 6\)/);
    assert.equal(h.gorootTarget(), join(h.versionsDir, 'go1.26.8'));
    assert.equal(existsSync(join(meta(), 'lock')), false, 'the lock it took for the check is released');
    assert.equal(readFileSync(join(meta(), 'fence', h.run), 'utf8'), 'token=7\n');
    assert.equal(existsSync(join(h.versionsDir, 'go1.27.3')), false, 'not even staged');
  });

  test(`${sh}: the lock taken over while verifying: the script neither keeps nor rolls back the switch`, () => {
    // the health command plays the newer worker: it takes the lock over (token 6) while this script (5) verifies
    const takeOver = `printf 'pid=1 run=${h.run} since=x boot=${BOOT_ID} start=1 token=6\\n' >${lockInfo()} && printf 'token=6\\n' >${join(meta(), 'fence', h.run)}`;
    const r = upgrade(shell, 5, { build: false, requirePath: false, healthCommand: takeOver });
    assert.equal(r.outcome?.result, 'failed', r.text);
    assert.equal(r.outcome?.code, 'LEASE_LOST', r.text);
    assert.equal(h.gorootTarget(), join(h.versionsDir, 'go1.27.3'), 'left for the newer worker');
    assert.equal(h.state().verify_pending, 'go1.27.3', 'not recorded as verified');
    assert.match(readFileSync(lockInfo(), 'utf8'), /token=6/, 'the newer lock is not released by the older script');
    assert.equal(r.steps.some((s) => s.step === 'rollback'), false, r.text);
  });

  test(`${sh}: without a token nothing changes: a live lock of the same run is HOST_LOCKED, fenced or not`, () => {
    plantLiveLock(5);
    assert.equal(upgrade(shell, undefined).outcome?.code, 'HOST_LOCKED');
    plantLiveLock(null);
    assert.equal(upgrade(shell, 6).outcome?.code, 'HOST_LOCKED');
  });
}

test('a fencing token must be a positive integer', () => {
  const intent = { paths: h.paths, target: 'go1.27.3', verify: { build: false, requirePath: false }, run: h.run };
  for (const fence of [0, -1, 1.5, Number.MAX_SAFE_INTEGER + 1]) assert.throws(() => posix.switchTo({ ...intent, fence }), { code: 'BAD_OPTION' });
  assert.match(posix.switchTo({ ...intent, fence: 42 }), /^ {2}FENCE='42'$/m);
  assert.match(posix.switchTo(intent), /^ {2}FENCE=''$/m);
});
