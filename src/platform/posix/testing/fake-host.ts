// Test support (not shipped logic): a fake host in a temp dir for running the POSIX scripts for real
// under dash (or busybox sh). Layout mirrors a real host:
//   <root>/usr-local/go                      goroot (missing, a link or a real dir)
//   <root>/usr-local/gofleet/versions        versionsDir
//   <root>/home/.profile                     read by `dash -l`, sets the login PATH
// SHELL is dash, so the scripts' login-PATH check reads that .profile.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArchiveRef, HostPaths } from '../../types.ts';
import { uploadPath } from '../archive-paths.ts';
import { writeFakeToolchain, type FakeBehaviour } from './fake-go.ts';

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** the shell that reads the script: default ['dash', '-s'] */
  shell?: string[];
  /** environment additions / overrides */
  env?: Record<string, string>;
  /** wrap the command, e.g. ['setpriv', '--reuid=65534', ...] */
  prefix?: string[];
  /** kill the script after this long (default 300 s): a hang fails the test instead of stalling it */
  timeoutMs?: number;
}

export interface LocalArchive {
  path: string;
  filename: string;
  sha256: string;
  size: number;
}

export const BASE_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';

export class FakeHost {
  readonly root: string;
  readonly usrLocal: string;
  readonly goroot: string;
  readonly versionsDir: string;
  readonly home: string;
  readonly paths: HostPaths;
  readonly run: string;
  private readonly uploads: string[] = [];

  constructor(prefix = 'gofleet-posix-') {
    this.root = mkdtempSync(join(tmpdir(), prefix));
    this.usrLocal = join(this.root, 'usr-local');
    this.goroot = join(this.usrLocal, 'go');
    this.versionsDir = join(this.usrLocal, 'gofleet', 'versions');
    this.home = join(this.root, 'home');
    this.paths = { goroot: this.goroot, versionsDir: this.versionsDir };
    this.run = `t${process.pid}-${Math.random().toString(16).slice(2, 8)}`;
    mkdirSync(this.usrLocal, { recursive: true });
    mkdirSync(this.home, { recursive: true });
    this.loginPath([join(this.goroot, 'bin')]);
  }

  /** The login PATH (written to $HOME/.profile): these dirs, then the base system dirs. */
  loginPath(dirs: string[]): void {
    writeFileSync(join(this.home, '.profile'), `PATH=${[...dirs, BASE_PATH].join(':')}\nexport PATH\n`);
  }

  /** A fake toolchain at <versionsDir>/<version>. */
  install(version: string, behaviour: FakeBehaviour = 'ok'): string {
    const dir = join(this.versionsDir, version);
    writeFakeToolchain(dir, version, behaviour);
    return dir;
  }

  /** goroot -> <versionsDir>/<version> */
  linkGoroot(version: string): void {
    rmSync(this.goroot, { force: true, recursive: false });
    symlinkSync(join(this.versionsDir, version), this.goroot);
  }

  /** goroot as a real directory holding a fake toolchain (a manual install). */
  realGoroot(version: string, behaviour: FakeBehaviour = 'ok'): void {
    writeFakeToolchain(this.goroot, version, behaviour);
  }

  writeState(active: string, previous: string): void {
    mkdirSync(join(this.versionsDir, '.gofleet'), { recursive: true });
    writeFileSync(join(this.versionsDir, '.gofleet', 'state'), `active=${active}\nprevious=${previous}\nrun=old\nupdated=2026-01-01T00:00:00Z\n`);
  }

  state(): Record<string, string> {
    const file = join(this.versionsDir, '.gofleet', 'state');
    if (!existsSync(file)) return {};
    return Object.fromEntries(readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  }

  /** readlink of goroot, or null when it is not a link. */
  gorootTarget(): string | null {
    try {
      return lstatSync(this.goroot).isSymbolicLink() ? readlinkSync(this.goroot) : null;
    } catch {
      return null;
    }
  }

  /** A .tar.gz in the official layout (top-level go/) of a fake toolchain. */
  archive(version: string, behaviour: FakeBehaviour = 'ok', treeVersion = version): LocalArchive {
    const stage = join(this.root, `archive-src-${version}-${behaviour}`);
    writeFakeToolchain(join(stage, 'go'), treeVersion, behaviour);
    const filename = `${version}.linux-amd64.tar.gz`;
    const dir = join(this.root, 'archives', behaviour);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, filename);
    const r = spawnSync('tar', ['-C', stage, '-czf', path, 'go'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tar failed: ${r.stderr}`);
    rmSync(stage, { recursive: true, force: true });
    return describeArchive(path);
  }

  /** Copy an archive to where the engine would upload it; the ArchiveRef for the intent. */
  upload(archive: LocalArchive, sha256 = archive.sha256): ArchiveRef {
    const remotePath = uploadPath(this.paths, archive.filename, { become: false, run: this.run });
    copyFileSync(archive.path, remotePath);
    this.uploads.push(remotePath);
    return { filename: archive.filename, sha256, size: archive.size, remotePath };
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return { PATH: BASE_PATH, HOME: this.home, SHELL: '/bin/dash', LANG: 'C.UTF-8', ...extra };
  }

  /** Run a script read from stdin, like the engine does over SSH. */
  runScript(script: string, options: RunOptions = {}): ScriptRun {
    const argv = [...(options.prefix ?? []), ...(options.shell ?? ['dash', '-s'])];
    const r = spawnSync(argv[0] ?? 'dash', argv.slice(1), {
      input: script,
      env: this.env(options.env),
      encoding: 'utf8',
      timeout: options.timeoutMs ?? 300_000,
      cwd: this.root,
    });
    if (r.error) throw r.error;
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** Same, asynchronously (for tests that run two scripts at once). */
  runScriptAsync(script: string, options: RunOptions = {}): Promise<ScriptRun> {
    const argv = [...(options.prefix ?? []), ...(options.shell ?? ['dash', '-s'])];
    return new Promise((resolve, reject) => {
      const child = spawn(argv[0] ?? 'dash', argv.slice(1), { env: this.env(options.env), cwd: this.root });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(script);
    });
  }

  /** Every path under usr-local with type, mode, size, mtime and link target: equal listings = nothing changed. */
  listing(): string[] {
    return listTree(this.usrLocal);
  }

  cleanup(): void {
    spawnSync('chmod', ['-R', 'u+w', this.root]);
    rmSync(this.root, { recursive: true, force: true });
    for (const u of this.uploads) rmSync(u, { force: true });
  }
}

export function describeArchive(path: string): LocalArchive {
  const bytes = readFileSync(path);
  return {
    path,
    filename: path.slice(path.lastIndexOf('/') + 1),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: statSync(path).size,
  };
}

export function listTree(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = lstatSync(p);
    const rel = `${prefix}${name}`;
    const kind = st.isSymbolicLink() ? `link->${readlinkSync(p)}` : st.isDirectory() ? 'dir' : `file:${st.size}`;
    out.push(`${rel} ${kind} ${(st.mode & 0o7777).toString(8)} ${st.mtimeMs}`);
    if (st.isDirectory()) out.push(...listTree(p, `${rel}/`));
  }
  return out;
}
