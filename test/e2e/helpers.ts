// Helpers for end-to-end tests: run the real CLI in-process with captured output (or as a child process),
// write inventories for a harness fleet, install a toolchain on a host "by hand" (a plain directory, like a
// manual install, or a managed layout), inspect a host's goroot, and build odd archives (padded/bloated).

import { spawn, type ChildProcess } from 'node:child_process';
import { after } from 'node:test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256File } from '../../src/releases/hash-file.ts';
import { runCli } from '../../src/cli/program.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { freePort, startHosts, type ExecOutput, type Fleet, type SshdHost } from '../harness/sshd.ts';
import { fakeToolchainArchive, toolchainArchive, writeSourceDir, type FixtureArchive } from '../harness/toolchains.ts';

/** Call once at a test file's top level: `tmp(prefix)` makes a temp dir (`gofleet-PREFIX-…`) and `removeLater(dir)`
 *  adopts one a helper made; all of them are removed when the file ends. */
export function tempDirs(): { tmp(prefix: string): string; removeLater(dir: string): void } {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  return {
    tmp: (prefix) => {
      const dir = mkdtempSync(join(tmpdir(), `gofleet-${prefix}-`));
      dirs.push(dir);
      return dir;
    },
    removeLater: (dir) => void dirs.push(dir),
  };
}

// Every CLI run in these tests journals into a throwaway state file, never the user's own.
process.env.GOFLEET_STATE ??= join(mkdtempSync(join(tmpdir(), 'gofleet-state-')), 'gofleet.db');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  json<T = any>(): T; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function gofleet(...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { out: (t) => void (stdout += t), err: (t) => void (stderr += t), stdoutTty: false, stderrTty: false };
  const code = await runCli(args, io);
  return {
    code,
    stdout,
    stderr,
    json: () => {
      try {
        return JSON.parse(stdout);
      } catch {
        throw new Error(`stdout is not one JSON document (exit ${code}):\n${stdout}\n--- stderr ---\n${stderr}`);
      }
    },
  };
}

/** `sh -c cmd` inside the host (its mount and PID namespaces), with optional stdin; never rejects on a non-zero exit. */
export function execOn(host: SshdHost, cmd: string, stdin?: Buffer): Promise<ExecOutput> {
  return host.exec(cmd, stdin ? { stdin } : {});
}

export interface InventoryHost {
  host: SshdHost;
  name?: string;
  /** default host.port (e.g. a proxy in front of the host, or a closed port) */
  port?: number;
  /** extra `key: value` YAML flow entries, e.g. "become: true" */
  extra?: string;
}

/** A gofleet YAML inventory for harness hosts (root, the fleet's key and known_hosts). */
export function fleetInventory(fleet: Fleet, hosts: InventoryHost[] = fleet.hosts.map((host) => ({ host })), defaults = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-inv-'));
  const lines = [
    'defaults:',
    '  transport: ssh',
    '  user: root',
    `  identity: ${fleet.clientKey}`,
    `  known_hosts: ${fleet.knownHostsPath}`,
    ...(defaults ? defaults.split('\n').map((l) => `  ${l}`) : []),
    'hosts:',
    ...hosts.map((h) => `  ${h.name ?? h.host.name}: { address: 127.0.0.1, port: ${h.port ?? h.host.port}${h.extra ? `, ${h.extra}` : ''} }`),
    '',
  ];
  const path = join(dir, 'inventory.yml');
  writeFileSync(path, lines.join('\n'));
  return path;
}

/** Extract an archive to <host>/usr/local/go as a plain directory (a manual install) and link /usr/local/bin/go. */
export async function installByHand(host: SshdHost, archive: FixtureArchive): Promise<void> {
  // the archive goes in over stdin: the host has a private /tmp and may not see the controller's files
  const r = await execOn(host, `set -e; rm -rf /usr/local/go; tar -xzf - -C /usr/local; mkdir -p /usr/local/bin; ln -sf ../go/bin/go /usr/local/bin/go`, readFileSync(archive.path));
  if (r.exitCode !== 0) throw new Error(`install by hand on ${host.name}: ${r.stderr}`);
}

/** Only the PATH link, for hosts that start without Go (the upgrade installs it). */
export async function linkPathOnly(host: SshdHost): Promise<void> {
  const r = await execOn(host, 'mkdir -p /usr/local/bin && ln -sf ../go/bin/go /usr/local/bin/go');
  if (r.exitCode !== 0) throw new Error(r.stderr);
}

/** `go version` as the host's login shell sees it. */
export async function goVersionOn(host: SshdHost): Promise<string> {
  const r = await execOn(host, '/usr/local/bin/go version');
  return r.exitCode === 0 ? (r.stdout.trim().split(' ')[2] ?? '') : `exit ${r.exitCode}: ${r.stderr.trim()}`;
}

/** A listing of a host's /usr/local (paths, types, sizes, mtimes, link targets) to prove nothing changed. */
export async function snapshotHost(host: SshdHost): Promise<string> {
  const r = await execOn(host, `cd /usr/local && find . -printf '%p %y %m %s %T@ %l\\n' | sort`);
  return r.stdout;
}

const VERSIONS_DIR = '/usr/local/gofleet/versions';

/** A managed install laid out by hand: <versions_dir>/<VERSION> from the archive, /usr/local/go linked to it. */
export async function installManaged(host: SshdHost, archive: FixtureArchive, versionsDir = VERSIONS_DIR): Promise<void> {
  const r = await execOn(host, `set -e; rm -rf /usr/local/go; t='${versionsDir}/.by-hand'; rm -rf "$t"; mkdir -p "$t"
    tar -xzf - -C "$t"; v=$(head -n 1 "$t/go/VERSION"); rm -rf '${versionsDir}'/"$v"
    mv "$t/go" '${versionsDir}'/"$v"; rmdir "$t"; ln -s '${versionsDir}'/"$v" /usr/local/go
    mkdir -p /usr/local/bin; ln -sf ../go/bin/go /usr/local/bin/go`, readFileSync(archive.path));
  if (r.exitCode !== 0) throw new Error(`managed install on ${host.name}: ${r.stderr}`);
}

/** What /usr/local/go is: `link <target>`, `dir <first line of VERSION>`, `other` or `missing`. */
export async function gorootState(host: SshdHost, goroot = '/usr/local/go'): Promise<string> {
  const r = await execOn(host, `g='${goroot}'; if [ -L "$g" ]; then echo "link $(readlink "$g")"; ` +
    `elif [ -d "$g" ]; then echo "dir $(head -n 1 "$g/VERSION")"; elif [ -e "$g" ]; then echo other; else echo missing; fi`);
  return r.stdout.trim();
}

/** The entries of a directory on the host (`ls -A`), sorted; [] when it does not exist. */
export async function listDir(host: SshdHost, dir: string): Promise<string[]> {
  const r = await execOn(host, `[ -d '${dir}' ] && ls -A '${dir}' || true`);
  return r.stdout.split('\n').filter(Boolean).sort();
}

/**
 * A copy of `base` (an official-layout .tar.gz) with extra payload in go/pkg/: `randomMiB` of incompressible
 * bytes (a big upload) and/or `zerosMiB` of zeros (an archive that is small but expands large).
 */
export async function paddedArchive(base: FixtureArchive, o: { randomMiB?: number; zerosMiB?: number }): Promise<FixtureArchive> {
  const work = await mkdtemp(join(tmpdir(), 'gofleet-padded-'));
  const cmds = [`set -e; cd '${work}'; tar -xzf '${base.path}'`];
  if (o.randomMiB) cmds.push(`head -c ${o.randomMiB * 1048576} /dev/urandom > go/pkg/padding-random.bin`);
  if (o.zerosMiB) cmds.push(`head -c ${o.zerosMiB * 1048576} /dev/zero > go/pkg/padding-zeros.bin`);
  cmds.push(`mkdir out; tar -czf 'out/${base.filename}' go; rm -rf go`);
  await shell(cmds.join('; '));
  const path = join(work, 'out', base.filename);
  return { path, filename: base.filename, sha256: await sha256File(path), size: (await stat(path)).size };
}

function shell(cmd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', cmd], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`sh -c ${cmd}: exit ${code}: ${err}`))));
  });
}

export interface ChildCli {
  child: ChildProcess;
  /** stdout + stderr so far */
  output(): string;
  /** stdout alone so far */
  stdout(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Run `node bin/gofleet.js ARGS` as a child process (a real controller process that can be killed). */
export function spawnGofleet(...args: string[]): ChildCli {
  return spawnGofleetIn(undefined, ...args);
}

/** spawnGofleet started in the directory `cwd` (undefined: this process's own). */
export function spawnGofleetIn(cwd: string | undefined, ...args: string[]): ChildCli {
  const bin = fileURLToPath(new URL('../../bin/gofleet.js', import.meta.url));
  const child = spawn(process.execPath, [bin, ...args], { ...(cwd !== undefined ? { cwd } : {}), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, output: () => out, stdout: () => stdout, exited };
}

/** Poll `probe` until it returns a value other than undefined/false; throws after `timeoutMs` naming `what`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, o: { timeoutMs: number; intervalMs?: number }): Promise<T> {
  const deadline = Date.now() + o.timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${o.timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, o.intervalMs ?? 200));
  }
}

/** A loopback port with nothing listening on it (bound, then released). */
export const closedPort = freePort;

/** Write `text` to a new file in a new temp dir; returns its path. */
export async function tempFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gofleet-e2e-'));
  const path = join(dir, name);
  await writeFile(path, text, { mode: 0o600 });
  return path;
}

/** N real sshd hosts on a managed go1.26.8, a source directory offering go1.27.3, a temp journal. */
export interface UpgradeFleet {
  fleet: Fleet;
  hosts: SshdHost[];
  inventory: string;
  work: string;
  source: string;
  state: string;
  stop(): Promise<void>;
}

/** toolchain 'fake': tiny toolchains whose go is a script (for tests of the controller, not of the payload). */
export async function startUpgradeFleet(n: number, prefix: string, o: { toolchain?: 'real' | 'fake' } = {}): Promise<UpgradeFleet> {
  const work = mkdtempSync(join(tmpdir(), `gofleet-${prefix}-`));
  const archive = o.toolchain === 'fake' ? fakeToolchainArchive : toolchainArchive;
  const [from, to] = await Promise.all([archive('go1.26.8'), archive('go1.27.3')]);
  const source = join(work, 'src');
  writeSourceDir(source, [to]);
  const fleet = await startHosts(n);
  await Promise.all(fleet.hosts.map((h) => installManaged(h, from)));
  return {
    fleet, hosts: fleet.hosts, inventory: fleetInventory(fleet), work, source, state: join(work, 'state', 'gofleet.db'),
    async stop() {
      await fleet.stop();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
