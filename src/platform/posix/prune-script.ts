// Builds the prune script (the rule is documented in sh-prune.ts).

import type { PruneIntent } from '../types.ts';
import { renderScript } from './render-script.ts';
import { SH_BUSY } from './sh-busy.ts';
import { SH_CAPPED } from './sh-capped.ts';
import { SH_COMMON } from './sh-common.ts';
import { SH_CURRENT } from './sh-current.ts';
import { SH_FENCE } from './sh-fence.ts';
import { SH_LOCK } from './sh-lock.ts';
import { SH_PROTOCOL } from './sh-protocol.ts';
import { SH_PRUNE } from './sh-prune.ts';
import { checkCount, checkPaths, checkRunId } from './validate.ts';

export function pruneScript(intent: PruneIntent): string {
  const paths = checkPaths(intent.paths);
  return renderScript({
    title: `prune managed versions, keeping the newest ${checkCount('keep', intent.keep)} (and the active one)`,
    vars: [
      ['G_ROOT', paths.goroot],
      ['VDIR', paths.versionsDir],
      ['RUN', checkRunId(intent.run)],
      ['KEEP', String(intent.keep)],
    ],
    library: [SH_COMMON, SH_CAPPED, SH_PROTOCOL, SH_FENCE, SH_LOCK, SH_CURRENT, SH_BUSY, SH_PRUNE],
    entry: 'gf_prune_flow',
    lockTraps: true,
  });
}
