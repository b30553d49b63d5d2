// The controller's own files failing under it, end to end with real sshd hosts (go1.26.8 -> go1.27.3, fake toolchains):
// - an unusable run journal (not a database, corrupt, read-only file, read-only directory) stops upgrade before
//   any host is contacted (exit 4, STATE_UNAVAILABLE); --no-journal is the explicit way to go on without one;
// - a journal whose disk fills during the run stops new hosts from starting (exit 1, reported);
// - a run log whose disk is full is one warning, and the controller still ends (it used to retry forever).
// Full and read-only filesystems are real: the controller runs as a child process in a private mount
// namespace (unshare -m) with a tiny tmpfs or a read-only bind mount over its state directory.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sshdSkip, type SshdHost } from '../harness/sshd.ts';
import { openStore } from '../../src/store/index.ts';
import { gofleet, goVersionOn, startUpgradeFleet, waitFor, type UpgradeFleet } from './helpers.ts';

const skip = sshdSkip();
const BIN = fileURLToPath(new URL('../../bin/gofleet.js', import.meta.url));
/** generous: a hung controller fails the test, a slow machine does not */
const EXIT_WITHIN_MS = 180_000;

interface NsRun {
  pid: number;
  output(): string;
  exited: Promise<{ code: number | null; killed: boolean }>;
}

/** `gofleet ARGS` as a child process in its own mount namespace, after `setup` (sh) has run there. */
function gofleetInMountNs(setup: string, args: string[]): NsRun {
  // unshare and sh exec, so the child's pid is the controller's: /proc/PID/root sees its mounts
  const child = spawn('unshare', ['-m', 'sh', '-c', `set -e; ${setup}; exec "$0" "$@"`, process.execPath, BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, EXIT_WITHIN_MS);
  const exited = new Promise<{ code: number | null; killed: boolean }>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, killed });
    }));
  return { pid: child.pid ?? -1, output: () => out, exited };
}

/** Fill a filesystem to the last byte (dd stops at ENOSPC). */
function fill(path: string): Promise<void> {
  return new Promise((resolve) => spawn('sh', ['-c', `dd if=/dev/zero of='${path}' bs=4096 2>/dev/null; sync`], { stdio: 'ignore' }).on('close', () => resolve()));
}

describe('the controller with an unusable journal or a full log disk', { skip, timeout: 900_000 }, () => {
  let fx: UpgradeFleet;
  let h1: SshdHost;
  let h2: SshdHost;
  let upgrade: (state: string, ...extra: string[]) => string[];

  before(async () => {
    // the payload does not matter here (the controller's own files do): tiny fake toolchains keep it fast
    fx = await startUpgradeFleet(2, 'journal', { toolchain: 'fake' });
    [h1, h2] = fx.hosts as [SshdHost, SshdHost];
    const cache = join(fx.work, 'cache');
    upgrade = (state, ...extra) => ['upgrade', '-i', fx.inventory, '--to', 'go1.27.3', '--yes', '--source', fx.source, '--cache-dir', cache, '--state', state, ...extra];
  });

  after(async () => {
    await fx?.stop();
  });

  test('an unusable journal refuses the upgrade before any host is contacted (exit 4, STATE_UNAVAILABLE)', async () => {
    // not a database at all
    const notDb = join(fx.work, 'not-db', 'gofleet.db');
    mkdirSync(join(fx.work, 'not-db'));
    writeFileSync(notDb, 'this is a text file, not a run journal\n'.repeat(200));
    const a = await gofleet(...upgrade(notDb));
    assert.equal(a.code, 4, a.stderr);
    assert.match(a.stderr, /STATE_UNAVAILABLE/);
    assert.match(a.stderr, /--no-journal/);

    // a journal with its pages overwritten
    const corrupt = join(fx.work, 'corrupt', 'gofleet.db');
    openStore(corrupt).close();
    const fd = openSync(corrupt, 'r+');
    const junk = Buffer.alloc(statSync(corrupt).size - 4096, 0x5a);
    writeSync(fd, junk, 0, junk.length, 4096);
    closeSync(fd);
    const b = await gofleet(...upgrade(corrupt));
    assert.equal(b.code, 4, b.stderr);
    assert.match(b.stderr, /STATE_UNAVAILABLE/);

    // a good journal on a read-only filesystem, and a read-only directory with no journal yet
    const roFile = join(fx.work, 'ro-file');
    openStore(join(roFile, 'gofleet.db')).close();
    const roDir = join(fx.work, 'ro-dir');
    mkdirSync(roDir);
    for (const dir of [roFile, roDir]) {
      const c = gofleetInMountNs(`mount --bind '${dir}' '${dir}'; mount -o remount,bind,ro '${dir}'`, upgrade(join(dir, 'gofleet.db')));
      const end = await c.exited;
      assert.equal(end.killed, false, c.output());
      assert.equal(end.code, 4, c.output());
      assert.match(c.output(), /STATE_UNAVAILABLE/);
    }

    assert.equal(await goVersionOn(h1), 'go1.26.8', 'no host was changed');
    assert.equal(await goVersionOn(h2), 'go1.26.8', 'no host was changed');
  });

  test('a journal whose disk fills during the run: no new host starts, the failure is reported, exit 1', async () => {
    const dir = join(fx.work, 'full-mid-run');
    mkdirSync(dir);
    // wave 1 (host-1), a pause, then wave 2 (host-2): the disk fills during the pause
    const c = gofleetInMountNs(`mount -t tmpfs -o size=16m tmpfs '${dir}'`, [...upgrade(join(dir, 'gofleet.db'), '--canary', '1', '--pause-after', '15s'), '--parallel', '1']);
    let exited = false;
    void c.exited.then(() => (exited = true));
    await waitFor('the pause after wave 1', async () => {
      if (exited) throw new Error(`the controller ended before its pause:\n${c.output()}`);
      return c.output().includes('pausing:');
    }, { timeoutMs: 300_000 });
    await fill(`/proc/${c.pid}/root${dir}/fill`);
    const end = await c.exited;
    const out = c.output();
    assert.equal(end.killed, false, out);
    assert.equal(end.code, 1, out);
    assert.match(out, /STATE_UNAVAILABLE: .*the run journal failed during the run/);
    assert.match(out, /no new hosts will be started/);
    // the disk stays full: the end of the run cannot be recorded, and that is said, not hidden
    assert.match(out, /the journal could not record the end of run/);
    assert.equal(await goVersionOn(h1), 'go1.27.3', 'wave 1 was upgraded before the journal failed');
    assert.equal(await goVersionOn(h2), 'go1.26.8', 'wave 2 was never started');
  });

  test('a run log on a full disk: one warning, the run finishes and the controller ends', async () => {
    const state = join(fx.work, 'full-log', 'gofleet.db');
    openStore(state).close();
    const logs = join(fx.work, 'full-log', 'logs');
    mkdirSync(logs);
    // the journal has room; only the log directory is a full tmpfs
    const c = gofleetInMountNs(`mount -t tmpfs -o size=64k tmpfs '${logs}'; dd if=/dev/zero of='${logs}/fill' bs=4096 2>/dev/null || true`, [...upgrade(state), '--limit', h2.name]);
    const end = await c.exited;
    const out = c.output();
    assert.equal(end.killed, false, `the controller did not end within ${EXIT_WITHIN_MS} ms:\n${out}`);
    assert.equal(end.code, 0, out);
    assert.equal(out.match(/the run log cannot be written/g)?.length, 1, out);
    assert.equal(await goVersionOn(h2), 'go1.27.3');
  });

  test('--no-journal changes hosts without a journal, saying so', async () => {
    const notDb = join(fx.work, 'not-db-2', 'gofleet.db');
    mkdirSync(join(fx.work, 'not-db-2'));
    writeFileSync(notDb, 'not a journal\n');
    const r = await gofleet('rollback', '-i', fx.inventory, '--yes', '--state', notDb, '--limit', h1.name, '--no-journal');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /--no-journal: this run is not recorded/);
    assert.equal(await goVersionOn(h1), 'go1.26.8');
  });
});
