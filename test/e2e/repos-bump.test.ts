// `gofleet repos bump` with real toolchains and real git repos: edits in place (or on a branch with
// --commit), files the pinned toolchain accepts, pins, and idempotent re-runs.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gofleet } from './helpers.ts';
import { gitIn, makeGoRepos, makeRepo, toolchainDir, type FixtureName, type GoRepos } from '../harness/go-repos.ts';

const run = promisify(execFile);
const savedEnv = { ...process.env };
const made: GoRepos[] = [];
let go1273: string;
let baseEnv: NodeJS.ProcessEnv;

before(async () => {
  go1273 = await toolchainDir('go1.27.3');
});

after(async () => {
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
  Object.assign(process.env, savedEnv);
  await Promise.all(made.map((f) => f.dispose()));
});

async function fixtures(...names: FixtureName[]): Promise<GoRepos> {
  const fx = await makeGoRepos(names);
  made.push(fx);
  Object.assign(process.env, fx.env);
  baseEnv = fx.env;
  return fx;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** `go build ./...` in dir with a toolchain binary and GOTOOLCHAIN=local: exit code and output. */
async function goBuild(goBin: string, dir: string, extra: NodeJS.ProcessEnv = {}): Promise<{ code: number; output: string }> {
  try {
    const r = await run(goBin, ['build', './...'], { cwd: dir, env: { ...baseEnv, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly', ...extra } });
    return { code: 0, output: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

test('bump --all-pins (go1.27.3) rewrites go lines, go.work and pins; the pinned toolchain builds the result', async () => {
  const fx = await fixtures('twopart', 'multi', 'testfail');
  const r = await gofleet('repos', 'bump', '--to', 'go1.27.3', '--toolchain', go1273, '--all-pins', '--json', fx.repos.twopart, fx.repos.multi, fx.repos.testfail);
  assert.equal(r.code, 2, r.stderr);
  const doc = r.json();
  assert.equal(doc.command, 'bump');
  const [twopart, multi, testfail] = doc.repos;

  assert.deepEqual(twopart.modules.map((m: Json) => [m.result, m.from, m.to, m.toolchain_to, m.changed]), [['pass', '1.22', '1.27.0', 'go1.27.3', ['.go-version', 'Dockerfile', 'go.mod']]]);
  const tpCodes = twopart.modules[0].findings.map((f: Json) => `${f.severity}:${f.code}`);
  assert.ok(tpCodes.includes('info:GO_LINE_TWO_PART') && tpCodes.filter((c: string) => c === 'info:PIN_UPDATED').length === 2, tpCodes.join());
  assert.equal(await readFile(join(fx.repos.twopart, 'go.mod'), 'utf8'), 'module example.com/twopart\n\ngo 1.27.0\n\ntoolchain go1.27.3\n');
  assert.equal(await readFile(join(fx.repos.twopart, '.go-version'), 'utf8'), '1.27.3\n');
  assert.equal(await readFile(join(fx.repos.twopart, 'Dockerfile'), 'utf8'), 'FROM golang:1.27\nCOPY . /src\n');
  // nothing else in the checkout changed (no binary left by go build, no stray files)
  assert.equal(await gitIn(fx.repos.twopart, fx.env, 'status', '--porcelain', '--untracked-files=all'), 'M .go-version\n M Dockerfile\n M go.mod');

  assert.deepEqual(multi.modules.map((m: Json) => [m.dir, m.result, m.to]), [['.', 'pass', '1.27.0'], ['api', 'pass', '1.27.0'], ['svc', 'pass', '1.27.0']]);
  assert.match(await readFile(join(fx.repos.multi, 'go.work'), 'utf8'), /^go 1\.27\.0\n\ntoolchain go1\.27\.3\n\nuse \(/);
  assert.match(await readFile(join(fx.repos.multi, 'svc/Dockerfile'), 'utf8'), /^FROM golang:1\.27-alpine AS build\n/);
  assert.match(await readFile(join(fx.repos.multi, '.github/workflows/ci.yml'), 'utf8'), /go-version: '1\.27'\n/);
  assert.deepEqual(multi.modules.flatMap((m: Json) => m.changed).sort(), ['.github/workflows/ci.yml', 'api/go.mod', 'go.work', 'svc/Dockerfile', 'svc/go.mod']);

  assert.deepEqual([testfail.modules[0].result, testfail.modules[0].class], ['fail', 'test']);
  // the failed bump puts go.mod back and says so (issue 9): nothing is left half-bumped
  assert.equal(await readFile(join(fx.repos.testfail, 'go.mod'), 'utf8'), 'module example.com/testfail\n\ngo 1.20\n');
  assert.equal(await gitIn(fx.repos.testfail, fx.env, 'status', '--porcelain', '--untracked-files=all'), '');
  assert.deepEqual(testfail.modules[0].changed, []);
  assert.ok(testfail.modules[0].findings.some((f: Json) => f.code === 'BUMP_RESTORED' && /go\.mod was put back/.test(f.message)), JSON.stringify(testfail.modules[0].findings));

  // the real toolchains agree with what was written: 1.27.3 builds it, 1.26.8 refuses the go line
  const go127 = join(go1273, 'bin', 'go');
  for (const dir of [fx.repos.twopart, join(fx.repos.multi, 'svc'), join(fx.repos.multi, 'api')]) {
    const b = await goBuild(go127, dir);
    assert.equal(b.code, 0, `${dir}: ${b.output}`);
  }
  const old = await goBuild('/usr/local/go/bin/go', fx.repos.twopart);
  assert.notEqual(old.code, 0);
  assert.match(old.output, /go: go\.mod requires go >= 1\.27\.0 \(running go 1\.26\.8; GOTOOLCHAIN=local\)/);
});

test('bump with go1.26.8, --go-line and --toolchain-line none writes exactly those lines', async () => {
  const fx = await fixtures('single', 'knownbad');
  const r = await gofleet('repos', 'bump', '--to', 'go1.26.8', '--go-line', '1.25.0', '--toolchain-line', 'none', '--json', fx.repos.single, fx.repos.knownbad);
  assert.equal(r.code, 2, r.stderr);
  const [single, knownbad] = r.json().repos;
  assert.deepEqual([single.modules[0].result, single.modules[0].to, single.modules[0].toolchain_to, single.modules[0].changed], ['pass', '1.25.0', null, ['go.mod']]);
  assert.equal(await readFile(join(fx.repos.single, 'go.mod'), 'utf8'), 'module example.com/single\n\ngo 1.25.0\n');
  assert.deepEqual([knownbad.modules[0].result, knownbad.modules[0].class], ['fail', 'build']);
  assert.match(knownbad.modules[0].first_error, /invalid reference to runtime\.stopTheWorld/);
  // a failed bump without --commit restores go.mod and go.sum and says so in the output (issue 9)
  assert.deepEqual(knownbad.modules[0].changed, []);
  assert.ok(knownbad.modules[0].findings.some((f: Json) => f.code === 'BUMP_RESTORED' && f.message.includes('go.mod, go.sum were put back')), JSON.stringify(knownbad.modules[0].findings));
  assert.equal(await gitIn(fx.repos.knownbad, fx.env, 'status', '--porcelain', '--untracked-files=all'), '');
  const human = await gofleet('repos', 'bump', '--to', 'go1.26.8', fx.repos.knownbad);
  assert.match(human.stdout, /warn BUMP_RESTORED: the bump failed, so go\.mod, go\.sum were put back as before the run/);
  assert.equal(await gitIn(fx.repos.knownbad, fx.env, 'status', '--porcelain', '--untracked-files=all'), '');
  const b = await goBuild('/usr/local/go/bin/go', fx.repos.single);
  assert.equal(b.code, 0, b.output);
});

async function branchState(repo: string, branch: string): Promise<{ tip: string; parent: string; message: string; goMod: string; branches: string }> {
  const env = baseEnv;
  return {
    tip: await gitIn(repo, env, 'rev-parse', branch),
    parent: await gitIn(repo, env, 'rev-parse', `${branch}^`),
    message: await gitIn(repo, env, 'log', '-1', '--format=%B', branch),
    goMod: await gitIn(repo, env, 'show', `${branch}:go.mod`),
    branches: await gitIn(repo, env, 'branch', '--list', '--format=%(refname:short)'),
  };
}

test('bump --commit makes one commit on gofleet/<target> without touching the checkout; re-runs are idempotent', async () => {
  const fx = await fixtures('single', 'knownbad');
  const env = fx.env;
  const head = await gitIn(fx.repos.single, env, 'rev-parse', 'HEAD');
  const first = await gofleet('repos', 'bump', '--to', 'go1.26.8', '--commit', '--json', fx.repos.single, fx.repos.knownbad);
  assert.equal(first.code, 2, first.stderr);
  const [single, knownbad] = first.json().repos;
  assert.equal(single.git.action, 'created');
  assert.equal(single.git.branch, 'gofleet/go1.26.8');
  assert.equal(single.git.base, head);
  assert.equal(knownbad.git.action, 'not-committed');
  assert.equal(await gitIn(fx.repos.knownbad, env, 'branch', '--list', 'gofleet/*'), '');

  // the user's checkout: same branch, same HEAD, clean, old go.mod; no worktree left behind
  assert.equal(await gitIn(fx.repos.single, env, 'rev-parse', '--abbrev-ref', 'HEAD'), 'main');
  assert.equal(await gitIn(fx.repos.single, env, 'rev-parse', 'HEAD'), head);
  assert.equal(await gitIn(fx.repos.single, env, 'status', '--porcelain'), '');
  assert.match(await readFile(join(fx.repos.single, 'go.mod'), 'utf8'), /go 1\.24\.0/);
  assert.equal((await gitIn(fx.repos.single, env, 'worktree', 'list')).split('\n').length, 1);

  const s1 = await branchState(fx.repos.single, 'gofleet/go1.26.8');
  assert.equal(s1.tip, single.git.commit);
  assert.equal(s1.parent, head);
  assert.equal(s1.goMod, 'module example.com/single\n\ngo 1.26.0\n\ntoolchain go1.26.8');
  assert.match(s1.message, /^Bump Go to go1\.26\.8 \(go 1\.26\.0, toolchain go1\.26\.8\)\n\nChanged:\n- go\.mod: go 1\.24\.0 -> 1\.26\.0, toolchain \(none\) -> go1\.26\.8\n/);
  assert.match(s1.message, /Verified with go1\.26\.8 \(GOTOOLCHAIN=local\):\n- \.: tidy pass, deps pass, build pass, vet pass, test pass\n/);
  assert.equal(await gitIn(fx.repos.single, env, 'diff', '--name-only', head, s1.tip), 'go.mod');

  // again: same parent and tree, so the branch keeps its commit
  const again = await gofleet('repos', 'bump', '--to', 'go1.26.8', '--commit', '--json', fx.repos.single);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(again.json().repos[0].git, { branch: 'gofleet/go1.26.8', base: head, commit: s1.tip, action: 'unchanged' });
  assert.deepEqual(await branchState(fx.repos.single, 'gofleet/go1.26.8'), s1);

  // skip leaves an existing branch alone without running anything
  const skip = await gofleet('repos', 'bump', '--to', 'go1.26.8', '--commit', '--on-existing', 'skip', '--json', fx.repos.single);
  assert.equal(skip.code, 0);
  assert.equal(skip.json().repos[0].git.action, 'skipped');
  assert.deepEqual(skip.json().repos[0].modules, []);

  // the base moved on: replace re-cuts the branch from the new HEAD
  await writeFile(join(fx.repos.single, 'README.md'), 'hello\n');
  await gitIn(fx.repos.single, env, 'add', 'README.md');
  await gitIn(fx.repos.single, env, 'commit', '-q', '-m', 'readme');
  const newHead = await gitIn(fx.repos.single, env, 'rev-parse', 'HEAD');
  const replaced = await gofleet('repos', 'bump', '--to', 'go1.26.8', '--commit', '--branch', 'campaign/go126', '--json', fx.repos.single);
  assert.equal(replaced.json().repos[0].git.action, 'created');
  const moved = await gofleet('repos', 'bump', '--to', 'go1.26.8', '--commit', '--json', fx.repos.single);
  const g = moved.json().repos[0].git;
  assert.equal(g.action, 'replaced');
  assert.equal(await gitIn(fx.repos.single, env, 'rev-parse', 'gofleet/go1.26.8^'), newHead);
  assert.deepEqual((await gitIn(fx.repos.single, env, 'branch', '--list', '--format=%(refname:short)')).split('\n').sort(), ['campaign/go126', 'gofleet/go1.26.8', 'main']);
});

test('a replace directory outside the repo works in check (scratch copy) and --commit (worktree), and is committed as written', async () => {
  const fx = await fixtures();
  const lib = join(fx.root, 'repos', 'lib');
  await makeRepo(lib, { 'go.mod': 'module example.com/lib\n\ngo 1.22.0\n', 'lib.go': 'package lib\n\n// N is a number.\nconst N = 1\n' }, fx.env);
  const app = await makeRepo(join(fx.root, 'repos', 'app'), {
    'go.mod': 'module example.com/app\n\ngo 1.22.0\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ../lib\n',
    'main.go': 'package main\n\nimport "example.com/lib"\n\nfunc main() { println(lib.N) }\n',
  }, fx.env);
  const check = await gofleet('repos', 'check', '--to', 'go1.26.8', '--json', app);
  assert.equal(check.code, 0, check.stdout);
  const bump = await gofleet('repos', 'bump', '--to', 'go1.26.8', '--commit', '--json', app);
  assert.equal(bump.code, 0, bump.stdout);
  assert.equal(bump.json().repos[0].git.action, 'created');
  assert.equal(await gitIn(app, fx.env, 'show', 'gofleet/go1.26.8:go.mod'),
    'module example.com/app\n\ngo 1.26.0\n\ntoolchain go1.26.8\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ../lib');
});

test('--branch without --commit is a usage error', async () => {
  const fx = await fixtures('single');
  const r = await gofleet('repos', 'bump', '--to', 'go1.26.8', '--branch', 'x', fx.repos.single);
  assert.equal(r.code, 5);
  assert.match(r.stderr, /--branch needs --commit/);
});
