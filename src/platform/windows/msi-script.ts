// Builds the `--method msi` upgrade script (the flow is in ps-msi.ts). The archive is the official
// go<version>.windows-<arch>.msi; its SHA-256 is checked on the host like a zip's.

import { GofleetError } from '../../errors.ts';
import type { WindowsUpgradeIntent } from './intent.ts';
import { PS_COMMON } from './ps-common.ts';
import { PS_CURRENT } from './ps-current.ts';
import { PS_ENCODE } from './ps-encode.ts';
import { PS_JUNCTION } from './ps-junction.ts';
import { PS_FENCE } from './ps-fence.ts';
import { PS_LOCK } from './ps-lock.ts';
import { PS_MSI } from './ps-msi.ts';
import { PS_PATH } from './ps-path.ts';
import { PS_PROTOCOL } from './ps-protocol.ts';
import { PS_HTTP, PS_PULL } from './ps-pull.ts';
import { PS_RUN } from './ps-run.ts';
import { PS_STAGE } from './ps-stage.ts';
import { PS_SWITCH_FLOW } from './ps-switch-flow.ts';
import { PS_VERIFY } from './ps-verify.ts';
import { renderPsScript, type PsScriptSpec } from './render-script.ts';
import { checkCount, checkFilename, checkPullUrl, checkRunId, checkSha256, checkVersion, checkWindowsPath, checkWindowsPaths, fenceText } from './validate.ts';
import { verifyVars } from '../verify-vars.ts';

const MSI_NAME = /^(go[0-9][0-9A-Za-z.+-]*)\.windows-(amd64|386|arm64)\.msi$/;

export function msiUpgradeScript(intent: WindowsUpgradeIntent): string {
  return renderPsScript(msiUpgradeScriptSpec(intent));
}

/** The MSI upgrade script's parts, for msiUpgradeScript and the standalone script (standalone-script.ts). */
export function msiUpgradeScriptSpec(intent: WindowsUpgradeIntent): PsScriptSpec {
  const paths = checkWindowsPaths(intent.paths);
  const archive = intent.archive;
  if (archive === null) throw new GofleetError('BAD_OPTION', '--method msi needs the MSI file of the target (no archive was given)');
  const name = checkFilename(archive.filename);
  const m = MSI_NAME.exec(name);
  if (m === null || m[1] !== intent.target) {
    throw new GofleetError('BAD_OPTION', `--method msi needs ${intent.target}.windows-<arch>.msi, got ${JSON.stringify(name)}`);
  }
  return {
    kind: 'msi',
    title: `upgrade to ${checkVersion(intent.target)} with the official MSI (install, verify; reinstall the previous MSI on failure)`,
    vars: [
      ['MODE', 'msi'],
      ['G_ROOT', paths.goroot],
      ['VDIR', paths.versionsDir],
      ['TARGET', intent.target],
      ['RUN', checkRunId(intent.run)],
      ['FENCE', fenceText(intent.fence)],
      ['REMOVE_OTHER_GO', intent.removeOtherGoPaths ? '1' : '0'],
      ['ARCHIVE', checkWindowsPath('archive.remotePath', archive.remotePath)],
      ['ARCHIVE_NAME', name],
      ['ARCHIVE_SHA', checkSha256(archive.sha256)],
      ['ARCHIVE_SIZE', String(checkCount('archive.size', archive.size))],
      ['MSI_ARCH', m[2] ?? ''],
      ['PULL_URL', archive.pullUrl ? checkPullUrl(archive.pullUrl) : ''],
      ...verifyVars(intent.verify),
    ],
    // PS_SWITCH_FLOW for gf_end_failed; PS_JUNCTION for gf_msi_entry; PS_PULL when the host downloads the MSI
    library: [PS_ENCODE, PS_COMMON, PS_PROTOCOL, PS_RUN, PS_FENCE, PS_LOCK, PS_CURRENT, PS_STAGE, PS_HTTP, PS_PULL, PS_JUNCTION, PS_PATH, PS_VERIFY, PS_SWITCH_FLOW, PS_MSI],
    entry: 'gf_msi_flow',
  };
}
