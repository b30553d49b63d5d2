// Builds the Windows prune script (the rule is documented in ps-prune.ts).

import type { PruneIntent } from '../types.ts';
import { PS_COMMON } from './ps-common.ts';
import { PS_CURRENT } from './ps-current.ts';
import { PS_ENCODE } from './ps-encode.ts';
import { PS_JUNCTION } from './ps-junction.ts';
import { PS_FENCE } from './ps-fence.ts';
import { PS_LOCK } from './ps-lock.ts';
import { PS_PROTOCOL } from './ps-protocol.ts';
import { PS_PRUNE } from './ps-prune.ts';
import { PS_RUN } from './ps-run.ts';
import { renderPsScript } from './render-script.ts';
import { checkCount, checkRunId, checkWindowsPaths } from './validate.ts';

export function pruneScript(intent: PruneIntent): string {
  const paths = checkWindowsPaths(intent.paths);
  return renderPsScript({
    kind: 'prune',
    title: `prune managed versions, keeping the newest ${checkCount('keep', intent.keep)} (and the active one)`,
    vars: [
      ['G_ROOT', paths.goroot],
      ['VDIR', paths.versionsDir],
      ['RUN', checkRunId(intent.run)],
      ['KEEP', String(intent.keep)],
      ['CAP_CMD', '60'],
    ],
    library: [PS_ENCODE, PS_COMMON, PS_PROTOCOL, PS_RUN, PS_FENCE, PS_LOCK, PS_CURRENT, PS_JUNCTION, PS_PRUNE],
    entry: 'gf_prune_flow',
  });
}
