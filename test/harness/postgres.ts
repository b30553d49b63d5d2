// A real PostgreSQL server for tests, from Debian's `postgresql` package (/usr/lib/postgresql/<major>/bin).
//
//   const pg = await startPostgres();            // or startPostgres({ database: 'journal', settings: { max_connections: '200' } })
//   after(() => pg.stop());
//   pg.url        postgres://postgres@127.0.0.1:PORT/gofleet   (TCP, loopback only, trust auth, no password)
//   pg.socketUrl  postgresql://postgres@/gofleet?host=<socketDir>&port=PORT   (the Unix socket, libpq form)
//   await pg.psql('SELECT 1', { via: 'socket' })   // the system psql, SQL over stdin; never rejects on an error
//
// What a server is
// - `initdb` in a fresh temp dir (superuser `postgres`, trust auth, UTF8, no locale, TZ UTC), then `postgres -D`
//   listening on 127.0.0.1:<free port> and on a socket in `<dir>/sock`, tuned for tests: fsync, synchronous_commit
//   and full_page_writes off; dynamic shared memory as files in the data dir (nothing in /dev/shm). Resolves once
//   pg_isready accepts and the database is created.
// - PostgreSQL refuses to run as root. As root the server runs as `nobody` (the temp dir is chowned to it) inside
//   an IPC namespace of its own (`unshare --ipc`), so even a killed server leaves no System V shared memory behind;
//   as any other user it runs as that user.
// - Servers are independent (own port, socket dir, data dir): several may run at once, in one file or in
//   files the runner starts concurrently.
// - The binaries come from the newest /usr/lib/postgresql/<major>/bin that has them (version-agnostic).
//
// Lifetime: `stop()` shuts the server down (fast shutdown, SIGKILL if it hangs), waits for the process to exit
// and removes the temp dir. As a safety net, postgres runs under `setpriv --pdeathsig KILL` (it dies with the
// test process) and a process 'exit' hook shuts down and removes whatever is left.
//
// `postgresSkip()` gives tests a skip reason when the package is missing (and throws under CI=true: .ci/run
// installs it, so CI must never skip these).
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './sshd.ts';

const PG_ROOT = '/usr/lib/postgresql';
const BINARIES = ['initdb', 'postgres', 'pg_isready', 'psql'];
const SUPERUSER = 'postgres';
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
/** sun_path is 108 bytes; `<dir>/sock/.s.PGSQL.65535` must fit */
const MAX_SOCKET_DIR = 90;

export interface PostgresOptions {
  /** the database to create (default 'gofleet'); lower-case letters, digits and _ */
  database?: string;
  /** extra `postgres -c name=value` settings; they override the harness's own */
  settings?: Record<string, string>;
}

export interface PsqlOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface PostgresServer {
  /** postgres://postgres@127.0.0.1:PORT/DATABASE */
  url: string;
  /** the same database over the Unix socket, in libpq's form */
  socketUrl: string;
  host: '127.0.0.1';
  port: number;
  socketDir: string;
  database: string;
  user: string;
  /** the temp dir: data/, sock/, postgres.log */
  dir: string;
  logPath: string;
  binDir: string;
  /** the postmaster's pid */
  pid: number;
  readLog(): string;
  /** run SQL (over stdin) with the system psql: unaligned, tuples only, stops at the first error */
  psql(sql: string, options?: { via?: 'tcp' | 'socket'; database?: string }): Promise<PsqlOutput>;
  stop(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------
// finding the binaries, skip reasons

/** The bin dir of the newest PostgreSQL under `root` that has every binary the harness runs, or undefined. */
export function findPgBinDir(root = PG_ROOT): string | undefined {
  let majors: string[];
  try {
    majors = readdirSync(root).filter((name) => /^\d+(\.\d+)?$/.test(name));
  } catch {
    return undefined;
  }
  majors.sort((a, b) => Number(b) - Number(a));
  for (const major of majors) {
    const bin = join(root, major, 'bin');
    if (BINARIES.every((b) => existsSync(join(bin, b)))) return bin;
  }
  return undefined;
}

export function postgresUnavailableReason(root = PG_ROOT): string | undefined {
  if (!findPgBinDir(root)) return `no ${root}/<version>/bin with ${BINARIES.join(', ')} (apt-get install postgresql)`;
  const tools = process.getuid?.() === 0 ? ['setpriv', 'unshare'] : ['setpriv'];
  for (const tool of tools) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  }
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'nobody']).status !== 0) return 'there is no user nobody to run postgres as';
  return undefined;
}

/** For `describe(..., { skip: postgresSkip() })`: false when available, else the reason. Throws under CI. */
export function postgresSkip(root = PG_ROOT): false | string {
  const reason = postgresUnavailableReason(root);
  if (reason === undefined) return false;
  if (process.env.CI) throw new Error(`postgres harness unavailable in CI: ${reason}`);
  return `postgres harness unavailable: ${reason}`;
}

// ---------------------------------------------------------------------------------------------------------
// process-exit safety net

const live = new Map<string, { pid: number }>();
process.on('exit', () => {
  for (const [dir, { pid }] of live) {
    if (pid <= 0) {
      rmSync(dir, { recursive: true, force: true }); // not started yet (a pid of 0 would signal our own group)
      continue;
    }
    try {
      process.kill(pid, 'SIGQUIT'); // immediate shutdown
    } catch {
      // already gone
    }
    // no event loop here: wait (bounded) for the postmaster to remove its pid file, then remove the dir
    const pidFile = join(dir, 'data', 'postmaster.pid');
    spawnSync('sh', ['-c', 'i=0; while [ -e "$1" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done', 'sh', pidFile]);
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------------------------
// running as the right user

interface RunAs {
  /** prefix that runs a command as the server's user (empty when we are not root) */
  prefix: string[];
  uid: number;
  gid: number;
}

function runAs(): RunAs {
  if (process.getuid?.() !== 0) return { prefix: [], uid: process.getuid?.() ?? -1, gid: process.getgid?.() ?? -1 };
  const uid = Number(spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).stdout.trim());
  return { prefix: ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--'], uid, gid };
}

/** The environment postgres, initdb and psql get: no PG* variables of ours, C locale, UTC. */
function pgEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PG') && !k.startsWith('LC_')) env[k] = v;
  return { ...env, LANG: 'C', LC_ALL: 'C', TZ: 'UTC' };
}

/** A temp base the server's user can reach and whose socket path fits: tmpdir(), else /tmp. */
function baseDir(as: RunAs): string {
  const fits = (d: string): boolean => d.length + '/gofleet-pg-XXXXXX/sock'.length <= MAX_SOCKET_DIR;
  const reachable = (d: string): boolean => as.prefix.length === 0 || spawnSync(as.prefix[0] as string, [...as.prefix.slice(1), 'test', '-x', d]).status === 0;
  const base = tmpdir();
  return fits(base) && reachable(base) ? base : '/tmp';
}

function execAsync(cmd: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<PsqlOutput> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: options.env ?? pgEnv(), cwd: options.cwd },
      (err, stdout, stderr) => {
        const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 0;
        if (err && code === 0) reject(err);
        else resolve({ exitCode: code, stdout, stderr });
      });
    child.stdin?.on('error', () => {}); // psql may exit before reading all of stdin
    child.stdin?.end(options.input ?? '');
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------------------
// one server

interface Layout {
  dir: string;
  dataDir: string;
  socketDir: string;
  logPath: string;
  bin: string;
  as: RunAs;
}

async function initdb(l: Layout): Promise<void> {
  const args = [...l.as.prefix, join(l.bin, 'initdb'), '-D', l.dataDir, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8',
    '--no-locale', '--no-sync', '--no-instructions'];
  const r = await execAsync(args[0] as string, args.slice(1), { cwd: l.dir });
  if (r.exitCode !== 0) throw new Error(`initdb failed (exit ${r.exitCode}):\n${r.stdout}${r.stderr}`);
}

function serverSettings(port: number, l: Layout, extra: Record<string, string>): string[] {
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: l.socketDir,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    dynamic_shared_memory_type: 'mmap',
    ...extra,
  };
  return Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
}

function spawnPostgres(port: number, l: Layout, extra: Record<string, string>): ChildProcess {
  const namespace = l.as.prefix.length > 0 ? ['unshare', '--ipc', '--'] : [];
  // setpriv sets the parent-death signal after it changed the uid (a uid change would clear it)
  const setpriv = l.as.prefix.length > 0 ? [...l.as.prefix.slice(0, -1), '--pdeathsig', 'KILL', '--'] : ['setpriv', '--pdeathsig', 'KILL', '--'];
  const argv = [...namespace, ...setpriv, join(l.bin, 'postgres'), '-D', l.dataDir, ...serverSettings(port, l, extra)];
  const logFd = openSync(l.logPath, 'a');
  const child = spawn(argv[0] as string, argv.slice(1), { cwd: l.dir, env: pgEnv(), stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  child.unref();
  return child;
}

/** Resolves when the server accepts connections; rejects when it exited or did not within READY_TIMEOUT_MS. */
async function waitReady(child: ChildProcess, port: number, l: Layout): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
    const r = await execAsync(join(l.bin, 'pg_isready'), ['-q', '-h', l.socketDir, '-p', String(port), '-U', SUPERUSER, '-d', 'postgres']);
    if (r.exitCode === 0) return;
    await sleep(50);
  }
  const how = child.exitCode !== null || child.signalCode !== null ? 'exited' : `did not accept connections within ${READY_TIMEOUT_MS} ms`;
  throw new Error(`postgres on 127.0.0.1:${port} ${how}; log ${l.logPath}:\n${readFileSync(l.logPath, 'utf8')}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.ref(); // an unref'd child's exit would not keep the event loop alive while we wait for it
  child.kill('SIGINT'); // fast shutdown: disconnect clients, checkpoint, exit
  const slow = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await gone;
  clearTimeout(slow);
}

/** Start postgres on a free port; another port when the one picked was taken meanwhile. */
async function startOnFreePort(l: Layout, extra: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const logStart = existsSync(l.logPath) ? readFileSync(l.logPath).length : 0;
    const child = spawnPostgres(port, l, extra);
    live.set(l.dir, { pid: child.pid ?? 0 });
    try {
      await waitReady(child, port, l);
      return { child, port };
    } catch (err) {
      await stopChild(child);
      const inUse = /could not bind|Address already in use/.test(readFileSync(l.logPath, 'utf8').slice(logStart));
      if (attempt >= 3 || !inUse) throw err;
    }
  }
}

function psqlFor(l: Layout, port: number, defaultDb: string) {
  return (sql: string, options: { via?: 'tcp' | 'socket'; database?: string } = {}): Promise<PsqlOutput> => {
    const db = options.database ?? defaultDb;
    const target = options.via === 'socket' ? ['-h', l.socketDir, '-p', String(port), '-U', SUPERUSER, '-d', db]
      : ['-d', `postgres://${SUPERUSER}@127.0.0.1:${port}/${db}`];
    return execAsync(join(l.bin, 'psql'), ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', ...target], { input: sql });
  };
}

/** Start a PostgreSQL server in a temp dir. Call `server.stop()` when done (an exit hook is the safety net). */
export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  const database = options.database ?? 'gofleet';
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`database name ${database}: lower-case letters, digits and _ only`);
  const reason = postgresUnavailableReason();
  if (reason) throw new Error(`cannot start postgres: ${reason}`);
  const as = runAs();
  const dir = mkdtempSync(join(baseDir(as), 'gofleet-pg-'));
  live.set(dir, { pid: 0 });
  const l: Layout = { dir, dataDir: join(dir, 'data'), socketDir: join(dir, 'sock'), logPath: join(dir, 'postgres.log'), bin: findPgBinDir() as string, as };
  let child: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    if (child) await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
    live.delete(dir);
  };
  try {
    mkdirSync(l.socketDir);
    if (as.prefix.length > 0) for (const d of [dir, l.socketDir]) chownSync(d, as.uid, as.gid);
    await initdb(l);
    const started = await startOnFreePort(l, options.settings ?? {});
    child = started.child;
    const { port } = started;
    const psql = psqlFor(l, port, database);
    const created = await psql(`CREATE DATABASE "${database}"`, { via: 'socket', database: 'postgres' });
    if (created.exitCode !== 0) throw new Error(`CREATE DATABASE ${database} failed: ${created.stderr}`);
    return {
      url: `postgres://${SUPERUSER}@127.0.0.1:${port}/${database}`,
      socketUrl: `postgresql://${SUPERUSER}@/${database}?host=${encodeURIComponent(l.socketDir)}&port=${port}`,
      host: '127.0.0.1',
      port,
      socketDir: l.socketDir,
      database,
      user: SUPERUSER,
      dir,
      logPath: l.logPath,
      binDir: l.bin,
      pid: child.pid ?? 0,
      readLog: () => (existsSync(l.logPath) ? readFileSync(l.logPath, 'utf8') : ''),
      psql,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
