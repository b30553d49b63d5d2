// The Windows platform dialect (Windows 10 1809+ / Server 2019+ over OpenSSH, Windows PowerShell 5.1 baseline):
// pure script builders and output parsers. Scripts go over stdin to the PowerShell bootstrap (bootstrap.ts);
// the mutating scripts print the same `@@gofleet` protocol lines as the POSIX ones, so the shared parser reads
// them. Layout on a host: goroot (default C:\Program Files\Go) is a directory junction to
// <versionsDir>\<version> (default C:\ProgramData\gofleet\versions); lock and state under <versionsDir>\.gofleet.

import { GofleetError } from '../../errors.ts';
// The shared protocol parser: posix/index.ts re-exports it before and after engineer seams moves it to
// src/platform/protocol/ (import it from there once that is merged).
import { parseRun } from '../posix/index.ts';
import type { HostFacts, HostPaths, PlatformDialect } from '../types.ts';
import { cachedArchivePath, uploadPath } from './archive-paths.ts';
import { bootstrapCommandLine } from './bootstrap.ts';
import { pruneScript } from './prune-script.ts';
import { psQuote } from './quote.ts';
import { restoreLinkScript, switchScript, upgradeScript } from './switch-script.ts';

export { psQuote } from './quote.ts';
export type { WindowsIntentOptions, WindowsSwitchIntent, WindowsUpgradeIntent } from './intent.ts';

// TODO(ps-core): the facts script and its parser (facts-script.ts / parse-facts.ts, engineer ps-core) are not
// merged into this branch yet; wire them here (facts: factsScript, parseFacts) when they are.
function factsNotYet(_paths: HostPaths): string {
  throw new GofleetError('UNSUPPORTED_PLATFORM', 'the Windows facts script is not wired into this build yet');
}
function parseFactsNotYet(_stdout: string): HostFacts {
  throw new GofleetError('UNSUPPORTED_PLATFORM', 'the Windows facts parser is not wired into this build yet');
}

export const windows: PlatformDialect = {
  // Windows has no sudo: privilege is the account's (an elevated administrator session over OpenSSH), so
  // `become` changes nothing here; the privilege model lives in platform/types.ts (engineer seams).
  scriptCommand: () => bootstrapCommandLine(),
  facts: factsNotYet,
  parseFacts: parseFactsNotYet,
  upgrade: upgradeScript,
  switchTo: switchScript,
  restoreLink: restoreLinkScript,
  prune: pruneScript,
  parseRun,
  uploadPath,
  cachedArchivePath,
  quote: psQuote,
};
