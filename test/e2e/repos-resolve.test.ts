// `gofleet repos check --to 1.27 | latest --source SRC`: the spec is resolved against the release source like
// `gofleet upgrade --to` (a directory, or a loopback mirror URL), then pinned. Without --source a local match
// wins; an exact version never asks a source. Offline: the index lists
// empty files, and a `go` wrapper first on PATH stands in for the go command's GOTOOLCHAIN=go1.27.3 switch
// (which would download the toolchain) by running the real go1.27.3.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gofleet } from './helpers.ts';
import { makeGoRepos, toolchainDir, type GoRepos } from '../harness/go-repos.ts';
import { startHttpSource, type HttpSource } from '../harness/http-source.ts';
import { freePort } from '../harness/sshd.ts';
import { buildReleaseIndex } from '../../src/releases/release-index.ts';
import { parseFileName } from '../../src/releases/file-name.ts';
import type { ReleaseFile } from '../../src/releases/types.ts';

const savedEnv = { ...process.env };
let fx: GoRepos;
let sourceDir: string;
let http: HttpSource;

const OFFERED = ['go1.28rc1', 'go1.27.3', 'go1.27.1', 'go1.26.8', 'go1.25.5'];

before(async () => {
  const go1273 = await toolchainDir('go1.27.3');
  fx = await makeGoRepos(['single']);
  sourceDir = join(fx.root, 'source');
  await mkdir(sourceDir);
  const files: ReleaseFile[] = [];
  for (const v of OFFERED) {
    const filename = `${v}.linux-amd64.tar.gz`;
    await writeFile(join(sourceDir, filename), '');
    files.push({ filename, ...(parseFileName(filename) as NonNullable<ReturnType<typeof parseFileName>>), sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', size: 0 });
  }
  await writeFile(join(sourceDir, 'index.json'), JSON.stringify(buildReleaseIndex(files)));
  http = await startHttpSource(sourceDir);
  const bin = join(fx.root, 'wrapper-bin');
  await mkdir(bin);
  await writeFile(join(bin, 'go'), `#!/bin/sh\nif [ "$GOTOOLCHAIN" = go1.27.3 ]; then GOTOOLCHAIN=local exec '${go1273}/bin/go' "$@"; fi\nexec /usr/local/go/bin/go "$@"\n`);
  await chmod(join(bin, 'go'), 0o755);
  // no ~/sdk and no module-cache toolchains: the only local Go is go1.26.8 (on PATH)
  Object.assign(process.env, fx.env, { PATH: `${bin}:/usr/local/go/bin:${process.env.PATH ?? ''}`, HOME: await mkdtemp(join(fx.root, 'home-')) });
});

after(async () => {
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
  Object.assign(process.env, savedEnv);
  await http.close();
  await fx.dispose();
});

test('--to 1.27 with no local 1.27.x resolves to the newest stable 1.27.x of --source DIR and runs with it', async () => {
  const r = await gofleet('repos', 'check', '--to', '1.27', '--source', sourceDir, '--json', fx.repos.single);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const doc = r.json();
  assert.equal(doc.target, 'go1.27.3');
  assert.deepEqual(doc.toolchain, { version: 'go1.27.3', go: 'go', gotoolchain: 'go1.27.3' });
  assert.match(r.stderr, new RegExp(`repos: ${sourceDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} resolves --to 1\\.27 to go1\\.27\\.3\\n`));
  const [m] = doc.repos[0].modules;
  assert.deepEqual([m.result, m.to, m.toolchain_to], ['pass', '1.27.0', 'go1.27.3']);
  assert.ok(m.steps.some((s: { name: string; status: string }) => s.name === 'build' && s.status === 'pass'));
});

test('a loopback mirror URL resolves the same (go1.27 spelling): only its listing is read, no archive', async () => {
  const before = http.requests.length;
  const r = await gofleet('repos', 'check', '--static', '--to', 'go1.27', '--source', http.url, '--json', fx.repos.single);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.json().target, 'go1.27.3');
  const asked = http.requests.slice(before);
  assert.ok(asked.length >= 1 && asked.every((q) => q.method === 'GET' && !q.path.endsWith('.tar.gz')), JSON.stringify(asked));
  assert.match(r.stderr, /http:\/\/127\.0\.0\.1:\d+\/ resolves --to go1\.27 to go1\.27\.3/);
});

test('--source decides what latest means (as for upgrade); without it the newest local copy; an exact version never asks', async () => {
  const before = http.requests.length;
  const line = await gofleet('repos', 'check', '--static', '--to', '1.26', '--source', http.url, '--json', fx.repos.single);
  assert.equal(line.code, 0, line.stderr);
  assert.equal(line.json().target, 'go1.26.8');
  const latest = await gofleet('repos', 'check', '--static', '--to', 'latest', '--source', http.url, '--json', fx.repos.single);
  assert.equal(latest.code, 0, latest.stderr);
  assert.equal(latest.json().target, 'go1.27.3', 'the newest stable release the source offers, not the local go1.26.8');
  assert.match(latest.stderr, /resolves --to latest to go1\.27\.3/);
  assert.ok(http.requests.length > before, 'the source was asked');
  const asked = http.requests.length;
  const local = await gofleet('repos', 'check', '--static', '--to', 'latest', '--json', fx.repos.single);
  assert.equal(local.code, 0, local.stderr);
  assert.equal(local.json().target, 'go1.26.8', 'without --source, latest is the newest local copy');
  const down = await gofleet('repos', 'check', '--static', '--to', 'go1.27.3', '--source', `http://127.0.0.1:${await freePort()}/`, '--json', fx.repos.single);
  assert.equal(down.code, 0, down.stderr);
  assert.equal(down.json().target, 'go1.27.3');
  assert.equal(http.requests.length, asked, 'neither the local latest nor the exact version asked a source');
});

test('a version the source does not offer is VERSION_UNKNOWN (exit 1, as for upgrade); an rc-only line says so', async () => {
  const unknown = await gofleet('repos', 'check', '--to', '1.99', '--source', http.url, '--json', fx.repos.single);
  assert.equal(unknown.code, 1, unknown.stderr);
  assert.match(unknown.stderr, /gofleet: error VERSION_UNKNOWN: no go1\.99\.x release is offered by http:\/\/127\.0\.0\.1:\d+\/ \(nearest: go1\.28rc1, go1\.27\.3\)\n\s+hint: Run `gofleet releases --source SRC`/);
  assert.equal(unknown.json().error.code, 'VERSION_UNKNOWN');
  const rcOnly = await gofleet('repos', 'bump', '--to', '1.28', '--source', sourceDir, fx.repos.single);
  assert.equal(rcOnly.code, 1);
  assert.match(rcOnly.stderr, /error VERSION_UNKNOWN: go1\.28 has no stable release by .* yet; name a pre-release exactly/);
  const missing = await gofleet('repos', 'check', '--to', '1.27', '--source', join(fx.root, 'no-such-dir'), fx.repos.single);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /error SOURCE_UNAVAILABLE: --source .*no-such-dir: no such directory/);
});
