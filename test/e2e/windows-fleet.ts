// The fixture the Windows end-to-end tests (test/e2e/windows-*.test.ts) share: a temp dir, an HTTP source serving
// Windows release files (by default fake go1.26.8 and go1.27.3 windows-amd64 zips), one or more fake Windows hosts
// playing the machine model (fake-windows-host-model.ts) over OpenSSH (fake-windows-sshd.ts) or over WinRM (the
// fake WinRM host behind the NTLM auth layer, sealed, as a stock host speaks), managed versions already installed,
// and an inventory naming them. `run` is the CLI with that inventory, `src` the source options; `stop` ends it all.
// useWindowsFleet registers the start and the stop as the describe block's before and after hooks.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeToolchainArchive, writeSourceDir, type FixtureArchive } from '../harness/toolchains.ts';
import { startHttpSource, type HttpSource } from '../harness/http-source.ts';
import { startFakeWindowsHost, type FakeWindowsHost, type Respond, type WindowsHostState } from '../harness/fake-windows-sshd.ts';
import { startFakeWinrmHost, type FakeWinrmConfig, type FakeWinrmHost } from '../harness/fake-winrm-server.ts';
import { createWinrmServerAuth, type WinrmServerAuth } from '../harness/fake-winrm-auth.ts';
import { withFileCopy } from '../harness/fake-windows-file-copy.ts';
import { installVersion, windowsHostModel, type WindowsMachine } from '../harness/fake-windows-host-model.ts';
import { gofleet, type CliRun } from './helpers.ts';

export const VDIR = 'C:\\ProgramData\\gofleet\\versions';
export const GOROOT = 'C:\\Program Files\\Go';

export type Transport = 'ssh' | 'winrm';
type HostOf<T extends Transport> = T extends 'winrm' ? FakeWinrmHost : FakeWindowsHost;

export interface FleetHostOptions {
  /** inventory name (default win-1) */
  name?: string;
  machine: WindowsMachine;
  /** managed versions already in VDIR (default ['go1.26.8']) */
  installed?: string[];
  /** ssh: the account's OpenSSH DefaultShell (default cmd) */
  defaultShell?: 'cmd' | 'powershell';
  /** ssh: `os` in the inventory (default windows; null: none, the shell probe decides) */
  os?: string | null;
  /** winrm: the host's winrm/config */
  config?: FakeWinrmConfig;
  /** winrm: the account may not read winrm/config */
  denyConfigRead?: boolean;
}

export interface WindowsFleetOptions<T extends Transport> {
  transport: T;
  /** prefix of the temp dir */
  prefix: string;
  hosts: FleetHostOptions[];
  /** the release files the HTTP source serves, written into `dir` (default the two fake zips); null: no source */
  archives?: ((dir: string) => FixtureArchive[] | Promise<FixtureArchive[]>) | null;
  /** winrm: the account's password and the environment variable the inventory reads it from */
  winrm?: { password: string; passEnv: string };
  /** the CLI arguments `run` appends after `-i inventory` */
  runArgs?: (fleet: WindowsFleet<T>) => string[];
}

export interface FleetHost<T extends Transport> {
  name: string;
  host: HostOf<T>;
  machine: WindowsMachine;
  /** winrm: the host's auth layer (its logons) */
  auth: T extends 'winrm' ? WinrmServerAuth : undefined;
}

export interface WindowsFleet<T extends Transport> {
  dir: string;
  source: HttpSource | null;
  /** the files the source serves */
  archives: FixtureArchive[];
  inventory: string;
  hosts: FleetHost<T>[];
  /** the first host, its machine, its auth */
  host: HostOf<T>;
  machine: WindowsMachine;
  auth: T extends 'winrm' ? WinrmServerAuth : undefined;
  /** the file the source serves under this name */
  archive(filename: string): FixtureArchive;
  /** the real CLI (in-process) with the fleet's inventory */
  run(...args: string[]): Promise<CliRun>;
  /** --source, --checksum-source and --cache-dir of the fleet's source */
  src(): string[];
  stop(): Promise<void>;
}

/** The fake go1.26.8 and go1.27.3 windows-amd64 zips with the official names and layout. */
export async function windowsZips(): Promise<FixtureArchive[]> {
  const from = await fakeToolchainArchive('go1.26.8', { os: 'windows', arch: 'amd64' });
  const to = await fakeToolchainArchive('go1.27.3', { os: 'windows', arch: 'amd64' });
  return [from, to];
}

function sshEntry(name: string, h: FakeWindowsHost, os: string | null): string[] {
  return [`  ${name}: { address: 127.0.0.1, port: ${h.port}, user: ${h.user}, identity: ${h.clientKey}, known_hosts: ${h.knownHostsPath}${os ? `, os: ${os}` : ''} }`];
}

function winrmEntry(name: string, port: number, passEnv: string): string[] {
  return [
    `  ${name}:`, '    address: 127.0.0.1', `    port: ${port}`, '    user: deploy', `    password: \${env:${passEnv}}`,
    '    transport: winrm', '    winrm: { scheme: http, auth: ntlm }',
  ];
}

async function startHost<T extends Transport>(o: WindowsFleetOptions<T>, h: FleetHostOptions, name: string): Promise<FleetHost<T>> {
  // a model a call, as the tests always built it
  const respond: Respond = (script, ctx) => windowsHostModel(h.machine)(script, ctx);
  if (o.transport === 'ssh') {
    const host = await startFakeWindowsHost({ name, defaultShell: h.defaultShell, respond });
    return { name, host, machine: h.machine, auth: undefined } as FleetHost<T>;
  }
  assert.ok(o.winrm, 'a WinRM fleet needs winrm: { password, passEnv }');
  const auth = createWinrmServerAuth({ users: { deploy: o.winrm.password } });
  const host = await startFakeWinrmHost({
    name, auth, operationTimeoutMs: 300, config: h.config, denyConfigRead: h.denyConfigRead,
    respond: withFileCopy(respond),
  });
  return { name, host, machine: h.machine, auth } as FleetHost<T>;
}

/** Start the fleet (call it in `before`, and `stop` in `after`). */
export async function windowsFleet<T extends Transport>(o: WindowsFleetOptions<T>): Promise<WindowsFleet<T>> {
  const dir = mkdtempSync(join(tmpdir(), o.prefix));
  const started: FleetHost<T>[] = [];
  let source: HttpSource | null = null;
  const stop = async (): Promise<void> => {
    if (o.winrm) delete process.env[o.winrm.passEnv];
    for (const h of started) await h.host.stop();
    await source?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (o.winrm) process.env[o.winrm.passEnv] = o.winrm.password;
    const archives = o.archives === null ? [] : await (o.archives ?? windowsZips)(dir);
    if (o.archives !== null) {
      writeSourceDir(join(dir, 'src'), archives);
      source = await startHttpSource(join(dir, 'src'));
    }
    for (const h of o.hosts) {
      const one = await startHost(o, h, h.name ?? 'win-1');
      started.push(one);
      for (const v of h.installed ?? ['go1.26.8']) installVersion(one.host, VDIR, v);
    }
    const inventory = join(dir, 'fleet.yml');
    const entries = started.flatMap((h, i) => o.transport === 'ssh'
      ? sshEntry(h.name, h.host as FakeWindowsHost, o.hosts[i]?.os === undefined ? 'windows' : o.hosts[i]?.os ?? null)
      : winrmEntry(h.name, h.host.port, o.winrm?.passEnv ?? ''));
    writeFileSync(inventory, ['hosts:', ...entries, ''].join('\n'));
    const first = started[0];
    assert.ok(first, 'a fleet has at least one host');
    const fleet: WindowsFleet<T> = {
      dir, source, archives, inventory, hosts: started, host: first.host, machine: first.machine, auth: first.auth,
      archive: (filename) => {
        const found = archives.find((a) => a.filename === filename);
        assert.ok(found, `the source serves no ${filename}`);
        return found;
      },
      run: (...args) => gofleet(...args, '-i', inventory, ...(o.runArgs?.(fleet) ?? [])),
      src: () => {
        assert.ok(source, 'this fleet has no source');
        return ['--source', source.url, '--checksum-source', join(dir, 'src'), '--cache-dir', join(dir, 'cache')];
      },
      stop,
    };
    return fleet;
  } catch (e) {
    await stop();
    throw e;
  }
}

/** The fleet of a describe block: started in its `before`, stopped in its `after`; read its parts in the tests. */
export function useWindowsFleet<T extends Transport>(o: WindowsFleetOptions<T>): WindowsFleet<T> {
  let started: WindowsFleet<T> | undefined;
  const f = (): WindowsFleet<T> => {
    assert.ok(started, 'the fleet is started by the describe block\'s before hook');
    return started;
  };
  before(async () => {
    started = await windowsFleet(o);
  });
  after(async () => {
    await started?.stop();
  });
  return {
    get dir() { return f().dir; },
    get source() { return f().source; },
    get archives() { return f().archives; },
    get inventory() { return f().inventory; },
    get hosts() { return f().hosts; },
    get host() { return f().host; },
    get machine() { return f().machine; },
    get auth() { return f().auth; },
    archive: (filename) => f().archive(filename),
    run: (...args) => f().run(...args),
    src: () => f().src(),
    stop: () => f().stop(),
  };
}

/** A fixture with an official .msi name; its bytes are not an MSI (no msiexec runs in these tests). */
export function fakeMsi(dir: string, filename: string): FixtureArchive {
  const path = join(dir, filename);
  writeFileSync(path, `not really an MSI: ${filename}\n`.repeat(64));
  const bytes = readFileSync(path);
  return { path, filename, sha256: createHash('sha256').update(bytes).digest('hex'), size: statSync(path).size };
}

/** The go1.26.8 and go1.27.3 windows-amd64 .msi fixtures, made under `dir` (an `archives` of windowsFleet). */
export function windowsMsis(dir: string): FixtureArchive[] {
  const fixtures = join(dir, 'fixtures');
  mkdirSync(fixtures);
  return [fakeMsi(fixtures, 'go1.26.8.windows-amd64.msi'), fakeMsi(fixtures, 'go1.27.3.windows-amd64.msi')];
}

/** The host's MSI cache as an earlier MSI upgrade by gofleet left it: these files, nothing else. */
export function msiCacheHolds(host: WindowsHostState, files: FixtureArchive[]): void {
  const local = host.drives.toLocal(`${VDIR}\\.gofleet\\cache`);
  rmSync(local, { recursive: true, force: true });
  mkdirSync(local, { recursive: true });
  for (const f of files) copyFileSync(f.path, join(local, f.filename));
}
