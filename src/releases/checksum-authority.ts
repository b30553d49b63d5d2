// Who vouches for the SHA-256 a file must have, before any of its bytes are downloaded.
//
// vouchFor(filename, {served, independents, pinned}):
// - `independents` empty: `served` is its own authority (official, china, a local dir, a signed mirror,
//   a goproxy source): its index / FILE.sha256 value.
// - a flat mirror (`independents` = the official index, then China's): the first index that answers gives the
//   SHA-256. An index that answers without listing the file is CHECKSUM_MISSING: the mirror's word is never
//   taken instead. If the mirror publishes a SHA-256 too (its index.json entry or FILE.sha256) and it
//   differs, SOURCE_CHECKSUM_DISAGREES names the mirror, the index and both values.
// - no independent index reachable (SOURCE_UNAVAILABLE from each): the mirror's own SHA-256, with a warning;
//   none: CHECKSUM_MISSING whose hint names --sha256.
// - `pinned` (--sha256): must agree with every value known (else SOURCE_CHECKSUM_DISAGREES naming --sha256);
//   with nothing else known it is the authority ("--sha256").

import { GofleetError } from '../errors.ts';
import { filesByName } from './release-index.ts';
import type { ReleaseSource } from './types.ts';

export interface Vouch {
  sha256: string;
  /** who vouched, in words: "the official index https://go.dev/dl/", "go1.27.3.linux-amd64.tar.gz.sha256 beside the file (URL)", "--sha256" */
  authority: string;
  warnings: string[];
}

export interface VouchOptions {
  /** the source whose bytes will be used */
  served: ReleaseSource;
  /** official / China indexes in order; empty when `served` is its own authority */
  independents: readonly ReleaseSource[];
  /** --sha256 for this file (lowercase hex) */
  pinned?: string;
}

/** A value someone published, and who. */
interface Word {
  sha256: string;
  who: string;
}

export async function vouchFor(filename: string, o: VouchOptions): Promise<Vouch> {
  const pin: Word | undefined = o.pinned === undefined ? undefined : { sha256: o.pinned.toLowerCase(), who: '--sha256' };
  if (o.independents.length === 0) return selfVouch(filename, o.served, pin);
  const { index, unreachable, notes } = await firstIndex(o.independents, filename, pin !== undefined);
  const warnings = [...notes];
  const reference = index ?? pin;
  let own: Word | undefined;
  try {
    own = await ownWord(o.served, filename);
  } catch (err) {
    if (!reference || !(err instanceof GofleetError && err.code === 'SOURCE_UNAVAILABLE')) throw err;
    // the index or the pin decides; an unreadable mirror checksum (down, malformed .sha256) only earns a warning
    warnings.push(`the mirror's own checksum of ${filename} could not be read (${(err as Error).message}); ${reference.who} decides`);
  }
  if (own && reference) agree(filename, own, reference);
  if (pin && index) agree(filename, pin, index);
  if (reference) return { sha256: reference.sha256, authority: reference.who, warnings };
  if (own) {
    warnings.push(`${filename} was checked only against the mirror's own checksum (${own.who}): no independent index was reachable (${unreachable.join('; ')})`);
    return { sha256: own.sha256, authority: own.who, warnings };
  }
  throw missing(`${o.served.location} publishes no SHA-256 for ${filename}, and no independent index was reachable (${unreachable.join('; ')})`);
}

/** `served` is its own authority; a pin must agree with it, and stands alone only where it publishes nothing. */
async function selfVouch(filename: string, served: ReleaseSource, pin: Word | undefined): Promise<Vouch> {
  let own: Word;
  try {
    own = { sha256: (await served.checksum(filename)).toLowerCase(), who: await describe(served, filename) };
  } catch (err) {
    if (!(err instanceof GofleetError && err.code === 'CHECKSUM_MISSING')) throw err;
    if (pin) return { sha256: pin.sha256, authority: pin.who, warnings: [] };
    throw missing(err.message);
  }
  if (pin) agree(filename, pin, own);
  return { sha256: own.sha256, authority: own.who, warnings: [] };
}

interface IndexAnswer {
  index?: Word;
  /** "LOCATION: why" of each index passed over as unreachable */
  unreachable: string[];
  notes: string[];
}

/** The first independent index that answers; one that answers without the file ends the search (CHECKSUM_MISSING,
 *  unless a pin is given: the pin may still vouch, the mirror never). */
async function firstIndex(indexes: readonly ReleaseSource[], filename: string, pinned: boolean): Promise<IndexAnswer> {
  const unreachable: string[] = [];
  for (const source of indexes) {
    try {
      return { index: { sha256: (await source.checksum(filename)).toLowerCase(), who: await describe(source, filename) }, unreachable, notes: [] };
    } catch (err) {
      if (!(err instanceof GofleetError)) throw err;
      if (err.code === 'SOURCE_UNAVAILABLE') {
        unreachable.push(`${source.location}: ${err.message}`);
        continue;
      }
      if (err.code === 'CHECKSUM_MISSING' && pinned) return { unreachable, notes: [`${err.message}; --sha256 vouches for it alone`] };
      throw err;
    }
  }
  return { unreachable, notes: [] };
}

/** What the mirror itself publishes for `filename`; undefined when nothing (CHECKSUM_MISSING). */
async function ownWord(source: ReleaseSource, filename: string): Promise<Word | undefined> {
  try {
    return { sha256: (await source.checksum(filename)).toLowerCase(), who: await describe(source, filename) };
  } catch (err) {
    if (err instanceof GofleetError && err.code === 'CHECKSUM_MISSING') return undefined;
    throw err;
  }
}

function agree(filename: string, a: Word, b: Word): void {
  if (a.sha256 === b.sha256) return;
  throw new GofleetError(
    'SOURCE_CHECKSUM_DISAGREES',
    `the SHA-256 of ${filename} from ${a.who} is ${a.sha256}, but ${b.who} says ${b.sha256}; refusing both`,
  );
}

function missing(message: string): GofleetError {
  return new GofleetError('CHECKSUM_MISSING', message, {
    hint: 'Nothing vouches for this file: make an independent index reachable (--checksum-source, or the official site), publish index.json or FILE.sha256 beside the archive, or give the SHA-256 you checked yourself with --sha256 FILE=HEX.',
  });
}

/** Who `source`'s checksum of `filename` comes from, in words. */
async function describe(source: ReleaseSource, filename: string): Promise<string> {
  switch (source.kind) {
    case 'official':
      return `the official index ${source.location}`;
    case 'goproxy':
      return `the Go checksum database (module zip from ${source.location}, repacked)`;
    case 'dir':
      return `the checksums in ${source.location} (index.json or ${filename}.sha256)`;
    case 'url': {
      const listed = filesByName(await source.releases().catch(() => [])).get(filename);
      return listed && /^[0-9a-f]{64}$/i.test(listed.sha256) ? `the index.json of ${source.location}` : `${filename}.sha256 beside the file (${source.location})`;
    }
  }
}
