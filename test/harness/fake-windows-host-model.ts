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
// `key=value` lines parse-facts.ts reads and the `@@gofleet` step/outcome lines the real scripts print, and
// CLIXML on stderr for an error outside the protocol.
// Line ends, per output path, as Windows PowerShell 5.1 (.NET Framework) puts them on the wire:
// - facts lines (gf_fact) and protocol lines (gf_out) are written with [Console]::Out.Write(<line> + $script:LF),
//   $script:LF being [char]10: Write() adds nothing, so they end in LF alone. The model prints them raw.
// - [Console]::Error.WriteLine / [Console]::Out.WriteLine (the bootstrap's `gofleet-pid:` and `gofleet: ` lines)
//   end in TextWriter.CoreNewLine = Environment.NewLine, CRLF on Windows.
// - pipeline output (Write-Output, a value left on the pipeline) is formatted by the console host, one
//   WriteLine per line: CRLF. None of the mutating or facts scripts prints that way.
// - error records on a redirected stderr are CLIXML (`#< CLIXML` CRLF, then `<Objs>`; each line of the record
//   inside an <S S="Error"> ending in _x000D__x000A_): fake-windows-output.ts clixmlError.
// Locked files (machine.locks, fake-windows-locks.ts): a rename refused while a running go.exe or an antivirus
// scanner holds a file open is retried with gf_move_dir's backoff; stage then fails FILES_IN_USE (naming the
// process when its executable lies in the directory), prune keeps the version with a warning, as the scripts do.
// Adopt (a real directory at goroot), the state file on disk, a swap cut between its two renames and stale locks:
// fake-windows-goroot-model.ts, called where the real flow calls gf_adopt, gf_state_put, gf_repair_goroot, gf_lock.
// Pull (--distribution pull|auto) and the reach probe: fake-windows-pull-model.ts, called where gf_pull runs (right
// before stage) and for the `reach` script; machine.unreachable cuts the host off from every source.
// Fencing tokens (ps-fence.ts): the lock records a script's FENCE; a live lock of its run under a lower token is taken
// over, a higher one (live or recorded in machine.fences) is LEASE_LOST; inject.takeOverBeforeSwitch plays a newer
// worker taking the lock over while the script stages, so its check before the switch refuses.
// Prune orders versions as gf_version_key does (go/version order: go1.10 after go1.9), never as strings.
// Failure injections (`machine.inject`): verification of a version fails; the connection drops during verify
// (the switch then completes on the "host", as the real script carries on without its client); a script dies
// before its outcome with an exit code and a PowerShell error record (`crash`: a shape the scripts as sent cannot
// produce, kept for the exit-code plumbing), or with an error past gf_main's catch (`uncaught`: the bootstrap's
// plain-text catch, exit 1, the shape a real host produces).
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { percentEncode } from '../../src/platform/protocol/percent.ts';
import { scriptKindOf } from '../../src/platform/windows/script-kind.ts';
import { sortVersionsDesc } from '../../src/version/go-version.ts';
import {
  adoptGoroot, currentVersion, gorootDirVersion, gorootFacts, gorootState, lockStale, pendingSwitch, recordSwitch, repairGoroot, reverifyLocked,
  settleSwitch, stateFacts, statePrevious, takeOverStale,
} from './fake-windows-goroot-model.ts';
import { isHeld, moveDir, moveFailure, usersOf, type FileLock, type MoveContext, type MoveRecord } from './fake-windows-locks.ts';
import { msiFacts, msiFlow, type WindowsMsi } from './fake-windows-msi-model.ts';
import { clixmlError, positionLines } from './fake-windows-output.ts';
import { pullArchive, reachLine, type PullMachine } from './fake-windows-pull-model.ts';
import type { Reply, Respond, RespondContext, WindowsHostState } from './fake-windows-process.ts';

export interface WindowsMachine extends PullMachine {
  /** the version goroot's junction points at (null: no goroot) */
  active: string | null;
  previous: string | null;
  /** the machine PATH entries, in order */
  machinePath: string[];
  /** a run's lock, when one is held (stale when its pid runs no more on the host: fake-windows-goroot-model.ts) */
  lock: { run: string; pid: number; since?: string; token?: number } | null;
  /** <versionsDir>\.gofleet\fence\<run>: the highest fencing token of each run seen here (ps-fence.ts) */
  fences?: Record<string, number>;
  inject: {
    /**
     * right before the next fenced script's switch, another worker of its run takes the lock over under this
     * token (pid 7007, running): the script's gf_fence_check refuses the switch (LEASE_LOST)
     */
    takeOverBeforeSwitch?: number;
    /** verification of this version fails (VERIFY_FAILED, rolled back) */
    verifyFails?: string;
    /** the connection drops once verification has started (the host finishes the switch) */
    dropMidVerify?: boolean;
    /** verification takes up to a minute, ended early by an interrupt request (the controller's 2nd Ctrl-C) */
    slowVerify?: boolean;
    /**
     * the next mutating script dies before its outcome with this exit code and error record (CLIXML, with the
     * position block PowerShell 5.1 adds). The scripts as sent cannot end so (the bootstrap's catch turns an
     * error into text, exit 1: `uncaught`); it stands for a PowerShell that fails around them.
     */
    crash?: { exitCode: number; message: string };
    /**
     * the next mutating script throws past gf_main's catch (its catch or finally threw): the bootstrap's catch
     * writes `gofleet: ` + the record (Out-String, CRLF lines) with [Console]::Error.WriteLine, and exits 1
     */
    uncaught?: string;
  };
  /** files held open by running processes or antivirus (renames under them are refused) */
  locks: FileLock[];
  /** every directory rename the scripts made (gf_move_dir), with its attempts */
  moves: MoveRecord[];
  /** gf_move_dir's waits are scaled by this (default 0.01: 155 ms instead of 15.5 s in all) */
  timeScale: number;
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
  // adopt, the state file, a cut swap, stale locks (fake-windows-goroot-model.ts)
  /** junctions left beside goroot by a swap cut between its renames (<goroot>.gofleet-new-<pid>, -old-<pid>) */
  besideGoroot?: { path: string; target: string }[];
  /** the Go MSI whose directory at goroot was adopted: its uninstall entry still points at goroot */
  adoptedMsi?: string;
  /** pids of processes running on the host besides the scripts (a lock holder of another run) */
  alive?: number[];
}

export function newWindowsMachine(over: Partial<WindowsMachine> = {}): WindowsMachine {
  return {
    active: null, previous: null, machinePath: ['C:\\Windows\\system32', 'C:\\Windows'], lock: null, inject: {},
    locks: [], moves: [], timeScale: 0.01, ran: [], verifying: false, ...over,
  };
}

/** Mark a managed version failed (<versionsDir>\.gofleet\failed\<version>), as a rolled-back verification does. */
export function markFailed(host: WindowsHostState, versionsDir: string, version: string): void {
  const dir = host.drives.toLocal(`${versionsDir}\\.gofleet\\failed`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/${version}`, '');
}

/** where the model's injected errors say they happened (gf_move_dir's rename) */
const MOVE_AT = { line: 412, char: 7, code: '      [IO.Directory]::Move($From, $To)' };

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

/** The protocol lines of one script (gf_step, gf_outcome: [Console]::Out.Write, LF-terminated, raw). */
class Run {
  private readonly warns: string[] = [];
  constructor(private readonly ctx: RespondContext) {}
  step(name: string, status: string, extra = ''): void {
    this.ctx.raw.stdout(`@@gofleet step ${name} ${status}${extra}\n`);
  }
  private last = { code: '', msg: '' };
  /** gf_release, run before the outcome line while this script holds the lock */
  release: (() => void) | null = null;
  /** gf_fail: the step's fail line; the code and message are remembered for the outcome (failure()) */
  fail(name: string, code: string, msg: string): { code: string; msg: string } {
    this.step(name, 'fail', ` code=${code} msg=${percentEncode(msg)}`);
    this.last = { code, msg };
    return this.last;
  }
  /** ` code=.. msg=..` of the last gf_fail */
  failure(): string {
    return ` code=${this.last.code} msg=${percentEncode(this.last.msg)}`;
  }
  warn(msg: string): void {
    this.warns.push(` warn=${percentEncode(msg)}`);
  }
  outcome(result: string, active: string | null, previous: string | null, extra = ''): Reply {
    this.release?.();
    this.release = null;
    this.ctx.raw.stdout(`@@gofleet outcome result=${result} active=${active ?? '-'} previous=${previous ?? '-'}${extra}${this.warns.join('')}\n`);
    return { exitCode: result === 'switched' || result === 'unchanged' || result === 'pruned' ? 0 : 1 };
  }
}

/**
 * gf_lock: `lock start`, then `lock ok` and the lock held (released, `unlock ok`, before the outcome), or HOST_LOCKED.
 * With a fencing token (ps-fence.ts): a live lock of the same run under a lower token is taken over (said on the
 * lock step), a higher one -- live, or recorded for the run -- is LEASE_LOST; the token is recorded.
 */
function takeLock(m: WindowsMachine, v: Map<string, string>, run: Run, ctx: RespondContext): boolean {
  run.step('lock', 'start');
  takeOverStale(m, run, ctx);
  const runId = v.get('RUN') ?? '';
  const token = v.get('FENCE') ? Number(v.get('FENCE')) : null;
  let note = '';
  if (m.lock) {
    const lockDir = `${v.get('VDIR') ?? ''}\\.gofleet\\lock`;
    const theirs = token !== null && m.lock.run === runId ? m.lock.token ?? null : null;
    if (theirs !== null && theirs > (token ?? 0)) {
      run.fail('lock', 'LEASE_LOST', `${lockDir} is held by pid ${m.lock.pid} of run ${runId} under fencing token ${theirs} (this script holds ${token}): another worker holds this host now; nothing was changed`);
      return false;
    }
    if (theirs === null || theirs === token) {
      run.fail('lock', 'HOST_LOCKED', `${lockDir} is held by pid ${m.lock.pid} (run ${m.lock.run}, since 2026-01-01T00:00:00Z)`);
      return false;
    }
    note = `took over the lock of run ${runId} from pid ${m.lock.pid} (fencing token ${theirs}, this script holds ${token}): that worker lost its lease, its script stops before its next change`;
    m.lock = null;
  }
  if (token !== null) {
    const seen = m.fences?.[runId];
    if (seen !== undefined && seen > token) {
      run.fail('lock', 'LEASE_LOST', `fencing token ${seen} of run ${runId} is recorded on this host (this script holds ${token}): another worker holds this host now; nothing was changed`);
      return false;
    }
    m.fences = { ...m.fences, [runId]: token };
  }
  m.lock = { run: runId, pid: ctx.pid, ...(token !== null ? { token } : {}) };
  run.step('lock', 'ok', note ? ` msg=${percentEncode(note)}` : '');
  run.release = () => {
    if (m.lock?.pid === ctx.pid) m.lock = null;
    run.step('unlock', 'ok');
  };
  return true;
}

/** gf_fence_check 'switch': a fenced script whose lock was taken over (inject.takeOverBeforeSwitch) stops, LEASE_LOST. */
function fenceCheck(m: WindowsMachine, v: Map<string, string>, ctx: RespondContext, run: Run): Failure | null {
  const token = v.get('FENCE') ? Number(v.get('FENCE')) : null;
  if (token === null) return null;
  const runId = v.get('RUN') ?? '';
  const by = m.inject.takeOverBeforeSwitch;
  if (by !== undefined) {
    delete m.inject.takeOverBeforeSwitch;
    m.lock = { run: runId, pid: 7007, token: by };
    m.alive = [...(m.alive ?? []), 7007];
    m.fences = { ...m.fences, [runId]: by };
  }
  const seen = m.fences?.[runId] ?? token;
  if (m.lock?.pid === ctx.pid && m.lock.token === token && seen <= token) return null;
  run.release = null; // the lock is not this script's any more: no unlock
  return run.fail('switch', 'LEASE_LOST', `the lock of run ${runId} was taken over under fencing token ${m.lock?.token ?? seen} (pid ${m.lock?.pid ?? ''}); this script holds ${token}: another worker holds this host now, this one stopped before switch`);
}

/** gf_sweep: under the lock, the .tmp-/.trash- trees of script runs no longer running are removed, with a warning. */
function sweep(m: WindowsMachine, vdir: string, run: Run, ctx: RespondContext): void {
  const local = ctx.host.drives.toLocal(vdir);
  if (!existsSync(local)) return;
  const gone: string[] = [];
  for (const name of readdirSync(local)) {
    const owner = /^\.(?:tmp|trash)-.+-(\d+)$/.exec(name)?.[1];
    if (owner === undefined || Number(owner) === ctx.pid || ctx.host.running().includes(Number(owner))) continue;
    if (rmTree(ctx.host, m, `${vdir}\\${name}`)) gone.push(name);
    else run.warn(`could not remove the leftover ${vdir}\\${name}`);
  }
  if (gone.length > 0) run.warn(`removed what earlier runs that did not finish left behind: ${gone.join(' ')}`);
}

const moves = (m: WindowsMachine, ctx: RespondContext): MoveContext => ({ host: ctx.host, ctx, locks: m.locks, moves: m.moves, timeScale: m.timeScale });

function managedVersions(host: WindowsHostState, vdir: string): string[] {
  const local = host.drives.toLocal(vdir);
  if (!existsSync(local)) return [];
  return readdirSync(local).filter((n) => /^go\d/.test(n) && existsSync(`${local}/${n}/VERSION`)).sort();
}

function cached(host: WindowsHostState, vdir: string): string[] {
  const local = host.drives.toLocal(`${vdir}\\.gofleet\\cache`);
  return existsSync(local) ? readdirSync(local).sort() : [];
}

function failedVersions(host: WindowsHostState, vdir: string): string[] {
  const local = host.drives.toLocal(`${vdir}\\.gofleet\\failed`);
  return existsSync(local) ? readdirSync(local).filter((n) => /^go\d/.test(n)).sort() : [];
}

/**
 * gf_facts_busy: `pid:exe` of the running processes (a lock's holder) whose executable lies under goroot, its
 * junction's target or a managed version. Always printed (empty: none), so the engine drains on it.
 */
function busy(m: WindowsMachine, goroot: string, vdir: string, managed: string[]): string[] {
  const roots = [goroot, ...(m.active ? [`${vdir}\\${m.active}`] : []), ...managed.map((n) => `${vdir}\\${n}`)];
  return m.locks.flatMap((l) => {
    const p = l.process;
    if (!p || l.refusals <= 0) return [];
    return roots.some((r) => p.exe.toLowerCase().startsWith(`${r.toLowerCase()}\\`)) ? [`${p.pid}:${p.exe}`] : [];
  });
}

/** The facts lines (gf_fact: [Console]::Out.Write, LF-terminated), written raw. */
function facts(ctx: RespondContext, m: WindowsMachine, v: Map<string, string>): Reply {
  const host = ctx.host;
  const goroot = v.get('G_ROOT') ?? '';
  const vdir = v.get('VDIR') ?? '';
  const kv: [string, string][] = [
    ['os_caption', 'Microsoft Windows Server 2022 Datacenter'], ['os_version', '10.0.20348'], ['os_build', '20348'],
    ['arch_native', 'AMD64'], ['arch_process', 'AMD64'], ['user', `WIN-1\\${host.user}`], ['elevated', '1'], ['admin_member', '1'],
    ['ps_version', '5.1.20348.2400'], ['ps_edition', 'Desktop'], ['has_tar', '1'],
    ['goroot_path', goroot], ['goroot_state', gorootState(host, m, goroot)],
    ...msiFacts(m, goroot), ...gorootFacts(host, m, goroot),
    ...(m.active ? [['goroot_target', `${vdir}\\${m.active}`], ['goroot_link_kind', 'junction'], ['goroot_version', m.active],
      ['goroot_go_version', m.active], ['go_path', `${goroot}\\bin\\go.exe`], ['go_version', m.active], ['go_goroot', goroot],
      ['managed_active', m.active]] as [string, string][] : []),
    ['managed_previous', statePrevious(host, m, vdir)], ...stateFacts(host, m, vdir),
    ['free_kb', '50000000'], ['writable', '1'],
    // gf_facts_managed prints the lock keys only when the lock directory exists
    ...(m.lock ? [['lock', '1'], ['lock_pid', String(m.lock.pid)], ['lock_run', m.lock.run], ['lock_since', m.lock.since ?? '2026-01-01T00:00:00Z'],
      ['lock_stale', lockStale(m, ctx) ? '1' : '0']] as [string, string][] : []),
    ...(m.active && !m.adoptedMsi ? [['go_installs', percentEncode(`junction|${goroot}|${m.active}|`)]] as [string, string][] : []),
  ];
  const lines = kv.map(([k, val]) => `${k}=${k === 'go_installs' ? val : percentEncode(val)}`);
  lines.push(`managed_versions=${managedVersions(host, vdir).join(',')}`, `failed_versions=${failedVersions(host, vdir).join(',')}`,
    `cached=${cached(host, vdir).map(percentEncode).join(',')}`, `busy=${busy(m, goroot, vdir, managedVersions(host, vdir)).map(percentEncode).join(',')}`);
  for (const [k, val] of Object.entries(m.facts ?? {})) {
    const at = lines.findIndex((l) => l.startsWith(`${k}=`));
    const line = `${k}=${Array.isArray(val) ? val.map(percentEncode).join(',') : percentEncode(val)}`;
    if (at >= 0) lines[at] = line;
    else lines.push(line);
  }
  ctx.raw.stdout(lines.map((l) => `${l}\n`).join(''));
  return { exitCode: 0 };
}

type Failure = { code: string; msg: string };

/** The toolchain zip's tree, as extraction leaves it under `dir` (go\VERSION, go\bin\go.exe). */
function extract(host: WindowsHostState, dir: string, version: string): void {
  const local = host.drives.toLocal(`${dir}\\go`);
  mkdirSync(`${local}/bin`, { recursive: true });
  writeFileSync(`${local}/VERSION`, `${version}\ntime 2026-01-01T00:00:00Z\n`);
  writeFileSync(`${local}/bin/go.exe`, 'MZ');
}

/** gf_rm_tree: false (and the tree left) while a file in it is held open. */
function rmTree(host: WindowsHostState, m: WindowsMachine, dir: string): boolean {
  if (isHeld(m.locks, dir)) return false;
  rmSync(host.drives.toLocal(dir), { recursive: true, force: true });
  return true;
}

/**
 * gf_stage (ps-stage.ts): reuse a complete version not marked failed; else the upload (or the cached zip) checked
 * against ARCHIVE_SHA and cached, extracted into <vdir>\.tmp-<target>-<pid>, an existing <vdir>\<target> moved
 * aside (gf_trash) and the tree renamed into place (gf_move_dir: retried while a file is held open).
 */
async function stage(m: WindowsMachine, v: Map<string, string>, run: Run, ctx: RespondContext): Promise<Failure | 'staged' | 'skipped'> {
  const host = ctx.host;
  const vdir = v.get('VDIR') ?? '';
  const target = v.get('TARGET') ?? '';
  const archive = v.get('ARCHIVE') ?? '';
  const dest = `${vdir}\\${target}`;
  const failedMark = host.drives.toLocal(`${vdir}\\.gofleet\\failed\\${target}`);
  run.step('stage', 'start');
  if (existsSync(host.drives.toLocal(`${dest}\\VERSION`)) && !existsSync(failedMark)) {
    run.step('stage', 'skip', ` msg=${percentEncode(`${target} is already installed in ${dest}`)}`);
    return 'skipped';
  }
  if (archive === '') return run.fail('stage', 'VERSION_NOT_INSTALLED', `${target} is not installed in ${vdir} and no archive was given`);
  const local = host.drives.toLocal(archive);
  if (!existsSync(local)) return run.fail('stage', 'STAGE_FAILED', `the archive is not a file on the host: ${archive}`);
  const sha = createHash('sha256').update(readFileSync(local)).digest('hex');
  const want = v.get('ARCHIVE_SHA') ?? '';
  const name = v.get('ARCHIVE_NAME') ?? '';
  if (sha !== want) {
    if (!archive.includes('\\.gofleet\\cache\\')) unlinkSync(local);
    return run.fail('stage', 'CHECKSUM_MISMATCH', `${name} has SHA-256 ${sha} on the host, expected ${want}; the file was deleted`);
  }
  const cacheDir = host.drives.toLocal(`${vdir}\\.gofleet\\cache`);
  mkdirSync(cacheDir, { recursive: true });
  if (!archive.includes('\\.gofleet\\cache\\')) {
    copyFileSync(local, `${cacheDir}/${name}`);
    unlinkSync(local);
  }
  const tmp = `${vdir}\\.tmp-${target}-${ctx.pid}`;
  extract(host, tmp, target);
  if (existsSync(host.drives.toLocal(dest))) {
    const aside = await moveDir(moves(m, ctx), dest, `${vdir}\\.trash-${target}-${ctx.pid}`);
    if (!aside.ok) {
      rmTree(host, m, tmp);
      const f = moveFailure(aside, 'STAGE_FAILED', `cannot move the incomplete ${dest} away`);
      return run.fail('stage', f.code, f.msg);
    }
    rmTree(host, m, `${vdir}\\.trash-${target}-${ctx.pid}`);
  }
  const moved = await moveDir(moves(m, ctx), `${tmp}\\go`, dest);
  if (!moved.ok) {
    rmTree(host, m, tmp);
    const f = moveFailure(moved, 'STAGE_FAILED', `cannot rename the extracted tree to ${dest}`);
    return run.fail('stage', f.code, f.msg);
  }
  rmTree(host, m, tmp);
  rmSync(failedMark, { force: true });
  run.step('stage', 'ok', ` msg=${percentEncode(`installed ${dest}`)}`);
  return 'staged';
}

async function switchFlow(host: WindowsHostState, m: WindowsMachine, v: Map<string, string>, ctx: RespondContext): Promise<Reply> {
  const run = new Run(ctx);
  const target = v.get('TARGET') ?? '';
  const goroot = v.get('G_ROOT') ?? '';
  // gf_at_target: already there -> unchanged, before the lock and without a step
  if (m.active === target && !pendingSwitch(host, m, v)) return run.outcome('unchanged', target, target);
  const vdir = v.get('VDIR') ?? '';
  const failedMark = host.drives.toLocal(`${vdir}\\.gofleet\\failed\\${target}`);
  if (v.get('MODE') === 'switch' && !existsSync(host.drives.toLocal(`${vdir}\\${target}\\VERSION`))) {
    run.fail('switch', 'VERSION_NOT_INSTALLED', `${target} is not installed in ${vdir}`);
    return run.outcome('failed', m.active, m.active, run.failure());
  }
  if (!takeLock(m, v, run, ctx)) return run.outcome('failed', m.active, m.active, run.failure());
  try {
    repairGoroot(m, v, run, ctx);
    sweep(m, vdir, run, ctx);
    const pending = pendingSwitch(host, m, v);
    if (pending) return reverifyLocked(m, v, run, ctx, pending);
    if (m.active === target) return run.outcome('unchanged', target, target);
    let staged = false;
    const cur = currentVersion(host, m, goroot);
    if (v.get('MODE') === 'upgrade') {
      const pulled = await pullArchive(m, v, run, ctx);
      if (typeof pulled === 'object') return run.outcome('failed', cur, cur, ` code=${pulled.code} msg=${percentEncode(pulled.msg)}`);
      const r = await stage(m, v, run, ctx);
      if (typeof r === 'object') return run.outcome('failed', cur, cur, ` code=${r.code} msg=${percentEncode(r.msg)}`);
      staged = r === 'staged';
    }
    if (gorootDirVersion(host, m, goroot) !== null) {
      const f = await adoptGoroot(m, v, run, ctx);
      if (f) return run.outcome('failed', cur, cur, ` code=${f.code} msg=${percentEncode(f.msg)}`);
    }
    const lost = fenceCheck(m, v, ctx, run);
    if (lost) return run.outcome('failed', cur, cur, ` code=${lost.code} msg=${percentEncode(lost.msg)}`);
    const from = m.active;
    run.step('switch', 'start');
    recordSwitch(host, v, from);
    m.active = target;
    const bin = `${goroot}\\bin`;
    m.machinePath = [bin, ...m.machinePath.filter((p) => p !== bin)];
    run.step('switch', 'ok', ` msg=${percentEncode(`${goroot} -> ${vdir}\\${target}`)}`);
    run.step('verify', 'start');
    if (m.inject.dropMidVerify) {
      m.inject.dropMidVerify = false;
      rmSync(failedMark, { force: true });
      m.previous = from;
      settleSwitch(host, v, true);
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
        settleSwitch(host, v, false);
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
      settleSwitch(host, v, false);
      run.step('rollback', 'ok');
      return run.outcome('rolled_back', from, from, ` code=VERIFY_OUT_OF_MEMORY msg=${percentEncode(msg)}`);
    }
    if (m.inject.verifyFails === target) {
      // gf_verify's first check; the toolchain is to blame, so gf_forget_failed removes it when this run
      // staged it, else marks it failed (both warn)
      const msg = `${goroot}\\bin\\go.exe version printed '', expected ${target}`;
      run.fail('verify', 'VERIFY_FAILED', msg);
      run.step('rollback', 'start');
      m.active = from;
      settleSwitch(host, v, false);
      run.step('rollback', 'ok');
      if (staged) {
        rmSync(host.drives.toLocal(`${vdir}\\${target}`), { recursive: true, force: true });
        run.warn(`removed ${vdir}\\${target}: it failed verification`);
      } else {
        markFailed(host, vdir, target);
        run.warn(`marked ${vdir}\\${target} as failed: the next upgrade to it stages it again, prune removes it`);
      }
      return run.outcome('rolled_back', from, from, run.failure());
    }
    run.step('verify', 'ok');
    rmSync(failedMark, { force: true });
    m.previous = from;
    settleSwitch(host, v, true);
    return run.outcome('switched', target, from);
  } finally {
    if (m.lock?.pid === ctx.pid) m.lock = null;
  }
}

/** gf_prune_leftovers, its cache part: the cached archives of the versions just removed go too. */
function pruneCache(host: WindowsHostState, vdir: string, removed: string[], run: Run): void {
  const dir = host.drives.toLocal(`${vdir}\\.gofleet\\cache`);
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (/\.part-\d+$/.test(name)) continue;
    const version = name.replace(/\.(tar\.gz|zip|msi|pkg)$/, '').replace(/\.[A-Za-z0-9]+-[A-Za-z0-9]+$/, '');
    if (!removed.includes(version)) continue;
    try {
      unlinkSync(`${dir}/${name}`);
    } catch {
      run.warn(`could not remove ${vdir}\\.gofleet\\cache\\${name}`);
    }
  }
}

/**
 * gf_prune_flow / gf_prune_versions (ps-prune.ts): versions newest first in go/version order (go1.10 > go1.9);
 * the newest KEEP not marked failed are kept, and the active one, and the previous one when KEEP >= 2. A
 * candidate a process runs from (gf_users_of) is kept with a warning; one whose rename to .trash-<v>-<pid> is
 * still refused after gf_move_dir's retries (antivirus) is kept with a warning too. Never FILES_IN_USE.
 */
async function prune(m: WindowsMachine, v: Map<string, string>, ctx: RespondContext): Promise<Reply> {
  const run = new Run(ctx);
  const host = ctx.host;
  const vdir = v.get('VDIR') ?? '';
  const keep = Number(v.get('KEEP') ?? '2');
  if (!existsSync(host.drives.toLocal(vdir))) {
    run.step('prune', 'skip', ` msg=${percentEncode(`${vdir} does not exist`)}`);
    return run.outcome('pruned', m.active, m.active);
  }
  if (!takeLock(m, v, run, ctx)) return run.outcome('failed', m.active, m.active, run.failure());
  try {
    repairGoroot(m, v, run, ctx);
    run.step('prune', 'start');
    const failed = failedVersions(host, vdir);
    const all = sortVersionsDesc(readdirSync(host.drives.toLocal(vdir)).filter((n) => /^go\d+(\.\d+){0,2}((alpha|beta|rc)\d+)?$/.test(n)));
    let i = 0;
    const candidates = all.filter((x) => {
      if (!failed.includes(x) && (++i <= keep || (keep >= 2 && x === m.previous))) return false;
      return x !== m.active;
    });
    const removed: string[] = [];
    for (const x of candidates) {
      const dir = `${vdir}\\${x}`;
      const users = usersOf(m.locks, dir);
      if (users !== '') {
        run.warn(`kept ${x}: ${users} runs from ${dir}`);
        continue;
      }
      const trash = `${vdir}\\.trash-${x}-${ctx.pid}`;
      const r = await moveDir(moves(m, ctx), dir, trash);
      if (!r.ok) {
        run.warn(`could not remove ${dir}: ${r.error}`);
        continue;
      }
      if (!rmTree(host, m, trash)) run.warn(`could not remove ${trash}`);
      rmSync(host.drives.toLocal(`${vdir}\\.gofleet\\failed\\${x}`), { force: true });
      removed.push(x);
    }
    pruneCache(host, vdir, removed, run);
    run.step('prune', 'ok', ` msg=${percentEncode(`removed: ${removed.join(',') || 'nothing'}`)}`);
    return run.outcome('pruned', m.active, m.active, removed.length > 0 ? ` removed=${removed.join(',')}` : '');
  } finally {
    if (m.lock?.pid === ctx.pid) m.lock = null;
  }
}

/** The respond of a fake Windows host that behaves like `machine` under gofleet's scripts. */
export function windowsHostModel(machine: WindowsMachine): Respond {
  return async (script, ctx) => {
    const kind = scriptKindOf(script);
    machine.ran.push(kind ?? 'unknown');
    const v = scriptValues(script);
    const crash = machine.inject.crash;
    const readOnly = kind === 'facts' || kind === 'reach';
    if (crash && !readOnly) {
      machine.inject.crash = undefined;
      ctx.raw.stdout('@@gofleet step lock start\n');
      return { stderr: clixmlError(crash.message, { progress: true, at: MOVE_AT }), exitCode: crash.exitCode };
    }
    const uncaught = machine.inject.uncaught;
    if (uncaught !== undefined && !readOnly) {
      machine.inject.uncaught = undefined;
      ctx.raw.stdout('@@gofleet step lock start\n@@gofleet step lock ok\n');
      const record = [uncaught, ...positionLines(MOVE_AT), '    + CategoryInfo          : NotSpecified: (:) [], MethodInvocationException',
        '    + FullyQualifiedErrorId : UnauthorizedAccessException', '', ''];
      ctx.raw.stderr(`gofleet: ${record.join('\r\n')}\r\n`);
      return { exitCode: 1 };
    }
    switch (kind) {
      case 'facts':
        return facts(ctx, machine, v);
      case 'reach':
        ctx.raw.stdout(await reachLine(machine, v));
        return { exitCode: 0 };
      case 'upgrade':
      case 'switch':
        return switchFlow(ctx.host, machine, v, ctx);
      case 'prune':
        return prune(machine, v, ctx);
      case 'msi':
        return msiFlow(ctx.host, machine, v, ctx);
      default:
        return { stderr: clixmlError(`the host model does not know this script: ${script.split('\n')[0] ?? ''}`), exitCode: 1 };
    }
  };
}
