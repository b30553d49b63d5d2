// Files held open on the fake Windows host, for the host model (fake-windows-host-model.ts): what the real
// scripts' gf_move_dir / gf_move_failed / gf_users_of (platform/windows/ps-current.ts, ps-common.ts) meet when a
// running go.exe, or an antivirus scanner, holds a file under a directory they rename.
//
// Windows refuses to rename a directory while a file inside it is open without FILE_SHARE_DELETE; .NET
// Framework's [IO.Directory]::Move then throws an IOException "Access to the path '<from>' is denied."
// (HRESULT 0x80070005), which gf_move_dir counts as a lock: it tries 6 times, waiting 0.5, 1, 2, 4 and 8 s
// between tries. After the last try gf_users_of names the processes whose EXECUTABLE lies under the directory
// (a go.exe run from that toolchain's bin); an antivirus scanner, an indexer, or a process whose executable
// lives elsewhere (gopls.exe from %USERPROFILE%\go\bin) cannot be named.
import { renameSync } from 'node:fs';
import type { RespondContext, WindowsHostState } from './fake-windows-process.ts';

export interface FileLock {
  /**
   * the Windows path of the open file; `*` stands for any text inside one path segment (the pid in a stage's
   * `<versionsDir>\.tmp-<version>-<pid>`). A directory is locked when this path lies inside it.
   */
  file: string;
  /** the process holding it, when Get-Process shows one (name as gf_users_of prints it, with .exe) */
  process?: { name: string; pid: number; exe: string };
  /** how many more rename attempts it refuses (Infinity: it never lets go) */
  refusals: number;
}

/** One gf_move_dir as the model ran it. */
export interface MoveRecord {
  from: string;
  to: string;
  /** rename attempts made (6 at most) */
  attempts: number;
  ok: boolean;
}

export interface MoveResult {
  ok: boolean;
  /** the last error's message ($script:MOVE_ERROR) */
  error: string;
  /** processes running from `from`, as gf_users_of lists them ($script:MOVE_USERS) */
  users: string;
}

/** gf_move_dir's waits between its 6 tries (ps-current.ts). */
export const MOVE_DELAYS_MS = [500, 1000, 2000, 4000, 8000];

const lower = (p: string): string => p.toLowerCase();

/** Does `dir` hold the file `pattern` (a `*` matching inside one segment)? Case-insensitive, as NTFS is. */
function holds(dir: string, pattern: string): boolean {
  const d = lower(dir).split('\\').filter((s) => s !== '');
  const f = lower(pattern).split('\\').filter((s) => s !== '');
  if (d.length > f.length) return false;
  return d.every((seg, i) => new RegExp(`^${(f[i] ?? '').split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^\\\\]*')}$`).test(seg));
}

const holding = (locks: readonly FileLock[], dir: string): FileLock[] => locks.filter((l) => l.refusals > 0 && holds(dir, l.file));

/** Is a file under `dir` held open now (so that gf_rm_tree cannot delete `dir` either)? */
export function isHeld(locks: readonly FileLock[], dir: string): boolean {
  return holding(locks, dir).length > 0;
}

/** gf_users_of DIR: the running processes whose executable lies under DIR, 'go.exe (pid 412), ...'. */
export function usersOf(locks: readonly FileLock[], dir: string): string {
  return holding(locks, dir).flatMap((l) => (l.process && holds(dir, l.process.exe) ? [`${l.process.name} (pid ${l.process.pid})`] : [])).join(', ');
}

export interface MoveContext {
  host: WindowsHostState;
  ctx: RespondContext;
  locks: FileLock[];
  moves: MoveRecord[];
  /** the real waits are multiplied by this (the controller cannot tell: nothing is printed while waiting) */
  timeScale: number;
}

/** gf_move_dir FROM TO: the rename, refused while a lock holds a file under FROM, retried with backoff. */
export async function moveDir(c: MoveContext, from: string, to: string): Promise<MoveResult> {
  for (let attempt = 1; ; attempt++) {
    const held = holding(c.locks, from);
    if (held.length === 0) {
      renameSync(c.host.drives.toLocal(from), c.host.drives.toLocal(to));
      c.moves.push({ from, to, attempts: attempt, ok: true });
      return { ok: true, error: '', users: '' };
    }
    const users = usersOf(c.locks, from);
    for (const l of held) l.refusals--;
    if (attempt > MOVE_DELAYS_MS.length) {
      c.moves.push({ from, to, attempts: attempt, ok: false });
      return { ok: false, error: `Access to the path '${from}' is denied.`, users };
    }
    await c.ctx.sleep((MOVE_DELAYS_MS[attempt - 1] ?? 0) * c.timeScale);
  }
}

/** gf_move_failed: FILES_IN_USE when a process is named or the error is a sharing/access refusal, else `code`. */
export function moveFailure(r: MoveResult, code: string, what: string): { code: string; msg: string } {
  if (r.users !== '') return { code: 'FILES_IN_USE', msg: `${what}: in use by ${r.users} (${r.error})` };
  if (/being used by another process|Access to the path .* is denied/.test(r.error)) {
    return { code: 'FILES_IN_USE', msg: `${what}: a file in it is open (antivirus, an indexer, or a process this user cannot see): ${r.error}` };
  }
  return { code, msg: `${what}: ${r.error}` };
}
