// The setup the `--workers` end-to-end tests share (issue 14): one real PostgreSQL server per test file (a fresh
// database per test), N real sshd hosts on a managed fake go1.26.8, a source directory offering go1.27.3 (served
// over a loopback HTTP source too, for `--distribution pull`, behind a front that can hold one download:
// held-download.ts), `gofleet worker` processes started and awaited until they take jobs, the journal read back
// with `show`, and everything stopped and removed at the end.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, type PostgresServer } from '../harness/postgres.ts';
import { startHttpSource } from '../harness/http-source.ts';
import { startHosts, type Fleet, type SshdHost } from '../harness/sshd.ts';
import { fakeToolchainArchive, writeSourceDir } from '../harness/toolchains.ts';
import { holdDownload, type HeldDownload } from './held-download.ts';
import { fleetInventory, gofleet, installManaged, spawnGofleet, waitFor, type ChildCli } from './helpers.ts';

/** A step of `gofleet show RUN --json`. */
export interface StepJson {
  step: string;
  status: string;
  code?: string | null;
  message?: string | null;
  started_at: string;
  duration_ms: number | null;
}

/** A host of `gofleet show RUN --json` (or of a command's --json result). */
export interface HostJson {
  name: string;
  status: string;
  wave?: number;
  to?: string | null;
  ended_at?: string | null;
  error?: { code: string; message: string } | null;
  steps: StepJson[];
}

export interface WorkerOptions {
  /** --lease in seconds (default 60) */
  lease?: number;
  /** --concurrency (default 2) */
  concurrency?: number;
  site?: string;
}

export interface WorkersSetup {
  pg: PostgresServer;
  fleet: Fleet;
  hosts: SshdHost[];
  /** an inventory of every host */
  inventory: string;
  /** the directory offering go1.27.3 (a --source, or the --checksum-source beside holdDownload's URL) */
  srcDir: string;
  /** the source over loopback HTTP (`http: true`) behind a front that holds the `nth` GET of the go1.27.3 archive */
  holdDownload(nth?: number): Promise<HeldDownload>;
  /** the workers started since the last stopWorkers() */
  readonly workers: ChildCli[];
  /** a temp dir removed at stop() */
  tmp(prefix: string): string;
  /** a dir a helper made, removed at stop() */
  removeLater(dir: string): void;
  /** a fresh database on the server, as a URL */
  database(name: string): Promise<string>;
  /** `n` worker processes on `url`, each up (its queue opened, saying so) before this returns */
  startWorkers(url: string, n: number, o?: WorkerOptions): Promise<ChildCli[]>;
  /** the started workers still running */
  live(): ChildCli[];
  /** SIGTERM to every worker started since the last call: each ends cleanly (or was SIGKILLed by the test) */
  stopWorkers(): Promise<void>;
  show(run: string, url: string): Promise<HostJson[]>;
  /** the workers killed, then the source, the hosts and the server stopped, the temp dirs removed */
  stop(): Promise<void>;
}

/** Start the server, `n` hosts on a managed fake go1.26.8, and the go1.27.3 source (`http`: also served over HTTP). */
export async function startWorkersSetup(n: number, prefix: string, o: { http?: boolean } = {}): Promise<WorkersSetup> {
  const temps: string[] = [];
  const tmp = (p: string): string => {
    const dir = mkdtempSync(join(tmpdir(), `gofleet-${p}-`));
    temps.push(dir);
    return dir;
  };
  const [from, to] = await Promise.all([fakeToolchainArchive('go1.26.8'), fakeToolchainArchive('go1.27.3')]);
  const srcDir = tmp(`${prefix}-src`);
  writeSourceDir(srcDir, [to], o.http ? { index: true } : {});
  const [pg, fleet, http] = await Promise.all([startPostgres(), startHosts(n), o.http ? startHttpSource(srcDir) : undefined]);
  await Promise.all(fleet.hosts.map((h) => installManaged(h, from)));
  const inventory = fleetInventory(fleet);
  temps.push(join(inventory, '..'));
  const all: ChildCli[] = [];
  const workers: ChildCli[] = [];
  const running = (w: ChildCli): boolean => w.child.exitCode === null && w.child.signalCode === null;

  return {
    pg, fleet, hosts: fleet.hosts, inventory, srcDir, workers, tmp,
    removeLater: (dir) => void temps.push(dir),
    holdDownload(nth = 1) {
      if (!http) throw new Error('startWorkersSetup(…, { http: true }) serves the archives over HTTP');
      return holdDownload(http, to.filename, nth);
    },
    async database(name) {
      const made = await pg.psql(`CREATE DATABASE ${name}`, { database: 'postgres' });
      assert.equal(made.exitCode, 0, made.stderr);
      return pg.url.replace(/\/[^/]*$/, `/${name}`);
    },
    async startWorkers(url, count, w = {}) {
      const concurrency = w.concurrency ?? 2;
      const started = Array.from({ length: count }, () =>
        spawnGofleet('worker', '--state', url, '--concurrency', String(concurrency), '--lease', String(w.lease ?? 60), ...(w.site ? ['--site', w.site] : [])));
      all.push(...started);
      workers.push(...started);
      const taking = w.site ? `hosts of site ${w.site}` : 'hosts without a site';
      for (const s of started) await waitFor('a worker to take jobs', async () => /: taking hosts/.test(s.output()) || s.output().includes('error'), { timeoutMs: 60_000 });
      for (const s of started) assert.match(s.output(), new RegExp(`: taking ${taking}, ${concurrency} at once`));
      return started;
    },
    live: () => all.filter(running),
    async stopWorkers() {
      const stopping = workers.splice(0);
      for (const w of stopping) w.child.kill('SIGTERM');
      for (const w of stopping) {
        const end = await w.exited;
        assert.ok(end.code === 0 || end.signal === 'SIGKILL', `a worker stops cleanly on SIGTERM: ${JSON.stringify(end)}\n${w.output()}`);
      }
    },
    async show(run, url) {
      const r = await gofleet('show', run, '--json', '--state', url);
      assert.equal(r.code, 0, r.stderr);
      return r.json<{ hosts: HostJson[] }>().hosts;
    },
    async stop() {
      for (const w of all.filter(running)) {
        w.child.kill('SIGCONT'); // a worker the test stopped with SIGSTOP
        w.child.kill('SIGKILL');
      }
      await Promise.all(all.map((w) => w.exited));
      await http?.close();
      await fleet.stop();
      await pg.stop();
      for (const dir of temps) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A host's steps in one line: `probe:ok stage:ok switch:ok verify:failed:VERIFY_FAILED`. */
export const stepsText = (h: HostJson): string => h.steps.map((s) => `${s.step}:${s.status}${s.code ? `:${s.code}` : ''}`).join(' ');

/** How many `switch` steps the journal holds for a host. */
export const switchCount = (h: HostJson): number => h.steps.filter((s) => s.step === 'switch').length;
