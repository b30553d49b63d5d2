// What the engine asks of a platform dialect. Builders are pure: an intent in, a script out;
// parsers are pure: the script's output in, typed data out. No I/O here.

import type { RemoteShell } from './remote-shell.ts';

/** The operating systems gofleet knows; the inventory's `os`, the facts' `os` and the dialect choice use it. */
export type HostOs = 'linux' | 'darwin' | 'windows';

/** Default paths per OS, applied once the host's OS is known (engine/probe-host.ts hostPaths). */
export const OS_DEFAULTS: Readonly<Record<HostOs, Readonly<HostPaths>>> = {
  linux: { goroot: '/usr/local/go', versionsDir: '/usr/local/gofleet/versions' },
  darwin: { goroot: '/usr/local/go', versionsDir: '/usr/local/gofleet/versions' },
  windows: { goroot: 'C:\\Program Files\\Go', versionsDir: 'C:\\ProgramData\\gofleet\\versions' },
};

export interface HostPaths {
  /** the stable path PATH points at, e.g. /usr/local/go */
  goroot: string;
  /** where side-by-side versions live, e.g. /usr/local/gofleet/versions */
  versionsDir: string;
}

export type GorootState =
  /** a symlink (junction on Windows) — managed or at least link-shaped */
  | 'link'
  /** a real directory: a manual, package or MSI install to adopt */
  | 'dir'
  | 'missing'
  /** a file or something else we will not touch */
  | 'other';

export interface GoOnPath {
  /** `go version` output's version field, e.g. go1.26.8 */
  version: string;
  /** `go env GOROOT` */
  goroot: string;
  /** where `command -v go` found it on the login PATH */
  path: string;
  gopath: string | null;
  /** `go env GOVERSION` (go1.16+), null when empty or not reported; undefined when not probed */
  goversion?: string | null;
  /** GOTOOLCHAIN as the login environment sets it, else `go env GOTOOLCHAIN` (null when empty); undefined when not probed */
  gotoolchain?: string | null;
}

export interface HostFacts {
  os: HostOs | 'unknown';
  /** GOARCH naming: amd64, arm64, 386, armv6l, ... */
  arch: string;
  /** uname -r on POSIX, build number on Windows */
  kernel: string;
  /** a human OS description: "Debian GNU/Linux 12 (bookworm)", "macOS 14.5" */
  osVersion: string;
  user: string;
  isRoot: boolean;
  /** can we run privileged steps with `sudo -n`? 'n/a' when already root (POSIX; 'n/a' on Windows) */
  sudo: 'n/a' | 'nopasswd' | 'password-required' | 'missing';
  /** the account's standing on a Windows host (the Windows facts set it; POSIX reads isRoot and sudo) */
  windowsPrivilege?: WindowsPrivilege;
  /** the go found on the login PATH, or null */
  go: GoOnPath | null;
  goroot: {
    path: string;
    state: GorootState;
    /** link target (raw readlink) when state = link */
    target: string | null;
    /** first line of <goroot>/VERSION when readable (dir or link) */
    version: string | null;
    /** what `<goroot>/bin/go version` actually answers (null when it does not run); undefined if not probed */
    goVersion?: string | null;
    /** the physical path goroot resolves to (links followed; a missing one under its physical parent); undefined if not probed */
    physical?: string | null;
    /** file system type of the mount holding `physical` (tmpfs, ext4, ...), null when the host cannot tell */
    fsType?: string | null;
    /** `<goroot>/bin/go` is a file (with VERSION: the link points at a Go toolchain) */
    hasGo?: boolean;
  };
  managed: {
    /** version the goroot link points at, when it points inside versionsDir */
    active: string | null;
    /** complete version trees under versionsDir (have bin/go and VERSION), sorted by version */
    versions: string[];
    /** version before the last switch, from <versionsDir>/.gofleet/state */
    previous: string | null;
    /** the physical path of versionsDir (as for goroot.physical); undefined if not probed */
    dirPhysical?: string | null;
    /** file system type of the mount holding versionsDir */
    dirFsType?: string | null;
    /** where goroot linked before a switch from a link outside versionsDir (`--adopt-link`): what `rollback` restores */
    previousLink?: string | null;
    /**
     * the active version's switch was never verified (the script that switched it was killed): the next
     * upgrade verifies it and rolls back on failure; null or undefined when not
     */
    unverified?: string | null;
    /** versions marked as having failed verification: not reused as installed, removed by prune */
    failed?: string[];
  };
  /** free bytes in the filesystem holding versionsDir (or its nearest existing parent) */
  freeBytes: number | null;
  /** can the connecting user (without become) write versionsDir's nearest existing parent and goroot's parent */
  writable: boolean;
  /** a lock is present: { pid, run, since } as written by the holder */
  lock: { pid: string; run: string; since: string; stale: boolean } | null;
  /** archive file names present in <versionsDir>/.gofleet/cache */
  cachedArchives: string[];
  /**
   * running processes whose executable, working directory or a mapped/open file lies inside goroot or a
   * managed version (best effort; the facts script's own process tree excluded); undefined when not probed
   */
  busy?: { pid: string; exe: string }[];
  /** what only a Windows host reports (platform/windows/parse-facts.ts); undefined on POSIX hosts */
  windows?: WindowsHostFacts;
}

/** A Go installation found on a Windows host, and where it was found. */
export interface WindowsGoInstall {
  /** machine_path / user_path (a PATH entry, raw), msi (an uninstall entry), dir (Program Files\Go, C:\Go), choco, scoop (shims) */
  source: string;
  /** the PATH entry as stored (%VAR% unexpanded), the install location, the directory or the shim */
  path: string;
  /** VERSION of that tree (go1.26.8), the MSI's DisplayVersion (1.26.8); null when unknown */
  version: string | null;
  /** msi: the uninstall key (product code); scoop: the app directory; a PATH entry: the go command it holds (go.exe, go.cmd, go.bat), null for none; else null */
  detail: string | null;
}

/** Windows-only facts (issue 10). */
export interface WindowsHostFacts {
  /** Win32_OperatingSystem Caption, e.g. "Microsoft Windows Server 2022 Datacenter" */
  caption: string;
  /** e.g. 10.0.20348 */
  version: string;
  /** build.UBR, e.g. 20348.2340 */
  build: string;
  /** DisplayVersion (23H2) or ReleaseId (1809); null when absent */
  displayVersion: string | null;
  /** PROCESSOR_ARCHITECTURE of the machine (AMD64, ARM64, x86) and of the PowerShell that ran the facts */
  archNative: string;
  archProcess: string;
  /** the token is an elevated administrator's (WindowsPrincipal.IsInRole(Administrator)) */
  elevated: boolean;
  /** the user is in Administrators, even when UAC filtered the token (elevated false then) */
  adminMember: boolean;
  /** $PSVersionTable.PSVersion / PSEdition (Desktop for Windows PowerShell) */
  psVersion: string;
  psEdition: string;
  /** Junction or SymbolicLink when goroot is a link; null otherwise */
  gorootLinkKind: string | null;
  /** GOROOT set machine-wide / for the user in the registry (raw); a stale one breaks multi-version setups */
  machineGoroot: string | null;
  userGoroot: string | null;
  /** GOTOOLCHAIN of a new logon's environment, null when unset */
  goToolchain: string | null;
  /** %SystemRoot%\System32\tar.exe exists (Windows 10 1803+) */
  hasTar: boolean;
  installs: WindowsGoInstall[];
}

/**
 * Windows: an administrator whose token is elevated (a key logon over OpenSSH gets the full token), an
 * administrator whose token UAC filtered (cannot write Program Files or HKLM), or not an administrator.
 */
export type WindowsPrivilege = 'elevated' | 'filtered' | 'standard';

/**
 * How a host's mutating scripts run, decided by its dialect from the facts and what the inventory asks
 * (`become`, a become password): the one privilege model the engine sees.
 * POSIX: root runs as it is; another user with become goes through sudo (`sudo -n`, or with the become
 * password on stdin); without become it must be able to write goroot and versions_dir.
 * Windows: there is no become over OpenSSH (no sudo, no runas without a password prompt): the account must
 * be an elevated administrator, or able to write both paths for a user-level install.
 */
export interface PrivilegeDecision {
  /** mutating scripts run elevated through `how` */
  elevate: boolean;
  /** 'sudo': sudo -n; 'sudo-password': sudo with the become password first on stdin; 'none': as connected */
  how: 'none' | 'sudo' | 'sudo-password';
  /** why the host cannot be changed as asked (the plan skips it), with the dialect's own hint */
  problem?: { code: 'BECOME_FAILED' | 'NO_PRIVILEGE'; message: string; hint?: string };
  /** when elevating: stderr of a script that ended without an outcome matching this means elevation failed */
  failedElevation?: RegExp;
}

export interface PrivilegeRequest {
  host: string;
  /** the inventory's become */
  become: boolean;
  /** a become password is known for the host */
  becomePassword: boolean;
}

export interface ArchiveRef {
  /** official file name, e.g. go1.27.3.linux-amd64.tar.gz */
  filename: string;
  sha256: string;
  size: number;
  /** where the archive is on the host now (uploaded .part file, or the cache) */
  remotePath: string;
  /**
   * set: the host downloads the file itself from this URL into its cache (remotePath = cachedArchivePath) when it
   * is not there yet, inside the upgrade script's `pull` step (--distribution pull|auto)
   */
  pullUrl?: string;
}

/** What a host's HEAD of a source URL found (reachProbe / parseReach; --distribution auto). */
export interface Reach {
  ok: boolean;
  /** the HTTP status seen, null when none (no connection, no tool) */
  status: number | null;
  /** the tool that asked: curl, wget, busybox wget; null when the host has none */
  tool: string | null;
  /** the tool's words, for the plan's reason */
  detail: string;
}

export interface VerifyPolicy {
  /** compile and run a hello-world (default true) */
  build: boolean;
  /** an extra command to run after the built-in checks; non-zero exit fails verification */
  healthCommand?: string;
  /** fail verification when the login PATH finds a different go (default true); missing go on PATH is a warning */
  requirePath: boolean;
  /**
   * cap in whole seconds on each command verification runs on the host (the hello-world build,
   * go version / go env, the hello binary, the health command, the rollback's go version);
   * one that runs out of time is a verification failure and rolls back.
   * Default: 300 for the build, 60 for every other command.
   */
  timeoutSeconds?: number;
}

/** Intent: install (if needed), switch and verify; roll back on failure. One round trip. */
export interface UpgradeIntent {
  paths: HostPaths;
  /** go1.27.3 */
  target: string;
  /** the archive to stage; null when the target is already installed under versionsDir */
  archive: ArchiveRef | null;
  verify: VerifyPolicy;
  /** run id, written into the lock and state file */
  run: string;
  /** --adopt-link: goroot may be a link to something that is not a toolchain; its target is recorded for rollback */
  adoptLink?: boolean;
  /** --method: side by side from the archive (default) or the OS installer (Windows only: the official MSI) */
  method?: InstallMethod;
  /**
   * the fencing token of the lease this script runs under (a worker of a dispatched run, issue 14): recorded in the
   * host lock and in <versionsDir>/.gofleet/fence/<run>; a live lock of the same run with a lower token is taken
   * over, and the script refuses (LEASE_LOST, goroot untouched) when a higher one is recorded. Unset: no fencing.
   */
  fence?: number;
}

/** `--method`: zip = side by side from the archive (every OS; the default), msi = the official Windows MSI. */
export type InstallMethod = 'zip' | 'msi';

/** Intent: switch to an already installed version (use / rollback). */
export interface SwitchIntent {
  paths: HostPaths;
  target: string;
  verify: VerifyPolicy;
  run: string;
  /** as UpgradeIntent.adoptLink */
  adoptLink?: boolean;
  /** as UpgradeIntent.fence */
  fence?: number;
}

/** Intent: `rollback` on a host whose last switch replaced a link outside versionsDir: point goroot back at it. */
export interface RestoreLinkIntent {
  paths: HostPaths;
  run: string;
  /** as UpgradeIntent.fence */
  fence?: number;
}

export interface PruneIntent {
  paths: HostPaths;
  keep: number;
  run: string;
}

/** Steps a host goes through; each is reported as it starts and ends. */
export type StepName = 'lock' | 'adopt' | 'pull' | 'stage' | 'switch' | 'verify' | 'rollback' | 'prune' | 'unlock';

export interface StepEvent {
  step: StepName;
  status: 'start' | 'ok' | 'fail' | 'skip';
  /** an error code from src/errors.ts when status = fail */
  code?: string;
  message?: string;
}

/** The final line of a mutating script. */
export interface ScriptOutcome {
  /** upgraded/switched, already at target, verification failed and rolled back, failed before switching, or rollback failed */
  result: 'switched' | 'unchanged' | 'rolled_back' | 'failed' | 'rollback_failed' | 'pruned';
  /** active version after the script */
  active: string | null;
  /** active version before the script */
  previous: string | null;
  code?: string;
  message?: string;
  /** versions removed (prune) */
  removed?: string[];
  warnings: string[];
}

export interface PlatformDialect {
  /** how the transport wraps, finds, interrupts and stops this dialect's commands (handed to it by the engine) */
  remoteShell: RemoteShell;
  /** how this host's mutating scripts run, or why they cannot (pure, over the facts) */
  privilege(facts: HostFacts, request: PrivilegeRequest): PrivilegeDecision;
  /** the command that runs a script read from stdin, e.g. `sh -s` or `sudo -n sh -s`; with becomePassword,
   * stdin must start with the password line (then the script) */
  scriptCommand(options: { become: boolean; becomePassword?: boolean }): string;
  facts(paths: HostPaths): string;
  parseFacts(stdout: string): HostFacts;
  upgrade(intent: UpgradeIntent): string;
  switchTo(intent: SwitchIntent): string;
  /** goroot back to the link target recorded by a switch from a link outside versionsDir (`previous_link`) */
  restoreLink(intent: RestoreLinkIntent): string;
  prune(intent: PruneIntent): string;
  /** parse step markers and the outcome from (possibly partial) script output */
  parseRun(stdout: string): { steps: StepEvent[]; outcome: ScriptOutcome | null };
  /** where the controller uploads an archive before the upgrade script verifies and caches it */
  uploadPath(paths: HostPaths, filename: string, options: { become: boolean; run: string }): string;
  /** where a verified archive is kept on the host (<versionsDir>/.gofleet/cache/<filename>) */
  cachedArchivePath(paths: HostPaths, filename: string): string;
  quote(value: string): string;
  /**
   * a read-only script that HEADs `url` from the host (--distribution auto); parseReach reads its output.
   * Optional until every dialect has one: a dialect without it is treated as not reaching the source.
   */
  reachProbe(url: string): string;
  parseReach(stdout: string): Reach;
  /** a script's stderr as the user should read it in a message (Windows: CLIXML error records decoded) */
  stderrText(stderr: string): string;
}
