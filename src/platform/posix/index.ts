// The POSIX platform dialect (Linux with GNU or busybox userland, macOS with BSD userland):
// pure script builders and output parsers. Scripts go over stdin to `sh -s` (`sudo -n sh -s` with
// become; sudo-command.ts with a become password). Layout on a host and the protocol are described in the sh-*.ts files' headers.

import type { PlatformDialect } from '../types.ts';
import { factsScript } from './facts-script.ts';
import { parseFacts } from './parse-facts.ts';
import { parseRun } from '../protocol/parse-run.ts';
import { pruneScript } from './prune-script.ts';
import { parseReach } from '../protocol/parse-reach.ts';
import { reachScript } from './reach-script.ts';
import { shQuote } from './quote.ts';
import { restoreLinkScript, switchScript, upgradeScript } from './switch-script.ts';
import { cachedArchivePath, uploadPath } from './archive-paths.ts';
import { scriptCommand } from './sudo-command.ts';
import { posixRemoteShell } from './remote-shell.ts';
import { posixPrivilege } from './privilege.ts';

export { shQuote } from './quote.ts';
export { parseFacts, mapArch, mapOs } from './parse-facts.ts';
export { parseRun } from '../protocol/parse-run.ts';
export { percentDecode, percentEncode } from '../protocol/percent.ts';
export { compareGoVersions } from '../version-order.ts';

export { posixRemoteShell } from './remote-shell.ts';

export const posix: PlatformDialect = {
  remoteShell: posixRemoteShell,
  privilege: posixPrivilege,
  scriptCommand,
  facts: factsScript,
  parseFacts,
  upgrade: upgradeScript,
  switchTo: switchScript,
  restoreLink: restoreLinkScript,
  prune: pruneScript,
  parseRun,
  uploadPath,
  cachedArchivePath,
  reachProbe: reachScript,
  parseReach,
  quote: shQuote,
  stderrText: (stderr) => stderr,
};
