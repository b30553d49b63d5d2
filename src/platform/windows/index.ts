// The Windows platform dialect (Windows 10 1809+ / Server 2019+ over OpenSSH, Windows PowerShell 5.1 baseline):
// pure script builders and output parsers. Scripts go over stdin to the PowerShell bootstrap (bootstrap.ts);
// the mutating scripts print the same `@@gofleet` protocol lines as the POSIX ones, so the shared parser reads
// them. Layout on a host: goroot (default C:\Program Files\Go) is a directory junction to
// <versionsDir>\<version> (default C:\ProgramData\gofleet\versions); lock and state under <versionsDir>\.gofleet.

import { parseReach } from '../protocol/parse-reach.ts';
import { parseRun } from '../protocol/parse-run.ts';
import type { PlatformDialect } from '../types.ts';
import { cachedArchivePath, uploadPath } from './archive-paths.ts';
import { bootstrapCommandLine } from './bootstrap.ts';
import { windowsStderrText } from './error-text.ts';
import { windowsFactsScript } from './facts-script.ts';
import { parseWindowsFacts } from './parse-facts.ts';
import { pruneScript } from './prune-script.ts';
import { windowsPrivilege } from './privilege.ts';
import { psQuote } from './quote.ts';
import { windowsRemoteShell } from './remote-shell.ts';
import { windowsReachProbe } from './reach-script.ts';
import { restoreLinkScript, switchScript, upgradeScript } from './switch-script.ts';

export { psQuote } from './quote.ts';
export { parseWindowsFacts } from './parse-facts.ts';
export type { WindowsIntentOptions, WindowsSwitchIntent, WindowsUpgradeIntent } from './intent.ts';

export const windows: PlatformDialect = {
  // the adapter for an unknown DefaultShell; the registry hands out the one for the detected shell
  remoteShell: windowsRemoteShell,
  // Windows has no sudo: privilege is the account's (an elevated administrator session over OpenSSH), so
  // `become` changes nothing here (privilege.ts)
  privilege: windowsPrivilege,
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
  // powershell.exe writes error records to a redirected stderr as CLIXML (clixml.ts), with a position block
  // that would crowd the message out of the quoted tail (error-text.ts)
  stderrText: windowsStderrText,
  // --distribution auto: HEAD the source URL from the host (reach-script.ts); the line is every dialect's
  reachProbe: windowsReachProbe,
  parseReach,
};
