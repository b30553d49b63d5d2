// `gofleet repos check` against real toolchains (go1.27.3 from its module-cache dir, go1.26.8 on PATH) and
// real git fixture repos, offline (file:// GOPROXY). check must classify every fixture and change nothing.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gofleet } from './helpers.ts';
import { ALL_FIXTURES, FIXTURES, gitIn, makeGoRepos, makeRepo, publishModule, toolchainDir, type FixtureName, type GoRepos } from '../harness/go-repos.ts';

let fx: GoRepos;
let go1273: string;
const savedEnv = { ...process.env };

before(async () => {
  fx = await makeGoRepos();
  go1273 = await toolchainDir('go1.27.3');
  Object.assign(process.env, fx.env);
});

after(async () => {
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
  Object.assign(process.env, savedEnv);
  await fx.dispose();
});

type Row = [dir: string, kind: string, result: string, cls: string | null];

const EXPECTED: Record<FixtureName, Row[]> = {
  single: [['.', 'module', 'pass', null]],
  multi: [['.', 'workspace', 'warn', null], ['api', 'module', 'pass', null], ['svc', 'module', 'warn', null]],
  knownbad: [['.', 'module', 'fail', 'build']],
  testfail: [['.', 'module', 'fail', 'test']],
  vetfail: [['.', 'module', 'fail', 'vet']],
  compilefail: [['.', 'module', 'fail', 'build']],
  twopart: [['.', 'module', 'warn', null]],
};

const FIRST_ERROR: Partial<Record<FixtureName, RegExp>> = {
  knownbad: /^link: github\.com\/bytedance\/sonic\/ast: invalid reference to runtime\.stopTheWorld$/,
  testfail: /^--- FAIL: TestPanicNilLooksLikeNoPanic \(\d+\.\d+s\)\nguard_test\.go:\d+: recover\(\) = (?:runtime error: )?panic called with nil argument, want nil$/,
  vetfail: /^main\.go:7:13: non-constant format string in call to fmt\.Printf$/,
  compilefail: /^calc\/calc\.go:4:\d+: cannot use "twice"/,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function repoByName(doc: Json, name: FixtureName): Json {
  const r = doc.repos.find((x: Json) => x.path === fx.repos[name]);
  assert.ok(r, `no result for ${name}`);
  return r;
}

function codes(m: Json): string[] {
  return m.findings.map((f: Json) => f.code);
}

async function snapshot(): Promise<string[]> {
  const out: string[] = [];
  for (const name of ALL_FIXTURES) {
    out.push(await gitIn(fx.repos[name], fx.env, 'status', '--porcelain', '--ignored'));
    out.push(await readFile(join(fx.repos[name], name === 'multi' ? 'go.work' : 'go.mod'), 'utf8'));
  }
  return out;
}

function assertClassified(doc: Json, target: string, goLine: string): void {
  assert.equal(doc.command, 'check');
  assert.equal(doc.target, target);
  for (const name of ALL_FIXTURES) {
    const r = repoByName(doc, name);
    assert.equal(r.error, null, name);
    assert.deepEqual(r.modules.map((m: Json) => [m.dir, m.kind, m.result, m.class]), EXPECTED[name], name);
    for (const m of r.modules) {
      assert.equal(m.to, goLine, `${name} ${m.dir}`);
      assert.equal(m.toolchain_to, target, `${name} ${m.dir}`);
      if (m.result === 'fail') assert.match(m.first_error, FIRST_ERROR[name] ?? /./, name);
      else assert.equal(m.first_error, null, name);
    }
  }
  const knownbad = repoByName(doc, 'knownbad').modules[0];
  assert.deepEqual(codes(knownbad).filter((c: string) => c !== 'GODEBUG_DEFAULTS_CHANGE' && c !== 'LANGUAGE_CHANGE'), ['KNOWN_BAD_DEPENDENCY', 'LINKNAME_REFUSED']);
  assert.match(knownbad.findings[0].message, /github\.com\/bytedance\/sonic@v1\.11\.0/);
  const testfail = repoByName(doc, 'testfail').modules[0];
  assert.match(testfail.findings.find((f: Json) => f.code === 'GODEBUG_DEFAULTS_CHANGE').message, /1\.21: panicnil=0/);
  assert.deepEqual(testfail.steps.map((s: Json) => `${s.name}:${s.status}`), ['edit:pass', 'tidy:pass', 'deps:pass', 'build:pass', 'vet:pass', 'test:fail']);
  const vetfail = repoByName(doc, 'vetfail').modules[0];
  assert.deepEqual(vetfail.steps.map((s: Json) => s.status), ['pass', 'pass', 'pass', 'pass', 'fail', 'skipped']);
  assert.ok(codes(vetfail).includes('LANGUAGE_CHANGE'));
  const twopart = repoByName(doc, 'twopart').modules[0];
  assert.deepEqual(codes(twopart).filter((c: string) => c.startsWith('GO_LINE') || c.startsWith('PIN')), ['GO_LINE_TWO_PART', 'PIN_DISAGREES', 'PIN_DISAGREES']);
  const [ws, , svc] = repoByName(doc, 'multi').modules;
  assert.deepEqual(codes(ws), ['GOWORK_BELOW_MEMBER', 'PIN_DISAGREES']);
  assert.match(svc.findings.find((f: Json) => f.code === 'PIN_DISAGREES').message, /^svc\/Dockerfile:1 pins Go 1\.23/);
  assert.deepEqual(doc.summary, { pass: 2, warn: 3, fail: 4, errors: 0 });
}

test('check against go1.27.3 (a toolchain dir) classifies every fixture and changes nothing', async () => {
  const before = await snapshot();
  const r = await gofleet('repos', 'check', '--to', 'go1.27.3', '--toolchain', go1273, '--parallel', '2', '--json', ...ALL_FIXTURES.map((n) => fx.repos[n]));
  assert.equal(r.code, 2, r.stderr);
  const doc = r.json();
  assert.deepEqual(doc.toolchain, { version: 'go1.27.3', go: join(go1273, 'bin', 'go'), gotoolchain: 'local' });
  assertClassified(doc, 'go1.27.3', '1.27.0');
  assert.deepEqual(await snapshot(), before);
});

test('check against go1.26.8 (found on PATH from --to 1.26.8) classifies the same way', async () => {
  const r = await gofleet('repos', 'check', '--to', '1.26.8', '--parallel', '2', '--json', ...ALL_FIXTURES.map((n) => fx.repos[n]));
  assert.equal(r.code, 2, r.stderr);
  const doc = r.json();
  assert.equal(doc.toolchain.gotoolchain, 'local');
  assertClassified(doc, 'go1.26.8', '1.26.0');
});

test('the human output is a campaign table plus the findings that need a look', async () => {
  const list = join(fx.root, 'repos.txt');
  await writeFile(list, `# campaign\n${fx.repos.knownbad}\nrepos/single  # relative to this file\n`);
  const r = await gofleet('repos', 'check', '--to', 'go1.27.3', '--toolchain', go1273, '--from', list);
  assert.equal(r.code, 2);
  const lines = r.stdout.split('\n');
  assert.match(lines[0] ?? '', /^repo\s+module\s+from\s+to\s+result\s+class\s+first error$/);
  assert.match(r.stdout, /knownbad\s+go\.mod\s+1\.21\.0\s+1\.27\.0\s+fail\s+build\s+link: github\.com\/bytedance\/sonic\/ast: invalid reference/);
  assert.match(r.stdout, /\nrepos\/single\s+go\.mod\s+1\.24\.0\s+1\.27\.0\s+pass\s+-/);
  assert.match(r.stdout, /fail KNOWN_BAD_DEPENDENCY: .*\n\s+hint: Upgrade github\.com\/bytedance\/sonic/);
  assert.match(r.stderr, /repos check: 2 repos against go1\.27\.3/);
});

test('check --static runs no go command and still finds the static problems', async () => {
  const r = await gofleet('repos', 'check', '--to', 'go1.27.3', '--toolchain', go1273, '--static', '--json', fx.repos.knownbad, fx.repos.twopart, fx.repos.testfail);
  assert.equal(r.code, 2);
  const doc = r.json();
  const mods = doc.repos.map((x: Json) => x.modules[0]);
  // a row failed by a finding alone still names a class and its first error (issue 9)
  assert.deepEqual(mods.map((m: Json) => [m.result, m.class, m.steps.length]), [['fail', 'build', 0], ['warn', null, 0], ['pass', null, 0]]);
  assert.ok(codes(mods[0]).includes('KNOWN_BAD_DEPENDENCY'));
  assert.match(mods[0].first_error, /^KNOWN_BAD_DEPENDENCY: github\.com\/bytedance\/sonic@v1\.11\.0 /);
  const table = await gofleet('repos', 'check', '--to', 'go1.27.3', '--toolchain', go1273, '--static', fx.repos.knownbad);
  assert.match(table.stdout, /knownbad\s+go\.mod\s+1\.21\.0\s+1\.27\.0\s+fail\s+build\s+KNOWN_BAD_DEPENDENCY: github\.com\/bytedance\/sonic@v1\.11\.0/);
});

test('a known-bad version only in the module graph, never built, does not fail the check (issue 9, zap benchmarks)', async () => {
  const repo = await makeRepo(join(fx.root, 'repos', 'graphonly'), FIXTURES.graphonly, fx.env);
  const r = await gofleet('repos', 'check', '--to', 'go1.27.3', '--toolchain', go1273, '--json', repo);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const m = r.json().repos[0].modules[0];
  assert.deepEqual([m.result, m.class, m.first_error], ['pass', null, null]);
  const bad = m.findings.filter((f: Json) => f.code === 'KNOWN_BAD_DEPENDENCY');
  assert.deepEqual(bad.map((f: Json) => [f.severity, f.message.split(' ')[0]]), [['info', 'golang.org/x/tools@v0.1.0']]);
  assert.match(bad[0].message, /in the module graph but no package of it is built/);
  // --static cannot know what is built: it keeps the rule's severity
  const st = await gofleet('repos', 'check', '--to', 'go1.27.3', '--toolchain', go1273, '--static', '--json', repo);
  assert.equal(st.json().repos[0].modules[0].result, 'fail');
});

test('repos given as a file:// clone URL are cloned shallow and checked', async () => {
  const bare = join(fx.root, 'bare', 'single.git');
  await mkdir(join(fx.root, 'bare'), { recursive: true });
  await gitIn(fx.root, fx.env, 'clone', '--bare', '-q', fx.repos.single, bare);
  const r = await gofleet('repos', 'check', '--to', 'go1.27.3', '--toolchain', go1273, '--json', `file://${bare}`);
  assert.equal(r.code, 0, r.stderr);
  const [repo] = r.json().repos;
  assert.equal(repo.source, `file://${bare}`);
  assert.deepEqual(repo.modules.map((m: Json) => m.result), ['pass']);
});

test('a dependency that needs a newer Go is gomod, a module missing from the proxy is download', async () => {
  await publishModule(fx.proxyDir, 'example.com/needsnew', 'v1.0.0', { 'go.mod': 'module example.com/needsnew\n\ngo 1.28.0\n', 'x.go': 'package needsnew\n\n// X does nothing.\nfunc X() {}\n' });
  const main = (imp: string) => `package main\n\nimport _ "${imp}"\n\nfunc main() {}\n`;
  const depnew = await makeRepo(join(fx.root, 'repos', 'depnew'), { 'go.mod': 'module example.com/depnew\n\ngo 1.25.0\n\nrequire example.com/needsnew v1.0.0\n', 'main.go': main('example.com/needsnew') }, fx.env);
  const missing = await makeRepo(join(fx.root, 'repos', 'missing'), { 'go.mod': 'module example.com/missing\n\ngo 1.25.0\n\nrequire example.com/absent v1.2.3\n', 'main.go': main('example.com/absent') }, fx.env);
  const r = await gofleet('repos', 'check', '--to', 'go1.27.3', '--toolchain', go1273, '--json', depnew, missing);
  assert.equal(r.code, 2);
  const [a, b] = r.json().repos.map((x: Json) => x.modules[0]);
  assert.deepEqual([a.result, a.class, a.findings.at(-1).code], ['fail', 'gomod', 'DEPENDENCY_NEEDS_NEWER_GO']);
  assert.equal(a.first_error, 'go: example.com/needsnew@v1.0.0 requires go >= 1.28.0 (running go 1.27.3; GOTOOLCHAIN=local)');
  assert.deepEqual([b.result, b.class, b.findings.at(-1).code], ['fail', 'download', 'DOWNLOAD_FAILED']);
  assert.match(b.first_error, /example\.com\/absent@v1\.2\.3: reading file:\/\/.*: no such file or directory/);
});

test('input errors: a missing path is exit 4, a bare --go-line and an unknown toolchain exit 5, a repo without go.mod fails', async () => {
  const missing = await gofleet('repos', 'check', '--to', 'go1.27.3', '--json', join(fx.root, 'nope'));
  assert.equal(missing.code, 4);
  assert.equal(missing.json().error.code, 'REPO_NOT_FOUND');
  const bare = await gofleet('repos', 'check', '--to', 'go1.27.3', '--toolchain', go1273, '--go-line', '1.27', '--json', fx.repos.single);
  assert.equal(bare.code, 5);
  assert.match(bare.json().error.message, /write 1\.27\.0/);
  const unknown = await gofleet('repos', 'check', '--to', 'go1.99.1', '--json', fx.repos.single);
  assert.equal(unknown.code, 5);
  assert.equal(unknown.json().error.code, 'TOOLCHAIN_NOT_FOUND');
  const mismatch = await gofleet('repos', 'check', '--to', 'go1.26.8', '--toolchain', go1273, fx.repos.single);
  assert.equal(mismatch.code, 5);
  assert.match(mismatch.stderr, /is go1\.27\.3, but --to asks for go1\.26\.8/);
  const empty = join(fx.root, 'empty');
  await mkdir(empty);
  const none = await gofleet('repos', 'check', '--to', 'go1.27.3', '--toolchain', go1273, '--json', empty);
  assert.equal(none.code, 2);
  assert.equal(none.json().repos[0].error.code, 'REPO_NO_MODULES');
});

test('a test failing on today\'s toolchain too is preexisting (warn); one that only fails on the target is a regression (issue 9)', async () => {
  const broken = await makeRepo(join(fx.root, 'repos', 'testbroken'), FIXTURES.testbroken, fx.env);
  const r = await gofleet('repos', 'check', '--to', 'go1.27.3', '--toolchain', go1273, '--json', broken, fx.repos.testfail);
  assert.equal(r.code, 2, r.stderr);
  const [b, t] = r.json().repos.map((x: Json) => x.modules[0]);
  // testbroken: broken fails on go1.27.3 and on go1.26.8 (PATH go, what go 1.24.0 builds with today)
  assert.deepEqual([b.result, b.class, b.first_error], ['warn', null, null]);
  const pre = b.findings.find((f: Json) => f.code === 'TEST_PREEXISTING');
  assert.equal(pre?.severity, 'warn');
  assert.match(pre.message, /^example\.com\/testbroken\/broken: tests fail on go1\.26\.8 too/);
  assert.ok(!b.findings.some((f: Json) => f.code === 'TEST_REGRESSION'));
  // testfail: passes with its go 1.20 line on go1.26.8, fails after the bump: a regression, still a failure
  assert.deepEqual([t.result, t.class], ['fail', 'test']);
  assert.match(t.findings.find((f: Json) => f.code === 'TEST_REGRESSION')?.message ?? '', /^example\.com\/testfail\/guard: tests pass on go1\.26\.8 .* and fail on go1\.27\.3/);
  // the check still changed nothing in either checkout
  assert.equal(await gitIn(broken, fx.env, 'status', '--porcelain', '--untracked-files=all'), '');
});
