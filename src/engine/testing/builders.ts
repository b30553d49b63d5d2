// Test support (never shipped): small builders so each engine test states only what matters to it.
//   hostFacts({ managed: { active: 'go1.27.3' } })   a healthy managed Linux host on go1.26.8, minus what differs
//   hostSpec({ become: true })                        an inventory host
//   fakeContext({ stepTimeoutMs: 20 })                an EngineContext with a counting clock and recorded events
//   hostHarness({ host: { facts, scripts } })         all of it wired: a ScriptedHost behind Sessions

import type { HostSpec } from '../../inventory/types.ts';
import type { HostOs } from '../../platform/types.ts';
import type { HostFacts, PlatformDialect, WindowsGoInstall, WindowsHostFacts } from '../../platform/types.ts';
import type { ArchiveInfo, EngineContext, LocalArchive } from '../context.ts';
import type { EngineEvent, HostResult, StepRecord } from '../events.ts';
import { hostPaths, type ProbedHost } from '../probe-host.ts';
import { Sessions } from '../sessions.ts';
import { fakeDialect } from './fake-dialect.ts';
import type { FakeTransport, FakeTransportOptions } from './fake-transport.ts';
import { ScriptedHost, type ScriptedHostOptions } from './scripted-host.ts';

export const FROM = 'go1.26.8';
export const TARGET = 'go1.27.3';
const VERSIONS = '/usr/local/gofleet/versions';

export type FactsOverrides = Omit<Partial<HostFacts>, 'goroot' | 'managed'> & {
  goroot?: Partial<HostFacts['goroot']>;
  managed?: Partial<HostFacts['managed']>;
};

/** A Linux host whose /usr/local/go links to a managed go1.26.8, writable by its user, unlocked, idle. */
export function hostFacts(over: FactsOverrides = {}): HostFacts {
  const base: HostFacts = {
    os: 'linux', arch: 'amd64', kernel: '6.1.0', osVersion: 'Debian GNU/Linux 12 (bookworm)', user: 'deploy', isRoot: false, sudo: 'nopasswd',
    go: { version: FROM, goroot: '/usr/local/go', path: '/usr/local/go/bin/go', gopath: '/home/deploy/go' },
    goroot: { path: '/usr/local/go', state: 'link', target: `${VERSIONS}/${FROM}`, version: FROM, goVersion: FROM, physical: `${VERSIONS}/${FROM}`, fsType: 'ext4', hasGo: true },
    managed: { active: FROM, versions: [FROM], previous: null, dirPhysical: VERSIONS, dirFsType: 'ext4', unverified: null, failed: [] },
    freeBytes: 20 * 1024 ** 3, writable: true, lock: null, cachedArchives: [], busy: [],
  };
  return { ...base, ...over, goroot: { ...base.goroot, ...over.goroot }, managed: { ...base.managed, ...over.managed } };
}

/** A Go install as the Windows facts list it (`source|path|version|detail`). */
export function goInstall(source: string, path: string, version: string | null = null, detail: string | null = null): WindowsGoInstall {
  return { source, path, version, detail };
}

/**
 * The same healthy host as a Windows one: an elevated administrator, C:\Program Files\Go\bin on the machine PATH,
 * no GOROOT variable; `over` changes the Windows-only facts (`elevated` also sets isRoot).
 */
export function windowsFacts(over: Partial<WindowsHostFacts> = {}): HostFacts {
  const windows: WindowsHostFacts = {
    caption: 'Microsoft Windows Server 2022 Datacenter', version: '10.0.20348', build: '20348.2340', displayVersion: '21H2',
    archNative: 'AMD64', archProcess: 'AMD64', elevated: true, adminMember: true, psVersion: '5.1.20348.2400', psEdition: 'Desktop',
    gorootLinkKind: 'Junction', machineGoroot: null, userGoroot: null, goToolchain: null, hasTar: true,
    installs: [goInstall('machine_path', 'C:\\Program Files\\Go\\bin', FROM, 'go.exe')],
    ...over,
  };
  return hostFacts({ os: 'windows', user: 'WIN-1\\deploy', isRoot: windows.elevated, sudo: 'n/a', windows });
}

/** The same host after a switch to `version` (goroot and managed.active agree). */
export function factsOn(version: string, over: FactsOverrides = {}): HostFacts {
  const at = { version, goVersion: version, target: `${VERSIONS}/${version}`, physical: `${VERSIONS}/${version}` };
  return hostFacts({ ...over, goroot: { ...at, ...over.goroot }, managed: { active: version, versions: [FROM, version], ...over.managed } });
}

export function hostSpec(over: Partial<HostSpec> = {}): HostSpec {
  return { name: 'h1', address: '10.0.0.1', port: 22, transport: 'ssh', knownHosts: '', become: false, tags: [], groups: [], vars: {}, source: { file: 'inventory.yml', line: 1 }, ...over };
}

export interface FakeContext {
  ctx: EngineContext;
  events: EngineEvent[];
  /** ctx.now() adds `step` to `t` and returns it; raise `step` to make deadlines pass on the next read */
  clock: { t: number; step: number };
  /** the OS of every dialectFor call */
  dialectsAsked: HostOs[];
  /** `archiveInfo version os arch` and `fetchArchive version os arch`, in order */
  archiveCalls: string[];
}

export function archiveName(version: string, os: HostOs, arch: string): string {
  return `${version}.${os}-${arch}.${os === 'windows' ? 'zip' : 'tar.gz'}`;
}

export function fakeContext(over: Partial<EngineContext> & { dialect?: PlatformDialect } = {}): FakeContext {
  const { dialect = fakeDialect(), ...rest } = over;
  const events: EngineEvent[] = [];
  const clock = { t: 1_000, step: 1 };
  const dialectsAsked: HostOs[] = [];
  const archiveCalls: string[] = [];
  const info = (version: string, os: HostOs, arch: string): ArchiveInfo => ({ filename: archiveName(version, os, arch), sha256: 'ab'.repeat(32), size: 70 * 1024 ** 2 });
  const ctx: EngineContext = {
    run: 'run-1',
    connect: () => Promise.reject(new Error('fakeContext: no connect given')),
    dialectFor: (os) => {
      dialectsAsked.push(os);
      return dialect;
    },
    archiveInfo: async (version, os, arch) => {
      archiveCalls.push(`archiveInfo ${version} ${os} ${arch}`);
      return info(version, os, arch);
    },
    fetchArchive: async (version, os, arch): Promise<LocalArchive> => {
      archiveCalls.push(`fetchArchive ${version} ${os} ${arch}`);
      const i = info(version, os, arch);
      return { ...i, path: `/controller/cache/${i.filename}` };
    },
    emit: (e) => events.push(e),
    now: () => (clock.t += clock.step),
    verify: { build: true, requirePath: true },
    // long enough never to fire in a test that does not mean it to, short enough that a test broken into a
    // hang (its own timeout fails it) does not keep the test process alive for long afterwards
    stepTimeoutMs: 10_000,
    ...rest,
  };
  return { ctx, events, clock, dialectsAsked, archiveCalls };
}

export interface Harness extends FakeContext {
  spec: HostSpec;
  host: ScriptedHost;
  sessions: Sessions;
  /** host names of every connect, in order */
  connects: string[];
  /** the next connects reject with these, in order (then connects succeed again) */
  connectErrors: Error[];
  /** The host as probe-host would hand it on (first connection, fresh facts), for run-script tests. */
  probed(over?: Partial<ProbedHost>): Promise<ProbedHost>;
}

export interface HarnessOptions {
  spec?: Partial<HostSpec>;
  host: ScriptedHost | Omit<ScriptedHostOptions, 'name'>;
  ctx?: Partial<EngineContext> & { dialect?: PlatformDialect };
  /** how every connection is made (shell, streams) */
  connection?: Omit<FakeTransportOptions, 'handler' | 'replies'>;
}

export function hostHarness(o: HarnessOptions): Harness {
  const spec = hostSpec(o.spec);
  const host = o.host instanceof ScriptedHost ? o.host : new ScriptedHost({ name: spec.name, ...o.host });
  const connects: string[] = [];
  const connectErrors: Error[] = [];
  const connect = async (s: HostSpec): Promise<FakeTransport> => {
    connects.push(s.name);
    const err = connectErrors.shift();
    if (err) throw err;
    return host.connection(o.connection);
  };
  const fake = fakeContext({ connect, ...o.ctx });
  const sessions = new Sessions(fake.ctx.connect);
  const probed = async (over: Partial<ProbedHost> = {}): Promise<ProbedHost> => {
    const transport = await sessions.get(spec);
    const facts = hostFacts();
    const become = over.become ?? false;
    const how = !become ? 'none' : over.becomePassword !== undefined ? 'sudo-password' : 'sudo';
    const privilege = { elevate: become, how, failedElevation: /sudo|password/i } as const;
    return { spec, transport, dialect: fake.ctx.dialectFor('linux'), paths: hostPaths(spec, 'linux'), facts, become, privilege, ...over };
  };
  return { ...fake, spec, host, sessions, connects, connectErrors, probed };
}

/** `step:status[:code]` for each step of a result (or recorder), to compare whole sequences at once. */
export function stepsOf(result: Pick<HostResult, 'steps'> | { steps: StepRecord[] }): string[] {
  return result.steps.map((s) => `${s.step}:${s.status}${s.code ? `:${s.code}` : ''}`);
}
