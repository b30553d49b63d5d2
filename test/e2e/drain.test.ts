// Builds in flight, end to end: a real sshd host (its own PID namespace, so only its processes are seen) running a
// process from the OLD version. upgrade waits for it (--drain-timeout), skips the host with HOST_BUSY when it
// outlives the wait (host untouched), switches anyway with --force, and switches after a process that ends during
// the wait. `plan` notes the busy host. Small fake toolchains keep it fast.

import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startHosts, sshdSkip, type Fleet, type SshdHost } from '../harness/sshd.ts';
import { fakeToolchainArchive, writeSourceDir, type FixtureArchive } from '../harness/toolchains.ts';
import { execOn, fleetInventory, gofleet, gorootState, installManaged, snapshotHost, type CliRun } from './helpers.ts';

const skip = sshdSkip();
const VDIR = '/usr/local/gofleet/versions';
const OLD = `${VDIR}/go1.26.8`;

interface HostJson {
  name: string;
  status: string;
  error: { code: string; message: string; hint: string } | null;
  warnings: string[];
  steps: { step: string; status: string; code?: string; message?: string; ended_at: string | null }[];
}

function only(r: CliRun): HostJson {
  const doc = r.json<{ hosts: HostJson[] }>();
  assert.equal(doc.hosts.length, 1, r.stdout);
  return doc.hosts[0] as HostJson;
}

async function sh(host: SshdHost, cmd: string): Promise<string> {
  const r = await execOn(host, cmd);
  assert.equal(r.exitCode, 0, `${cmd}: ${r.stderr}`);
  return r.stdout.trim();
}

describe('drain: builds in flight hold back the switch', { skip, timeout: 300_000 }, () => {
  let fleet: Fleet;
  let host: SshdHost;
  let inventory: string;
  let source: string;
  let from: FixtureArchive;
  const dirs: string[] = [];
  /** pids of the processes started on the host, killed (by pid) before the next test */
  const started: string[] = [];

  before(async () => {
    const [a, b] = await Promise.all([fakeToolchainArchive('go1.26.8'), fakeToolchainArchive('go1.27.3')]);
    from = a;
    fleet = await startHosts(1);
    host = fleet.hosts[0] as SshdHost;
    const dir = mkdtempSync(join(tmpdir(), 'gofleet-drain-'));
    dirs.push(dir);
    source = join(dir, 'src');
    writeSourceDir(source, [a, b]);
    inventory = fleetInventory(fleet);
    dirs.push(dirname(inventory));
  });

  beforeEach(async () => {
    for (const pid of started.splice(0)) await sh(host, `kill ${pid} 2>/dev/null; true`);
    await sh(host, 'rm -rf /usr/local/gofleet /usr/local/go');
    await installManaged(host, from);
  });

  after(async () => {
    for (const pid of started.splice(0)) await execOn(host, `kill ${pid} 2>/dev/null`).catch(() => undefined);
    await fleet?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  /** a long-running process whose working directory is inside the old version; its pid */
  async function busyProcess(seconds: number): Promise<string> {
    const pid = await sh(host, `cd ${OLD}/src 2>/dev/null || cd ${OLD}; nohup sleep ${seconds} >/dev/null 2>&1 & echo $!`);
    started.push(pid);
    return pid;
  }

  test('a process outlives --drain-timeout: skipped with HOST_BUSY, host untouched; plan notes it', async () => {
    const pid = await busyProcess(600);
    const plan = await gofleet('plan', '-i', inventory, '--to', 'go1.27.3', '--source', source);
    assert.equal(plan.code, 0, plan.stdout + plan.stderr);
    assert.match(plan.stdout, new RegExp(`busy: ${pid} `), plan.stdout);
    assert.doesNotMatch(plan.stdout, /HOST_BUSY/, 'a note, not a skip');

    const before = await snapshotHost(host);
    const r = await gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--source', source, '--yes', '--json', '--drain-timeout', '3s');
    const h = only(r);
    assert.equal(h.status, 'skipped', r.stdout);
    assert.equal(h.error?.code, 'HOST_BUSY');
    assert.match(h.error?.message ?? '', new RegExp(`${pid} `));
    assert.match(h.error?.hint ?? '', /--force/);
    assert.deepEqual(h.steps.filter((s) => s.step === 'drain').map((s) => [s.status, s.code]), [['fail', 'HOST_BUSY']]);
    assert.deepEqual(h.steps.filter((s) => ['upload', 'stage', 'switch'].includes(s.step)), [], 'nothing pushed or switched');
    assert.equal(await snapshotHost(host), before, 'host byte-for-byte unchanged');
    assert.equal(await gorootState(host), `link ${OLD}`);
  });

  test('--force switches while the process runs (with a warning)', async () => {
    await busyProcess(600);
    const r = await gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--source', source, '--yes', '--json', '--drain-timeout', '1h', '--force');
    const h = only(r);
    assert.equal(h.status, 'upgraded', r.stdout + r.stderr);
    assert.deepEqual(h.steps.filter((s) => s.step === 'drain').map((s) => s.status), ['skip']);
    assert.ok(h.warnings.some((w) => /process\(es\) used the toolchain/.test(w)), JSON.stringify(h.warnings));
    assert.equal(await gorootState(host), `link ${VDIR}/go1.27.3`);
  });

  test('a process that ends during the wait: the switch happens after it has gone', async () => {
    // the shell itself holds its cwd in the old version until it has written the time it ended
    await sh(host, `cd ${OLD}; nohup sh -c 'sleep 4; date +%s%N > /root/gone' >/dev/null 2>&1 &`);
    const r = await gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--source', source, '--yes', '--json', '--drain-timeout', '2m');
    const h = only(r);
    assert.equal(h.status, 'upgraded', r.stdout + r.stderr);
    const drain = h.steps.find((s) => s.step === 'drain');
    assert.equal(drain?.status, 'ok', JSON.stringify(h.steps));
    const goneMs = Number(BigInt(await sh(host, 'cat /root/gone')) / 1_000_000n);
    assert.ok(Date.parse(drain?.ended_at ?? '') >= goneMs, `drain ended ${drain?.ended_at}, process gone at ${new Date(goneMs).toISOString()}`);
    const sw = h.steps.findIndex((s) => s.step === 'switch');
    assert.ok(sw > h.steps.indexOf(drain!), 'switched after the drain');
    assert.equal(await gorootState(host), `link ${VDIR}/go1.27.3`);
  });
});
