// Canary, waves and the failure budget, end to end: 6 real sshd hosts, the real CLI, small fake toolchains
// (fake go1.26.8 installed managed on every host, fake go1.27.3 as the target). host-6 is tagged canary.
// `--canary 1 --waves 2,100%` gives the waves [host-6] [host-1 host-2] [host-3 host-4 host-5]; host-2 fails its
// health command (a global --health-cmd that fails where a marker file exists), so with `--max-fail 0` wave 3
// never starts: its hosts are skipped with BUDGET_EXCEEDED, untouched, exit 2 — and the journal (`show RUN`)
// agrees with what each host runs. Then the marker goes, the same command is re-run and finishes the rollout.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHosts, sshdSkip, type Fleet, type SshdHost } from '../harness/sshd.ts';
import { fakeToolchainArchive, writeSourceDir } from '../harness/toolchains.ts';
import { execOn, fleetInventory, gofleet, goVersionOn, installManaged, listDir, snapshotHost } from './helpers.ts';

const skip = sshdSkip();
const VDIR = '/usr/local/gofleet/versions';
const MARKER = '/usr/local/fail-health';
const ROLLOUT = ['--canary', '1', '--waves', '2,100%'];

interface HostJson {
  name: string;
  status: string;
  from: string | null;
  to: string | null;
  wave: number;
  error: { code: string; message: string; hint: string } | null;
  steps: { step: string; status: string }[];
  started_at?: string | null;
  ended_at?: string | null;
}

describe('a rollout in waves with a failure budget', { skip, timeout: 300_000 }, () => {
  let fleet: Fleet;
  let hosts: SshdHost[];
  let inventory: string;
  const temps: string[] = [];
  let src: string[];
  let run = '';

  const tmp = (prefix: string): string => {
    const dir = mkdtempSync(join(tmpdir(), `gofleet-${prefix}-`));
    temps.push(dir);
    return dir;
  };
  const host = (n: number): SshdHost => hosts[n - 1] as SshdHost;
  const upgrade = (...extra: string[]) =>
    gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', ...ROLLOUT, '--max-fail', '0', '--health-cmd', `test ! -e ${MARKER}`, '--yes', ...src, ...extra);

  before(async () => {
    const [from, to] = await Promise.all([fakeToolchainArchive('go1.26.8'), fakeToolchainArchive('go1.27.3')]);
    const dir = tmp('src');
    writeSourceDir(dir, [to]);
    src = ['--source', dir, '--cache-dir', tmp('cache')];
    fleet = await startHosts(6);
    hosts = fleet.hosts;
    await Promise.all(hosts.map((h) => installManaged(h, from)));
    const marked = await execOn(host(2), `touch ${MARKER}`);
    assert.equal(marked.exitCode, 0, marked.stderr);
    inventory = fleetInventory(fleet, hosts.map((h, i) => ({ host: h, ...(i === 5 ? { extra: 'tags: [canary]' } : {}) })));
    temps.push(join(inventory, '..'));
  });

  after(async () => {
    await fleet?.stop();
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  });

  test('plan prints the waves: the canary-tagged host first, then the list over the others', async () => {
    const r = await gofleet('plan', '-i', inventory, '--to', 'go1.27.3', ...ROLLOUT, '--json', ...src);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const waves = r.json<{ waves: { hosts: { name: string; actions: string[] }[] }[] }>().waves;
    assert.deepEqual(waves.map((w) => w.hosts.map((h) => h.name)), [['host-6'], ['host-1', 'host-2'], ['host-3', 'host-4', 'host-5']]);
    for (const h of waves.flat().flatMap((w) => w.hosts)) assert.deepEqual(h.actions, ['stage', 'switch', 'verify'], h.name);
    const text = await gofleet('plan', '-i', inventory, '--to', 'go1.27.3', ...ROLLOUT, ...src);
    assert.match(text.stdout, /^3\s+host-5\s/m, text.stdout);
  });

  test('a bad wave list is refused before any host is contacted: exit 5, BAD_OPTION', async () => {
    const r = await gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--waves', '5,3', '--yes', ...src);
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stderr, /BAD_OPTION: --waves "5,3": entries are cumulative/);
    const m = await gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--max-fail', 'ten', '--yes', ...src);
    assert.equal(m.code, 5, m.stderr);
    assert.match(m.stderr, /BAD_OPTION: --max-fail "ten"/);
  });

  test('a failure in wave 2 spends the budget: wave 3 is skipped with BUDGET_EXCEEDED, exit 2', async () => {
    const untouched = await Promise.all([3, 4, 5].map((n) => snapshotHost(host(n))));
    const r = await upgrade('--json');
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const doc = r.json<{ run: string; hosts: HostJson[] }>();
    run = doc.run;
    const got = doc.hosts.map((h) => [h.name, h.wave, h.status, h.error?.code ?? null]);
    assert.deepEqual(got, [
      ['host-6', 1, 'upgraded', null],
      ['host-1', 2, 'upgraded', null],
      ['host-2', 2, 'rolled_back', 'VERIFY_FAILED'],
      ['host-3', 3, 'skipped', 'BUDGET_EXCEEDED'],
      ['host-4', 3, 'skipped', 'BUDGET_EXCEEDED'],
      ['host-5', 3, 'skipped', 'BUDGET_EXCEEDED'],
    ]);
    for (const h of doc.hosts.filter((x) => x.wave === 3)) {
      assert.deepEqual(h.steps, [], `${h.name} was never contacted`);
      assert.equal(h.error?.message, `${h.name}: not started, the failure budget is spent (wave 2: 1 of 2 host(s) failed, --max-fail 0 allows 0)`);
      assert.match(h.error?.hint ?? '', /inspect the failed hosts/);
    }

    // what is on each host: upgraded hosts answer the target, the rolled back and the skipped ones the old
    const want: Record<string, string> = { 'host-6': 'go1.27.3', 'host-1': 'go1.27.3', 'host-2': 'go1.26.8', 'host-3': 'go1.26.8', 'host-4': 'go1.26.8', 'host-5': 'go1.26.8' };
    for (const h of hosts) assert.equal(await goVersionOn(h), want[h.name], `${h.name}: go version`);
    for (const n of [3, 4, 5]) assert.equal(await snapshotHost(host(n)), untouched[n - 3], `host-${n}: /usr/local byte-for-byte as before`);
    assert.deepEqual(await listDir(host(2), VDIR), ['.gofleet', 'go1.26.8', 'go1.27.3'], 'host-2 keeps the staged target beside the old');

    // the run journal says the same, host by host
    const shown = await gofleet('show', run, '--json');
    assert.equal(shown.code, 0, shown.stderr);
    const journal = shown.json<{ hosts: HostJson[]; counts: Record<string, number> }>();
    assert.deepEqual(journal.hosts.map((h) => [h.name, h.wave, h.status, h.from, h.to, h.error?.code ?? null]),
      doc.hosts.map((h) => [h.name, h.wave, h.status, h.from, h.to, h.error?.code ?? null]));
    assert.deepEqual(journal.counts, { upgraded: 2, rolled_back: 1, skipped: 3 });
    for (const h of journal.hosts) {
      const onHost = await goVersionOn(hosts.find((x) => x.name === h.name) as SshdHost);
      assert.equal(onHost, h.status === 'upgraded' ? h.to : 'go1.26.8', `${h.name}: the journal agrees with the host`);
    }
    // wave 2 started only after wave 1 ended
    const at = (name: string, k: 'started_at' | 'ended_at'): number => Date.parse(journal.hosts.find((h) => h.name === name)?.[k] ?? '');
    assert.ok(at('host-1', 'started_at') >= at('host-6', 'ended_at'), 'wave 2 after wave 1');
  });

  test('fixed, the same command finishes the rollout; progress and summary show the waves', async () => {
    const fixed = await execOn(host(2), `rm -f ${MARKER}`);
    assert.equal(fixed.exitCode, 0, fixed.stderr);
    const r = await upgrade();
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /^wave 1 · 1 host\(s\): host-6$/m);
    assert.match(r.stderr, /^wave 3 · 3 host\(s\): host-3, host-4, host-5$/m);
    assert.match(r.stderr, /^wave 2 done: (1 unchanged, 1 upgraded|1 upgraded, 1 unchanged)$/m);
    assert.match(r.stdout, /^wave\s+host\s+from\s+to\s+status/m);
    assert.match(r.stdout, /^1\s+= host-6\s+go1\.27\.3\s+go1\.27\.3\s+unchanged/m);
    assert.match(r.stdout, /^3\s+✓ host-5\s+go1\.26\.8\s+go1\.27\.3\s+upgraded/m);
    for (const h of hosts) assert.equal(await goVersionOn(h), 'go1.27.3', `${h.name}: go version`);
    assert.notEqual(run, '');
  });

  test('--pause-after waits between waves with a countdown line; the run log has every host step', async () => {
    const r = await gofleet('use', '-i', inventory, 'go1.26.8', '--limit', 'host-1,host-2', '--waves', '1', '--pause-after', '1s', '--yes');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const lines = r.stderr.split('\n');
    const at = (re: RegExp): number => lines.findIndex((l) => re.test(l));
    const pausing = at(/^pausing: wave 2 of 2 \(1 host\) starts in 1s · Ctrl-C stops the rollout$/);
    assert.ok(pausing > at(/^wave 1 done: 1 switched$/) && at(/^wave 1 done/) >= 0, r.stderr);
    assert.ok(at(/^wave 2 · 1 host\(s\): host-2$/) > pausing, r.stderr);
    for (const n of [1, 2]) assert.equal(await goVersionOn(host(n)), 'go1.26.8');

    // the summary's footer names the run log: JSON lines, every host step, no secret
    const path = /^log: (.+\.log)$/m.exec(r.stdout)?.[1] ?? '';
    assert.ok(existsSync(path), r.stdout);
    const log = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event?: string; host?: string; step?: string; status?: string; msg: string });
    assert.deepEqual(log.filter((l) => l.event === 'host-done').map((l) => `${l.host} ${l.status}`), ['host-1 switched', 'host-2 switched']);
    assert.ok(log.some((l) => l.event === 'host-step' && l.host === 'host-2' && l.step === 'switch' && l.status === 'ok'), 'host steps are logged');
    assert.ok(log.some((l) => /pausing 1000 ms before wave 2/.test(l.msg)), 'the pause is logged');

    // --pause cannot ask without a terminal: refused before any host is contacted (exit 5)
    const refused = await gofleet('use', '-i', inventory, 'go1.27.3', '--waves', '1', '--pause');
    assert.equal(refused.code, 5, refused.stderr);
    assert.match(refused.stderr, /BAD_OPTION: --pause asks before each wave, but there is no terminal to ask on/);
    for (const n of [1, 2]) assert.equal(await goVersionOn(host(n)), 'go1.26.8', 'untouched');
  });
});
