// `gofleet serve` end to end: a real controller process, real sshd hosts, a real Chromium on its dashboard. The hosts
// drift; the policy's window opens (the policy file is rewritten: serve reads it again each facts round); the rollout
// runs while the run page updates live (server-sent events); the rollout pauses before its second wave
// (`pause: true`) and is approved from the page, which the audit trail records (who, when, from where). Then SIGTERM
// in the middle of the second wave (a host held by a build in flight): no new host starts, serve exits 0, the run is
// left interrupted; a restarted serve resumes it and finishes it, and no host is switched twice.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startHosts, sshdSkip, type Fleet } from '../harness/sshd.ts';
import { fakeToolchainArchive, writeSourceDir } from '../harness/toolchains.ts';
import { openServeStore, openStore } from '../../src/store/index.ts';
import { execOn, fleetInventory, gofleet, goVersionOn, installManaged, spawnGofleet, waitFor, type ChildCli } from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const skip = sshdSkip() || (!existsSync(CHROMIUM) && process.env.CI !== 'true' ? `${CHROMIUM} is not installed (apt-get install chromium); CI=true runs it regardless` : false);
const VDIR = '/usr/local/gofleet/versions';

const CLOSED = `channels:
  stable: { track: "1.27" }
assign:
  - hosts: "*"
    channel: stable
    window: { cron: "0 3 29 2 *", duration: 1h, tz: UTC }
    rollout: { canary: 1, pause: true, parallel: 1, drain_timeout: 10m }
`;
const OPEN = CLOSED.replace('cron: "0 3 29 2 *", duration: 1h', 'days: daily, start: "00:00", duration: 24h');

interface FleetDoc { hosts: { name: string; status: string; active: string | null; busy: string | null; window: { open: boolean } | null }[] }
interface RunsDoc { runs: { id: string; status: string; command: string }[] }

async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'] });
}

describe('gofleet serve', { skip, timeout: 600_000 }, () => {
  let fleet: Fleet;
  let work: string;
  let inventory: string;
  let source: string;
  let policy: string;
  let state: string;
  let browser: Browser;
  let serve: ChildCli | undefined;
  let url = '';
  let run = '';
  let busyPid = '';

  const api = async <T>(path: string): Promise<T> => {
    const r = await fetch(new URL(path, url));
    assert.equal(r.status, 200, `${path}: ${r.status}`);
    return (await r.json()) as T;
  };
  const start = async (): Promise<void> => {
    serve = spawnGofleet('serve', '-i', inventory, '--policy', policy, '--source', source, '--state', state, '--listen', '127.0.0.1:0', '--refresh', '2s');
    const child = serve;
    url = await waitFor('serve to listen', async () => /dashboard at (http:\/\/127\.0\.0\.1:\d+\/?)/.exec(child.output())?.[1], { timeoutMs: 30_000 });
  };
  const stopServe = async (): Promise<{ code: number | null; signal: NodeJS.Signals | null }> => {
    const child = serve as ChildCli;
    child.child.kill('SIGTERM');
    const exited = await child.exited;
    serve = undefined;
    return exited;
  };

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'gofleet-serve-'));
    const [old, target] = await Promise.all([fakeToolchainArchive('go1.26.8'), fakeToolchainArchive('go1.27.3')]);
    source = join(work, 'src');
    writeSourceDir(source, [old, target], { index: true });
    fleet = await startHosts(3);
    await Promise.all(fleet.hosts.map((h) => installManaged(h, old)));
    inventory = fleetInventory(fleet, fleet.hosts.map((host, i) => ({ host, name: `w${i + 1}` })));
    policy = join(work, 'policy.yaml');
    writeFileSync(policy, CLOSED);
    state = join(work, 'state', 'gofleet.db');
    browser = await launch();
  });

  after(async () => {
    serve?.child.kill('SIGKILL');
    await browser?.close();
    if (busyPid) await execOn(fleet.hosts[1]!, `kill ${busyPid} 2>/dev/null`).catch(() => undefined);
    await fleet?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('the hosts drift, the window opens, the page follows the rollout live, and a person approves the next wave', async () => {
    await start();
    const drifted = await waitFor('a first facts round', async () => {
      const doc = await api<FleetDoc>('/api/fleet');
      return doc.hosts.length === 3 && doc;
    }, { timeoutMs: 60_000 });
    assert.deepEqual(drifted.hosts.map((h) => [h.name, h.status, h.active, h.window?.open]), [['w1', 'behind', 'go1.26.8', false], ['w2', 'behind', 'go1.26.8', false], ['w3', 'behind', 'go1.26.8', false]]);

    const page: Page = await browser.newPage();
    await page.goto(url);
    await page.getByText('w3', { exact: true }).waitFor();
    assert.match(await page.locator('body').innerText(), /behind/);

    // w2 (wave 2) runs a build from its old toolchain: its switch waits (drain), so the rollout is still in wave 2 later
    busyPid = (await execOn(fleet.hosts[1]!, `cd ${VDIR}/go1.26.8 && nohup sleep 600 >/dev/null 2>&1 & echo $!`)).stdout.trim();
    assert.match(busyPid, /^\d+$/);

    // the window opens: serve reads the policy again on its next facts round and starts the rollout
    writeFileSync(policy, OPEN);
    run = await waitFor('the rollout to start', async () => (await api<RunsDoc>('/api/runs')).runs.find((r) => r.command === 'upgrade')?.id, { timeoutMs: 60_000 });
    await page.goto(new URL(`/runs/${run}`, url).toString());
    // the canary upgrades, then the rollout waits for a person before wave 2: the page says so and offers the answer
    const approve = page.getByRole('button', { name: /approve/i });
    await approve.waitFor({ timeout: 120_000 });
    assert.match(await page.locator('body').innerText(), /w1[\s\S]*upgraded/);
    assert.equal(await goVersionOn(fleet.hosts[0]!), 'go1.27.3');
    assert.equal(await goVersionOn(fleet.hosts[2]!), 'go1.26.8', 'wave 2 waits for the approval');
    await approve.click();
    // the live page shows wave 2 under way: w2 waits for its build in flight
    await page.getByText(/drain/i).first().waitFor({ timeout: 60_000 });
    await page.close();

    const audit = openServeStore(state);
    try {
      const entries = audit.listAudit({ run });
      assert.deepEqual(entries.map((e) => [e.action, e.actor, e.source, e.wave]), [['approve', 'local', '127.0.0.1', 2]]);
      assert.ok(Math.abs(entries[0]!.at - Date.now()) < 120_000);
    } finally {
      audit.close();
    }
    // and `gofleet show RUN` shows it to an auditor
    const show = await gofleet('show', run, '--state', state);
    assert.match(show.stdout, /^audit \d{4}-\d\d-\d\d \d\d:\d\d:\d\d approve wave 2 by local from 127\.0\.0\.1 \(w2, w3\)$/m);
  });

  test('SIGTERM mid-rollout: no new host starts and serve exits 0; a restarted serve resumes the run; no host switched twice', async () => {
    assert.ok(run, 'the first test started a rollout');
    const exited = await stopServe();
    assert.deepEqual(exited, { code: 0, signal: null });
    const journal = openStore(state);
    try {
      const stopped = (await journal.getRun(run));
      assert.equal(stopped?.status, 'interrupted');
      assert.deepEqual(stopped?.hosts.map((h) => [h.name, h.status]).slice(0, 1), [['w1', 'upgraded']]);
    } finally {
      journal.close();
    }
    assert.equal(await goVersionOn(fleet.hosts[1]!), 'go1.26.8', 'w2 was waiting: untouched');
    assert.equal(await goVersionOn(fleet.hosts[2]!), 'go1.26.8', 'w3 never started');

    // the build in flight ends; serve starts again and finishes the same run
    await execOn(fleet.hosts[1]!, `kill ${busyPid}`);
    busyPid = '';
    await start();
    await waitFor('the resumed run to finish', async () => (await api<RunsDoc>('/api/runs')).runs.find((r) => r.id === run)?.status === 'done', { timeoutMs: 180_000 });
    for (const h of fleet.hosts) assert.equal(await goVersionOn(h), 'go1.27.3');
    const journal2 = openStore(state);
    try {
      const done = (await journal2.getRun(run));
      assert.deepEqual(done?.hosts.map((h) => [h.name, h.status]), [['w1', 'upgraded'], ['w2', 'upgraded'], ['w3', 'upgraded']]);
      // each host's switch step started once over both serves
      const switches = (await journal2.runEvents(run)).filter((e) => e.kind === 'host-step' && e.payload.step === 'switch' && e.payload.status === 'start').map((e) => String(e.payload.host));
      assert.deepEqual(switches.sort(), ['w1', 'w2', 'w3']);
    } finally {
      journal2.close();
    }
    const fleetDoc = await api<FleetDoc>('/api/fleet');
    await waitFor('the fleet to show compliant', async () => (await api<FleetDoc>('/api/fleet')).hosts.every((h) => h.status === 'compliant'), { timeoutMs: 30_000 });
    assert.equal(fleetDoc.hosts.length, 3);
    assert.deepEqual(await stopServe(), { code: 0, signal: null });
  });
});
