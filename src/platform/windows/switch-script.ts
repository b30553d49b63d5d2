// Builds the Windows upgrade script (stage + adopt + PATH + switch + verify + rollback, one round trip), the
// switch script used by `gofleet use` and `gofleet rollback` (same flow, no staging) and the restore-link
// script. The flow itself is in ps-switch-flow.ts; this file only fills in the quoted values (psQuote, through
// renderPsScript). `--method msi` goes to msi-script.ts.

import type { RestoreLinkIntent } from '../types.ts';
import type { WindowsSwitchIntent, WindowsUpgradeIntent } from './intent.ts';
import { msiUpgradeScript } from './msi-script.ts';
import { PS_COMMON } from './ps-common.ts';
import { PS_CURRENT } from './ps-current.ts';
import { PS_ENCODE } from './ps-encode.ts';
import { PS_JUNCTION } from './ps-junction.ts';
import { PS_FENCE } from './ps-fence.ts';
import { PS_LOCK } from './ps-lock.ts';
import { PS_PATH } from './ps-path.ts';
import { PS_PROTOCOL } from './ps-protocol.ts';
import { PS_HTTP, PS_PULL } from './ps-pull.ts';
import { PS_RESTORE_LINK } from './ps-restore-link.ts';
import { PS_RUN } from './ps-run.ts';
import { PS_STAGE } from './ps-stage.ts';
import { PS_SWITCH_FLOW } from './ps-switch-flow.ts';
import { PS_VERIFY } from './ps-verify.ts';
import { renderPsScript, type PsScriptSpec } from './render-script.ts';
import { verifyVars } from '../verify-vars.ts';
import {
  checkCount,
  checkPullUrl,
  checkFilename,
  checkRunId,
  checkSha256,
  checkVersion,
  checkWindowsPath,
  checkWindowsPaths,
  fenceText,
} from './validate.ts';

/** The snippets every switching script carries. */
export const PS_SWITCH_LIBRARY = [PS_ENCODE, PS_COMMON, PS_PROTOCOL, PS_RUN, PS_FENCE, PS_LOCK, PS_CURRENT, PS_STAGE, PS_HTTP, PS_PULL, PS_JUNCTION, PS_PATH, PS_VERIFY, PS_SWITCH_FLOW];

export function upgradeScript(intent: WindowsUpgradeIntent): string {
  if (intent.method === 'msi') return msiUpgradeScript(intent);
  return renderPsScript(upgradeScriptSpec(intent));
}

/**
 * The zip upgrade script's parts (checked, quoted values; library; entry), for upgradeScript and for the
 * standalone script (standalone-script.ts), which adds its own prologue and epilogue around the same flow.
 */
export function upgradeScriptSpec(intent: WindowsUpgradeIntent): PsScriptSpec {
  const paths = checkWindowsPaths(intent.paths);
  const archive = intent.archive;
  return {
    kind: 'upgrade',
    title: `upgrade to ${checkVersion(intent.target)} (stage, adopt, switch, verify; roll back on failure)`,
    vars: [
      ['MODE', 'upgrade'],
      ['G_ROOT', paths.goroot],
      ['VDIR', paths.versionsDir],
      ['TARGET', intent.target],
      ['RUN', checkRunId(intent.run)],
      ['FENCE', fenceText(intent.fence)],
      ['ADOPT_LINK', intent.adoptLink ? '1' : '0'],
      ['REMOVE_OTHER_GO', intent.removeOtherGoPaths ? '1' : '0'],
      ['ARCHIVE', archive ? checkWindowsPath('archive.remotePath', archive.remotePath) : ''],
      ['ARCHIVE_NAME', archive ? checkFilename(archive.filename) : ''],
      ['ARCHIVE_SHA', archive ? checkSha256(archive.sha256) : ''],
      ['ARCHIVE_SIZE', archive ? String(checkCount('archive.size', archive.size)) : '0'],
      ['PULL_URL', archive?.pullUrl ? checkPullUrl(archive.pullUrl) : ''],
      ...verifyVars(intent.verify),
    ],
    library: PS_SWITCH_LIBRARY,
    entry: 'gf_switch_flow',
  };
}

export function switchScript(intent: WindowsSwitchIntent): string {
  const paths = checkWindowsPaths(intent.paths);
  return renderPsScript({
    kind: 'switch',
    title: `switch to the installed ${checkVersion(intent.target)} (adopt, switch, verify; roll back on failure)`,
    vars: [
      ['MODE', 'switch'],
      ['G_ROOT', paths.goroot],
      ['VDIR', paths.versionsDir],
      ['TARGET', intent.target],
      ['RUN', checkRunId(intent.run)],
      ['FENCE', fenceText(intent.fence)],
      ['ADOPT_LINK', intent.adoptLink ? '1' : '0'],
      ['REMOVE_OTHER_GO', intent.removeOtherGoPaths ? '1' : '0'],
      ['ARCHIVE', ''],
      ['ARCHIVE_NAME', ''],
      ['ARCHIVE_SHA', ''],
      ['ARCHIVE_SIZE', '0'],
      ...verifyVars(intent.verify),
    ],
    library: PS_SWITCH_LIBRARY,
    entry: 'gf_switch_flow',
  });
}

/** `rollback` to the junction target a switch from a junction outside versionsDir recorded (no verification). */
export function restoreLinkScript(intent: RestoreLinkIntent): string {
  const paths = checkWindowsPaths(intent.paths);
  return renderPsScript({
    kind: 'restore-link',
    title: 'restore goroot to the junction recorded before the last switch',
    vars: [
      ['MODE', 'restore'],
      ['G_ROOT', paths.goroot],
      ['VDIR', paths.versionsDir],
      ['TARGET', ''],
      ['RUN', checkRunId(intent.run)],
      ['FENCE', fenceText(intent.fence)],
      ['ADOPT_LINK', '1'],
      ['REMOVE_OTHER_GO', '0'],
      ['ARCHIVE', ''],
      ['ARCHIVE_NAME', ''],
      ...verifyVars({ build: false, requirePath: false }),
    ],
    library: [...PS_SWITCH_LIBRARY, PS_RESTORE_LINK],
    entry: 'gf_restore_link_flow',
  });
}
