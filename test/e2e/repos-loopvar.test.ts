// `gofleet repos check|bump` across Go 1.22 with the real go1.26.8 (/usr/local/go, found on PATH): a module
// at `go 1.21` gets the loops whose variables become per-iteration (info, never a failure); the same code at
// `go 1.22.0` gets no listing. Offline (file:// GOPROXY), shared build cache (test/harness/go-repos.ts).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gofleet } from './helpers.ts';
import { makeGoRepos, makeRepo, type GoRepos } from '../harness/go-repos.ts';

let fx: GoRepos;
let old: string;
let current: string;
let bumped: string;
const savedEnv = { ...process.env };

const files = (goLine: string): Record<string, string> => ({
  'go.mod': `module example.com/loops\n\ngo ${goLine}\n`,
  'main.go': 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/loops/store"\n)\n\nfunc main() {\n\tvar ptrs []*int\n\tfor _, v := range []int{1, 2, 3} {\n\t\tptrs = append(ptrs, &v)\n\t}\n\tfmt.Println(len(ptrs), store.Keys([]string{"a", "b"}))\n}\n',
  'store/store.go': 'package store\n\n// Keys counts distinct names, keyed by the address of the loop variable.\nfunc Keys(names []string) int {\n\tseen := map[*string]bool{}\n\tfor _, n := range names {\n\t\tseen[&n] = true\n\t}\n\treturn len(seen)\n}\n',
  'store/store_test.go': 'package store\n\nimport "testing"\n\nfunc TestKeys(t *testing.T) {\n\tvar get []func() string\n\tfor _, name := range []string{"x", "y"} {\n\t\tget = append(get, func() string { return name })\n\t}\n\tif Keys([]string{"a", "b"}) != 2 || get[0]() != "x" {\n\t\tt.Fatal("loop variables are shared")\n\t}\n}\n',
});

const LOOPS = [
  { file: 'main.go', line: 11, col: 9, variable: 'v', alloc: 'heap' },
  { file: 'store/store.go', line: 6, col: 9, variable: 'n', alloc: 'heap' },
  { file: 'store/store_test.go', line: 7, col: 9, variable: 'name', alloc: 'stack' },
];

before(async () => {
  fx = await makeGoRepos([]);
  old = await makeRepo(join(fx.root, 'repos', 'loops121'), files('1.21'), fx.env);
  current = await makeRepo(join(fx.root, 'repos', 'loops122'), files('1.22.0'), fx.env);
  bumped = await makeRepo(join(fx.root, 'repos', 'loopsbump'), files('1.21'), fx.env);
  Object.assign(process.env, fx.env);
});

after(async () => {
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
  Object.assign(process.env, savedEnv);
  await fx.dispose();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const loopFindings = (m: Json): Json[] => m.findings.filter((f: Json) => f.code.startsWith('LOOPVAR'));

test('check --to go1.26.8 lists the loops of a go 1.21 module, and none for one already at go 1.22', async () => {
  const r = await gofleet('repos', 'check', '--to', 'go1.26.8', '--json', old, current);
  assert.equal(r.code, 0, r.stderr);
  const [a, b] = r.json().repos.map((x: Json) => x.modules[0]);
  assert.deepEqual([a.from, a.to, a.class, a.first_error], ['1.21', '1.26.0', null, null]);
  assert.deepEqual(a.steps.map((s: Json) => `${s.name}:${s.status}`), ['edit:pass', 'tidy:pass', 'deps:pass', 'build:pass', 'vet:pass', 'test:pass']);
  const [f, ...rest] = loopFindings(a);
  assert.deepEqual(rest, []);
  assert.equal(f.code, 'LOOPVAR_PER_ITERATION');
  assert.equal(f.severity, 'info');
  assert.deepEqual(f.loops, LOOPS);
  assert.match(f.message, /^go 1\.22: 3 loop variables now per-iteration \(2 heap-allocated\): main\.go:11:9 v, /);
  assert.match(f.hint, /bisect -compile=loopvar/);

  assert.deepEqual([b.from, b.to, b.result], ['1.22.0', '1.26.0', 'pass']);
  assert.equal(b.steps.find((s: Json) => s.name === 'build').status, 'pass');
  assert.deepEqual(loopFindings(b), []);
  assert.equal(await readFile(join(old, 'go.mod'), 'utf8'), files('1.21')['go.mod'], 'check changes nothing');
});

test('the campaign table shows the count; bump lists the same loops', async () => {
  const table = await gofleet('repos', 'check', '--to', 'go1.26.8', old, current);
  assert.equal(table.code, 0, table.stderr);
  const lines = table.stdout.split('\n');
  assert.match(lines[0] ?? '', /^repo\s+module\s+from\s+to\s+result\s+class\s+loopvar\s+first error$/);
  assert.match(table.stdout, /loops121\s+go\.mod\s+1\.21\s+1\.26\.0\s+warn\s+-\s+3\n/);
  assert.match(table.stdout, /loops122\s+go\.mod\s+1\.22\.0\s+1\.26\.0\s+pass\s+-\s+-\n/);

  const bump = await gofleet('repos', 'bump', '--to', 'go1.26.8', '--json', bumped);
  assert.equal(bump.code, 0, bump.stderr);
  const [m] = bump.json().repos[0].modules;
  assert.deepEqual(loopFindings(m).map((x: Json) => x.loops), [LOOPS]);
  assert.match(await readFile(join(bumped, 'go.mod'), 'utf8'), /^go 1\.26\.0$/m);
});
