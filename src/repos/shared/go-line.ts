// What a bump writes on the `go` and `toolchain` lines (repos.md §1, §6). Rules:
// - never a bare `1.N` for N >= 21 (older go commands try to download "go1.N" and fail): write 1.N.P;
// - before 1.21 the go line is `1.N` and there is no toolchain line (old parsers reject both forms);
// - never lower a line that is already higher (a workspace also never goes below its members);
// - the toolchain line is dropped when it would not be above the go line (Go omits it then).
// Pure.

import { GofleetError } from '../../errors.ts';
import { compareVersions, parseVersion } from '../../releases/version.ts';

export interface LineOptions {
  /** the pinned toolchain, e.g. go1.27.3 */
  target: string;
  /** --go-line, e.g. 1.27.0 (default: 1.N.0 of the target; 1.N before 1.21) */
  goLine?: string;
  /** --toolchain-line: go1.X.Y or none (default: the target) */
  toolchainLine?: string;
}

export interface LinePlan {
  go: string;
  /** null: no toolchain line */
  toolchain: string | null;
}

function minorOf(version: string): number {
  return parseVersion(version)?.minor ?? 0;
}

/** `go 1.22` (a language version, N >= 21, no patch or pre-release): the trap older go commands fall into. */
export function isTwoPartTrap(goLine: string): boolean {
  const v = parseVersion(goLine);
  return v !== null && v.major === 1 && v.minor >= 21 && v.patch === null && v.pre === null;
}

/** The language version of a go line or toolchain name: `1.22.5`, `go1.22rc1`, `1.22` -> `1.22`. */
export function languageVersion(version: string): string {
  const v = parseVersion(version);
  return v ? `${v.major}.${v.minor}` : version;
}

function defaultGoLine(target: string): string {
  const v = parseVersion(target);
  if (!v) throw new GofleetError('BAD_VERSION_SPEC', `not a Go version: ${target}`);
  return v.minor >= 21 ? `${v.major}.${v.minor}.0` : `${v.major}.${v.minor}`;
}

/** Check --go-line / --toolchain-line against the target; returns them normalized. BAD_OPTION otherwise. */
export function validateLineOptions(o: LineOptions): Required<LineOptions> {
  const target = o.target;
  const go = (o.goLine ?? defaultGoLine(target)).replace(/^go/, '');
  const gv = parseVersion(go);
  if (!gv) throw new GofleetError('BAD_OPTION', `--go-line ${o.goLine}: not a Go version (write 1.N.P, e.g. ${defaultGoLine(target)})`);
  if (gv.minor >= 21 && gv.patch === null && gv.pre === null) {
    throw new GofleetError('BAD_OPTION', `--go-line ${o.goLine}: a bare 1.${gv.minor} makes go commands older than 1.23 try to download "go1.${gv.minor}" and fail; write 1.${gv.minor}.0`);
  }
  if (gv.minor < 21 && gv.patch !== null && /\.\d+\.\d+$/.test(go)) {
    throw new GofleetError('BAD_OPTION', `--go-line ${o.goLine}: before Go 1.21 the go line is 1.N (go1.${gv.minor} and older cannot parse ${go})`);
  }
  if (compareVersions(go, target) > 0) throw new GofleetError('BAD_OPTION', `--go-line ${go} is above the target toolchain ${target}, which could not build it`);
  const tcText = o.toolchainLine ?? (minorOf(target) >= 21 ? target : 'none');
  if (tcText === 'none') return { target, goLine: go, toolchainLine: 'none' };
  const tv = parseVersion(tcText.startsWith('go') ? tcText : `go${tcText}`);
  if (!tv) throw new GofleetError('BAD_OPTION', `--toolchain-line ${tcText}: write go1.N.P or none`);
  if (tv.minor < 21) throw new GofleetError('BAD_OPTION', `--toolchain-line ${tcText}: toolchain lines exist from Go 1.21 on; use none`);
  if (tv.patch === null && tv.pre === null) {
    throw new GofleetError('BAD_OPTION', `--toolchain-line ${tcText}: go1.${tv.minor} is a language version, not a toolchain; write go1.${tv.minor}.0 or a patch release`);
  }
  if (compareVersions(tv, target) > 0) throw new GofleetError('BAD_OPTION', `--toolchain-line ${tv.name} is above the target toolchain ${target} that verifies the bump`);
  return { target, goLine: go, toolchainLine: tv.name };
}

function maxVersion(a: string, b: string | null): string {
  if (b === null || parseVersion(b) === null) return a;
  return compareVersions(b, a) > 0 ? b : a;
}

export interface CurrentLines {
  go: string | null;
  toolchain: string | null;
}

/**
 * The lines to write for one file. `floor` is the lowest go line allowed (a workspace: its members' go lines
 * after their bump). Options must have gone through validateLineOptions.
 */
export function planLines(current: CurrentLines, options: Required<LineOptions>, floor: string | null = null): LinePlan {
  const go = maxVersion(maxVersion(options.goLine, current.go), floor);
  let toolchain: string | null = options.toolchainLine === 'none' ? null : options.toolchainLine;
  // keep a valid toolchain line that is already higher (never lower what a repo asked for)
  const cur = current.toolchain && /^go1\.\d+(\.\d+|rc\d+|beta\d+)/.test(current.toolchain) ? current.toolchain : null;
  if (toolchain !== null && cur !== null && parseVersion(cur) && compareVersions(cur, toolchain) > 0) toolchain = cur;
  if (toolchain !== null && compareVersions(toolchain, go) <= 0) toolchain = null;
  if (minorOf(go) < 21) toolchain = null;
  return { go, toolchain };
}
