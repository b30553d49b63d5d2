// The Windows platform dialect (Windows 10 1809+ / Server 2019+ over OpenSSH, Windows PowerShell 5.1 baseline):
// pure script builders and output parsers. Scripts go over stdin to the PowerShell bootstrap (bootstrap.ts);
// the mutating scripts print the same `@@gofleet` protocol lines as the POSIX ones, so the shared parser reads
// them. Layout on a host: goroot (default C:\Program Files\Go) is a directory junction to
// <versionsDir>\<version> (default C:\ProgramData\gofleet\versions); lock and state under <versionsDir>\.gofleet.

// The shared protocol parser: posix/index.ts re-exports it before and after engineer seams moves it to
// src/platform/protocol/ (import it from there once that is merged).
import { parseRun } from '../posix/index.ts';
import type { PlatformDialect } from '../types.ts';
import { cachedArchivePath, uploadPath } from './archive-paths.ts';
import { bootstrapCommandLine } from './bootstrap.ts';
import { windowsFactsScript } from './facts-script.ts';
import { parseWindowsFacts } from './parse-facts.ts';
import { pruneScript } from './prune-script.ts';
import { psQuote } from './quote.ts';
import { restoreLinkScript, switchScript, upgradeScript } from './switch-script.ts';

export { psQuote } from './quote.ts';
export { parseWindowsFacts } from './parse-facts.ts';
export type { WindowsIntentOptions, WindowsSwitchIntent, WindowsUpgradeIntent } from './intent.ts';

export const windows: PlatformDialect = {
  // Windows has no sudo: privilege is the account's (an elevated administrator session over OpenSSH), so
  // `become` changes nothing here; the privilege model lives in platform/types.ts (engineer seams).
  scriptCommand: () => bootstrapCommandLine(),
  facts: windowsFactsScript,
  parseFacts: parseWindowsFacts,
  upgrade: upgradeScript,
  switchTo: switchScript,
  restoreLink: restoreLinkScript,
  prune: pruneScript,
  parseRun,
  uploadPath,
  cachedArchivePath,
  quote: psQuote,
};
