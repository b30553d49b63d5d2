// `gofleet drift` over real sshd hosts with real toolchains: one host on the channel's version (compliant), one
// on the version before (behind), one inventory entry whose port is closed (unknown); the exit codes 2, 3 and 0
// as --limit narrows the fleet; and a policy error names its line.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHosts, sshdSkip, type Fleet } from '../harness/sshd.ts';
import { toolchainArchive, writeSourceDir } from '../harness/toolchains.ts';
import { closedPort, execOn, fleetInventory, gofleet, installManaged } from './helpers.ts';

const skip = sshdSkip();

const POLICY = `channels:
  stable: { track: "1.27" }
assign:
  - hosts: "*"
    channel: stable
    window: { days: [sat, sun], start: "02:00", duration: 4h, tz: Europe/Berlin }
    rollout: { canary: 1, waves: "50%", max_fail: 0 }
`;

describe('gofleet drift', { skip, timeout: 400_000 }, () => {
  let fleet: Fleet;
  let work: string;
  let inventory: string;
  let policy: string;
  let source: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'gofleet-drift-'));
    const [old, target] = await Promise.all([toolchainArchive('go1.26.8'), toolchainArchive('go1.27.3')]);
    source = join(work, 'src');
    writeSourceDir(source, [old, target], { index: true });
    fleet = await startHosts(2);
    await installManaged(fleet.hosts[0]!, target);
    await installManaged(fleet.hosts[1]!, old);
    inventory = fleetInventory(fleet, [
      { host: fleet.hosts[0]!, name: 'current' },
      { host: fleet.hosts[1]!, name: 'old' },
      { host: fleet.hosts[0]!, name: 'gone', port: await closedPort() },
    ]);
    policy = join(work, 'policy.yaml');
    writeFileSync(policy, POLICY);
  });

  after(async () => {
    await fleet?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('drift records no run: the journal (history) is the same after it', async () => {
    const before = await gofleet('history', '--json');
    const r = await gofleet('drift', '-i', inventory, '--policy', policy, '--source', source, '--json', '--limit', 'current');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const after = await gofleet('history', '--json');
    assert.equal(after.code, 0, after.stderr);
    assert.equal(after.stdout, before.stdout);
  });

  test('--json: compliant, behind and unknown with reasons; exit 2', async () => {
    const r = await gofleet('drift', '-i', inventory, '--policy', policy, '--source', source, '--json', '--connect-timeout', '5');
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const hosts = r.json().hosts as { name: string; status: string; active: string | null; wanted: string; channel: string; reasons: string[] }[];
    assert.deepEqual(hosts.map((h) => [h.name, h.status, h.active, h.wanted, h.channel]), [
      ['current', 'compliant', 'go1.27.3', 'go1.27.3', 'stable'],
      ['old', 'behind', 'go1.26.8', 'go1.27.3', 'stable'],
      ['gone', 'unknown', null, 'go1.27.3', 'stable'],
    ]);
    assert.deepEqual(hosts[0]!.reasons, []);
    assert.match(hosts[1]!.reasons[0] ?? '', /runs go1.26.8; channel stable \(track 1.27\) is at go1.27.3/);
    assert.match(hosts[2]!.reasons[0] ?? '', /^unreachable \(/);
    // the assignment's weekend window as it stands now (open or not depends on today: both shapes are checked)
    const windows = (r.json().hosts as { window: { open: boolean; closes_at: string | null; next_opening: string; tz: string } }[]).map((h) => h.window);
    for (const w of windows) {
      assert.equal(w.tz, 'Europe/Berlin');
      assert.equal(w.open, w.closes_at !== null);
      assert.ok(Date.parse(w.next_opening) > Date.now(), w.next_opening);
      assert.ok([0, 6].includes(new Date(Date.parse(w.next_opening) + 3_600_000).getUTCDay()), `a Saturday or Sunday in Berlin: ${w.next_opening}`);
    }
  });

  test('the human table, and exit 3 when the only trouble is an unreachable host', async () => {
    const r = await gofleet('drift', '-i', inventory, '--policy', policy, '--source', source, '--limit', 'current,gone', '--connect-timeout', '5');
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stdout, /^HOST\s+STATUS\s+ACTIVE\s+WANTED\s+CHANNEL\s+WHY$/m);
    assert.match(r.stdout, /^current\s+compliant\s+go1\.27\.3\s+go1\.27\.3\s+stable\s+-$/m);
    assert.match(r.stdout, /^2 hosts: 1 compliant, 1 unknown$/m);
    assert.match(r.stdout, /^window: assign\[0\] \(hosts "\*", 2 hosts\): (open until|closed, opens) \d{4}-\d\d-\d\d (0[2-6]):00 Europe\/Berlin$/m);
  });

  test('exit 0 when every selected host complies', async () => {
    const r = await gofleet('drift', '-i', inventory, '--policy', policy, '--source', source, '--limit', 'current');
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  test('gotoolchain: local — the go.env of the toolchain says auto (misconfigured) until go env -w GOTOOLCHAIN=local', async () => {
    const strict = join(work, 'strict.yaml');
    writeFileSync(strict, POLICY.replace('stable: { track: "1.27" }', 'stable: { track: "1.27", gotoolchain: local }'));
    const drift = async () => {
      const r = await gofleet('drift', '-i', inventory, '--policy', strict, '--source', source, '--limit', 'current', '--json');
      return { code: r.code, host: r.json().hosts[0] as { status: string; reasons: string[] } };
    };
    const before = await drift();
    assert.equal(before.code, 2);
    assert.equal(before.host.status, 'misconfigured');
    assert.match(before.host.reasons[0] ?? '', /GOTOOLCHAIN=auto where the policy says local/);
    // as root logs in over ssh: the host's own root home (exec's HOME would be this machine's /root: never write there)
    const home = (await execOn(fleet.hosts[0]!, 'getent passwd root | cut -d: -f6')).stdout.trim();
    assert.ok(home.startsWith('/') && home !== '/root', `host root home: ${home}`);
    const w = await execOn(fleet.hosts[0]!, `HOME='${home}' XDG_CONFIG_HOME= GOENV= GOTOOLCHAIN=local /usr/local/go/bin/go env -w GOTOOLCHAIN=local && cat '${home}/.config/go/env'`);
    assert.equal(w.exitCode, 0, w.stderr);
    assert.match(w.stdout, /^GOTOOLCHAIN=local$/m);
    const after = await drift();
    assert.deepEqual([after.code, after.host.status, after.host.reasons], [0, 'compliant', []]);
    // facts show what drift judged: GOTOOLCHAIN as the login go sees it
    const facts = await gofleet('facts', '-i', inventory, '--limit', 'current', '--json');
    assert.equal(facts.json().hosts[0].go.gotoolchain, 'local', facts.stdout);
  });

  test('a channel the source cannot resolve leaves its hosts unknown (exit 3), with the reason', async () => {
    const future = join(work, 'future.yaml');
    writeFileSync(future, POLICY.replace('track: "1.27"', 'track: "1.28"'));
    const r = await gofleet('drift', '-i', inventory, '--policy', future, '--source', source, '--limit', 'current', '--json');
    assert.equal(r.code, 3, r.stdout + r.stderr);
    const h = r.json().hosts[0];
    assert.deepEqual([h.status, h.active, h.wanted], ['unknown', 'go1.27.3', null]);
    assert.match(h.reasons[0], /channel stable could not be resolved: VERSION_UNKNOWN: no go1\.28\.x release is offered/);
  });

  test('a bad policy file: exit 4, file:line and the code', async () => {
    const bad = join(work, 'bad.yaml');
    writeFileSync(bad, 'channels:\n  stable: { track: "1.27" }\nassign:\n  - hosts: "*"\n    channel: stabel\n');
    const r = await gofleet('drift', '-i', inventory, '--policy', bad, '--source', source);
    assert.equal(r.code, 4, r.stdout + r.stderr);
    assert.match(r.stderr, /bad\.yaml:5: assign\.0\.channel: no channel named "stabel" \(did you mean "stable"\?\)/);
    assert.match(r.stderr, /POLICY_INVALID/);
  });
});
