// Builds the upgrade script (stage + adopt + switch + verify + rollback, one round trip) and the
// switch script used by `gofleet use` and `gofleet rollback` (same flow, no staging).
// The flow itself is in sh-switch-flow.ts; this file only fills in the quoted values.

import { GofleetError } from '../../errors.ts';
import { verifyVars } from '../verify-vars.ts';
import type { RestoreLinkIntent, SwitchIntent, UpgradeIntent } from '../types.ts';
import { renderScript, type ScriptSpec } from './render-script.ts';
import { SH_CAPPED } from './sh-capped.ts';
import { SH_COMMON } from './sh-common.ts';
import { SH_CURRENT } from './sh-current.ts';
import { SH_FENCE } from './sh-fence.ts';
import { SH_LOCK, SH_TAKE_LOCK } from './sh-lock.ts';
import { SH_LOGIN_GO } from './sh-login-go.ts';
import { SH_PROTOCOL } from './sh-protocol.ts';
import { SH_RESTORE_LINK } from './sh-restore-link.ts';
import { SH_PULL, checkPullUrl } from './sh-pull.ts';
import { SH_STAGE } from './sh-stage.ts';
import { SH_SWITCH } from './sh-switch.ts';
import { SH_SWITCH_FLOW } from './sh-switch-flow.ts';
import { SH_VERIFY } from './sh-verify.ts';
import { SH_VERIFY_STATE } from './sh-verify-state.ts';
import {
  checkAbsolutePath,
  checkCount,
  checkFilename,
  checkPaths,
  checkRunId,
  checkSha256,
  checkVersion,
  fenceText,
} from './validate.ts';

const LIBRARY = [SH_COMMON, SH_CAPPED, SH_LOGIN_GO, SH_PROTOCOL, SH_FENCE, SH_LOCK, SH_TAKE_LOCK, SH_CURRENT, SH_PULL, SH_STAGE, SH_SWITCH, SH_VERIFY, SH_VERIFY_STATE, SH_SWITCH_FLOW];

export function upgradeScript(intent: UpgradeIntent): string {
  // the engine skips a POSIX host under --method msi before it builds a script (plan-msi.ts): this is the backstop
  if (intent.method === 'msi') throw new GofleetError('MSI_NOT_APPLICABLE', '--method msi installs the official Windows MSI; a POSIX host installs side by side (--method zip)');
  return renderScript(upgradeScriptSpec(intent));
}

/** The upgrade script's parts (checked, quoted values; library; entry): the standalone script renders them too. */
export function upgradeScriptSpec(intent: UpgradeIntent): ScriptSpec {
  const paths = checkPaths(intent.paths);
  const archive = intent.archive;
  return {
    title: `upgrade to ${checkVersion(intent.target)} (stage, adopt, switch, verify; roll back on failure)`,
    vars: [
      ['MODE', 'upgrade'],
      ['G_ROOT', paths.goroot],
      ['VDIR', paths.versionsDir],
      ['TARGET', intent.target],
      ['RUN', checkRunId(intent.run)],
      ['FENCE', fenceText(intent.fence)],
      ['ADOPT_LINK', intent.adoptLink ? '1' : '0'],
      ['ARCHIVE', archive ? checkAbsolutePath('archive.remotePath', archive.remotePath) : ''],
      ['ARCHIVE_NAME', archive ? checkFilename(archive.filename) : ''],
      ['ARCHIVE_SHA', archive ? checkSha256(archive.sha256) : ''],
      ['ARCHIVE_SIZE', archive ? String(checkCount('archive.size', archive.size)) : '0'],
      // set: the host downloads the archive into its cache itself (remotePath is the cache path; sh-pull.ts)
      ['ARCHIVE_URL', archive?.pullUrl ? checkPullUrl(archive.pullUrl) : ''],
      ...verifyVars(intent.verify),
    ],
    library: LIBRARY,
    entry: 'gf_switch_flow',
    lockTraps: true,
  };
}

export function switchScript(intent: SwitchIntent): string {
  const paths = checkPaths(intent.paths);
  return renderScript({
    title: `switch to the installed ${checkVersion(intent.target)} (adopt, switch, verify; roll back on failure)`,
    vars: [
      ['MODE', 'switch'],
      ['G_ROOT', paths.goroot],
      ['VDIR', paths.versionsDir],
      ['TARGET', intent.target],
      ['RUN', checkRunId(intent.run)],
      ['FENCE', fenceText(intent.fence)],
      ['ADOPT_LINK', intent.adoptLink ? '1' : '0'],
      ['ARCHIVE', ''],
      ['ARCHIVE_NAME', ''],
      ['ARCHIVE_SHA', ''],
      ['ARCHIVE_SIZE', '0'],
      ['ARCHIVE_URL', ''],
      ...verifyVars(intent.verify),
    ],
    library: LIBRARY,
    entry: 'gf_switch_flow',
    lockTraps: true,
  });
}

/** `rollback` to the link target a switch from a link outside versionsDir recorded (no verification: it need not be Go). */
export function restoreLinkScript(intent: RestoreLinkIntent): string {
  const paths = checkPaths(intent.paths);
  return renderScript({
    title: 'restore goroot to the link recorded before the last switch',
    vars: [
      ['MODE', 'restore'],
      ['G_ROOT', paths.goroot],
      ['VDIR', paths.versionsDir],
      ['TARGET', ''],
      ['RUN', checkRunId(intent.run)],
      ['FENCE', fenceText(intent.fence)],
      ['ADOPT_LINK', '1'],
      ['ARCHIVE', ''],
    ],
    library: [...LIBRARY, SH_RESTORE_LINK],
    entry: 'gf_restore_link_flow',
    lockTraps: true,
  });
}
