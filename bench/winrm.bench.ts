// WinRM request patterns compared on loopback: the fake WinRM host (test/harness/fake-winrm-server.ts) behind the
// real NTLM auth layer with message encryption (test/harness/fake-winrm-auth.ts), so every request and reply is
// sealed and unsealed on both sides. The host runs in a worker thread (bench/winrm-host-worker.ts: its own event loop
// and heap, as a real host is another machine); handshakes, sockets and shells are the host's own counts, round trips
// the client session's. Compares, in the same run:
// - gofleet's transport (connectWinrm: one reused shell, one socket, one NTLM handshake);
// - shell-per-command clients (Create, Command, Send, Receive, Signal, Delete per step; bench/winrm-clients.ts) on
//   one socket, with a new socket + NTLM handshake per step (Ansible), and per request (npm winrm-client);
// and gofleet's put() throughput with the host's MaxEnvelopeSizekb at 150 and 500 (the Send chunk size follows it).
//
//   node --import tsx bench/winrm.bench.ts [--runs 5] [--steps 20] [--mb 4]
//
// Every step is the same small script over stdin through the Windows bootstrap command line. Figures are medians
// over --runs repetitions. Loopback and a fake host: no network latency and no PowerShell startup (which each
// step pays on a real host, whatever the client). Figures only; nothing is asserted.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { HostSpec } from '../src/inventory/types.ts';
import { bootstrapCommandLine } from '../src/platform/windows/bootstrap.ts';
import { windowsRemoteShellFor } from '../src/platform/windows/remote-shell.ts';
import { WinrmHttpSession } from '../src/transport/winrm/http-session.ts';
import { connectWinrm, winrmEndpoint } from '../src/transport/winrm/transport.ts';
import { startHostWorker, type HostStats, type HostWorker } from './winrm-host-worker.ts';
import { roundTrips, sessionPerRequest, sessionPerStep, sharedSession, shellPerCommandStep, type CountingPoster } from './winrm-clients.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, steps: { type: 'string', default: '20' }, mb: { type: 'string', default: '4' } } });
const RUNS = Math.max(1, Number(values.runs));
const STEPS = Math.max(1, Number(values.steps));
const MB = Math.max(1, Number(values.mb));
const USER = 'CORP\\deploy';
const PASSWORD = 'Bench-Pa55!';
const BOOT = bootstrapCommandLine();
const cmdShell = windowsRemoteShellFor('cmd');

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

interface Host { host: HostWorker; spec: HostSpec }

async function startHost(maxEnvelopeSizeKb = 500): Promise<Host> {
  const host = await startHostWorker({ maxEnvelopeSizeKb, user: USER, password: PASSWORD });
  const spec: HostSpec = {
    name: 'win-bench', address: '127.0.0.1', port: host.port, user: USER, transport: 'winrm', knownHosts: '/nonexistent',
    become: false, tags: [], groups: [], vars: {}, source: { file: 'bench' },
    winrm: { scheme: 'http', auth: 'ntlm', certValidation: 'validate', messageEncryption: 'auto' },
  };
  return { host, spec };
}

/** One repetition's figures for one client. */
interface Sample { setupRt: number; setupMs: number; rtPerStep: number; msPerStep: number; handshakes: number; sockets: number; shells: number }

const script = (i: number): string => `Write-Output 'step ${i}'`;

function check(i: number, exitCode: number | null, stdout: string): void {
  if (exitCode !== 0 || stdout !== `step ${i}\r\n`) throw new Error(`step ${i}: exit ${exitCode}, stdout ${JSON.stringify(stdout)}`);
}

/** Requests of this action the host got since `from`. */
async function count(h: Host, from: HostStats, action: string): Promise<number> {
  return (await h.host.stats()).actions.slice(from.actions.length).filter((a) => a === action).length;
}

/** What the host itself counted since `from`: NTLM handshakes, TCP connections, shells created. */
async function seenByHost(h: Host, from: HostStats): Promise<Pick<Sample, 'handshakes' | 'sockets' | 'shells'>> {
  const now = await h.host.stats();
  return { handshakes: now.negotiations - from.negotiations, sockets: now.connections - from.connections, shells: await count(h, from, 'Create') };
}

async function gofleetRun(h: Host): Promise<Sample> {
  let session: WinrmHttpSession | undefined;
  const s0 = await h.host.stats();
  const t0 = performance.now();
  const t = await connectWinrm(h.spec, { password: PASSWORD, shell: cmdShell, retries: 0, session: (e, n) => (session = new WinrmHttpSession(e, n)) });
  const setupMs = performance.now() - t0;
  if (!session) throw new Error('no session');
  const setupRt = roundTrips(session.stats);
  const t1 = performance.now();
  for (let i = 0; i < STEPS; i++) {
    const r = await t.exec(BOOT, { stdin: script(i) });
    check(i, r.exitCode, r.stdout);
  }
  const ms = performance.now() - t1;
  const rt = roundTrips(session.stats) - setupRt;
  const seen = await seenByHost(h, s0);
  await t.close();
  return { setupRt, setupMs, rtPerStep: rt / STEPS, msPerStep: ms / STEPS, ...seen };
}

async function perCommandRun(h: Host, poster: CountingPoster): Promise<Sample> {
  const target = { url: h.host.url, maxEnvelopeSize: 153_600, operationTimeoutSec: 5 };
  const s0 = await h.host.stats();
  const t1 = performance.now();
  for (let i = 0; i < STEPS; i++) {
    const r = await shellPerCommandStep(poster, target, BOOT, script(i));
    await poster.endStep?.();
    check(i, r.exitCode, r.stdout);
  }
  const ms = performance.now() - t1;
  const seen = await seenByHost(h, s0);
  await poster.close();
  return { setupRt: 0, setupMs: 0, rtPerStep: roundTrips(poster.stats) / STEPS, msPerStep: ms / STEPS, ...seen };
}

async function execRows(): Promise<string[]> {
  const h = await startHost();
  const endpoint = winrmEndpoint(h.spec, { password: PASSWORD });
  const clients: [string, () => Promise<Sample>][] = [
    ['gofleet (one shell, one socket, one handshake)', () => gofleetRun(h)],
    ['shell per command, one socket (pywinrm run_cmd on one Session)', () => perCommandRun(h, sharedSession(endpoint, h.spec.name))],
    ['shell + connection per step (Ansible: connection closed after each task)', () => perCommandRun(h, sessionPerStep(endpoint, h.spec.name))],
    ['shell per command, re-authenticating per request (npm winrm-client)', () => perCommandRun(h, sessionPerRequest(endpoint, h.spec.name))],
  ];
  const samples = new Map<string, Sample[]>(clients.map(([name]) => [name, []]));
  try {
    for (let run = 0; run < RUNS; run++) for (const [name, fn] of clients) samples.get(name)?.push(await fn()); // interleaved
  } finally {
    await h.host.stop();
  }
  const rows = [`| client (${STEPS} steps) | HTTP round trips / step | time / step | NTLM handshakes | sockets | shells created | setup (connect) |`, '|---|---|---|---|---|---|---|'];
  for (const [name, xs] of samples) {
    const m = (k: keyof Sample): number => median(xs.map((x) => x[k]));
    const setup = m('setupRt') ? `${m('setupRt')} round trips, ${m('setupMs').toFixed(1)} ms` : '(in each step)';
    rows.push(`| ${name} | ${m('rtPerStep').toFixed(1)} | ${m('msPerStep').toFixed(2)} ms | ${m('handshakes')} | ${m('sockets')} | ${m('shells')} | ${setup} |`);
  }
  return rows;
}

async function putRow(kb: number, file: string): Promise<string> {
  const h = await startHost(kb);
  const times: number[] = [];
  const rts: number[] = [];
  const sends: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      let session: WinrmHttpSession | undefined;
      const t = await connectWinrm(h.spec, { password: PASSWORD, shell: cmdShell, retries: 0, session: (e, n) => (session = new WinrmHttpSession(e, n)) });
      const rt0 = roundTrips(session!.stats);
      const s0 = await h.host.stats();
      const t0 = performance.now();
      await t.put(file, `C:\\bench-${run}.bin`);
      times.push(performance.now() - t0);
      rts.push(roundTrips(session!.stats) - rt0);
      sends.push(await count(h, s0, 'Send'));
      await t.close();
    }
  } finally {
    await h.host.stop();
  }
  const ms = median(times);
  return `| ${kb} KB | ${(MB / (ms / 1000)).toFixed(1)} MB/s | ${ms.toFixed(0)} ms | ${median(sends)} | ${median(rts)} |`;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'gofleet-winrm-bench-'));
  try {
    console.log(`WinRM on loopback: fake host (worker thread), NTLM + message encryption; medians of ${RUNS} runs; no PowerShell startup included\n`);
    for (const row of await execRows()) console.log(row);
    const file = join(work, 'payload.bin');
    writeFileSync(file, randomBytes(MB * 1024 * 1024));
    console.log(`\n| put() of ${MB} MB, MaxEnvelopeSizekb | throughput | time | Sends | HTTP round trips |`);
    console.log('|---|---|---|---|---|');
    for (const kb of [150, 500]) console.log(await putRow(kb, file));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
