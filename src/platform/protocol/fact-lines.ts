// The facts scripts' output, shared by every dialect: one `key=value` line per fact, values percent-encoded
// (percent.ts), lists comma-separated; any other line is ignored. The facts with the same meaning on every OS
// (free disk, writability, the lock, the host cache, processes using the toolchain) are read here once.

import type { HostFacts } from '../types.ts';
import { percentDecode } from './percent.ts';

export interface FactLines {
  /** the raw (still encoded) value of each key the host printed */
  raw: Map<string, string>;
  /** the decoded value, '' when absent */
  get(key: string): string;
  /** the decoded value, null when absent or empty */
  opt(key: string): string | null;
  /** the decoded items of a comma-separated list */
  list(key: string): string[];
}

export function readFactLines(stdout: string): FactLines {
  const raw = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const m = /^([a-z_]+)=(\S*)\r?$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) raw.set(m[1], m[2]);
  }
  const get = (key: string): string => percentDecode(raw.get(key) ?? '');
  return {
    raw,
    get,
    opt: (key) => get(key) || null,
    list: (key) => (raw.get(key) ?? '').split(',').filter((s) => s !== '').map(percentDecode),
  };
}

/** `pid:exe` (the exe may itself hold colons: a Windows drive, a POSIX path) */
function busyItem(item: string): { pid: string; exe: string } {
  const i = item.indexOf(':');
  return i < 0 ? { pid: item, exe: '' } : { pid: item.slice(0, i), exe: item.slice(i + 1) };
}

/** The facts every dialect reports with the same keys and meaning. `busy` only when the host printed the key. */
export function sharedFacts(f: FactLines): Pick<HostFacts, 'freeBytes' | 'writable' | 'lock' | 'cachedArchives' | 'busy'> {
  const freeKb = f.get('free_kb');
  return {
    freeBytes: /^\d+$/.test(freeKb) ? Number(freeKb) * 1024 : null,
    writable: f.get('writable') === '1',
    lock:
      f.get('lock') === '1'
        ? { pid: f.get('lock_pid'), run: f.get('lock_run'), since: f.get('lock_since'), stale: f.get('lock_stale') === '1' }
        : null,
    cachedArchives: f.list('cached'),
    ...(f.raw.has('busy') ? { busy: f.list('busy').map(busyItem) } : {}),
  };
}
