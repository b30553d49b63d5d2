// The goroot part of the fake Windows host's model (fake-windows-host-model.ts): adopting a real directory at goroot,
// the state file on disk, a swap cut between its two renames, and a lock whose holder is gone. IT IS A MODEL: no
// PowerShell runs; it answers as the real scripts (platform/windows/ps-junction.ts, ps-switch-flow.ts, ps-lock.ts,
// ps-facts.ts) print, so the CONTROLLER side is proven on what the hosts really leave behind.
// - adopt (gf_adopt): goroot is a real directory on the fake's drive (a manual unzip, or the Go MSI's directory); it
//   is renamed to <versionsDir>\<its VERSION> (gf_move_dir: refused while a file in it is open, retried, then
//   FILES_IN_USE naming a process whose executable lies in it; goroot left as it was), then goroot is the junction.
//   An MSI install (machine.msi.installed) is noted with gf_adopt's warning; its HKLM uninstall entry stays.
// - state (gf_state_put): <versionsDir>\.gofleet\state, the key=value lines the scripts write (active, previous,
//   previous_link, run, updated; the switch record verify_pending + rollback_*), read by the facts (managed_previous,
//   managed_previous_link, unverified) and by the next script (gf_read_current, gf_reverify_locked).
// - a swap cut between its renames (gf_point steps 2 and 3): goroot missing, <goroot>.gofleet-new-<pid> (a junction to
//   the target) and <goroot>.gofleet-old-<pid> beside it, the switch recorded as pending. The next script repairs it
//   under the lock (gf_repair_goroot: the newest -new- junction renamed into place, a warning; leftovers of dead pids
//   deleted) and verifies the recorded switch (gf_reverify_locked), rolling back to the recorded version on failure.
// - the lock (gf_lock / gf_holder_gone): held by a pid that no longer runs on the host, it is stale (the facts say
//   lock_stale=1) and taken over with a warning; held by a running one (a script, or machine.alive), HOST_LOCKED.
// Not modelled: a holder pid reused by another process (the start time check), adopt across volumes (the copy),
// an incomplete <versionsDir>\<version> in the way of adopt, junctions as real reparse points on the drive.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { percentEncode } from '../../src/platform/protocol/percent.ts';
import { moveDir, moveFailure, type FileLock, type MoveRecord } from './fake-windows-locks.ts';
import type { Reply, RespondContext, WindowsHostState } from './fake-windows-process.ts';

/** What of fake-windows-host-model.ts's WindowsMachine this part reads and changes. */
export interface GorootMachine {
  active: string | null;
  previous: string | null;
  lock: { run: string; pid: number; since?: string } | null;
  locks: FileLock[];
  moves: MoveRecord[];
  timeScale: number;
  inject: { verifyFails?: string };
  msi?: { installed: string | null };
  /** junctions left beside goroot by a swap that was cut (<goroot>.gofleet-new-<pid>, -old-<pid>), oldest first */
  besideGoroot?: { path: string; target: string }[];
  /** the Go MSI whose directory was adopted: its uninstall entry still points at goroot */
  adoptedMsi?: string;
  /** pids of processes running on the host besides the scripts (a lock holder of another run) */
  alive?: number[];
}

/** The protocol lines a flow prints (the host model's Run). */
export interface RunLines {
  step(name: string, status: string, extra?: string): void;
  fail(name: string, code: string, msg: string): { code: string; msg: string };
  failure(): string;
  warn(msg: string): void;
  outcome(result: string, active: string | null, previous: string | null, extra?: string): Reply;
}

const stateFile = (vdir: string): string => `${vdir}\\.gofleet\\state`;
const VALID = /^go\d+(\.\d+){0,2}((alpha|beta|rc)\d+)?$/;

/** gf_state_read: the state file's keys, or null when there is none. */
export function readState(host: WindowsHostState, vdir: string): Map<string, string> | null {
  const local = host.drives.toLocal(stateFile(vdir));
  if (!existsSync(local)) return null;
  const out = new Map<string, string>();
  for (const line of readFileSync(local, 'utf8').split(/\r?\n/)) {
    const at = line.indexOf('=');
    if (at > 0 && !out.has(line.slice(0, at))) out.set(line.slice(0, at), line.slice(at + 1));
  }
  return out;
}

export interface StateRecord {
  active: string;
  previous: string;
  previousLink?: string;
  run: string;
  /** the switch record (verify_pending and how to undo it) */
  pending?: { target: string; kind: 'link' | 'missing'; link: string; active: string; version: string; previous: string };
}

/** gf_state_put: the state file as the scripts write it (LF lines, in their order). */
export function writeState(host: WindowsHostState, vdir: string, s: StateRecord): void {
  const lines = [`active=${s.active}`, `previous=${s.previous}`, ...(s.previousLink ? [`previous_link=${s.previousLink}`] : []),
    `run=${s.run}`, 'updated=2026-01-01T00:00:00Z'];
  const p = s.pending;
  if (p) {
    lines.push(`verify_pending=${p.target}`, `rollback_kind=${p.kind}`, `rollback_link=${p.link}`, `rollback_active=${p.active}`,
      `rollback_version=${p.version}`, `rollback_previous=${p.previous}`, 'rollback_previous_link=');
  }
  mkdirSync(host.drives.toLocal(`${vdir}\\.gofleet`), { recursive: true });
  writeFileSync(host.drives.toLocal(stateFile(vdir)), `${lines.join('\n')}\n`);
}

/** The previous version as the facts read it: the state file's (a valid version or ''), else the machine's. */
export function statePrevious(host: WindowsHostState, m: GorootMachine, vdir: string): string {
  const st = readState(host, vdir);
  if (!st) return m.previous ?? '';
  const prev = st.get('previous') ?? '';
  return VALID.test(prev) ? prev : '';
}

/** gf_facts_managed's keys read from the state file: managed_previous_link, unverified (pending and active). */
export function stateFacts(host: WindowsHostState, m: GorootMachine, vdir: string): [string, string][] {
  const st = readState(host, vdir);
  const pending = st?.get('verify_pending') ?? '';
  return [['managed_previous_link', st?.get('previous_link') ?? ''], ['unverified', pending !== '' && pending === m.active ? pending : '']];
}

/** A manual install at goroot: the zip's tree unpacked there (VERSION, bin\go.exe, bin\gofmt.exe). */
export function installAtGoroot(host: WindowsHostState, goroot: string, version: string): void {
  const dir = host.drives.toLocal(goroot);
  mkdirSync(`${dir}/bin`, { recursive: true });
  writeFileSync(`${dir}/VERSION`, `${version}\ntime 2026-01-01T00:00:00Z\n`);
  writeFileSync(`${dir}/bin/go.exe`, 'MZ');
  writeFileSync(`${dir}/bin/gofmt.exe`, 'MZ');
}

/** The first line of goroot's VERSION when goroot is a real directory (no junction in place), else null. */
export function gorootDirVersion(host: WindowsHostState, m: GorootMachine, goroot: string): string | null {
  if (m.active !== null || goroot === '') return null;
  const local = host.drives.toLocal(goroot);
  if (!existsSync(`${local}/VERSION`)) return null;
  return readFileSync(`${local}/VERSION`, 'utf8').split(/\r?\n/)[0] ?? '';
}

/** gf_msi_entry's text for the Go MSI of `version` (its DisplayName, DisplayVersion and product code). */
export function msiEntry(version: string): { detail: string; productCode: string } {
  const productCode = `{22EA7650-0000-0000-0000-${version.replace(/\D/g, '').padStart(12, '0')}}`;
  return { detail: `Go Programming Language amd64 ${version} ${version.replace(/^go/, '')}, product code ${productCode}`, productCode };
}

/**
 * The facts of a manual install at goroot (gf_facts_goroot: a directory, its VERSION, its go; gf_facts_installs:
 * `dir|<goroot>|<version>|`), and the uninstall entry of an adopted MSI. The MSI's own directory facts are msiFacts'.
 */
export function gorootFacts(host: WindowsHostState, m: GorootMachine, goroot: string): [string, string][] {
  const out: [string, string][] = [];
  const v = gorootDirVersion(host, m, goroot);
  if (v !== null && !m.msi?.installed) {
    out.push(['goroot_version', v], ['goroot_go_version', v], ['go_path', `${goroot}\\bin\\go.exe`], ['go_version', v], ['go_goroot', goroot],
      ['go_installs', percentEncode(`dir|${goroot}|${v}|`)]);
  }
  if (m.adoptedMsi && m.active) {
    const e = msiEntry(m.adoptedMsi);
    const items = [`dir|${goroot}|${m.active}|`, `msi|${goroot}\\|${m.adoptedMsi.replace(/^go/, '')}|${e.productCode}`];
    out.push(['go_installs', items.map(percentEncode).join(',')]);
  }
  return out;
}

/** goroot_state: link (a junction), dir (a real directory, or the MSI's), missing. */
export function gorootState(host: WindowsHostState, m: GorootMachine, goroot: string): string {
  if (m.active) return 'link';
  return gorootDirVersion(host, m, goroot) !== null || m.msi?.installed ? 'dir' : 'missing';
}

/** What the scripts report as the current version (CUR_VERSION): the junction's, or goroot's own VERSION. */
export function currentVersion(host: WindowsHostState, m: GorootMachine, goroot: string): string | null {
  return m.active ?? gorootDirVersion(host, m, goroot) ?? m.msi?.installed ?? null;
}

const alive = (m: GorootMachine, ctx: RespondContext, pid: number): boolean => ctx.host.running().includes(pid) || (m.alive ?? []).includes(pid);

/** gf_holder_gone on the held lock (the facts' lock_stale): its pid runs no more. */
export function lockStale(m: GorootMachine, ctx: RespondContext): boolean {
  return m.lock !== null && !alive(m, ctx, m.lock.pid);
}

/** lock\info as gf_lock writes it. */
export function lockInfo(lock: { run: string; pid: number; since?: string }): string {
  return `pid=${lock.pid} run=${lock.run} since=${lock.since ?? '2026-01-01T00:00:00Z'} start=20260101000000000`;
}

/** gf_lock's take-over of a stale lock: the lock dropped with gf_lock's warning; false when its holder runs. */
export function takeOverStale(m: GorootMachine, run: RunLines, ctx: RespondContext): boolean {
  if (!m.lock || !lockStale(m, ctx)) return false;
  run.warn(`took over a stale lock (${lockInfo(m.lock)})`);
  m.lock = null;
  return true;
}

/**
 * gf_repair_goroot, under the lock: goroot missing with junctions beside it -> the newest -new- one (else an -old-
 * one) renamed into place, with a warning; the leftovers of pids that no longer run deleted as links.
 */
export function repairGoroot(m: GorootMachine, v: Map<string, string>, run: RunLines, ctx: RespondContext): void {
  const left = m.besideGoroot ?? [];
  if (left.length === 0) return;
  const goroot = v.get('G_ROOT') ?? '';
  const vdir = v.get('VDIR') ?? '';
  if (currentVersion(ctx.host, m, goroot) === null) {
    const pick = left.filter((l) => /\.gofleet-new-\d+$/.test(l.path)).at(-1) ?? left.find((l) => /\.gofleet-old-\d+$/.test(l.path));
    if (pick) {
      m.active = pick.target.toLowerCase().startsWith(`${vdir.toLowerCase()}\\`) ? pick.target.slice(vdir.length + 1) : pick.target;
      left.splice(left.indexOf(pick), 1);
      run.warn(`repaired ${goroot}, left missing by a run stopped in the middle of a switch: it is now a junction to ${pick.target}`);
    }
  }
  m.besideGoroot = left.filter((l) => alive(m, ctx, Number(/-(\d+)$/.exec(l.path)?.[1])));
}

/**
 * A host whose switch `from` -> `to` was cut between gf_point's two renames by a script of pid `pid`: the switch
 * record written (gf_switch_record), the old junction renamed aside, the new one not yet in place.
 */
export function cutBetweenRenames(host: WindowsHostState, m: GorootMachine, o: { goroot: string; vdir: string; from: string; to: string; pid: number; previous?: string }): void {
  const previous = o.previous ?? '';
  writeState(host, o.vdir, {
    active: o.from, previous, run: 'run-cut',
    pending: { target: o.to, kind: 'link', link: `${o.vdir}\\${o.from}`, active: o.from, version: o.from, previous },
  });
  m.active = null;
  m.besideGoroot = [{ path: `${o.goroot}.gofleet-new-${o.pid}`, target: `${o.vdir}\\${o.to}` }, { path: `${o.goroot}.gofleet-old-${o.pid}`, target: `${o.vdir}\\${o.from}` }];
}

/**
 * gf_adopt: goroot, a real directory of version `adopt`, renamed to <versionsDir>\<adopt> and made the junction;
 * the state then names it active (gf_state_write). A refused rename: gf_move_failed, goroot left as it was.
 */
export async function adoptGoroot(m: GorootMachine, v: Map<string, string>, run: RunLines, ctx: RespondContext): Promise<{ code: string; msg: string } | null> {
  const goroot = v.get('G_ROOT') ?? '';
  const vdir = v.get('VDIR') ?? '';
  const version = gorootDirVersion(ctx.host, m, goroot) ?? '';
  run.step('adopt', 'start');
  if (!VALID.test(version)) {
    return run.fail('adopt', 'ADOPT_FAILED', `cannot tell the version of ${goroot} (VERSION first line: '${version}'); not touching it`);
  }
  const dest = `${vdir}\\${version}`;
  const moved = await moveDir({ host: ctx.host, ctx, locks: m.locks, moves: m.moves, timeScale: m.timeScale }, goroot, dest);
  if (!moved.ok) {
    const f = moveFailure(moved, 'ADOPT_FAILED', `cannot move ${goroot} to ${dest}`);
    return run.fail('adopt', f.code, f.msg);
  }
  m.active = version;
  const prev = readState(ctx.host, vdir);
  writeState(ctx.host, vdir, { active: version, previous: prev?.get('previous') ?? '', run: v.get('RUN') ?? '' });
  const msi = m.msi?.installed;
  if (msi) {
    m.adoptedMsi = msi;
    if (m.msi) m.msi.installed = null;
    run.warn(`${goroot} was installed by the Go MSI (${msiEntry(msi).detail}); it is now ${dest} behind a junction. Do not uninstall that entry from Apps: it would delete files through the junction. Use --method msi to keep MSI-managed installs.`);
  }
  run.step('adopt', 'ok', ` msg=${percentEncode(`adopted ${goroot} as ${dest}`)}`);
  return null;
}

/** gf_switch_record, before goroot is repointed from `from`: state.active stays, the switch to TARGET pending. */
export function recordSwitch(host: WindowsHostState, v: Map<string, string>, from: string | null): void {
  const vdir = v.get('VDIR') ?? '';
  const previous = readState(host, vdir)?.get('previous') ?? '';
  writeState(host, vdir, {
    active: from ?? '', previous, run: v.get('RUN') ?? '',
    pending: { target: v.get('TARGET') ?? '', kind: from ? 'link' : 'missing', link: from ? `${vdir}\\${from}` : '', active: from ?? '', version: from ?? '', previous },
  });
}

/** The state once the recorded switch is verified (gf_verify_switch) or rolled back (gf_state_settle): record cleared. */
export function settleSwitch(host: WindowsHostState, v: Map<string, string>, verified: boolean): { active: string; previous: string } {
  const vdir = v.get('VDIR') ?? '';
  const st = readState(host, vdir);
  const target = v.get('TARGET') ?? '';
  const from = st?.get('rollback_active') ?? '';
  const before = st?.get('rollback_previous') ?? '';
  const s = verified ? { active: target, previous: from === target ? before : from } : { active: from, previous: before };
  writeState(host, vdir, { ...s, run: v.get('RUN') ?? '' });
  return s;
}

/** The switch record pending for TARGET with goroot already at it: verify it (gf_reverify_locked), or null. */
export function pendingSwitch(host: WindowsHostState, m: GorootMachine, v: Map<string, string>): Map<string, string> | null {
  const st = readState(host, v.get('VDIR') ?? '');
  const target = v.get('TARGET') ?? '';
  return st && m.active === target && st.get('verify_pending') === target ? st : null;
}

/**
 * gf_reverify_locked: goroot already points at TARGET, switched by a run that stopped before verifying: verify it;
 * on failure put back what the record says (the junction, or no goroot) and mark TARGET failed (this run did not
 * stage it).
 */
export function reverifyLocked(m: GorootMachine, v: Map<string, string>, run: RunLines, ctx: RespondContext, st: Map<string, string>): Reply {
  const goroot = v.get('G_ROOT') ?? '';
  const vdir = v.get('VDIR') ?? '';
  const target = v.get('TARGET') ?? '';
  const prevVersion = st.get('rollback_version') || null;
  run.step('switch', 'skip', ` msg=${percentEncode(`${goroot} already points to ${vdir}\\${target}: an earlier run switched it and stopped before verifying`)}`);
  run.step('verify', 'start');
  if (m.inject.verifyFails === target) {
    run.fail('verify', 'VERIFY_FAILED', `${goroot}\\bin\\go.exe version printed '', expected ${target}`);
    run.step('rollback', 'start');
    m.active = st.get('rollback_kind') === 'link' ? st.get('rollback_active') || null : null;
    settleSwitch(ctx.host, v, false);
    run.step('rollback', 'ok');
    const dir = ctx.host.drives.toLocal(`${vdir}\\.gofleet\\failed`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/${target}`, '');
    run.warn(`marked ${vdir}\\${target} as failed: the next upgrade to it stages it again, prune removes it`);
    return run.outcome('rolled_back', prevVersion, prevVersion, run.failure());
  }
  run.step('verify', 'ok');
  m.previous = settleSwitch(ctx.host, v, true).previous || null;
  return run.outcome('switched', target, prevVersion);
}
