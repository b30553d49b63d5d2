// --distribution pull|auto on Windows hosts, end to end through the real CLI (in-process) against fake Windows
// OpenSSH hosts playing the machine model (test/harness/fake-windows-host-model.ts, its pull and reach in
// fake-windows-pull-model.ts), with the loopback HTTP source serving the fake windows-amd64 zips. Controller side
// only (no PowerShell runs): the engine sends the upgrade script with the source URL and the resolved SHA-256, the
// host downloads into its cache itself (resuming a partial with Range), nothing is uploaded; under auto, the reach
// probe decides, and a host that cannot reach the source is pushed to.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { newWindowsMachine } from '../harness/fake-windows-host-model.ts';
import type { HostRow } from './windows-fleet-assert.ts';
import { useWindowsFleet, VDIR } from './windows-fleet.ts';


const ZIP = 'go1.27.3.windows-amd64.zip';
const CACHED = `${VDIR}\\.gofleet\\cache\\${ZIP}`;

type Row = HostRow & { delivery?: string };

function rows(stdout: string): Map<string, Row> {
  const hosts = (JSON.parse(stdout) as { hosts: Row[] }).hosts;
  return new Map(hosts.map((h) => [h.name, h]));
}

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('--distribution pull on Windows: each host downloads the zip itself, resuming a partial', { timeout: 180_000 }, () => {
  const fresh = newWindowsMachine({ active: 'go1.26.8' });
  const partial = newWindowsMachine({ active: 'go1.26.8' });
  const cutOff = newWindowsMachine({ active: 'go1.26.8', unreachable: true });
  const fleet = useWindowsFleet({
    transport: 'ssh', prefix: 'gofleet-winpull-',
    hosts: [{ name: 'win-fresh', machine: fresh }, { name: 'win-partial', machine: partial }, { name: 'win-cut-off', machine: cutOff }],
  });

  test('pulled, resumed from byte N with Range, no upload; the cut-off host fails PULL_FAILED with goroot untouched', async () => {
    const zip = fleet.archive(ZIP);
    const half = Math.floor(zip.size / 2);
    const part = fleet.hosts[1]?.host.drives.toLocal(`${CACHED}.partial`) ?? assert.fail('win-partial');
    mkdirSync(dirname(part), { recursive: true });
    writeFileSync(part, readFileSync(zip.path).subarray(0, half));

    const r = await fleet.run('upgrade', '--to', 'go1.27.3', '--distribution', 'pull', '--yes', '--json', ...fleet.src());
    const by = rows(r.stdout);
    for (const [name, m] of [['win-fresh', fresh], ['win-partial', partial]] as const) {
      const h = by.get(name);
      assert.deepEqual([h?.status, h?.delivery, h?.to], ['upgraded', 'pull', 'go1.27.3'], `${name}: ${r.stdout}${r.stderr}`);
      assert.ok(h?.steps.some((s) => s.step === 'pull' && s.status === 'ok'), JSON.stringify(h?.steps));
      assert.equal(m.active, 'go1.27.3');
      assert.deepEqual(m.pulls?.map((p) => p.url), [(fleet.source?.url ?? '') + ZIP]);
    }
    assert.deepEqual(fresh.pulls?.map((p) => [p.from, p.status]), [[0, 200]]);
    assert.deepEqual(partial.pulls?.map((p) => [p.from, p.status]), [[half, 206]]);
    for (const fh of fleet.hosts.slice(0, 2)) {
      assert.equal(sha(fh.host.drives.toLocal(CACHED)), zip.sha256, `${fh.name}: the cached zip is the resolved file`);
      assert.ok(!fh.host.sftpLog.some((l) => l.includes(ZIP)), `${fh.name}: nothing uploaded\n${fh.host.sftpLog.join('\n')}`);
    }
    const cut = by.get('win-cut-off');
    assert.deepEqual([cut?.status, cut?.error?.code, cut?.delivery], ['failed', 'PULL_FAILED', 'pull'], r.stdout);
    assert.match(cut?.error?.message ?? '', /Unable to connect to the remote server/);
    assert.equal(cutOff.active, 'go1.26.8');
    assert.notEqual(r.code, 0);
  });
});

describe('--distribution auto on Windows: pull where the reach probe says the host reaches the source, else push', { timeout: 180_000 }, () => {
  const reaches = newWindowsMachine({ active: 'go1.26.8' });
  const cutOff = newWindowsMachine({ active: 'go1.26.8', unreachable: true });
  const fleet = useWindowsFleet({
    transport: 'ssh', prefix: 'gofleet-winauto-',
    hosts: [{ name: 'win-reaches', machine: reaches }, { name: 'win-cut-off', machine: cutOff }],
  });

  test('the reachable host pulls; the unreachable one is pushed to over its connection; both upgraded', async () => {
    const plan = await fleet.run('plan', '--to', 'go1.27.3', '--distribution', 'auto', '--json', ...fleet.src());
    assert.equal(plan.code, 0, plan.stdout + plan.stderr);
    const planned = new Map(
      (plan.json().waves as { hosts: { name: string; delivery?: string }[] }[]).flatMap((w) => w.hosts).map((h) => [h.name, h.delivery]),
    );
    assert.deepEqual([planned.get('win-reaches'), planned.get('win-cut-off')], ['pull', 'push'], plan.stdout);

    const r = await fleet.run('upgrade', '--to', 'go1.27.3', '--distribution', 'auto', '--yes', '--json', ...fleet.src());
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const by = rows(r.stdout);
    assert.deepEqual([by.get('win-reaches')?.status, by.get('win-reaches')?.delivery], ['upgraded', 'pull'], r.stdout);
    assert.deepEqual([by.get('win-cut-off')?.status, by.get('win-cut-off')?.delivery], ['upgraded', 'push'], r.stdout);
    assert.ok(reaches.ran.includes('reach') && cutOff.ran.includes('reach'), `${reaches.ran.join(' ')} | ${cutOff.ran.join(' ')}`);
    assert.deepEqual(reaches.pulls?.map((p) => p.status), [200]);
    assert.deepEqual(cutOff.pulls ?? [], [], 'auto did not ask the cut-off host to pull');
    const [pulled, pushed] = fleet.hosts;
    assert.ok(!pulled?.host.sftpLog.some((l) => l.includes(ZIP)));
    assert.ok(pushed?.host.sftpLog.some((l) => l.startsWith('OPEN ') && l.includes(ZIP)), pushed?.host.sftpLog.join('\n'));
    for (const fh of fleet.hosts) assert.equal(sha(fh.host.drives.toLocal(CACHED)), fleet.archive(ZIP).sha256, fh.name);
    assert.deepEqual([reaches.active, cutOff.active], ['go1.27.3', 'go1.27.3']);
  });
});

describe('--distribution auto on Windows: a host that reaches the source but fails the download is pushed to', { timeout: 180_000 }, () => {
  const refused = newWindowsMachine({ active: 'go1.26.8', refuseGet: 403 });
  const fleet = useWindowsFleet({ transport: 'ssh', prefix: 'gofleet-winauto2-', hosts: [{ name: 'win-refused', machine: refused }] });

  test('reach ok, pull PULL_FAILED (403 from the proxy), then pushed and run again: upgraded', async () => {
    const r = await fleet.run('upgrade', '--to', 'go1.27.3', '--distribution', 'auto', '--yes', '--json', ...fleet.src());
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const h = rows(r.stdout).get('win-refused');
    assert.deepEqual([h?.status, h?.delivery], ['upgraded', 'push'], r.stdout);
    assert.deepEqual(refused.pulls?.map((p) => p.status), [403]);
    assert.ok(fleet.host.sftpLog.some((l) => l.startsWith('OPEN ') && l.includes(ZIP)), fleet.host.sftpLog.join('\n'));
    assert.equal(refused.active, 'go1.27.3');
  });
});
