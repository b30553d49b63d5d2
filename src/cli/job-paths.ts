// The local paths in a worker's host job (issue 14), made absolute by the coordinator before it enqueues the job,
// so that a job never depends on the directory a worker runs in (nor changes it: process.chdir is process-wide,
// and a worker runs jobs of many runs at once). Two places hold paths: the command line (the options below) and
// the host (HostSpec: key, known_hosts and certificate files as the inventory wrote them, tilde-expanded but
// relative to the directory the command was typed in). Paths on the host itself (goroot, versions_dir) are not
// ours to resolve. Kept as given: URLs, `official`/`china`/`same`/`goproxy:`, `-`, `~…` (the worker's home, as
// before), and values that are not paths at all.

import { isAbsolute, resolve } from 'node:path';
import type { HostSpec, ProxyJump, WinrmSpec } from '../inventory/types.ts';

/** What an option's value is: a local path; a path or a URL; a release source (list); anything else. */
export type ValueKind = 'path' | 'path-or-url' | 'source' | 'sources' | 'text';

/**
 * Every option that takes a value on the commands a worker runs (upgrade, use, rollback: program.ts), by its long
 * name. job-paths.test.ts checks this table against commander's definitions: an option added there that takes a
 * value fails that test until it is listed here, as a path or not.
 */
export const VALUE_OPTIONS: Readonly<Record<string, ValueKind>> = {
  '--inventory': 'path',
  '--playbook-dir': 'path',
  '--ssh-config': 'path',
  '--vault-password-file': 'path',
  '--trust-key': 'path',
  '--cache-dir': 'path',
  '--state': 'path-or-url',
  '--source': 'sources',
  '--checksum-source': 'source',
  '--limit': 'text',
  '--parallel': 'text',
  '--connect-timeout': 'text',
  '--log-level': 'text',
  '--step-timeout': 'text',
  '--health-cmd': 'text',
  '--drain-timeout': 'text',
  '--distribution': 'text',
  '--cache-max': 'text',
  // FILE=HEX: FILE is an archive's name, never a path
  '--sha256': 'text',
  '--min-age': 'text',
  '--canary': 'text',
  '--waves': 'text',
  '--max-fail': 'text',
  '--pause-after': 'text',
  '--deadline': 'text',
  '--method': 'text',
  '--to': 'text',
};

/** The short flags of those commands: the long option they stand for, or null for one without a value. */
export const SHORT_FLAGS: Readonly<Record<string, string | null>> = { '-i': '--inventory', '-l': '--limit', '-y': null };

/** A Windows absolute path (C:\dir, C:/dir, \\server\share): absolute for a worker on Windows, whatever the coordinator runs on. */
const WINDOWS_ABSOLUTE = /^[A-Za-z]:[\\/]|^\\\\/;

/** A value kept as given: empty, stdin, the home of whoever runs the command, or already absolute (POSIX or Windows). */
function asGiven(value: string): boolean {
  return value === '' || value === '-' || value.startsWith('~') || isAbsolute(value) || WINDOWS_ABSOLUTE.test(value);
}

const URL_RE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** One option value with its local paths made absolute against `cwd`. */
export function absoluteValue(kind: ValueKind, value: string, cwd: string): string {
  switch (kind) {
    case 'text':
      return value;
    case 'path':
      return asGiven(value) ? value : resolve(cwd, value);
    case 'path-or-url':
      return URL_RE.test(value) ? value : absoluteValue('path', value, cwd);
    case 'source': {
      // as releases/open-source.ts reads it: a keyword, goproxy:…, a URL, or else a directory
      const spec = value.trim();
      if (spec === '' || spec === 'official' || spec === 'china' || spec === 'same' || /^goproxy:/i.test(spec) || URL_RE.test(spec)) return value;
      return absoluteValue('path', spec, cwd);
    }
    case 'sources':
      // as source-option.ts parseSources splits it: a goproxy: item is whole, anything else comma-separated
      if (/^goproxy:/i.test(value.trim())) return value;
      return value.split(',').map((item) => (item.trim() === '' ? item : absoluteValue('source', item, cwd))).join(',');
  }
}

/**
 * A command line (upgrade, use, rollback) with every local path in an option's value made absolute against `cwd`:
 * `--x v`, `--x=v`, `-i v`, `-iv` and clustered short flags (`-yi v`). Other words are kept; `--` ends the options.
 */
export function absoluteArgv(argv: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const value = (kind: ValueKind | undefined, head: string, attached: string): void => {
      if (kind === undefined) return void out.push(head + attached);
      if (attached !== '') return void out.push(head + absoluteValue(kind, attached, cwd));
      out.push(head);
      if (i + 1 < argv.length) out.push(absoluteValue(kind, argv[++i] as string, cwd));
    };
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a : a.slice(0, eq);
      const kind = VALUE_OPTIONS[name];
      if (kind === undefined || eq < 0) value(kind, a, '');
      else value(kind, `${name}=`, a.slice(eq + 1));
    } else if (/^-[^-]/.test(a)) {
      value(shortKind(a), ...splitShort(a));
    } else {
      out.push(a);
    }
  }
  return out;
}

/** `-yiDIR` -> the flags up to the one that takes a value, and its attached value: ['-yi', 'DIR']. */
function splitShort(a: string): [string, string] {
  for (let j = 1; j < a.length; j++) {
    const long = SHORT_FLAGS[`-${a[j] as string}`];
    if (long === undefined) return [a, ''];
    if (long !== null) return [a.slice(0, j + 1), a.slice(j + 1)];
  }
  return [a, ''];
}

/** The kind of the value the short-flag word `a` takes (undefined: none, or a flag this table does not know). */
function shortKind(a: string): ValueKind | undefined {
  for (let j = 1; j < a.length; j++) {
    const long = SHORT_FLAGS[`-${a[j] as string}`];
    if (long === undefined) return undefined;
    if (long !== null) return VALUE_OPTIONS[long];
  }
  return undefined;
}

/** What each field of a host is, for a job: a local path, a list of them, a part holding some, or not a path. The
 *  Record types make tsc refuse a field added to HostSpec, WinrmSpec or ProxyJump until it is classified here. */
type FieldKind = 'path' | 'paths' | 'winrm' | 'proxy-jump' | 'no';
const HOST_FIELDS: Record<keyof HostSpec, FieldKind> = {
  name: 'no', address: 'no', port: 'no', user: 'no', transport: 'no', winrm: 'winrm', identity: 'paths', password: 'no',
  becomePassword: 'no', knownHosts: 'path', become: 'no', os: 'no', windowsBy: 'no',
  // paths on the host, not here
  goroot: 'no', versionsDir: 'no',
  tags: 'no', site: 'no', groups: 'no', proxyJump: 'proxy-jump',
  // a command for the user's shell: its words are not ours to rewrite
  proxyCommand: 'no',
  sshConfigNotes: 'no', vars: 'no',
  // where the host was written, for messages only
  source: 'no',
};
const WINRM_FIELDS: Record<keyof WinrmSpec, 'path' | 'no'> = {
  scheme: 'no', auth: 'no', certValidation: 'no', caFile: 'path', clientCert: 'path', clientKey: 'path', messageEncryption: 'no', unsupportedAuth: 'no',
};
const JUMP_FIELDS: Record<keyof ProxyJump, 'path' | 'no'> = { address: 'no', port: 'no', user: 'no', identity: 'path' };

function absoluteFields<T extends object>(value: T, fields: Record<keyof T, 'path' | 'no'>, cwd: string): T {
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [key, kind] of Object.entries(fields)) {
    const v = out[key];
    if (kind === 'path' && typeof v === 'string') out[key] = absoluteValue('path', v, cwd);
  }
  return out as T;
}

/** The host with its local files (keys, known_hosts, WinRM certificates) made absolute against `cwd`. */
export function absoluteHost(host: HostSpec, cwd: string): HostSpec {
  const out: Record<string, unknown> = { ...host };
  const path = (p: string): string => absoluteValue('path', p, cwd);
  for (const [key, kind] of Object.entries(HOST_FIELDS) as [keyof HostSpec, FieldKind][]) {
    const v: unknown = host[key];
    if (v === undefined) continue;
    if (kind === 'path' && typeof v === 'string') out[key] = path(v);
    else if (kind === 'paths' && Array.isArray(v)) out[key] = (v as string[]).map(path);
    else if (kind === 'winrm') out[key] = absoluteFields(v as WinrmSpec, WINRM_FIELDS, cwd);
    else if (kind === 'proxy-jump' && Array.isArray(v)) out[key] = (v as ProxyJump[]).map((j) => absoluteFields(j, JUMP_FIELDS, cwd));
  }
  return out as unknown as HostSpec;
}
