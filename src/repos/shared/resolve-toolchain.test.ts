// Against the real toolchains on this machine: go1.26.8 on PATH (/usr/local/go), go1.27.3 in the go
// command's module cache (read only here), go1.19.8 at /usr/lib/go-1.19. GOPROXY=off: nothing is downloaded.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GofleetError } from '../../errors.ts';
import { resolveToolchain, type ResolveToolchainOptions } from './resolve-toolchain.ts';
import { runCommand } from './run-command.ts';

const env: NodeJS.ProcessEnv = { ...process.env, GOPROXY: 'off', GOFLAGS: '' };
for (const k of ['GOMODCACHE', 'GOPATH', 'GOTOOLCHAIN']) delete env[k];

async function resolve(spec: string, toolchain?: string, resolveRemote?: ResolveToolchainOptions['resolveRemote']) {
  const cwd = await mkdtemp(join(tmpdir(), 'gofleet-tc-'));
  try {
    return await resolveToolchain({ spec, toolchain, env, run: runCommand, cwd, ...(resolveRemote ? { resolveRemote } : {}) });
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}

function code(c: string, re: RegExp = /./) {
  return (e: unknown) => e instanceof GofleetError && e.code === c && re.test(e.message);
}

test('an exact version on PATH is used as a local binary', async () => {
  const tc = await resolve('1.26.8');
  assert.deepEqual([tc.version, tc.go, tc.gotoolchain], ['go1.26.8', '/usr/local/go/bin/go', 'local']);
});

test('a version in the module cache (how GOTOOLCHAIN=goX fetched it) is found, also from a line spec', async () => {
  const exact = await resolve('go1.27.3');
  assert.equal(exact.version, 'go1.27.3');
  assert.match(exact.go, /golang\.org\/toolchain@v0\.0\.1-go1\.27\.3\.linux-amd64\/bin\/go$/);
  assert.equal(exact.gotoolchain, 'local');
  assert.equal((await resolve('1.27')).go, exact.go);
  assert.equal((await resolve('1.27', 'go1.27.3')).go, exact.go);
});

test('--toolchain takes a Go tree or its binary; its version must match --to', async () => {
  const tree = await resolve('1.19', '/usr/lib/go-1.19');
  assert.deepEqual([tree.version, tree.go, tree.how], ['go1.19.8', '/usr/lib/go-1.19/bin/go', '--toolchain /usr/lib/go-1.19']);
  assert.equal((await resolve('latest', '/usr/lib/go-1.19/bin/go')).version, 'go1.19.8');
  await assert.rejects(resolve('go1.27.3', '/usr/lib/go-1.19'), code('BAD_OPTION', /is go1\.19\.8, but --to asks for go1\.27\.3/));
  await assert.rejects(resolve('go1.27.3', '/nonexistent/go-tree'), code('TOOLCHAIN_NOT_FOUND', /no go binary there/));
  await assert.rejects(resolve('go1.27.3', 'go1.26.8'), code('BAD_OPTION', /does not match/));
});

test('a version that is nowhere and cannot be downloaded is TOOLCHAIN_NOT_FOUND; bad specs are BAD_VERSION_SPEC', async () => {
  await assert.rejects(resolve('go1.99.1'), code('TOOLCHAIN_NOT_FOUND', /go1\.99\.1 is not installed here/));
  await assert.rejects(resolve('1.98'), code('TOOLCHAIN_NOT_FOUND', /no local toolchain matches --to go1\.98\.x/));
  await assert.rejects(resolve('v1.27'), code('BAD_VERSION_SPEC'));
});

test('a line or latest with no local match asks the release source, then looks for that version; a local match never asks', async () => {
  const asked: unknown[] = [];
  const remote = (answer: string | Error): ResolveToolchainOptions['resolveRemote'] => async (spec) => {
    asked.push(spec);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  // go1.27.3 is in the module cache: 1.27 and an exact version stay local
  assert.equal((await resolve('1.27', undefined, remote(new Error('must not be asked')))).version, 'go1.27.3');
  assert.equal((await resolve('go1.26.8', undefined, remote(new Error('must not be asked')))).version, 'go1.26.8');
  assert.deepEqual(asked, []);
  // nothing local for 1.98: the source's answer is the version looked for (and here not obtainable)
  await assert.rejects(resolve('1.98', undefined, remote('go1.98.4')), code('TOOLCHAIN_NOT_FOUND', /go1\.98\.4 is not installed here/));
  assert.deepEqual(asked, [{ kind: 'line', line: 'go1.98' }]);
  await assert.rejects(resolve('1.98', undefined, remote(new GofleetError('VERSION_UNKNOWN', 'no 1.98.x release is offered'))), code('VERSION_UNKNOWN', /no 1\.98\.x/));
  await assert.rejects(resolve('1.98', undefined, remote('go1.97.1')), code('INTERNAL'));
});

test('preferRemote (an explicit --source): the source decides even when a local copy matches', async () => {
  const asked: unknown[] = [];
  const resolveRemote: ResolveToolchainOptions['resolveRemote'] = async (spec) => {
    asked.push(spec);
    return 'go1.26.8';
  };
  const cwd = await mkdtemp(join(tmpdir(), 'gofleet-tc-'));
  try {
    const r = await resolveToolchain({ spec: 'latest', env, run: runCommand, cwd, resolveRemote, preferRemote: true });
    assert.equal(r.version, 'go1.26.8', 'the source says go1.26.8, though go1.27.3 is in the module cache');
    assert.deepEqual(asked, [{ kind: 'latest' }]);
    const exact = await resolveToolchain({ spec: 'go1.27.3', env, run: runCommand, cwd, resolveRemote, preferRemote: true });
    assert.equal(exact.version, 'go1.27.3');
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
  assert.equal(asked.length, 1, 'an exact version never asks');
});
