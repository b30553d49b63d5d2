// Fleet benchmark: start N real sshd hosts on loopback and upgrade them all, then report wall time, per-host
// controller overhead, exec round trips per host, bytes sent and peak controller RSS.
//
//   npm run bench -- --hosts 10,50 --toolchain fake --parallel 20
//   npm run bench -- --hosts 10 --toolchain real
//
// Figures go to stdout as a markdown table (copy them into docs/benchmarks.md). This is not a test: nothing
// here asserts a timing.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  },
});

const silent: CliIo = { out: () => {}, err: () => {}, stdoutTty: false, stderrTty: false };

interface Figures {
  hosts: number;
  toolchain: string;
  parallel: number;
  wallMs: number;
  upgraded: number;
  overheadMs: { median: number; p95: number };
  transferMs: number;
  extractMs: number;
  verifyMs: number;
  execPerHost: number;
  mbSent: number;
  peakRssMb: number;
}

async function benchOnce(n: number, toolchain: 'fake' | 'real', parallel: number): Promise<Figures> {
  const work = mkdtempSync(join(tmpdir(), 'gofleet-bench-'));
  const fleet = await startHosts(n);
  try {
    const target = toolchain === 'real' ? await toolchainArchive('go1.27.3') : await fakeToolchainArchive('go1.27.3');
    writeSourceDir(join(work, 'src'), [target], { index: true });
    const inventory = join(work, 'inventory.yml');
    writeFileSync(
      inventory,
      ['defaults:', '  user: root', `  identity: ${fleet.clientKey}`, `  known_hosts: ${fleet.knownHostsPath}`, 'hosts:',
        ...fleet.hosts.map((h) => `  ${h.name}: { address: 127.0.0.1, port: ${h.port} }`), ''].join('\n'),
    );
    const raw = { inventory, source: join(work, 'src'), cacheDir: join(work, 'cache'), parallel, yes: true, json: true,
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
    const started = performance.now();
    const results = (await runFleet(rt.hosts, (h, s) => upgradeHost(h, 'go1.27.3', ctx, s), ctx, {
      command: 'upgrade', target: 'go1.27.3', parallel,
    })) as HostResult[];
    const wallMs = performance.now() - started;
    const stepMs = (r: HostResult, names: string[]): number =>
      r.steps.filter((s) => names.includes(s.step) && s.endedAt !== null).reduce((a, s) => a + ((s.endedAt ?? 0) - s.startedAt), 0);
    const overheads = results.map((r) => r.durationMs - stepMs(r, ['upload', 'stage', 'verify'])).sort((a, b) => a - b);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    return {
      hosts: n,
      toolchain,
      parallel,
      wallMs,
      upgraded: results.filter((r) => r.status === 'upgraded').length,
      overheadMs: { median: overheads[Math.floor(overheads.length / 2)] ?? 0, p95: overheads[Math.floor(overheads.length * 0.95)] ?? 0 },
      transferMs: mean(results.map((r) => stepMs(r, ['upload']))),
      extractMs: mean(results.map((r) => stepMs(r, ['stage']))),
      verifyMs: mean(results.map((r) => stepMs(r, ['verify']))),
      execPerHost: mean(transports.map((t) => t.stats.execCount)),
      mbSent: transports.reduce((a, t) => a + t.stats.bytesSent, 0) / 1048576,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    await fleet.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

const sizes = values.hosts.split(',').map(Number);
const toolchain = values.toolchain === 'real' ? 'real' : 'fake';
const parallel = Number(values.parallel);
console.log('| hosts | toolchain | parallel | wall | upgraded | overhead/host median (p95) | upload avg | stage avg | verify avg | exec round trips/host | MiB sent | peak RSS |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const n of sizes) {
  const f = await benchOnce(n, toolchain, parallel);
  const s = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
  console.log(
    `| ${f.hosts} | ${f.toolchain} | ${f.parallel} | ${s(f.wallMs)} | ${f.upgraded}/${f.hosts} | ${s(f.overheadMs.median)} (${s(f.overheadMs.p95)}) | ${s(f.transferMs)} | ${s(f.extractMs)} | ${s(f.verifyMs)} | ${f.execPerHost.toFixed(1)} | ${f.mbSent.toFixed(1)} | ${f.peakRssMb.toFixed(0)} MiB |`,
  );
}
