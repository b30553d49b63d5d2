// Fleet benchmark: start N real sshd hosts on loopback and upgrade them all, then report wall time, per-host
// controller overhead, exec round trips per host, bytes sent, peak controller RSS and where the time went.
//
//   npm run bench -- --hosts 10,50,200 --toolchain fake --parallel 20
//   npm run bench -- --hosts 20 --toolchain real --distribution push,pull
//
// The release source is a loopback HTTP server (bench/http-source-process.ts, a process of its own) for every
// --distribution: push has the controller download the archive from it once and push it over each SSH connection;
// pull has every host download it with curl/wget itself. "MiB served" is what that server sent.
// Each (fleet size, distribution) runs in a child process of its own (so that peak RSS is that run's). Figures go to
// stdout as markdown tables (copy them into docs/benchmarks.md). This is not a test: nothing here asserts a timing.

import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
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
import type { HostResult } from '../src/engine/events.ts';
import type { Transport } from '../src/transport/types.ts';
import { startHosts } from '../test/harness/sshd.ts';
import { fakeToolchainArchive, toolchainArchive, writeSourceDir } from '../test/harness/toolchains.ts';

const { values } = parseArgs({
  options: {
    hosts: { type: 'string', default: '10' },
    toolchain: { type: 'string', default: 'fake' },
    parallel: { type: 'string', default: '20' },
    /** comma list of push, pull, auto: each is a run of its own on a fresh fleet of the same size */
    distribution: { type: 'string', default: 'push' },
    /** internal: run one fleet size in this process and print its figures as JSON */
    child: { type: 'boolean', default: false },
  },
});

const silent: CliIo = { out: () => {}, err: () => {}, stdoutTty: false, stderrTty: false };
/** steps whose median duration is reported (controller steps, then what the host scripts report) */
const STEPS = ['connect', 'facts', 'download', 'upload', 'lock', 'pull', 'stage', 'switch', 'verify', 'unlock'] as const;

type Distribution = 'push' | 'pull' | 'auto';

interface Figures {
  hosts: number;
  toolchain: string;
  distribution: Distribution;
  parallel: number;
  startMs: number;
  wallMs: number;
  upgraded: number;
  overheadMs: { median: number; p95: number };
  transferMs: number;
  extractMs: number;
  verifyMs: number;
  execPerHost: number;
  /** over the SSH connections (scripts, SFTP), controller to hosts */
  mbSent: number;
  /** by the loopback HTTP source (to the controller for push, to the hosts for pull) */
  mbServed: number;
  /** GETs of the archive at the HTTP source */
  archiveGets: number;
  peakRssMb: number;
  /** median duration per step */
  stepMs: Record<string, number>;
  /** CPU time of the controller, the fleet (sshd and everything the hosts ran) and the HTTP source per host,
   *  start-up excluded */
  fleetCpuMsPerHost: number;
  /** CPU time of the controller process per host */
  controllerCpuMsPerHost: number;
  load: string;
}

/** CPU time (ms) of this process plus its reaped children (the sshd hosts once stopped, and everything they ran),
 *  from /proc/self/stat: utime stime cutime cstime. Other load on the machine does not count. */
function treeCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // after "pid (comm) ": state=0 ... utime=11 stime=12 cutime=13 cstime=14 (in USER_HZ = 100/s)
  return [11, 12, 13, 14].reduce((a, i) => a + Number(f[i] ?? 0), 0) * 10;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

function stepMs(r: HostResult, names: readonly string[]): number {
  return r.steps.filter((s) => names.includes(s.step) && s.endedAt !== null).reduce((a, s) => a + ((s.endedAt ?? 0) - s.startedAt), 0);
}

interface SourceProcess {
  url: string;
  /** closes the server and waits for the process to exit (reaped: its CPU time counts as this process's children's) */
  stop(): Promise<{ bytes: number; archiveGets: number }>;
}

/** Starts bench/http-source-process.ts on `dir`. */
async function startSourceProcess(dir: string): Promise<SourceProcess> {
  const script = fileURLToPath(new URL('./http-source-process.ts', import.meta.url));
  const child = spawn(process.execPath, [...process.execArgv, script, dir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`http source process ended early (exit ${child.exitCode})`);
    return JSON.parse(String(value)) as Record<string, unknown>;
  };
  const { url } = await next();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    url: String(url),
    stop: async () => {
      child.stdin.end();
      const stats = await next();
      await exited;
      return { bytes: Number(stats.bytes), archiveGets: Number(stats.archiveGets) };
    },
  };
}

interface BenchRun {
  hosts: number;
  toolchain: 'fake' | 'real';
  parallel: number;
  distribution: Distribution;
}

async function benchOnce(run: BenchRun): Promise<Figures> {
  const { hosts: n, toolchain, parallel, distribution } = run;
  const work = mkdtempSync(join(tmpdir(), 'gofleet-bench-'));
  const target = toolchain === 'real' ? await toolchainArchive('go1.27.3') : await fakeToolchainArchive('go1.27.3');
  writeSourceDir(join(work, 'src'), [target], { index: true });
  const source = await startSourceProcess(join(work, 'src'));
  let served: { bytes: number; archiveGets: number } | undefined;
  const startedHosts = performance.now();
  // the hosts' curl/wget must reach the loopback source directly, whatever proxy the machine's environment names
  const fleet = await startHosts(n, { hosts: Array.from({ length: n }, () => ({ env: { no_proxy: '127.0.0.1', NO_PROXY: '127.0.0.1' } })) });
  const startMs = performance.now() - startedHosts;
  try {
    const inventory = join(work, 'inventory.yml');
    writeFileSync(
      inventory,
      ['defaults:', '  user: root', `  identity: ${fleet.clientKey}`, `  known_hosts: ${fleet.knownHostsPath}`, 'hosts:',
        ...fleet.hosts.map((h) => `  ${h.name}: { address: 127.0.0.1, port: ${h.port} }`), ''].join('\n'),
    );
    const raw = { inventory, source: source.url, distribution, cacheDir: join(work, 'cache'), parallel, yes: true, json: true,
      // the fake toolchain has no real compiler: verify its version, GOROOT and PATH, not a build
      verifyBuild: toolchain === 'real', requirePath: false };
    const rt = await createRuntime(toGlobalOptions(raw), raw, silent);
    const ctx = rt.context('upgrade');
    const transports: Transport[] = [];
    const connect = ctx.connect;
    ctx.connect = async (h) => {
      const t = await connect(h);
      transports.push(t);
      return t;
    };
    const cpu0 = treeCpuMs();
    const ctl0 = process.cpuUsage();
    const started = performance.now();
    const results = (await runFleet(rt.hosts, (h, s) => upgradeHost(h, 'go1.27.3', ctx, s), ctx, {
      command: 'upgrade', target: 'go1.27.3', parallel,
    })) as HostResult[];
    const wallMs = performance.now() - started;
    const ctl = process.cpuUsage(ctl0);
    const overheads = results.map((r) => r.durationMs - stepMs(r, ['upload', 'pull', 'stage', 'verify'])).sort((a, b) => a - b);
    const steps: Record<string, number> = {};
    for (const s of STEPS) {
      const xs = results.filter((r) => r.steps.some((x) => x.step === s && x.endedAt !== null)).map((r) => stepMs(r, [s]));
      if (xs.length > 0) steps[s] = median(xs);
    }
    const failed = results.filter((r) => r.status !== 'upgraded');
    await fleet.stop(); // reaps the hosts: their CPU time now counts as this process's children's
    served = await source.stop(); // the same for the HTTP source
    const cpu = treeCpuMs() - cpu0;
    if (failed.length > 0) process.stderr.write(`not upgraded: ${JSON.stringify(failed.slice(0, 3).map((r) => [r.name, r.status, r.error]))}\n`);
    return {
      hosts: n,
      toolchain,
      distribution,
      parallel,
      startMs,
      wallMs,
      upgraded: results.filter((r) => r.status === 'upgraded').length,
      overheadMs: { median: median(overheads), p95: overheads[Math.floor(overheads.length * 0.95)] ?? 0 },
      transferMs: mean(results.map((r) => stepMs(r, ['upload', 'pull']))),
      extractMs: mean(results.map((r) => stepMs(r, ['stage']))),
      verifyMs: mean(results.map((r) => stepMs(r, ['verify']))),
      execPerHost: mean(transports.map((t) => t.stats.execCount)),
      mbSent: transports.reduce((a, t) => a + t.stats.bytesSent, 0) / 1048576,
      mbServed: served.bytes / 1048576,
      archiveGets: served.archiveGets,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      stepMs: steps,
      fleetCpuMsPerHost: cpu / n,
      controllerCpuMsPerHost: (ctl.user + ctl.system) / 1000 / n,
      load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    };
  } finally {
    await fleet.stop();
    if (!served) await source.stop().catch(() => undefined); // an earlier failure is the one to report
    rmSync(work, { recursive: true, force: true });
  }
}

const s = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

function printTables(all: Figures[]): void {
  console.log('| hosts | toolchain | distribution | parallel | wall | upgraded | overhead/host median (p95) | upload/pull avg | stage avg | verify avg | exec round trips/host | MiB sent over SSH | MiB served by the source (archive GETs) | peak RSS |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const f of all) {
    console.log(
      `| ${f.hosts} | ${f.toolchain} | ${f.distribution} | ${f.parallel} | ${s(f.wallMs)} | ${f.upgraded}/${f.hosts} | ${s(f.overheadMs.median)} (${s(f.overheadMs.p95)}) | ${s(f.transferMs)} | ${s(f.extractMs)} | ${s(f.verifyMs)} | ${f.execPerHost.toFixed(1)} | ${f.mbSent.toFixed(1)} | ${f.mbServed.toFixed(1)} (${f.archiveGets}) | ${f.peakRssMb.toFixed(0)} MiB |`,
    );
  }
  console.log('');
  console.log(`| hosts | distribution | ${STEPS.join(' | ')} | controller+fleet+source CPU/host | controller CPU/host | host start | load after |`);
  console.log(`|---|---|${STEPS.map(() => '---').join('|')}|---|---|---|---|`);
  for (const f of all) {
    const cells = STEPS.map((st) => (f.stepMs[st] === undefined ? '-' : s(f.stepMs[st])));
    console.log(`| ${f.hosts} | ${f.distribution} | ${cells.join(' | ')} | ${s(f.fleetCpuMsPerHost)} | ${s(f.controllerCpuMsPerHost)} | ${s(f.startMs)} | ${f.load} |`);
  }
}

const toolchain = values.toolchain === 'real' ? 'real' : 'fake';
const parallel = Number(values.parallel);
const sizes = values.hosts.split(',').map(Number);
const distributions = values.distribution.split(',').map((d) => d.trim());
const bad = distributions.filter((d) => !['push', 'pull', 'auto'].includes(d));
if (bad.length > 0) throw new Error(`--distribution takes a comma list of push, pull, auto; got ${bad.join(', ')}`);
if (values.child) {
  const [n] = sizes;
  console.log(JSON.stringify(await benchOnce({ hosts: n ?? 10, toolchain, parallel, distribution: distributions[0] as Distribution })));
} else {
  const all: Figures[] = [];
  const self = fileURLToPath(import.meta.url);
  for (const n of sizes) {
    for (const d of distributions) {
      const r = spawnSync(process.execPath, [...process.execArgv, self, '--child', '--hosts', String(n), '--toolchain', toolchain, '--parallel', String(parallel), '--distribution', d],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
      const line = r.stdout.trim().split('\n').pop() ?? '';
      if (r.status !== 0 || !line.startsWith('{')) throw new Error(`bench for ${n} hosts, ${d} failed (exit ${r.status}): ${r.stdout}`);
      all.push(JSON.parse(line) as Figures);
    }
  }
  printTables(all);
}
