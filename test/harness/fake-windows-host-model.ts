// A model of what gofleet's Windows scripts do on a machine, as a `respond` for the fake Windows OpenSSH host
// (fake-windows-sshd.ts). IT IS A MODEL: it runs no PowerShell and proves the CONTROLLER side only (what gofleet
// sends, where it uploads, how it reads what comes back). The scripts themselves are proven on a real Windows
// host (the windows-e2e workflow) and by the PowerShell 5.1 checker.
//
// It tells the scripts apart by the `# gofleet-script: <kind>` line every builder emits (platform/windows/
// script-kind.ts), reads the intent from the psQuote'd `$script:NAME = '...'` assignments render-script.ts and
// facts-script.ts put at the top, and keeps the machine as data: managed versions are real directories under
// versions_dir on the fake's drive (so uploads are real files whose SHA-256 is checked), the goroot junction
// target, the machine PATH, the previous version, the lock and the archive cache. It answers with the facts
// `key=value` lines parse-facts.ts reads and the `@@gofleet` step/outcome lines the real scripts print, with
// CRLF line ends, and CLIXML on stderr for an error outside the protocol.
// Failure injections (`machine.inject`): verification of a version fails; the connection drops during verify
// (the switch then completes on the "host", as the real script carries on without its client); a script dies
// before its outcome with an exit code and a PowerShell error record.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { percentEncode } from '../../src/platform/protocol/percent.ts';
import { scriptKindOf } from '../../src/platform/windows/script-kind.ts';
import { msiFacts, msiFlow, type WindowsMsi } from './fake-windows-msi-model.ts';
import { clixmlError } from './fake-windows-output.ts';
import type { Reply, Respond, RespondContext, WindowsHostState } from './fake-windows-process.ts';

export interface WindowsMachine {
  /** the version goroot's junction points at (null: no goroot) */
  active: string | null;
  previous: string | null;
  /** the machine PATH entries, in order */
  machinePath: string[];
  /** a run's lock, when one is held */
  lock: { run: string; pid: number } | null;
  inject: {
    /** verification of this version fails (VERIFY_FAILED, rolled back) */
    verifyFails?: string;
    /** the connection drops once verification has started (the host finishes the switch) */
    dropMidVerify?: boolean;
    /** verification takes up to a minute, ended early by an interrupt request (the controller's 2nd Ctrl-C) */
    slowVerify?: boolean;
    /** the next mutating script dies before its outcome with this exit code and error record (CLIXML) */
    crash?: { exitCode: number; message: string };
  };
  /**
   * the memory (MB) the verification build's processes commit (the go command, compile, link): over a transport that
   * caps the process's job object below it (ctx.memoryCapMB: WinRM's MaxMemoryPerShellMB) the build's allocation
   * fails as go.exe reports it ("VirtualAlloc ... errno=1455", "fatal error: out of memory", exit 2) and the model
   * answers what ps-verify.ts's gf_out_of_memory branch prints. Absent: the build fits any cap.
   */
  buildNeedsMB?: number;
  /** the kinds of script run, in order */
  ran: string[];
  /** a script is in its verify step now */
  verifying: boolean;
  /**
   * facts lines to set or replace (key -> raw value; a list such as go_installs as its items, each encoded alone):
   * a host with other Go installs, a machine GOROOT, a filtered token, ...
   */
  facts?: Record<string, string | string[]>;
  /** --method msi: the Go MSI at goroot and what msiexec answers (fake-windows-msi-model.ts) */
  msi?: WindowsMsi;
}

export function newWindowsMachine(over: Partial<WindowsMachine> = {}): WindowsMachine {
  return { active: null, previous: null, machinePath: ['C:\\Windows\\system32', 'C:\\Windows'], lock: null, inject: {}, ran: [], verifying: false, ...over };
}

/** The `$script:NAME = '...'` values of a rendered script (psQuote: '' inside is one quote). */
export function scriptValues(script: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of script.matchAll(/^\s*\$script:([A-Z_]+) = '((?:[^']|'')*)'\r?$/gm)) out.set(m[1] ?? '', (m[2] ?? '').replace(/''/g, "'"));
  return out;
}

/** Put a managed version on the fake's drive, as an earlier upgrade would have left it. */
export function installVersion(host: WindowsHostState, versionsDir: string, version: string): void {
  const dir = host.drives.toLocal(`${versionsDir}\\${version}`);
  mkdirSync(`${dir}/bin`, { recursive: true });
  writeFileSync(`${dir}/VERSION`, `${version}\ntime 2026-01-01T00:00:00Z\n`);
  writeFileSync(`${dir}/bin/go.exe`, 'MZ');
}

class Run {
  readonly out: string[] = [];
  constructor(private readonly ctx: RespondContext) {}
  step(name: string, status: string, extra = ''): void {
    this.ctx.stdout(`@@gofleet step ${name} ${status}${extra}\n`);
  }
  outcome(result: string, active: string | null, previous: string | null, extra = ''): Reply {
    this.ctx.stdout(`@@gofleet outcome result=${result} active=${active ?? '-'} previous=${previous ?? '-'}${extra}\n`);
    return { exitCode: result === 'switched' || result === 'unchanged' || result === 'pruned' ? 0 : 1 };
  }
}

function managedVersions(host: WindowsHostState, vdir: string): string[] {
  const local = host.drives.toLocal(vdir);
  if (!existsSync(local)) return [];
  return readdirSync(local).filter((n) => /^go\d/.test(n) && existsSync(`${local}/${n}/VERSION`)).sort();
}

function cached(host: WindowsHostState, vdir: string): string[] {
  const local = host.drives.toLocal(`${vdir}\\.gofleet\\cache`);
  return existsSync(local) ? readdirSync(local).sort() : [];
}

function facts(host: WindowsHostState, m: WindowsMachine, v: Map<string, string>): Reply {
  const goroot = v.get('G_ROOT') ?? '';
  const vdir = v.get('VDIR') ?? '';
  const kv: [string, string][] = [
    ['os_caption', 'Microsoft Windows Server 2022 Datacenter'], ['os_version', '10.0.20348'], ['os_build', '20348'],
    ['arch_native', 'AMD64'], ['arch_process', 'AMD64'], ['user', `WIN-1\\${host.user}`], ['elevated', '1'], ['admin_member', '1'],
    ['ps_version', '5.1.20348.2400'], ['ps_edition', 'Desktop'], ['has_tar', '1'],
    ['goroot_path', goroot], ['goroot_state', m.active ? 'link' : m.msi?.installed ? 'dir' : 'missing'],
    ...msiFacts(m, goroot),
    ...(m.active ? [['goroot_target', `${vdir}\\${m.active}`], ['goroot_link_kind', 'junction'], ['goroot_version', m.active],
      ['goroot_go_version', m.active], ['go_path', `${goroot}\\bin\\go.exe`], ['go_version', m.active], ['go_goroot', goroot],
      ['managed_active', m.active]] as [string, string][] : []),
    ['managed_previous', m.previous ?? ''],
    ['free_kb', '50000000'], ['writable', '1'], ['lock', m.lock ? '1' : '0'],
    ...(m.active ? [['go_installs', percentEncode(`junction|${goroot}|${m.active}|`)]] as [string, string][] : []),
  ];
  const lines = kv.map(([k, val]) => `${k}=${k === 'go_installs' ? val : percentEncode(val)}`);
  for (const [k, val] of Object.entries(m.facts ?? {})) {
    const at = lines.findIndex((l) => l.startsWith(`${k}=`));
    const line = `${k}=${Array.isArray(val) ? val.map(percentEncode).join(',') : percentEncode(val)}`;
    if (at >= 0) lines[at] = line;
    else lines.push(line);
  }
  lines.push(`managed_versions=${managedVersions(host, vdir).join(',')}`, `cached=${cached(host, vdir).map(percentEncode).join(',')}`);
  return { stdout: `${lines.join('\n')}\n` };
}

/** stage: the uploaded zip (or the cached one) checked against ARCHIVE_SHA, cached, the version laid out. */
function stage(host: WindowsHostState, v: Map<string, string>, run: Run): string | null {
  const vdir = v.get('VDIR') ?? '';
  const target = v.get('TARGET') ?? '';
  const archive = v.get('ARCHIVE') ?? '';
  if (archive === '') {
    // no archive: the version is installed already (the engine saw it in the facts)
    if (!existsSync(host.drives.toLocal(`${vdir}\\${target}\\VERSION`))) return `${target} is not installed and no archive was given`;
    run.step('stage', 'skip');
    return null;
  }
  run.step('stage', 'start');
  const local = host.drives.toLocal(archive);
  if (!existsSync(local)) return `no archive at ${archive}`;
  const sha = createHash('sha256').update(readFileSync(local)).digest('hex');
  if (sha !== (v.get('ARCHIVE_SHA') ?? '').toLowerCase()) return `SHA-256 of ${archive} is ${sha}`;
  const cacheDir = host.drives.toLocal(`${vdir}\\.gofleet\\cache`);
  mkdirSync(cacheDir, { recursive: true });
  const name = v.get('ARCHIVE_NAME') ?? '';
  if (!archive.includes('\\.gofleet\\cache\\')) {
    copyFileSync(local, `${cacheDir}/${name}`);
    unlinkSync(local);
  }
  installVersion(host, vdir, target);
  run.step('stage', 'ok');
  return null;
}

async function switchFlow(host: WindowsHostState, m: WindowsMachine, v: Map<string, string>, ctx: RespondContext): Promise<Reply> {
  const run = new Run(ctx);
  const target = v.get('TARGET') ?? '';
  const goroot = v.get('G_ROOT') ?? '';
  run.step('lock', 'start');
  if (m.lock) {
    run.step('lock', 'fail', ' code=LOCKED');
    return run.outcome('failed', m.active, m.active, ` code=LOCKED msg=${percentEncode(`held by run ${m.lock.run}`)}`);
  }
  m.lock = { run: v.get('RUN') ?? '', pid: ctx.pid };
  run.step('lock', 'ok');
  try {
    if (m.active === target) return run.outcome('unchanged', target, target);
    if (v.get('MODE') === 'upgrade') {
      const err = stage(host, v, run);
      if (err) {
        run.step('stage', 'fail', ' code=CHECKSUM_MISMATCH');
        return run.outcome('failed', m.active, m.active, ` code=CHECKSUM_MISMATCH msg=${percentEncode(err)}`);
      }
    }
    const from = m.active;
    run.step('switch', 'start');
    m.active = target;
    const bin = `${goroot}\\bin`;
    m.machinePath = [bin, ...m.machinePath.filter((p) => p !== bin)];
    run.step('switch', 'ok');
    run.step('verify', 'start');
    if (m.inject.dropMidVerify) {
      m.inject.dropMidVerify = false;
      m.previous = from;
      m.lock = null; // the script carries on without its client and ends: switched, unlocked
      ctx.drop();
      return {};
    }
    if (m.inject.slowVerify) {
      m.verifying = true;
      const interrupted = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 60_000);
        ctx.interrupt.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve(true);
        }, { once: true });
      }).finally(() => (m.verifying = false));
      if (interrupted) {
        const msg = `stopped by the controller after the switch to ${target}; rolled back`;
        run.step('rollback', 'start');
        m.active = from;
        run.step('rollback', 'ok');
        return run.outcome('rolled_back', from, from, ` code=INTERRUPTED msg=${percentEncode(msg)}`);
      }
    }
    const cap = ctx.memoryCapMB;
    if (v.get('BUILD') === '1' && m.buildNeedsMB !== undefined && cap !== undefined && m.buildNeedsMB > cap) {
      const goOut = 'runtime: VirtualAlloc of 1048576 bytes failed with errno=1455\nfatal error: out of memory';
      const msg = `the hello-world build ran out of memory (exit 2): ${goOut}`;
      run.step('verify', 'fail', ` code=VERIFY_OUT_OF_MEMORY msg=${percentEncode(msg)}`);
      run.step('rollback', 'start');
      m.active = from;
      run.step('rollback', 'ok');
      return run.outcome('rolled_back', from, from, ` code=VERIFY_OUT_OF_MEMORY msg=${percentEncode(msg)}`);
    }
    if (m.inject.verifyFails === target) {
      const msg = `go version printed nothing: ${target} does not run`;
      run.step('verify', 'fail', ` code=VERIFY_FAILED msg=${percentEncode(msg)}`);
      run.step('rollback', 'start');
      m.active = from;
      run.step('rollback', 'ok');
      return run.outcome('rolled_back', from, from, ` code=VERIFY_FAILED msg=${percentEncode(msg)}`);
    }
    run.step('verify', 'ok');
    m.previous = from;
    return run.outcome('switched', target, from);
  } finally {
    if (m.lock?.pid === ctx.pid) {
      m.lock = null;
      run.step('unlock', 'ok');
    }
  }
}

function prune(host: WindowsHostState, m: WindowsMachine, v: Map<string, string>, ctx: RespondContext): Reply {
  const run = new Run(ctx);
  const vdir = v.get('VDIR') ?? '';
  const keep = Number(v.get('KEEP') ?? '2');
  run.step('lock', 'start');
  run.step('lock', 'ok');
  run.step('prune', 'start');
  const versions = managedVersions(host, vdir).reverse(); // newest first (the fixtures' names sort alike)
  const removed = versions.slice(keep).filter((x) => x !== m.active && x !== m.previous);
  for (const x of removed) rmSync(host.drives.toLocal(`${vdir}\\${x}`), { recursive: true, force: true });
  run.step('prune', 'ok');
  run.step('unlock', 'ok');
  return run.outcome('pruned', m.active, m.active, ` removed=${removed.join(',')}`);
}

/** The respond of a fake Windows host that behaves like `machine` under gofleet's scripts. */
export function windowsHostModel(machine: WindowsMachine): Respond {
  return async (script, ctx) => {
    const kind = scriptKindOf(script);
    machine.ran.push(kind ?? 'unknown');
    const v = scriptValues(script);
    const crash = machine.inject.crash;
    if (crash && kind !== 'facts') {
      machine.inject.crash = undefined;
      ctx.stdout("@@gofleet step lock start\n");
      return { stderr: clixmlError(crash.message, { progress: true }), exitCode: crash.exitCode };
    }
    switch (kind) {
      case 'facts':
        return facts(ctx.host, machine, v);
      case 'upgrade':
      case 'switch':
        return switchFlow(ctx.host, machine, v, ctx);
      case 'prune':
        return prune(ctx.host, machine, v, ctx);
      case 'msi':
        return msiFlow(ctx.host, machine, v, ctx);
      default:
        return { stderr: clixmlError(`the host model does not know this script: ${script.split('\n')[0] ?? ''}`), exitCode: 1 };
    }
  };
}
