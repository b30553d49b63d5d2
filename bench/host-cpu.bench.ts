// Host CPU per host for one upgrade: real sshd hosts on loopback, upgraded by gofleet (and, with --ansible, by
// ansible-playbook running bench/ansible-upgrade.yml, which does the same work: unarchive, link, go version,
// the offline hello-world build) from a bare host to go1.27.3.
//
//   node --import tsx bench/host-cpu.bench.ts [--hosts 2] [--toolchain real|fake] [--build yes|no] [--ansible]
//
// How host CPU is counted: each harness host is a pid namespace whose pid 1 is its sshd, and pid 1 reaps every
// process of the host (the per-connection sshd, sftp-server, the shell, go, compile, link; orphans too). So
// utime + stime + cutime + cstime of that sshd (/proc/<pid>/stat, as this machine sees it), read before and
// after the upgrade with no connection open, is all the CPU the host spent on it: SSH crypto included, the
// harness's own `nsenter` commands excluded (they are not sshd's children). Other load on the machine does not
// count (it is CPU time, not wall time), though a loaded machine makes every CPU second a little dearer.
// Figures only; nothing is asserted.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRuntime } from '../src/cli/runtime.ts';
import { toGlobalOptions } from '../src/cli/global-options.ts';
import type { CliIo } from '../src/cli/io.ts';
import { runFleet } from '../src/engine/run-fleet.ts';
import { upgradeHost } from '../src/engine/upgrade-host.ts';
import { startHosts, type Fleet, type SshdHost } from '../test/harness/sshd.ts';
import { fakeToolchainArchive, toolchainArchive, writeSourceDir, type FixtureArchive } from '../test/harness/toolchains.ts';

const { values } = parseArgs({
  options: {
    hosts: { type: 'string', default: '2' },
    toolchain: { type: 'string', default: 'real' },
    build: { type: 'string', default: 'yes' },
    ansible: { type: 'boolean', default: false },
  },
});
const N = Math.max(1, Number(values.hosts));
const BUILD = values.build !== 'no';
const TARGET = 'go1.27.3';
const silent: CliIo = { out: () => {}, err: () => {}, stdoutTty: false, stderrTty: false };
const TICK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU seconds of a host so far: its sshd (pid 1 of the host) and every child it reaped. */
function hostCpuSeconds(host: SshdHost): number {
  const stat = readFileSync(`/proc/${host.pid()}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  // fields 14..17 of proc(5) are utime stime cutime cstime; f[0] is field 3
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / TICK;
}

/** Wait until no connection of the host is left (its sshd children reaped), so its CPU is all counted. Other
 *  children of pid 1 (orphans it adopted, e.g. a watchdog's sleep) are named on stderr, not waited for. */
async function settled(host: SshdHost): Promise<void> {
  const pid = host.pid();
  const comm = (p: string): string => {
    try {
      return readFileSync(`/proc/${p}/comm`, 'utf8').trim();
    } catch {
      return '';
    }
  };
  let others: string[] = [];
  for (let i = 0; i < 300; i++) {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean);
    const sessions = children.filter((c) => comm(c).startsWith('sshd'));
    others = children.filter((c) => !sessions.includes(c)).map((c) => `${c}:${comm(c)}`);
    if (sessions.length === 0) {
      if (others.length > 0) console.error(`${host.name}: still running after the upgrade: ${others.join(' ')}`);
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${host.name}: connections still open after 30 s`);
}

async function measure(hosts: readonly SshdHost[], upgrade: () => Promise<void>): Promise<number[]> {
  for (const h of hosts) await h.exec('rm -rf /usr/local/go /usr/local/gofleet');
  for (const h of hosts) await settled(h);
  const before = hosts.map(hostCpuSeconds);
  await upgrade();
  for (const h of hosts) await settled(h);
  return hosts.map((h, i) => hostCpuSeconds(h) - (before[i] ?? 0));
}

function summary(label: string, xs: number[]): string {
  const sorted = [...xs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return `| ${label} | ${N} | ${BUILD ? 'yes' : 'no'} | ${median.toFixed(2)} | ${(sorted[0] ?? 0).toFixed(2)} | ${(sorted.at(-1) ?? 0).toFixed(2)} |`;
}

async function gofleet(fleet: Fleet, work: string, archive: FixtureArchive): Promise<number[]> {
  writeSourceDir(join(work, 'src'), [archive], { index: true });
  const inventory = join(work, 'inventory.yml');
  writeFileSync(inventory, ['defaults:', '  user: root', `  identity: ${fleet.clientKey}`, `  known_hosts: ${fleet.knownHostsPath}`, 'hosts:',
    ...fleet.hosts.map((h) => `  ${h.name}: { address: 127.0.0.1, port: ${h.port} }`), ''].join('\n'));
  const raw = { inventory, source: join(work, 'src'), cacheDir: join(work, 'cache'), parallel: N, yes: true, json: true, verifyBuild: BUILD, requirePath: false };
  const rt = await createRuntime(toGlobalOptions(raw), raw, silent);
  const ctx = rt.context('upgrade');
  return measure(fleet.hosts, async () => {
    const results = await runFleet(rt.hosts, (h, s) => upgradeHost(h, TARGET, ctx, s), ctx, { command: 'upgrade', target: TARGET, parallel: N });
    const bad = results.filter((r) => r.status !== 'upgraded');
    if (bad.length > 0) throw new Error(`gofleet did not upgrade: ${JSON.stringify(bad[0])}`);
  });
}

async function ansible(fleet: Fleet, work: string, archive: FixtureArchive): Promise<number[]> {
  const inventory = join(work, 'hosts.ini');
  writeFileSync(inventory, ['[fleet]', ...fleet.hosts.map((h) => `${h.name} ansible_host=127.0.0.1 ansible_port=${h.port}`), '',
    '[fleet:vars]', 'ansible_user=root', `ansible_ssh_private_key_file=${fleet.clientKey}`,
    `ansible_ssh_common_args='-o UserKnownHostsFile=${fleet.knownHostsPath} -o StrictHostKeyChecking=yes'`, ''].join('\n'));
  const playbook = fileURLToPath(new URL('./ansible-upgrade.yml', import.meta.url));
  return measure(fleet.hosts, async () => {
    const r = spawnSync('ansible-playbook', ['-i', inventory, '-f', String(N), playbook,
      '-e', `archive=${archive.path} target=${TARGET} build=${BUILD}`], { encoding: 'utf8', env: {
      ...process.env,
      ANSIBLE_HOST_KEY_CHECKING: 'True',
      // Ansible's default ssh_args, with the master connection kept 3 s instead of 60 s so the host settles
      ANSIBLE_SSH_ARGS: '-C -o ControlMaster=auto -o ControlPersist=3s',
    } });
    if (r.status !== 0) throw new Error(`ansible-playbook exited ${r.status}: ${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}`);
  });
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'gofleet-hostcpu-'));
  const fleet = await startHosts(N);
  try {
    const archive = values.toolchain === 'real' ? await toolchainArchive(TARGET) : await fakeToolchainArchive(TARGET);
    console.log(`host CPU seconds per host, upgrade of a bare host to ${TARGET} (${values.toolchain} toolchain); load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
    console.log('| tool | hosts | build | median s | min s | max s |');
    console.log('|---|---|---|---|---|---|');
    console.log(summary('gofleet', await gofleet(fleet, work, archive)));
    if (values.ansible) console.log(summary('ansible-playbook', await ansible(fleet, work, archive)));
  } catch (e) {
    for (const h of fleet.hosts) console.error(readFileSync(h.logPath, 'utf8').slice(-3000));
    throw e;
  } finally {
    await fleet.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
