// One repository through check or bump, as a list of named steps:
//   open the work root -> read go files and pins -> plan lines -> static findings
//   -> (vendored modules: is vendor/ stale already?) -> edit go.mod/go.work (+ pins)
//   -> tidy/vendor/deps/build/vet/test per module -> record changes (vendor/ included) -> commit.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { asGofleetError, GofleetError } from '../errors.ts';
import { classifyFailure } from './check/classify-failure.ts';
import { commitMessage } from './bump/commit-message.ts';
import { discoverRepo, owningGoFile, type GoFile } from './discover/discover-repo.ts';
import { applyLinePlan, changedSince, editReplaces, externalReplaces, restoreFiles, rewritePinFiles, snapshotFiles } from './bump/edit-files.ts';
import { commitToBranch } from './shared/git-branch.ts';
import { addFindings, newEntry, toModuleResult, type Entry } from './check/module-result.ts';
import { parseModFile } from './shared/parse-mod-file.ts';
import { findPins, type Pin } from './discover/pins.ts';
import { planPins } from './bump/plan-pins.ts';
import { rerunFailedTests } from './check/rerun-failed-tests.ts';
import { planRepo, type ParsedGoFile } from './bump/plan-repo.ts';
import type { GoRunner } from './shared/run-go.ts';
import type { CampaignContext, CampaignSettings } from './shared/settings.ts';
import { fileFindings, pinFindings } from './check/static-findings.ts';
import type { Finding, GitOutcome, RepoResult, StepName } from './shared/types.ts';
import { isVendored, snapshotVendor, staleVendorFindings, vendorChanges } from './check/vendor-dir.ts';
import { verifyModule } from './check/verify-module.ts';
import { gitRunnerOf, openWorkRoot, type WorkRoot } from './shared/work-root.ts';

const MODULE_STEPS: StepName[] = ['tidy', 'deps', 'build', 'vet', 'test'];
/** Findings about the old lines that a successful edit of the file fixes. */
const FIXED_BY_EDIT = new Set(['GO_LINE_MISSING', 'GO_LINE_TWO_PART', 'TOOLCHAIN_LINE_INVALID', 'GOWORK_BELOW_MEMBER']);
/** ... and what a passing `go mod vendor` fixes. */
const VENDOR_FIXED = new Set(['VENDOR_INCONSISTENT']);

interface RepoRun {
  path: string;
  s: CampaignSettings;
  ctx: CampaignContext;
  wr: WorkRoot;
  go: GoRunner;
  entries: Entry[];
  pins: Pin[];
  /** vendored modules (vendor/modules.txt), by go.mod file */
  vendored: Set<string>;
}

async function readGoFiles(root: string): Promise<{ files: ParsedGoFile[]; pins: Pin[] }> {
  const layout = await discoverRepo(root);
  const files = await Promise.all(layout.goFiles.map(async (g) => ({ ...g, mod: parseModFile(await readFile(join(root, g.file), 'utf8'), g.kind) })));
  const pins = (await Promise.all(layout.pinFiles.map(async (f) => findPins(f, await readFile(join(root, f), 'utf8'))))).flat();
  return { files, pins };
}

function ownedPins(pins: readonly Pin[], files: readonly GoFile[], file: GoFile): Pin[] {
  return pins.filter((p) => owningGoFile(files, p.file)?.file === file.file);
}

function addStaticFindings(r: RepoRun, files: ParsedGoFile[]): void {
  const updated = r.s.command === 'bump' && r.s.allPins;
  for (const e of r.entries) {
    addFindings(e, fileFindings(e.plan, files, r.s.toolchain.version));
    addFindings(e, pinFindings(ownedPins(r.pins, files, e.plan.file), r.s.toolchain.version, updated, r.s.matrix));
  }
}

async function editFiles(r: RepoRun): Promise<void> {
  for (const e of r.entries) {
    const { mod } = e.plan.file;
    const lines = e.plan.lines;
    if (mod.go?.version === lines.go && (mod.toolchain?.name ?? null) === lines.toolchain) {
      e.steps.push({ name: 'edit', status: 'skipped', durationMs: 0 });
      continue;
    }
    const res = await applyLinePlan(r.go, join(r.wr.root, e.plan.file.file), e.plan.file.kind, lines, mod.toolchain?.name ?? null);
    e.steps.push({ name: 'edit', status: res.exitCode === 0 ? 'pass' : 'fail', durationMs: res.durationMs });
    if (res.exitCode !== 0) e.failure = { ...classifyFailure('edit', res.output), step: 'edit' };
  }
  if (r.s.command === 'bump') markFixed(r.entries);
  if (r.s.command === 'bump' && r.s.allPins) {
    await rewritePinFiles(r.wr.root, planPins(r.pins, r.s.toolchain.version, r.s.matrix));
  }
}

/** After a bump edited a file (or re-vendored), what it fixed is history: info, not a warning. */
function markFixed(entries: Entry[], step: StepName = 'edit', codes: ReadonlySet<string> = FIXED_BY_EDIT): void {
  for (const e of entries) {
    if (!e.steps.some((st) => st.name === step && st.status === 'pass')) continue;
    e.findings = e.findings.map((f) => (codes.has(f.code) ? { ...f, severity: 'info', message: `fixed: ${f.message}` } : f));
  }
}

/** Replace directories outside the checkout, made absolute while building elsewhere; returns the undo. */
async function portableReplaces(r: RepoRun): Promise<() => Promise<void>> {
  const undo: { file: string; flags: string[] }[] = [];
  if (!r.wr.moved) return async () => undefined;
  for (const e of r.entries.filter((x) => x.plan.file.kind === 'module' && !x.failure)) {
    const edits = externalReplaces(e.plan.file.mod, e.plan.file.dir, r.path);
    if (edits.length === 0) continue;
    const file = join(r.wr.root, e.plan.file.file);
    await editReplaces(r.go, file, edits.map((x) => x.apply));
    undo.push({ file, flags: edits.map((x) => x.undo) });
  }
  return async () => {
    for (const u of undo) await editReplaces(r.go, u.file, u.flags);
  };
}

/** Vendored modules whose vendor/ already disagrees with go.mod, before anything is edited. */
async function checkVendorDirs(r: RepoRun): Promise<void> {
  for (const e of r.entries) {
    if (r.vendored.has(e.plan.file.file)) addFindings(e, await staleVendorFindings(r.go, join(r.wr.root, e.plan.file.dir), e.plan.file.file));
  }
}

/** Tests that failed on the target run again on today's toolchain: preexisting failures do not fail the module. */
async function compareWithToday(r: RepoRun, e: Entry, target: { dir: string; gowork: string }, failed: string[], snap: Map<string, string | null>): Promise<void> {
  const f = e.plan.file;
  const own = [f.file, f.dir === '.' ? 'go.sum' : `${f.dir}/go.sum`];
  const ws = e.plan.workspace ? [e.plan.workspace, `${e.plan.workspace}.sum`] : [];
  const originals = new Map([...own, ...ws].filter((x) => snap.has(x)).map((x) => [join(r.wr.root, x), snap.get(x) ?? null] as const));
  const out = await rerunFailedTests(r.go, { dir: target.dir, gowork: target.gowork, before: f.mod, originals, failed, cwd: r.ctx.tmpDir });
  addFindings(e, out.findings);
  if (out.regression.length === 0 && out.preexisting.length > 0) e.failure = null;
}

/** go.mod's known-bad findings give way to the module graph's (selected versions, built or not), in place. */
function replaceKnownBad(e: Entry, fromGraph: readonly Finding[]): void {
  const at = e.findings.findIndex((x) => x.code === 'KNOWN_BAD_DEPENDENCY');
  if (at < 0) return;
  const rest = e.findings.filter((x) => x.code !== 'KNOWN_BAD_DEPENDENCY');
  rest.splice(Math.min(at, rest.length), 0, ...fromGraph.filter((x) => x.code === 'KNOWN_BAD_DEPENDENCY'));
  e.findings = rest;
}

async function verifyAll(r: RepoRun, snap: Map<string, string | null>): Promise<void> {
  for (const e of r.entries) {
    const f = e.plan.file;
    if (f.kind === 'module' && !e.failure) {
      const onStep: GoRunner['onStep'] = (step, status, durationMs) => r.ctx.onProgress?.({ kind: 'step', repo: r.path, file: f.file, step, status, durationMs });
      const target = { dir: join(r.wr.root, f.dir), gowork: e.plan.workspace ? join(r.wr.root, e.plan.workspace) : 'off', goFrom: f.mod.go?.version ?? null, vendor: r.vendored.has(f.file) };
      const out = await verifyModule({ ...r.go, onStep }, target, MODULE_STEPS);
      e.steps.push(...out.steps);
      e.failure = out.failure;
      if (out.knownBadFromGraph) replaceKnownBad(e, out.findings);
      addFindings(e, out.findings);
      if (out.failure?.step === 'test' && out.failedPackages.length > 0) await compareWithToday(r, e, target, out.failedPackages, snap);
    }
    e.after = parseModFile(await readFile(join(r.wr.root, f.file), 'utf8').catch(() => ''), f.kind);
    const raised = e.after.go?.version;
    if (raised && raised !== e.plan.lines.go && !e.failure) {
      addFindings(e, [{ code: 'TIDY_RAISED_GO_LINE', severity: 'warn', message: `${f.file}: go mod tidy moved the go line to ${raised} (planned ${e.plan.lines.go}); a dependency requires it`, hint: 'Review which dependency needs it (go mod graph); the result is what the bump would commit.' }]);
    }
  }
}

function trackedFiles(r: RepoRun): string[] {
  const files = r.entries.flatMap((e) => {
    const f = e.plan.file;
    const sum = f.kind === 'module' ? 'go.sum' : 'go.work.sum';
    return [f.file, f.dir === '.' ? sum : `${f.dir}/${sum}`];
  });
  return [...new Set([...files, ...r.pins.map((p) => p.file)])];
}

function assignChanged(r: RepoRun, changed: string[]): void {
  const goFiles = r.entries.map((e) => e.plan.file);
  for (const file of changed) {
    const sumOf = file.replace(/go\.(?:work\.)?sum$/, file.endsWith('go.work.sum') ? 'go.work' : 'go.mod');
    const owner = r.entries.find((e) => e.plan.file.file === file || e.plan.file.file === sumOf) ?? r.entries.find((e) => e.plan.file.file === owningGoFile(goFiles, file)?.file);
    owner?.changed.push(file);
  }
}

async function commit(r: RepoRun, changed: string[]): Promise<GitOutcome | null> {
  const wt = r.wr.worktree;
  if (!r.s.commit || !wt || !r.wr.gitTop) return null;
  const modules = r.entries.map(toModuleResult);
  if (modules.some((m) => m.result === 'fail')) return { branch: r.s.commit.branch, base: wt.base, commit: wt.existing, action: 'not-committed' };
  const prefix = r.wr.root.slice(wt.dir.length + 1);
  const message = commitMessage({ target: r.s.toolchain.version, toolchainHow: r.s.toolchain.how.startsWith('GOTOOLCHAIN') ? r.s.toolchain.how : 'GOTOOLCHAIN=local', modules, changed });
  return commitToBranch(gitRunnerOf(r.ctx), { repo: r.wr.gitTop, worktree: wt, branch: r.s.commit.branch, files: changed.map((f) => (prefix ? `${prefix}/${f}` : f)), message });
}

/** vendor/ of each vendored module, to tell what `go mod vendor` changed (bump only). */
async function snapshotVendors(r: RepoRun): Promise<Map<string, Map<string, string>>> {
  const snaps = new Map<string, Map<string, string>>();
  if (r.s.command !== 'bump') return snaps;
  for (const e of r.entries) if (r.vendored.has(e.plan.file.file)) snaps.set(e.plan.file.dir, await snapshotVendor(join(r.wr.root, e.plan.file.dir)));
  return snaps;
}

async function vendorChanged(r: RepoRun, snaps: Map<string, Map<string, string>>): Promise<string[]> {
  const out: string[] = [];
  for (const [dir, before] of snaps) out.push(...vendorChanges(dir, before, await snapshotVendor(join(r.wr.root, dir))));
  return out;
}

async function work(r: RepoRun): Promise<GitOutcome | null> {
  if (r.s.staticOnly) return null;
  const snap = await snapshotFiles(r.wr.root, trackedFiles(r));
  const vendorSnaps = await snapshotVendors(r);
  await checkVendorDirs(r);
  await editFiles(r);
  const restore = await portableReplaces(r);
  try {
    await verifyAll(r, snap);
  } finally {
    if (r.wr.worktree) await restore();
  }
  if (r.s.command !== 'bump') return null;
  markFixed(r.entries, 'vendor', VENDOR_FIXED);
  const changed = [...(await changedSince(r.wr.root, snap)), ...(await vendorChanged(r, vendorSnaps))].sort();
  if (!r.s.commit && r.entries.map(toModuleResult).some((m) => m.result === 'fail')) {
    await undoFailedBump(r, snap, changed);
    return null;
  }
  assignChanged(r, changed);
  return commit(r, changed);
}

/**
 * A bump in place that failed puts back what it wrote (go.mod, go.sum, go.work, pins), so a failed run
 * leaves no half-bumped checkout; vendor/ (hashed, not kept) cannot be put back and is named instead.
 */
async function undoFailedBump(r: RepoRun, snap: Map<string, string | null>, changed: string[]): Promise<void> {
  const restored = await restoreFiles(r.wr.root, snap, changed);
  const left = changed.filter((f) => !restored.includes(f));
  const goFiles = r.entries.map((e) => e.plan.file);
  for (const e of r.entries) {
    const mine = (files: string[]): string[] => files.filter((f) => owningGoFile(goFiles, f)?.file === e.plan.file.file);
    const back = mine(restored);
    const kept = mine(left);
    if (back.length > 0) addFindings(e, [{ code: 'BUMP_RESTORED', severity: 'warn', message: `the bump failed, so ${back.join(', ')} ${back.length === 1 ? 'was' : 'were'} put back as before the run`, hint: 'Nothing of this bump is left in the checkout; fix the failure and run it again.' }]);
    if (kept.length > 0) {
      addFindings(e, [{ code: 'BUMP_LEFT_CHANGED', severity: 'warn', message: `the bump failed and left changed: ${kept.join(', ')}`, hint: 'git checkout -- <files> (or git status) in the repository puts them back.' }]);
      e.changed.push(...kept);
    }
  }
}

function errorResult(path: string, source: string | null, err: unknown, git: GitOutcome | null = null): RepoResult {
  const e = asGofleetError(err);
  return { path, source, modules: [], git, error: { code: e.code, message: e.message, hint: e.hint } };
}

/** Check or bump one repository. Never throws: a repo that cannot be worked on carries an error. */
export async function runRepo(path: string, source: string | null, s: CampaignSettings, ctx: CampaignContext): Promise<RepoResult> {
  let wr: WorkRoot | { skipped: GitOutcome };
  try {
    wr = await openWorkRoot(path, s, ctx);
  } catch (err) {
    return errorResult(path, source, err);
  }
  if ('skipped' in wr) return { path, source, modules: [], git: wr.skipped, error: null };
  try {
    const { files, pins } = await readGoFiles(wr.root);
    if (files.length === 0) throw new GofleetError('REPO_NO_MODULES', `${path}: no go.mod or go.work found`);
    const go: GoRunner = { run: ctx.run, env: ctx.env, toolchain: s.toolchain, testTimeoutMs: s.testTimeoutMs };
    const vendored = new Set(files.filter((f) => f.kind === 'module' && isVendored(join(wr.root, f.dir))).map((f) => f.file));
    const r: RepoRun = { path, s, ctx, wr, go, pins, vendored, entries: planRepo(files, s.lines).map(newEntry) };
    addStaticFindings(r, files);
    const git = await work(r);
    return { path, source, modules: r.entries.map(toModuleResult), git, error: null };
  } catch (err) {
    return errorResult(path, source, err);
  } finally {
    await wr.dispose().catch(() => undefined);
  }
}
