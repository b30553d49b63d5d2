// `use` and `rollback` on a Windows host whose goroot is an MSI install (after `upgrade --method msi`), end to end
// through the real CLI (in-process) against the fake Windows OpenSSH host and its MSI model
// (test/harness/fake-windows-msi-model.ts). The engine decides from the facts (plan-msi-switch.ts): the wanted
// version's .msi reinstalled from the host's cache by the MSI script, verified, the current one reinstalled on
// failure; a refusal (MSI_NOT_CACHED) that touches nothing when the .msi is not cached; never a junction over an
// MSI-owned goroot. Controller side only: no msiexec runs here.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FixtureArchive } from '../harness/toolchains.ts';
import { writeSourceDir } from '../harness/toolchains.ts';
import { startHttpSource, type HttpSource } from '../harness/http-source.ts';
import { startFakeWindowsHost, type FakeWindowsHost } from '../harness/fake-windows-sshd.ts';
import { installVersion, newWindowsMachine, windowsHostModel, type WindowsMachine } from '../harness/fake-windows-host-model.ts';
import { newWindowsMsi } from '../harness/fake-windows-msi-model.ts';
import { gofleet } from './helpers.ts';

const VDIR = 'C:\\ProgramData\\gofleet\\versions';
const CACHE = `${VDIR}\\.gofleet\\cache`;
const OLD_MSI = 'go1.26.8.windows-amd64.msi';
const NEW_MSI = 'go1.27.3.windows-amd64.msi';

interface HostRow {
  name: string;
  status: string;
  from: string | null;
  to: string | null;
  error: { code: string; message: string; hint?: string } | null;
  steps: { step: string; status: string }[];
}

function fakeMsi(dir: string, filename: string): FixtureArchive {
  const path = join(dir, filename);
  writeFileSync(path, `not really an MSI: ${filename}\n`.repeat(64));
  const bytes = readFileSync(path);
  return { path, filename, sha256: createHash('sha256').update(bytes).digest('hex'), size: statSync(path).size };
}

describe('Windows use / rollback on an MSI goroot, end to end (fake host, controller side)', { timeout: 180_000 }, () => {
  let h: FakeWindowsHost;
  let machine: WindowsMachine;
  let source: HttpSource;
  let dir: string;
  let inventory: string;
  let newMsi: FixtureArchive;
  let oldMsi: FixtureArchive;
  const src = (): string[] => ['--source', source.url, '--checksum-source', join(dir, 'src'), '--cache-dir', join(dir, 'cache')];
  const run = (...args: string[]) => gofleet(...args, '-i', inventory, ...src());
  const host = (r: { json(): { hosts: HostRow[] } }): HostRow => r.json().hosts[0] as HostRow;
  const cacheHolds = (files: FixtureArchive[]): void => {
    const local = h.drives.toLocal(CACHE);
    rmSync(local, { recursive: true, force: true });
    mkdirSync(local, { recursive: true });
    for (const f of files) copyFileSync(f.path, join(local, f.filename));
  };
  /** go1.26.8 by its MSI, then `upgrade --method msi` to go1.27.3: both .msi cached, previous go1.26.8 recorded */
  const upgradeViaMsi = async (): Promise<void> => {
    const r = await run('upgrade', '--to', 'go1.27.3', '--method', 'msi', '--yes', '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(host(r).status, 'upgraded');
    assert.deepEqual([machine.msi?.installed, machine.previous], ['go1.27.3', 'go1.26.8']);
    machine.msi!.runs = [];
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gofleet-winmsi-rb-'));
    const fixtures = join(dir, 'fixtures');
    mkdirSync(fixtures);
    oldMsi = fakeMsi(fixtures, OLD_MSI);
    newMsi = fakeMsi(fixtures, NEW_MSI);
    writeSourceDir(join(dir, 'src'), [oldMsi, newMsi]);
    source = await startHttpSource(join(dir, 'src'));
    machine = newWindowsMachine();
    h = await startFakeWindowsHost({ respond: (script, ctx) => windowsHostModel(machine)(script, ctx) });
    inventory = join(dir, 'fleet.yml');
    writeFileSync(inventory, [
      'hosts:',
      `  win-1: { address: 127.0.0.1, port: ${h.port}, user: ${h.user}, identity: ${h.clientKey}, known_hosts: ${h.knownHostsPath}, os: windows }`,
      '',
    ].join('\n'));
  });
  beforeEach(() => {
    machine.active = null;
    machine.previous = null;
    machine.lock = null;
    machine.inject = {};
    machine.msi = newWindowsMsi({ installed: 'go1.26.8' });
    rmSync(h.drives.toLocal(VDIR), { recursive: true, force: true });
    cacheHolds([oldMsi]);
  });
  after(async () => {
    await h?.stop();
    await source?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('upgrade --method msi, then rollback: the previous MSI reinstalled from the host cache, verified, switched', async () => {
    await upgradeViaMsi();
    const ran = machine.ran.length;
    const r = await run('rollback', '--yes', '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const row = host(r);
    assert.deepEqual([row.status, row.from, row.to, row.error], ['switched', 'go1.27.3', 'go1.26.8', null], JSON.stringify(row));
    assert.deepEqual(machine.ran.slice(ran), ['facts', 'msi']);
    assert.deepEqual(machine.msi?.runs, [`/i ${OLD_MSI}`]);
    assert.deepEqual([machine.msi?.installed, machine.active, machine.previous], ['go1.26.8', null, 'go1.27.3']);
    assert.ok(row.steps.some((s) => s.step === 'verify' && s.status === 'ok'), JSON.stringify(row.steps));
    // nothing pushed: the .msi came from the host's cache
    assert.ok(!h.sftpLog.some((l) => l.startsWith('OPEN /C:/') && l.includes(OLD_MSI)), h.sftpLog.join('\n'));
    // and a second rollback goes forward again, the same way
    const back = await run('rollback', '--yes', '--json');
    assert.equal(back.code, 0, back.stdout + back.stderr);
    assert.deepEqual([host(back).status, host(back).to, machine.msi?.installed], ['switched', 'go1.27.3', 'go1.27.3']);
  });

  test('rollback with the old .msi gone from the cache: MSI_NOT_CACHED with its hint, nothing run, the host still on its MSI go', async () => {
    await upgradeViaMsi();
    // a side-by-side copy of the old version does not tempt it into a junction over the MSI's goroot
    installVersion(h, VDIR, 'go1.26.8');
    cacheHolds([newMsi]);
    const ran = machine.ran.length;
    const r = await run('rollback', '--yes', '--json');
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const row = host(r);
    assert.deepEqual([row.status, row.error?.code], ['failed', 'MSI_NOT_CACHED'], JSON.stringify(row));
    assert.match(row.error?.message ?? '', /go1\.26\.8\.windows-amd64\.msi is not in the host's MSI cache/);
    assert.match(row.error?.hint ?? '', /gofleet upgrade --to VERSION --method msi/);
    assert.deepEqual(machine.ran.slice(ran), ['facts']);
    assert.deepEqual([machine.msi?.runs, machine.msi?.installed, machine.active], [[], 'go1.27.3', null]);
    // the host still answers its go: the next facts read the MSI install at goroot
    const facts = await gofleet('facts', '--json', '-i', inventory);
    assert.equal(facts.code, 0, facts.stdout + facts.stderr);
    assert.match(facts.stdout, /go1\.27\.3/);
  });

  test('use VERSION of a cached MSI: installed from the cache and verified; a failed verification reinstalls the current MSI', async () => {
    machine.msi = newWindowsMsi({ installed: 'go1.27.3' });
    cacheHolds([oldMsi, newMsi]);
    machine.inject.verifyFails = 'go1.26.8';
    const failed = await run('use', 'go1.26.8', '--yes', '--json');
    assert.equal(failed.code, 2, failed.stdout + failed.stderr);
    assert.deepEqual([host(failed).status, host(failed).error?.code], ['rolled_back', 'VERIFY_FAILED'], JSON.stringify(host(failed)));
    assert.deepEqual([machine.msi.runs, machine.msi.installed], [[`/i ${OLD_MSI}`, `/i ${NEW_MSI}`], 'go1.27.3']);
    machine.inject = {};
    machine.msi.runs = [];
    const r = await run('use', 'go1.26.8', '--yes', '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual([host(r).status, host(r).from, host(r).to], ['switched', 'go1.27.3', 'go1.26.8'], JSON.stringify(host(r)));
    assert.deepEqual([machine.msi.runs, machine.msi.installed, machine.active], [[`/i ${OLD_MSI}`], 'go1.26.8', null]);
    const again = await run('use', 'go1.26.8', '--yes', '--json');
    assert.deepEqual([again.code, host(again).status, machine.msi.runs.length], [0, 'unchanged', 1]);
  });
});
