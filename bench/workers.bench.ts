// Workers benchmark (issue 14): a simulated fleet of N hosts upgraded through `gofleet worker` processes sharing a
// real PostgreSQL journal and queue, coordinated by `gofleet upgrade --workers`. Reports wall time, where a host's
// time goes, the coordinator's and the workers' CPU, and the load on PostgreSQL.
//
//   node --import tsx bench/workers.bench.ts --hosts 250,1000 --workers 1,2,4 --concurrency 8
//
// The hosts cost no sshd: each is `transport: local` with its own goroot and versions_dir in a temp dir (a managed
// fake go1.26.8 from test/harness/toolchains.ts, upgraded to a fake go1.27.3 from a `--source DIR`). The temp dir is
// under the repository's .cache/ (gitignored), not /tmp: gofleet refuses a goroot under /tmp (VOLATILE_PATH). The
// login PATH of this machine is not the hosts' so the upgrade runs with --no-require-path. Each (hosts, workers) run
// has a fresh PostgreSQL server (test/harness/postgres.ts). Figures go to stdout as a markdown table, and the raw
// figures as JSON lines on stderr. This is not a test: nothing here asserts a timing.

import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../test/harness/postgres.ts';
import { fakeToolchainArchive, writeSourceDir } from '../test/harness/toolchains.ts';

const { values } = parseArgs({
  options: {
    hosts: { type: 'string', default: '1000' },
    workers: { type: 'string', default: '1,2,4' },
    concurrency: { type: 'string', default: '8' },
    waves: { type: 'string', default: '10%,50%' },
    /** extra arguments for the coordinator's upgrade, e.g. "--no-verify-build" */
    'upgrade-args': { type: 'string', default: '' },
    keep: { type: 'boolean', default: false },
  },
});

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'gofleet.js');
const HZ_MS = 10; // USER_HZ = 100/s

interface Figures {
  hosts: number;
  workers: number;
  concurrency: number;
  wallMs: number;
  upgraded: number;
  waves: number;
  hostMs: { median: number; p95: number };
  /** a host's run minus its steps: what the engine costs per host outside the host scripts */
  inHostOverheadMs: number;
  /** median of named steps */
  stepMs: Record<string, number>;
  /** per wave: W x C slots x the wave's span, minus the hosts' runs, over the wave's hosts (dispatch + idle tail) */
  slotIdleMsPerHost: number;
  /** median time from the coordinator's enqueue to the host's first step, first W x C hosts of each wave only */
  pickupMs: number;
  /** between one wave's last host and the next wave's enqueue */
  waveGapMs: number;
  coordinatorCpuMs: number;
  workersCpuMsPerHost: number;
  pg: { xacts: number; inserted: number; updated: number; deleted: number; peakConnections: number; cpuMs: number };
}

// ---------------------------------------------------------------------------------------------------------
// /proc readings

function statFields(pid: number | 'self'): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null; // gone
  }
}

/** CPU (ms) of this process's reaped children: the coordinator and workers once they exited. */
function childrenCpuMs(): number {
  const f = statFields('self') ?? [];
  return (Number(f[13]) + Number(f[14])) * HZ_MS;
}

/** CPU (ms) of the postmaster, its reaped backends and its live ones (ppid = postmaster). */
function postgresCpuMs(postmaster: number): number {
  let total = 0;
  const own = statFields(postmaster);
  if (own) total += [11, 12, 13, 14].reduce((a, i) => a + Number(own[i]), 0) * HZ_MS;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(Number(entry));
    if (f && Number(f[1]) === postmaster) total += (Number(f[11]) + Number(f[12])) * HZ_MS;
  }
  return total;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const p95 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? 0;

// ---------------------------------------------------------------------------------------------------------
// the simulated fleet

/** N hosts on the local transport, each with goroot -> versions_dir/go1.26.8 (a managed fake toolchain). */
async function makeFleet(work: string, n: number): Promise<{ inventory: string; source: string }> {
  const [from, to] = await Promise.all([fakeToolchainArchive('go1.26.8'), fakeToolchainArchive('go1.27.3')]);
  const source = join(work, 'source');
  writeSourceDir(source, [to]);
  const template = join(work, 'template');
  mkdirSync(template);
  execFileSync('tar', ['-xzf', from.path, '-C', template]);
  const lines = ['defaults:', '  transport: local', 'hosts:'];
  for (let i = 0; i < n; i++) {
    const dir = join(work, 'hosts', `h${i}`);
    const versions = join(dir, 'versions');
    cpSync(join(template, 'go'), join(versions, 'go1.26.8'), { recursive: true });
    symlinkSync(join(versions, 'go1.26.8'), join(dir, 'go'));
    lines.push(`  h${i}: { goroot: ${join(dir, 'go')}, versions_dir: ${versions} }`);
  }
  const inventory = join(work, 'inventory.yml');
  writeFileSync(inventory, `${lines.join('\n')}\n`);
  return { inventory, source };
}

interface Child {
  child: ChildProcess;
  output: () => string;
  stdout: () => string;
  exited: Promise<number | null>;
}

function gofleet(args: string[]): Child {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT });
  let out = '';
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => out, stdout: () => stdout, exited };
}

async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ---------------------------------------------------------------------------------------------------------
// PostgreSQL statistics (read over a connection to the `postgres` database, so the polls are not counted)

interface DbStats {
  xacts: number;
  inserted: number;
  updated: number;
  deleted: number;
}

async function dbStats(admin: pg.Client, db: string): Promise<DbStats> {
  await admin.query('SELECT pg_stat_clear_snapshot()');
  const r = await admin.query<{ x: string; i: string; u: string; d: string }>(
    'SELECT xact_commit + xact_rollback AS x, tup_inserted AS i, tup_updated AS u, tup_deleted AS d FROM pg_stat_database WHERE datname = $1', [db]);
  const row = r.rows[0];
  return { xacts: Number(row?.x), inserted: Number(row?.i), updated: Number(row?.u), deleted: Number(row?.d) };
}

async function connections(admin: pg.Client, db: string): Promise<number> {
  const r = await admin.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1', [db]);
  return Number(r.rows[0]?.n);
}

// ---------------------------------------------------------------------------------------------------------
// the journal: where each host's time went

interface HostRow { host: string; wave: number; queued: number; started: number; ended: number; steps: number; first: number }

async function journalFigures(client: pg.Client, run: string, slots: number): Promise<Pick<Figures, 'hostMs' | 'inHostOverheadMs' | 'stepMs' | 'slotIdleMsPerHost' | 'pickupMs' | 'waveGapMs' | 'waves'>> {
  const hosts = (await client.query<Record<keyof HostRow, string>>(`
    SELECT h.host, j.wave, j.queued_at AS queued, h.started, h.ended,
           (SELECT sum(s.ended - s.started) FROM steps s WHERE s.run = h.run AND s.host = h.host) AS steps,
           (SELECT min(s.started) FROM steps s WHERE s.run = h.run AND s.host = h.host) AS first
      FROM run_hosts h JOIN host_jobs j ON j.run = h.run AND j.host = h.host
     WHERE h.run = $1`, [run])).rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k === 'host' ? v : Number(v)])) as unknown as HostRow);
  const named = await client.query<{ step: string; ms: string }>(
    `SELECT step, percentile_disc(0.5) WITHIN GROUP (ORDER BY ended - started) AS ms FROM steps WHERE run = $1 GROUP BY step`, [run]);
  const durations = hosts.map((h) => h.ended - h.started);
  const waves = [...new Set(hosts.map((h) => h.wave))].sort((a, b) => a - b);
  let idle = 0;
  const pickups: number[] = [];
  const gaps: number[] = [];
  let prevEnd: number | null = null;
  for (const w of waves) {
    const inWave = hosts.filter((h) => h.wave === w).sort((a, b) => a.first - b.first);
    const start = Math.min(...inWave.map((h) => h.queued));
    const end = Math.max(...inWave.map((h) => h.ended));
    idle += slots * (end - start) - inWave.reduce((a, h) => a + (h.ended - h.started), 0);
    pickups.push(...inWave.slice(0, slots).map((h) => h.first - h.queued));
    if (prevEnd !== null) gaps.push(start - prevEnd);
    prevEnd = end;
  }
  return {
    waves: waves.length,
    hostMs: { median: median(durations), p95: p95(durations) },
    inHostOverheadMs: median(hosts.map((h) => h.ended - h.started - h.steps)),
    stepMs: Object.fromEntries(named.rows.map((r) => [r.step, Number(r.ms)])),
    slotIdleMsPerHost: idle / Math.max(1, hosts.length),
    pickupMs: median(pickups),
    waveGapMs: gaps.length ? gaps.reduce((a, b) => a + b, 0) / gaps.length : 0,
  };
}

// ---------------------------------------------------------------------------------------------------------
// one run

async function benchOnce(n: number, workers: number, concurrency: number): Promise<Figures> {
  const base = join(ROOT, '.cache', 'bench-work');
  mkdirSync(base, { recursive: true });
  const work = mkdtempSync(join(base, 'workers-'));
  let server: PostgresServer | undefined;
  const children: Child[] = [];
  try {
    const { inventory, source } = await makeFleet(work, n);
    server = await startPostgres({ settings: { max_connections: String(Math.max(100, workers * (concurrency + 10) + 20)) } });
    const url = server.url;
    const db = server.database;
    const admin = new pg.Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') });
    await admin.connect();
    const cpu0 = childrenCpuMs();
    const started = Array.from({ length: workers }, () => gofleet(['worker', '--state', url, '--concurrency', String(concurrency), '--lease', '60']));
    children.push(...started);
    for (const w of started) await until('a worker to take jobs', () => /: taking hosts/.test(w.output()));

    const stats0 = await dbStats(admin, db);
    const pg0 = postgresCpuMs(server.pid);
    const cpu1 = childrenCpuMs();
    const t0 = performance.now();
    const upgradeArgs = values['upgrade-args'].split(' ').filter(Boolean);
    const coordinator = gofleet(['upgrade', '-i', inventory, '--to', 'go1.27.3', '--workers', '--state', url, '--yes', '--json',
      // --parallel 1000: every host of a wave may be queued at once (the coordinator's window is --parallel; the
      // workers' --concurrency is then the only bound, as when these numbers were taken)
      '--waves', values.waves, '--parallel', '1000', '--no-require-path', '--source', source, '--cache-dir', join(work, 'cache'), ...upgradeArgs]);
    children.push(coordinator);
    let peak = 0;
    let done = false;
    const polling = (async () => {
      while (!done) {
        peak = Math.max(peak, await connections(admin, db));
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    const code = await coordinator.exited;
    const wallMs = performance.now() - t0;
    done = true;
    await polling;
    const coordinatorCpuMs = childrenCpuMs() - cpu1;
    const pg1 = postgresCpuMs(server.pid);
    await new Promise((r) => setTimeout(r, 1500)); // backends report their statistics when idle (about each second)
    const stats1 = await dbStats(admin, db);
    if (code !== 0 && code !== 2) throw new Error(`coordinator exit ${code}\n${coordinator.output()}`);
    const doc = JSON.parse(coordinator.stdout()) as { run: string; hosts: { status: string }[] };

    for (const w of started) w.child.kill('SIGTERM');
    await Promise.all(started.map((w) => w.exited));
    const workersCpuMs = childrenCpuMs() - cpu0 - coordinatorCpuMs;

    const journal = new pg.Client({ connectionString: url });
    await journal.connect();
    const figures = await journalFigures(journal, doc.run, workers * concurrency);
    await journal.end();
    await admin.end();
    return {
      hosts: n, workers, concurrency, wallMs,
      upgraded: doc.hosts.filter((h) => h.status === 'upgraded').length,
      ...figures,
      coordinatorCpuMs,
      workersCpuMsPerHost: workersCpuMs / n,
      pg: {
        xacts: stats1.xacts - stats0.xacts, inserted: stats1.inserted - stats0.inserted, updated: stats1.updated - stats0.updated,
        deleted: stats1.deleted - stats0.deleted, peakConnections: peak, cpuMs: pg1 - pg0,
      },
    };
  } finally {
    for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    await server?.stop();
    if (!values.keep) rmSync(work, { recursive: true, force: true });
  }
}

function row(f: Figures): string {
  const s = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(0)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
  const per = (x: number): string => (x / f.hosts).toFixed(1);
  return `| ${f.hosts} | ${f.workers} x ${f.concurrency} | ${s(f.wallMs)} | ${(f.hosts / (f.wallMs / 1000)).toFixed(1)} | ${f.upgraded}/${f.hosts} | ` +
    `${s(f.hostMs.median)} (${s(f.hostMs.p95)}) | ${s(f.inHostOverheadMs)} | ${s(f.pickupMs)} | ${s(f.slotIdleMsPerHost)} | ${s(f.waveGapMs)} | ` +
    `${s(f.coordinatorCpuMs)} (${(f.coordinatorCpuMs / f.hosts).toFixed(1)} ms/host) | ${s(f.workersCpuMsPerHost)} | ` +
    `${per(f.pg.xacts)} | ${per(f.pg.inserted)} / ${per(f.pg.updated)} / ${per(f.pg.deleted)} | ${f.pg.peakConnections} | ${(f.pg.cpuMs / f.hosts).toFixed(1)} ms |`;
}

async function main(): Promise<void> {
  const concurrency = Number(values.concurrency);
  console.log('| hosts | workers x slots | wall | hosts/s | upgraded | host run median (p95) | in-host overhead | pickup | slot idle/host | wave gap | coordinator CPU | workers+hosts CPU/host | PG xacts/host | PG rows ins/upd/del per host | PG peak conns | PG CPU/host |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const n of values.hosts.split(',').map(Number)) {
    for (const workers of values.workers.split(',').map(Number)) {
      const f = await benchOnce(n, workers, concurrency);
      console.error(JSON.stringify({ ...f, load: readFileSync('/proc/loadavg', 'utf8').trim() }));
      console.log(row(f));
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
