// Who vouches for a file's SHA-256 (minimal local version for branch `seam`; branch `authority` owns this file
// and replaces it at merge). Order: --sha256 for the file, else the first independent index that answers
// (official/china), else the serving source itself (its index, signed index, or FILE.sha256 beside the file),
// with a warning when independents were asked and none answered.

import { GofleetError } from '../errors.ts';
import type { ReleaseSource } from './types.ts';

export interface Vouch {
  sha256: string;
  authority: string;
  warnings: string[];
}

/** served: the source whose bytes will be used; independents: official/china indexes in order (empty when `served` is
 * its own authority: official, china, a local dir, a signed mirror); pinned: --sha256 for this file */
export async function vouchFor(filename: string, o: { served: ReleaseSource; independents: readonly ReleaseSource[]; pinned?: string }): Promise<Vouch> {
  if (o.pinned) return { sha256: o.pinned.toLowerCase(), authority: '--sha256', warnings: [] };
  const unreachable: string[] = [];
  for (const index of o.independents) {
    try {
      return { sha256: (await index.checksum(filename)).toLowerCase(), authority: indexWords(index), warnings: [] };
    } catch (err) {
      // an index that answers but does not list the file is a refusal, not an outage
      if (err instanceof GofleetError && err.code === 'CHECKSUM_MISSING') throw err;
      unreachable.push(`${index.location}: ${(err as Error).message}`);
    }
  }
  const sha256 = (await o.served.checksum(filename)).toLowerCase();
  const warnings = unreachable.length > 0 ? [`checked only against the mirror's own checksum: no independent index was reachable (${unreachable.join('; ')})`] : [];
  return { sha256, authority: ownAuthority(o.served, filename), warnings };
}

function ownAuthority(served: ReleaseSource, filename: string): string {
  switch (served.kind) {
    case 'official':
      return `the official index ${served.location}`;
    case 'goproxy':
      return `the Go checksum database (h1 of the module zip) via ${served.location}`;
    case 'dir':
      return `the directory's index ${served.location}`;
    default:
      return `${filename}.sha256 or index.json at ${served.location}`;
  }
}

/** an independent index, in words: the official (or China) index, or the --checksum-source given */
function indexWords(index: ReleaseSource): string {
  return index.kind === 'official' ? `the official index ${index.location}` : `the index of --checksum-source ${index.location}`;
}
