// Everything with a side effect comes in through this context, with production defaults built by the CLI,
// so a test can swap one piece to reach an error path (like zx's Options).

import type { HostSpec } from '../inventory/types.ts';
import type { LoginShell } from '../platform/detect-shell.ts';
import type { HostOs, InstallMethod, PlatformDialect, VerifyPolicy } from '../platform/types.ts';
import type { Transport } from '../transport/types.ts';
import type { DrainOptions } from './drain-options.ts';
import type { EventSink } from './events.ts';

/** --distribution: push from the controller (default), pull from the source URL on each host, or auto (pull where the host reaches it). */
export type Distribution = 'push' | 'pull' | 'auto';

/** The intent fields a context's fencing token adds to a host script (none without one). */
export function fenceOf(ctx: Pick<EngineContext, 'fence'>): { fence?: number } {
  return ctx.fence ? { fence: ctx.fence.token } : {};
}

/** Default of EngineContext.pollMs. */
export const DEFAULT_POLL_MS = 2000;

/** An archive verified in the controller's cache, ready to push. */
export interface LocalArchive {
  path: string;
  filename: string;
  sha256: string;
  size: number;
}

export interface EngineContext {
  run: string;
  /** open the one connection used for this host for the whole command */
  connect(host: HostSpec): Promise<Transport>;
  /** the dialect for `os`; `login`: the shell detected on the host, when probed (a Windows adapter depends on it) */
  dialectFor(os: HostOs, login?: LoginShell): PlatformDialect;
  /** download (once for all hosts) and verify the archive for a platform */
  fetchArchive(version: string, os: HostOs, arch: string): Promise<LocalArchive>;
  /**
   * the index entry for that archive (no download); `method` overrides ctx.method for this look-up (`use` and
   * `rollback` on an MSI goroot need the .msi's published SHA-256 whatever --method says: plan-msi-switch.ts)
   */
  archiveInfo(version: string, os: HostOs, arch: string, method?: InstallMethod): Promise<ArchiveInfo>;
  emit: EventSink;
  now(): number;
  verify: VerifyPolicy;
  /** cap for one remote script (install + verify can take minutes on a slow host) */
  stepTimeoutMs: number;
  /**
   * how long to wait between two reads of a host that is still locked (another run's lock, or this run's after a
   * lost connection); default DEFAULT_POLL_MS. Tests with the fakes in engine/testing set a few ms.
   */
  pollMs?: number;
  /** aborted on Ctrl-C: stop starting hosts */
  signal?: AbortSignal;
  /**
   * aborted on a second Ctrl-C: every host script in flight gets one SIGTERM (never a kill). Before its switch
   * a script stops with goroot untouched (the host ends `skipped`, INTERRUPTED); after it, it rolls back
   * (`rolled_back`, INTERRUPTED).
   */
  abortHosts?: AbortSignal;
  /** builds in flight: wait for processes using the toolchain before switching (engine/drain-host.ts); default 10 min, no force */
  drain?: DrainOptions;
  /** --adopt-link: a goroot link to something that is not a Go toolchain may be replaced; the host records its target */
  adoptLink?: boolean;
  /**
   * --method (default zip): msi installs the official MSI on Windows hosts (plan-msi.ts); archiveInfo and
   * fetchArchive then answer the windows .msi (the release file of kind installer) instead of the zip
   */
  method?: InstallMethod;
  /** --distribution (default push): how an archive reaches a host that lacks it (engine/decide-delivery.ts) */
  distribution?: Distribution;
  /**
   * a worker of a dispatched run (issue 14): the fencing token of its lease on the host it runs (one host per
   * context). Every host script it sends records the token in the host lock; a lock of this run under a lower
   * token is taken over, and a script meeting a higher one changes nothing (LEASE_LOST). Unset: no fencing.
   */
  fence?: { token: number };
  /** the become (sudo) password of a host, resolved before the run; held in memory only */
  becomePassword?(host: string): string | undefined;
}

/** What the release index says about an archive, known before downloading it. */
export interface ArchiveInfo {
  filename: string;
  sha256: string;
  size: number;
  /** a URL a host may download the file from itself (the serving source's fileUrl); null/absent: push only */
  url?: string | null;
}
