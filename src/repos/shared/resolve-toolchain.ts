// Pin the toolchain every go command of a campaign runs with (repos.md §6.2: GOTOOLCHAIN=auto silently
// switches and downloads). --toolchain DIR (a Go tree, or its bin/go) is used as is with GOTOOLCHAIN=local.
// Otherwise a local copy of the version is looked for — the go on PATH, the go command's module cache
// (golang.org/toolchain@v0.0.1-goV.OS-ARCH), ~/sdk/goV — and, failing that, the go on PATH runs with
// GOTOOLCHAIN=goV (which may download it through GOPROXY).
// --to 1.27 / latest: with an explicit --source (`preferRemote`) they mean what that source offers, as for
// `gofleet upgrade --to`; otherwise the newest matching local copy, and only when there is none the default
// release source (`resolveRemote`). Either way that version is then looked for as above. An exact --to never
// asks the source.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { GofleetError } from '../../errors.ts';
import { parseSpec, type VersionSpec } from '../../releases/version-spec.ts';
import { compareVersions, isStable, parseVersion, versionLine } from '../../releases/version.ts';
import type { RunCommand } from './run-command.ts';
import type { PinnedToolchain } from './types.ts';

export interface ResolveToolchainOptions {
  /** --to */
  spec: string;
  /** --toolchain: a directory, a go binary, or a version */
  toolchain?: string;
  env: NodeJS.ProcessEnv;
  run: RunCommand;
  /** a directory without go.mod to run `go version` in */
  cwd: string;
  /**
   * the exact version a line/latest spec means according to the release source (--source), asked only
   * when no local toolchain matches; throws VERSION_UNKNOWN / SOURCE_UNAVAILABLE. Absent: local only.
   */
  resolveRemote?: (spec: Exclude<VersionSpec, { kind: 'exact' }>) => Promise<string>;
  /** ask resolveRemote before looking at local copies (the user named --source: the campaign follows it) */
  preferRemote?: boolean;
}

function agrees(spec: VersionSpec, version: string): boolean {
  if (spec.kind === 'exact') return compareVersions(spec.version, version) === 0;
  if (spec.kind === 'line') return versionLine(version) === spec.line;
  return true;
}

function describe(spec: VersionSpec): string {
  return spec.kind === 'exact' ? spec.version : spec.kind === 'line' ? `${spec.line}.x` : 'latest';
}

/** `go version` of a binary with GOTOOLCHAIN=local, or null. */
async function versionOf(o: ResolveToolchainOptions, go: string, gotoolchain = 'local'): Promise<{ version: string | null; output: string }> {
  const r = await o.run(go, ['version'], { cwd: o.cwd, env: { ...o.env, GOTOOLCHAIN: gotoolchain }, timeoutMs: 120_000 });
  const m = /^go version (go\S+) /m.exec(r.output);
  return { version: r.exitCode === 0 && m?.[1] ? m[1] : null, output: r.output.trim() };
}

function binaryIn(path: string): string | null {
  const abs = resolve(path);
  if (!existsSync(abs)) return null;
  if (statSync(abs).isFile()) return abs;
  for (const candidate of [join(abs, 'bin', 'go'), join(abs, 'go')]) if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return null;
}

interface GoEnv {
  version: string | null;
  goroot: string | null;
  modcache: string;
  platform: string;
}

async function pathGoEnv(o: ResolveToolchainOptions): Promise<GoEnv> {
  const r = await o.run('go', ['env', 'GOVERSION', 'GOROOT', 'GOMODCACHE', 'GOOS', 'GOARCH'], { cwd: o.cwd, env: { ...o.env, GOTOOLCHAIN: 'local' }, timeoutMs: 60_000 });
  const [version, goroot, modcache, goos, goarch] = r.exitCode === 0 ? r.stdout.split('\n').map((l) => l.trim()) : [];
  const fallbackCache = o.env.GOMODCACHE || join(o.env.GOPATH?.split(':')[0] || join(homedir(), 'go'), 'pkg', 'mod');
  return {
    version: version && parseVersion(version) ? version : null,
    goroot: goroot || null,
    modcache: modcache || fallbackCache,
    platform: `${goos || 'linux'}-${goarch || 'amd64'}`,
  };
}

/** Local copies of `version` to try, best first. */
function localCandidates(env: GoEnv, version: string): string[] {
  const out: string[] = [];
  if (env.version === version && env.goroot) out.push(join(env.goroot, 'bin', 'go'));
  out.push(join(env.modcache, 'golang.org', `toolchain@v0.0.1-${version}.${env.platform}`, 'bin', 'go'));
  out.push(join(homedir(), 'sdk', version, 'bin', 'go'));
  return out;
}

/** Versions installed locally (PATH go, module cache toolchains, ~/sdk), for SPECs like 1.27 or latest. */
function installedVersions(env: GoEnv): string[] {
  const found = new Set<string>();
  if (env.version) found.add(env.version);
  const list = (dir: string): string[] => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  for (const name of list(join(env.modcache, 'golang.org'))) {
    const m = /^toolchain@v0\.0\.1-(go[^.]+\.[^.]+(?:\.\d+)?)\.(.+)$/.exec(name);
    if (m?.[1] && m[2] === env.platform && parseVersion(m[1])) found.add(m[1]);
  }
  for (const name of list(join(homedir(), 'sdk'))) if (parseVersion(name) && name.startsWith('go')) found.add(name);
  return [...found];
}

async function fromPath(o: ResolveToolchainOptions, spec: VersionSpec, path: string): Promise<PinnedToolchain> {
  const go = binaryIn(path);
  if (!go) throw new GofleetError('TOOLCHAIN_NOT_FOUND', `--toolchain ${path}: no go binary there (looked for ${path}, ${path}/bin/go, ${path}/go)`);
  const { version, output } = await versionOf(o, go);
  if (!version) throw new GofleetError('TOOLCHAIN_NOT_FOUND', `--toolchain ${path}: \`${go} version\` failed: ${output.split('\n')[0] ?? ''}`);
  if (!agrees(spec, version)) throw new GofleetError('BAD_OPTION', `--toolchain ${path} is ${version}, but --to asks for ${describe(spec)}`);
  return { version, go, gotoolchain: 'local', how: `--toolchain ${path}` };
}

async function pickVersion(o: ResolveToolchainOptions, spec: VersionSpec, env: GoEnv): Promise<string> {
  const toolchain = o.toolchain;
  if (toolchain !== undefined) {
    const v = parseVersion(toolchain.startsWith('go') ? toolchain : `go${toolchain}`);
    if (!v) throw new GofleetError('BAD_OPTION', `--toolchain ${toolchain}: neither a directory nor a Go version`);
    if (!agrees(spec, v.name)) throw new GofleetError('BAD_OPTION', `--toolchain ${v.name} does not match --to ${describe(spec)}`);
    return v.name;
  }
  if (spec.kind === 'exact') return spec.version;
  if (o.preferRemote && o.resolveRemote) return remoteVersion(o.resolveRemote, spec);
  const local = installedVersions(env).filter((v) => isStable(v) && agrees(spec, v)).sort((a, b) => compareVersions(b, a));
  if (local[0]) return local[0];
  if (!o.resolveRemote) throw new GofleetError('TOOLCHAIN_NOT_FOUND', `no local toolchain matches --to ${describe(spec)}; name an exact version (e.g. go1.27.3) or pass --toolchain DIR`);
  return remoteVersion(o.resolveRemote, spec);
}

async function remoteVersion(resolveRemote: NonNullable<ResolveToolchainOptions['resolveRemote']>, spec: Exclude<VersionSpec, { kind: 'exact' }>): Promise<string> {
  const remote = await resolveRemote(spec);
  const v = parseVersion(remote);
  if (!v || !agrees(spec, v.name)) throw new GofleetError('INTERNAL', `the release source resolved --to ${describe(spec)} to ${remote}`);
  return v.name;
}

/** The toolchain for --to (and --toolchain). BAD_VERSION_SPEC / BAD_OPTION / TOOLCHAIN_NOT_FOUND, and from
 * the release source VERSION_UNKNOWN / SOURCE_UNAVAILABLE. */
export async function resolveToolchain(o: ResolveToolchainOptions): Promise<PinnedToolchain> {
  const spec = parseSpec(o.spec);
  if (o.toolchain !== undefined && (o.toolchain.includes('/') || existsSync(o.toolchain))) return fromPath(o, spec, o.toolchain);
  const env = await pathGoEnv(o);
  const version = await pickVersion(o, spec, env);
  for (const go of localCandidates(env, version)) {
    if (!existsSync(go)) continue;
    const got = await versionOf(o, go);
    if (got.version === version) return { version, go, gotoolchain: 'local', how: `local ${go}` };
  }
  const switched = await versionOf(o, 'go', version);
  if (switched.version === version) return { version, go: 'go', gotoolchain: version, how: `GOTOOLCHAIN=${version}` };
  throw new GofleetError('TOOLCHAIN_NOT_FOUND', `${version} is not installed here and \`GOTOOLCHAIN=${version} go version\` failed: ${switched.output.split('\n').slice(-1)[0] ?? ''}`);
}
