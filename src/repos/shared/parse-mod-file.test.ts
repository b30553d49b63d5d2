import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLocalPath, parseModFile, tokenize } from './parse-mod-file.ts';

const GO_MOD = `// a comment before anything
module example.com/app // trailing comment

go 1.22

toolchain go1.22.5

godebug (
	default=go1.21
	panicnil=1
)

require github.com/bytedance/sonic v1.11.0

require (
	golang.org/x/tools v0.17.0 // indirect
	"example.com/quoted" v1.2.3
	github.com/modern-go/reflect2 v1.0.1 // indirect; needed by json-iterator
)

replace example.com/quoted v1.2.3 => ../quoted

replace (
	golang.org/x/tools => golang.org/x/tools v0.30.0
	example.com/local => /abs/local
)

exclude example.com/bad v0.1.0
`;

test('parseModFile reads the directives a campaign needs, with line numbers', () => {
  const mod = parseModFile(GO_MOD, 'module');
  assert.equal(mod.module, 'example.com/app');
  assert.deepEqual(mod.go, { version: '1.22', line: 4 });
  assert.deepEqual(mod.toolchain, { name: 'go1.22.5', line: 6 });
  assert.deepEqual(mod.godebug, [{ key: 'default', value: 'go1.21' }, { key: 'panicnil', value: '1' }]);
  assert.deepEqual(mod.requires, [
    { path: 'github.com/bytedance/sonic', version: 'v1.11.0', indirect: false },
    { path: 'golang.org/x/tools', version: 'v0.17.0', indirect: true },
    { path: 'example.com/quoted', version: 'v1.2.3', indirect: false },
    { path: 'github.com/modern-go/reflect2', version: 'v1.0.1', indirect: true },
  ]);
  assert.deepEqual(mod.replaces, [
    { oldPath: 'example.com/quoted', oldVersion: 'v1.2.3', newPath: '../quoted', newVersion: null },
    { oldPath: 'golang.org/x/tools', oldVersion: null, newPath: 'golang.org/x/tools', newVersion: 'v0.30.0' },
    { oldPath: 'example.com/local', oldVersion: null, newPath: '/abs/local', newVersion: null },
  ]);
  assert.deepEqual(mod.uses, []);
});

test('parseModFile reads go.work use directives (single and block) and CRLF files', () => {
  const work = parseModFile('go 1.21\r\n\r\nuse ./tools\r\nuse (\r\n\t./api\r\n\t"./svc" // the service\r\n)\r\n', 'workspace');
  assert.equal(work.kind, 'workspace');
  assert.deepEqual(work.go, { version: '1.21', line: 1 });
  assert.equal(work.toolchain, null);
  assert.deepEqual(work.uses, ['./tools', './api', './svc']);
});

test('a file without go line, and nonsense lines, are read leniently', () => {
  const mod = parseModFile('module x\n\nthis is not a directive\nrequire (\n)\n', 'module');
  assert.equal(mod.go, null);
  assert.equal(mod.module, 'x');
  assert.deepEqual(mod.requires, []);
});

test('tokenize keeps quoted strings whole and splits off the comment', () => {
  assert.deepEqual(tokenize('require "a b" v1 // indirect'), { tokens: ['require', 'a b', 'v1'], comment: 'indirect' });
  assert.deepEqual(tokenize('replace (').tokens, ['replace', '(']);
  assert.deepEqual(tokenize('x `raw//str` y').tokens, ['x', 'raw//str', 'y']);
});

test('isLocalPath tells directories from module paths', () => {
  for (const p of ['./a', '../a', '/abs', 'C:\\x', '.']) assert.equal(isLocalPath(p), true, p);
  for (const p of ['golang.org/x/tools', 'example.com/a']) assert.equal(isLocalPath(p), false, p);
});
