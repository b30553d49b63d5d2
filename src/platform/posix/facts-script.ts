// Builds the read-only facts script (see sh-facts.ts for what it prints).

import type { HostPaths } from '../types.ts';
import { renderScript } from './render-script.ts';
import { SH_BUSY } from './sh-busy.ts';
import { SH_CAPPED } from './sh-capped.ts';
import { SH_COMMON } from './sh-common.ts';
import { SH_FACTS } from './sh-facts.ts';
import { SH_LOGIN_GO, SH_LOGIN_GOTOOLCHAIN } from './sh-login-go.ts';
import { SH_PLACEMENT } from './sh-placement.ts';
import { checkPaths } from './validate.ts';

export function factsScript(paths: HostPaths): string {
  const p = checkPaths(paths);
  return renderScript({
    title: 'facts (read-only: changes nothing on the host)',
    vars: [
      ['G_ROOT', p.goroot],
      ['VDIR', p.versionsDir],
    ],
    library: [SH_COMMON, SH_CAPPED, SH_LOGIN_GO, SH_LOGIN_GOTOOLCHAIN, SH_BUSY, SH_PLACEMENT, SH_FACTS],
    entry: 'gf_facts',
    lockTraps: false,
  });
}
