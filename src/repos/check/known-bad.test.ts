import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KNOWN_BAD, knownBadFindings } from './known-bad.ts';

test('sonic below v1.12.0 breaks from go1.23 on, not before, and not at v1.12.0', () => {
  const old = [{ path: 'github.com/bytedance/sonic', version: 'v1.11.0' }];
  const [f] = knownBadFindings(old, 'go1.27.3');
  assert.equal(f?.code, 'KNOWN_BAD_DEPENDENCY');
  assert.equal(f?.severity, 'fail');
  assert.match(f?.message ?? '', /github\.com\/bytedance\/sonic@v1\.11\.0 \(fixed in v1\.12\.0\).*go1\.23.*invalid reference/);
  assert.match(f?.hint ?? '', /v1\.12\.0/);
  assert.deepEqual(knownBadFindings(old, 'go1.22.9'), []);
  assert.deepEqual(knownBadFindings([{ path: 'github.com/bytedance/sonic', version: 'v1.12.0' }], 'go1.27.3'), []);
});

test('x/tools below v0.26.0 breaks on go1.25+ only', () => {
  const deps = [{ path: 'golang.org/x/tools', version: 'v0.17.0' }];
  assert.equal(knownBadFindings(deps, 'go1.25.0').length, 1);
  assert.equal(knownBadFindings(deps, 'go1.24.9').length, 0);
  assert.equal(knownBadFindings([{ path: 'golang.org/x/tools', version: 'v0.26.0' }], 'go1.26.8').length, 0);
});

test('rules without a fixed version hit every version; x/sys only old pseudo-versions, as a warning', () => {
  assert.equal(knownBadFindings([{ path: 'github.com/fjl/memsize', version: 'v0.0.2' }], 'go1.23.0').length, 1);
  const [sys] = knownBadFindings([{ path: 'golang.org/x/sys', version: 'v0.0.0-20200615200032-f1bc736245b1' }], 'go1.18.0');
  assert.equal(sys?.severity, 'warn');
  assert.deepEqual(knownBadFindings([{ path: 'golang.org/x/sys', version: 'v0.0.0-20210615035016-665e8c7367d1' }], 'go1.27.3'), []);
  assert.deepEqual(knownBadFindings([{ path: 'golang.org/x/sys', version: 'v0.30.0' }], 'go1.27.3'), []);
});

test('a dependency listed twice is reported once; unrelated modules never', () => {
  const deps = [
    { path: 'github.com/modern-go/reflect2', version: 'v1.0.1' },
    { path: 'github.com/modern-go/reflect2', version: 'v1.0.1' },
    { path: 'example.com/fine', version: 'v0.0.1' },
  ];
  assert.equal(knownBadFindings(deps, 'go1.18.0').length, 1);
});

test('every rule is well formed', () => {
  for (const r of KNOWN_BAD) {
    assert.match(r.since, /^go1\.\d+$/);
    if (r.fixedIn) assert.match(r.fixedIn, /^v\d+\.\d+\.\d+$/);
    assert.ok(r.symptom.length > 10 && r.hint.length > 10, r.module);
  }
});

test('a known-bad version only in the module graph (never built) is info; a built one keeps its severity (issue 9, zap benchmarks)', () => {
  const deps = [{ path: 'golang.org/x/tools', version: 'v0.1.0' }, { path: 'github.com/bytedance/sonic', version: 'v1.11.0' }];
  const fs = knownBadFindings(deps, 'go1.27.3', { built: new Set(['github.com/bytedance/sonic', 'example.com/main']) });
  assert.deepEqual(fs.map((f) => [f.message.split(' ')[0], f.severity]), [['golang.org/x/tools@v0.1.0', 'info'], ['github.com/bytedance/sonic@v1.11.0', 'fail']]);
  assert.match(fs[0]?.message ?? '', /in the module graph but no package of it is built/);
  // a built module at a fixed version: nothing
  assert.deepEqual(knownBadFindings([{ path: 'golang.org/x/tools', version: 'v0.26.0' }], 'go1.27.3', { built: new Set(['golang.org/x/tools']) }), []);
});
