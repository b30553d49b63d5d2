// Where one host's time goes: a real sshd host on loopback, idle machine, one host at a time.
//
//   node --import tsx bench/host-profile.bench.ts [--runs 10] [--state empty|managed]
//
// Prints, as medians over --runs: the SSH connect (TCP + key exchange + auth), an empty `sh -s` round trip,
// the shell probe that picks the dialect (`echo gofleet-shell '%OS%'`, sent before the remote shell is handed
// over, as probe-host sends it), the facts script over SSH, each section of the facts script over SSH (the script re-rendered with that
// section as its entry), the facts script run inside the host under `strace -f` (processes forked and
// programs exec'd, and its wall time there), the upload of the fake archive and the upgrade script.
// `--state managed` first upgrades the host once (goroot is then a link to a managed fake toolchain),
// `empty` leaves the host bare as in fleet.bench.ts. Figures only; nothing is asserted.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRuntime } from '../src/cli/runtime.ts';
import { toGlobalOptions } from '../src/cli/global-options.ts';
import type { CliIo } from '../src/cli/io.ts';
import { runFleet } from '../src/engine/run-fleet.ts';
import { upgradeHost } from '../src/engine/upgrade-host.ts';
import { DETECT_SHELL_COMMAND } from '../src/platform/detect-shell.ts';
import { posix } from '../src/platform/posix/index.ts';
import type { HostPaths } from '../src/platform/types.ts';
import type { Transport } from '../src/transport/types.ts';
import { startHosts, type SshdHost } from '../test/harness/sshd.ts';
import { fakeToolchainArchive, writeSourceDir } from '../test/harness/toolchains.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    state: { type: 'string', default: 'empty' },
  },
});
const RUNS = Math.max(1, Number(values.runs));
const silent: CliIo = { out: () => {}, err: () => {}, stdoutTty: false, stderrTty: false };
const paths: HostPaths = { goroot: '/usr/local/go', versionsDir: '/usr/local/gofleet/versions' };

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const ms = (x: number): string => `${x.toFixed(1)} ms`;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const v = await fn();
  return [v, performance.now() - t];
}

/** The sections gf_facts() calls, in order (parsed from the rendered script, so this follows the script). */
function sections(script: string): string[] {
  const body = /\ngf_facts\(\) \{\n([\s\S]*?)\n\}\n/.exec(script)?.[1] ?? '';
  return body.split('\n').map((l) => l.trim()).filter((l) => /^gf_[a-z_]+$/.test(l));
}

function withEntry(script: string, entry: string): string {
  return script.replace(/\n {2}gf_facts\n\}\nmain\n$/, `\n  ${entry}\n}\nmain\n`);
}

/** Run the facts script inside the host under strace: forks, execs (by program) and wall time there. */
async function straceFacts(host: SshdHost, script: string): Promise<string> {
  const file = `/tmp/gofleet-profile-facts.sh`;
  await host.exec(`cat >${file}`, { stdin: script });
  const home = (await host.exec(`awk -F: '$1 == "root" { print $6 }' /etc/passwd`)).stdout.trim();
  const shell = (await host.exec(`awk -F: '$1 == "root" { print $7 }' /etc/passwd`)).stdout.trim();
  const env = `env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=${home} SHELL=${shell} USER=root LOGNAME=root`;
  const walls: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await host.exec(`t0=$(date +%s%N); ${env} sh -s <${file} >/dev/null; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000 ))`);
    walls.push(Number(r.stdout.trim()) / 1000);
  }
  const st = await host.exec(`${env} strace -f -qq -o /tmp/gofleet-profile.strace -e trace=execve,clone,clone3,fork,vfork sh -s <${file} >/dev/null; ` +
    `echo forks=$(grep -cE '(clone|fork)' /tmp/gofleet-profile.strace) execs=$(grep -c 'execve(' /tmp/gofleet-profile.strace); ` +
    `grep -o 'execve("[^"]*"' /tmp/gofleet-profile.strace | sed 's/execve("//; s/"$//; s|.*/||' | sort | uniq -c | sort -rn | tr '\\n' ' '`);
  return `on the host (no SSH): wall ${ms(median(walls))}; ${st.stdout.trim()}`;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'gofleet-profile-'));
  const fleet = await startHosts(1);
  try {
    const host = fleet.hosts[0] as SshdHost;
    const archive = await fakeToolchainArchive('go1.27.3');
    writeSourceDir(join(work, 'src'), [archive], { index: true });
    const inventory = join(work, 'inventory.yml');
    writeFileSync(inventory, ['defaults:', '  user: root', `  identity: ${fleet.clientKey}`, `  known_hosts: ${fleet.knownHostsPath}`, 'hosts:',
      `  ${host.name}: { address: 127.0.0.1, port: ${host.port} }`, ''].join('\n'));
    const raw = { inventory, source: join(work, 'src'), cacheDir: join(work, 'cache'), parallel: 1, yes: true, json: true, verifyBuild: false, requirePath: false };
    const rt = await createRuntime(toGlobalOptions(raw), raw, silent);
    const ctx = rt.context('upgrade');
    const spec = rt.hosts[0];
    if (!spec) throw new Error('no host');
    if (values.state === 'managed') {
      await runFleet(rt.hosts, (h, s) => upgradeHost(h, 'go1.27.3', ctx, s), ctx, { command: 'upgrade', target: 'go1.27.3', parallel: 1 });
    }
    const facts = posix.facts(paths);
    const connects: number[] = [];
    const empties: number[] = [];
    const probes: number[] = [];
    const factsWalls: number[] = [];
    const perSection = new Map<string, number[]>(sections(facts).map((s) => [s, []]));
    for (let i = 0; i < RUNS; i++) {
      const [t, connectMs] = await timed(() => ctx.connect(spec));
      connects.push(connectMs);
      probes.push((await timed(() => t.exec(DETECT_SHELL_COMMAND)))[1]);
      empties.push((await timed(() => t.exec('sh -s', { stdin: 'true\n' })))[1]);
      factsWalls.push((await timed(() => t.exec('sh -s', { stdin: facts })))[1]);
      for (const [s, xs] of perSection) xs.push((await timed(() => t.exec('sh -s', { stdin: withEntry(facts, s) })))[1]);
      await t.close();
    }
    console.log(`host state: ${values.state}; medians of ${RUNS} runs`);
    console.log(`connect (TCP + kex + auth): ${ms(median(connects))}`);
    console.log(`shell probe (detect-shell) round trip: ${ms(median(probes))}`);
    console.log(`empty \`sh -s\` round trip: ${ms(median(empties))}`);
    console.log(`facts script over SSH: ${ms(median(factsWalls))} (${facts.length} bytes)`);
    for (const [s, xs] of perSection) console.log(`  only ${s}: ${ms(median(xs))}`);
    console.log(await straceFacts(host, facts));
    await profileUpgrade(host, ctx.connect, spec, archive.path, archive.filename);
  } finally {
    await fleet.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Upload + upgrade script alone (host reset to bare before each run). */
async function profileUpgrade(host: SshdHost, connect: (h: never) => Promise<Transport>, spec: unknown, local: string, filename: string): Promise<void> {
  const { sha256File } = await import('../src/releases/hash-file.ts');
  const { statSync } = await import('node:fs');
  const ref = { filename, sha256: await sha256File(local), size: statSync(local).size };
  const puts: number[] = [];
  const scripts: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await host.exec('rm -rf /usr/local/go /usr/local/gofleet');
    const t = await connect(spec as never);
    const remotePath = posix.uploadPath(paths, filename, { become: false, run: `profile-${i}` });
    puts.push((await timed(() => t.put(local, remotePath, { mode: 0o600 })))[1]);
    const script = posix.upgrade({ paths, target: 'go1.27.3', run: `profile-${i}`, verify: { build: false, requirePath: false }, archive: { ...ref, remotePath } });
    const [r, wall] = await timed(() => t.exec('sh -s', { stdin: script }));
    if (!/result=switched/.test(r.stdout)) throw new Error(`upgrade script did not switch: ${r.stdout}${r.stderr}`);
    scripts.push(wall);
    await t.close();
  }
  console.log(`upload (SFTP put, fake archive): ${ms(median(puts))}`);
  console.log(`upgrade script (stage + switch + verify, no build) over SSH: ${ms(median(scripts))}`);
}

await main();
