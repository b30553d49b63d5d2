// `gofleet repos check|bump` on vendored modules, with the real go1.27.3 and a file:// GOPROXY: the bump
// re-runs `go mod vendor` after tidy, commits what changed under vendor/, and the committed tree builds in
// vendor mode (the go command's default with vendor/, here without GOFLAGS=-mod=mod and without any proxy).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gofleet } from './helpers.ts';
import { FIXTURES, gitIn, makeGoRepos, makeRepo, toolchainDir, type GoRepos } from '../harness/go-repos.ts';

const run = promisify(execFile);
const savedEnv = { ...process.env };
let fx: GoRepos;
let go1273: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  go1273 = await toolchainDir('go1.27.3');
  fx = await makeGoRepos(['vendored']);
  // no -mod=mod: the go command must use vendor/ as it does by default
  env = { ...fx.env, GOFLAGS: '-modcacherw' };
  Object.assign(process.env, env);
});

after(async () => {
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
  Object.assign(process.env, savedEnv);
  await fx.dispose();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const REVENDORED = '# example.com/greeter v1.0.0\n## explicit; go 1.16\nexample.com/greeter\n# example.com/words v1.0.0\n## explicit; go 1.16\nexample.com/words\n';

/** `go build ./...` with go1.27.3 in dir, offline: no proxy, an empty module cache, no GOFLAGS. */
async function offlineBuild(dir: string): Promise<{ code: number; output: string }> {
  const modcache = await mkdtemp(join(fx.root, 'empty-modcache-'));
  const buildEnv: NodeJS.ProcessEnv = { ...env, GOTOOLCHAIN: 'local', GOPROXY: 'off', GOMODCACHE: modcache, GOWORK: 'off' };
  delete buildEnv.GOFLAGS;
  try {
    const r = await run(join(go1273, 'bin', 'go'), ['build', '-o', '/dev/null', './...'], { cwd: dir, env: buildEnv });
    return { code: 0, output: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** The tree of `ref` extracted into a new directory. */
async function extract(repo: string, ref: string): Promise<string> {
  const dir = await mkdtemp(join(fx.root, 'tree-'));
  await run('sh', ['-c', `git archive --format=tar "$1" | tar -x -C "$2"`, 'sh', ref, dir], { cwd: repo, env });
  return dir;
}

test('bump --commit re-vendors after tidy; the commit carries vendor/modules.txt and builds offline in vendor mode', async () => {
  const repo = fx.repos.vendored;
  const head = await gitIn(repo, env, 'rev-parse', 'HEAD');
  const r = await gofleet('repos', 'bump', '--to', 'go1.27.3', '--toolchain', go1273, '--commit', '--json', repo);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const [m] = r.json().repos[0].modules;
  assert.equal(m.result, 'pass', JSON.stringify(m.findings));
  assert.deepEqual(m.steps.map((s: Json) => `${s.name}:${s.status}`), ['edit:pass', 'tidy:pass', 'vendor:pass', 'deps:pass', 'build:pass', 'vet:pass', 'test:pass']);
  assert.deepEqual(m.changed, ['go.mod', 'go.sum', 'vendor/modules.txt']);
  assert.ok(!m.findings.some((f: Json) => f.code === 'VENDOR_INCONSISTENT'), 'HEAD was consistent');

  const branch = 'gofleet/go1.27.3';
  assert.equal(await gitIn(repo, env, 'diff', '--name-only', head, branch), 'go.mod\ngo.sum\nvendor/modules.txt');
  assert.equal(await gitIn(repo, env, 'show', `${branch}:vendor/modules.txt`), REVENDORED.trimEnd());
  assert.match(await gitIn(repo, env, 'show', `${branch}:go.mod`), /^go 1\.27\.0\n\ntoolchain go1\.27\.3\n\nrequire example\.com\/greeter v1\.0\.0\n\nrequire example\.com\/words v1\.0\.0 \/\/ indirect$/m);
  const message = await gitIn(repo, env, 'log', '-1', '--format=%B', branch);
  assert.match(message, /\n- vendor\/modules\.txt\n/);
  assert.match(message, /- \.: tidy pass, vendor pass, deps pass, build pass/);
  assert.equal(await gitIn(repo, env, 'status', '--porcelain'), '');

  // the committed tree builds with the pinned toolchain from vendor/ alone
  const tree = await extract(repo, branch);
  const ok = await offlineBuild(tree);
  assert.equal(ok.code, 0, ok.output);
  // ... and it needed the refresh: the same tree with the old modules.txt is refused
  await writeFile(join(tree, 'vendor', 'modules.txt'), FIXTURES.vendored['vendor/modules.txt'] as string);
  const stale = await offlineBuild(tree);
  assert.notEqual(stale.code, 0);
  assert.match(stale.output, /inconsistent vendoring/);
  await rm(tree, { recursive: true, force: true });
});

test('check warns about a vendor/ already stale at HEAD (VENDOR_INCONSISTENT); bump fixes and reports it', async () => {
  const files = { ...FIXTURES.vendored, 'vendor/modules.txt': '# example.com/greeter v1.0.0\nexample.com/greeter\n# example.com/words v1.0.0\nexample.com/words\n' };
  const repo = await makeRepo(join(fx.root, 'repos', 'stale'), files, env);
  const check = await gofleet('repos', 'check', '--to', 'go1.27.3', '--toolchain', go1273, '--json', repo, fx.repos.vendored);
  assert.equal(check.code, 0, check.stdout + check.stderr);
  const [stale, fresh] = check.json().repos.map((x: Json) => x.modules[0]);
  assert.deepEqual([stale.result, stale.class], ['warn', null]);
  const f = stale.findings.find((x: Json) => x.code === 'VENDOR_INCONSISTENT');
  assert.equal(f?.severity, 'warn', JSON.stringify(stale.findings));
  assert.match(f.message, /^go\.mod: vendor\/modules\.txt does not match go\.mod before the bump \(example\.com\/greeter@v1\.0\.0: is explicitly required in go\.mod, but not marked as explicit/);
  assert.match(f.hint, /go mod vendor/);
  assert.ok(stale.steps.some((s: Json) => s.name === 'vendor' && s.status === 'pass'));
  assert.ok(!fresh.findings.some((x: Json) => x.code === 'VENDOR_INCONSISTENT'));
  assert.equal(await gitIn(repo, env, 'status', '--porcelain', '--untracked-files=all'), '');

  const bump = await gofleet('repos', 'bump', '--to', 'go1.27.3', '--toolchain', go1273, '--commit', '--json', repo);
  assert.equal(bump.code, 0, bump.stdout + bump.stderr);
  const m = bump.json().repos[0].modules[0];
  assert.equal(m.result, 'pass');
  assert.deepEqual(m.findings.filter((x: Json) => x.code === 'VENDOR_INCONSISTENT').map((x: Json) => [x.severity, x.message.slice(0, 6)]), [['info', 'fixed:']]);
  assert.equal(await gitIn(repo, env, 'show', 'gofleet/go1.27.3:vendor/modules.txt'), REVENDORED.trimEnd());
});

test('a vendor/ without modules.txt is not re-vendored: the failure is gomod VENDOR_INCONSISTENT with a go mod vendor hint', async () => {
  const files = { ...FIXTURES.vendored };
  delete files['vendor/modules.txt'];
  const dir = join(fx.root, 'repos', 'nomodulestxt');
  await mkdir(dir, { recursive: true });
  const repo = await makeRepo(dir, files, env);
  const r = await gofleet('repos', 'check', '--to', 'go1.27.3', '--toolchain', go1273, '--json', repo);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  const m = r.json().repos[0].modules[0];
  assert.deepEqual([m.result, m.class], ['fail', 'gomod']);
  assert.ok(!m.steps.some((s: Json) => s.name === 'vendor'));
  assert.match(m.first_error, /^go: inconsistent vendoring in /);
  const f = m.findings.find((x: Json) => x.code === 'VENDOR_INCONSISTENT');
  assert.equal(f?.severity, 'fail');
  assert.match(f.hint, /run `go mod vendor`/);
});
