// The release-age policy (`--min-age 3d`): `latest` and `1.27` resolve only to releases at least that old, so a
// release pulled back within days never reaches the fleet; an exact `go1.27.3` is taken anyway, with a warning.
// A release whose date cannot be known counts as too young. Pure: the dates come in through `releasedAt`.

import { GofleetError } from '../errors.ts';
import type { Release } from './types.ts';
import { parseSpec, resolveSpec, type VersionSpec } from './version-spec.ts';
import { isStable, parseVersion, sortVersionsDesc, versionLine } from './version.ts';

/** A newer release the policy passed over. */
export interface HeldBack {
  version: string;
  /** ISO time of its release, or null when unknown */
  released: string | null;
  reason: string;
}

export interface AgePolicy {
  minAgeMs: number;
  /** the text the user gave (for messages), e.g. 3d */
  minAge: string;
  now: number;
  /** when `version` was released (ms since the epoch), or null when that cannot be known */
  releasedAt(version: string): Promise<number | null>;
}

export interface AgedResolution {
  version: string;
  heldBack: HeldBack[];
  /** set when an exact version younger than the policy (or of unknown age) was taken anyway */
  warning?: string;
}

/** `spec` resolved under the age policy; without a policy, exactly resolveSpec. */
export async function resolveWithMinAge(spec: string, releases: readonly Release[], policy?: AgePolicy): Promise<AgedResolution> {
  const s = parseSpec(spec);
  if (!policy) return { version: resolveSpec(s, releases), heldBack: [] };
  if (s.kind === 'exact') {
    const version = resolveSpec(s, releases);
    const why = await tooYoung(version, policy);
    return why ? { version, heldBack: [], warning: `${version} is named exactly, so it is used although ${why.reason} (--min-age ${policy.minAge})` } : { version, heldBack: [] };
  }
  resolveSpec(s, releases); // VERSION_UNKNOWN as without the policy when nothing matches at all
  const heldBack: HeldBack[] = [];
  for (const version of candidates(s, releases)) {
    const why = await tooYoung(version, policy);
    if (!why) return { version, heldBack };
    heldBack.push({ version, ...why });
  }
  const what = s.kind === 'latest' ? 'no stable release' : `no ${s.line}.x release`;
  throw new GofleetError('VERSION_UNKNOWN', `${what} is at least ${policy.minAge} old: ${heldBack.map((h) => `${h.version} (${h.reason})`).join(', ')}`, {
    hint: 'Wait until a release is old enough, pass a shorter --min-age, or name a version exactly (--to go1.27.3) to take it anyway.',
  });
}

/** The stable versions `spec` could mean, newest first. */
function candidates(s: Exclude<VersionSpec, { kind: 'exact' }>, releases: readonly Release[]): string[] {
  const stable = sortVersionsDesc(releases.map((r) => r.version).filter((v) => parseVersion(v) !== null)).filter(isStable);
  return s.kind === 'latest' ? stable : stable.filter((v) => versionLine(v) === s.line);
}

async function tooYoung(version: string, policy: AgePolicy): Promise<Omit<HeldBack, 'version'> | null> {
  const at = await policy.releasedAt(version);
  if (at === null) return { released: null, reason: 'its release date is unknown (counted as too young)' };
  const age = policy.now - at;
  if (age >= policy.minAgeMs) return null;
  return { released: new Date(at).toISOString(), reason: `released ${new Date(at).toISOString()}, ${describeAge(age)} old, younger than ${policy.minAge}` };
}

function describeAge(ms: number): string {
  const hours = Math.max(0, Math.floor(ms / 3_600_000));
  return hours >= 48 ? `${Math.floor(hours / 24)} d` : `${hours} h`;
}
