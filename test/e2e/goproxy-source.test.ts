// `--source goproxy:` end to end: a GOPROXY built in the test from this machine's module cache (the
// golang.org/toolchain zip that `GOTOOLCHAIN=go1.27.3 go version` downloaded and the sum.golang.org lookup
// record, signed tree note and tiles it kept; linked, never modified), checked against the real
// sum.golang.org key; real sshd hosts go from go1.26.8 to go1.27.3 through it, over file:// and a
// loopback HTTP server. A tampered zip is refused and nothing is installed.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startHosts, sshdSkip, type Fleet, type SshdHost } from '../harness/sshd.ts';
import { startHttpSource, type HttpSource } from '../harness/http-source.ts';
import { toolchainArchive } from '../harness/toolchains.ts';
import { fleetInventory, gofleet, goVersionOn, installByHand, snapshotHost } from './helpers.ts';

const MOD = 'golang.org/toolchain';
const VERSION = 'v0.0.1-go1.27.3.linux-amd64';
const download = join(process.env.GOMODCACHE || join(process.env.GOPATH || join(homedir(), 'go'), 'pkg', 'mod'), 'cache', 'download');
const cachedZip = join(download, MOD, '@v', `${VERSION}.zip`);
const cachedSumdb = join(download, 'sumdb');
const skip = sshdSkip() || (existsSync(cachedZip) && existsSync(cachedSumdb) ? false : `no ${cachedZip} in the module cache (run GOTOOLCHAIN=go1.27.3 go version once)`);

/** A GOPROXY tree: the list, the zip (linked, or `zip` itself) and the sumdb passthrough (linked). */
function writeProxy(zip: string): string {
  const root = mkdtempSync(join(tmpdir(), 'gofleet-goproxy-'));
  const at = join(root, MOD, '@v');
  mkdirSync(at, { recursive: true });
  writeFileSync(join(at, 'list'), `v0.0.1-go1.26.8.linux-amd64\n${VERSION}\n`);
  symlinkSync(zip, join(at, `${VERSION}.zip`));
  symlinkSync(cachedSumdb, join(root, 'sumdb'));
  return root;
}

/** A copy of the real zip with one more file in the toolchain (its h1 no longer matches the record). */
function tamperedZip(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-tampered-'));
  const zip = join(dir, `${VERSION}.zip`);
  copyFileSync(cachedZip, zip);
  const evil = join(dir, `${MOD}@${VERSION}`, 'bin', 'evil');
  mkdirSync(dirname(evil), { recursive: true });
  writeFileSync(evil, '#!/bin/sh\necho pwned\n');
  execFileSync('zip', ['-q', zip, `${MOD}@${VERSION}/bin/evil`], { cwd: dir });
  return zip;
}

describe('goproxy: source onto real sshd hosts', { skip, timeout: 900_000 }, () => {
  let fleet: Fleet;
  let inventory: string;
  let proxy: string;
  let http: HttpSource;
  const saved = { GOSUMDB: process.env.GOSUMDB, GONOSUMDB: process.env.GONOSUMDB, GOPRIVATE: process.env.GOPRIVATE };
  const cache = () => mkdtempSync(join(tmpdir(), 'gofleet-cache-'));

  before(async () => {
    // the real sum.golang.org key, whatever this machine's go env says
    for (const k of Object.keys(saved)) delete process.env[k];
    proxy = writeProxy(cachedZip);
    http = await startHttpSource(proxy, { tree: true, serveIndex: false, listing: false });
    fleet = await startHosts(2);
    const from = await toolchainArchive('go1.26.8');
    for (const h of fleet.hosts) await installByHand(h, from);
    inventory = fleetInventory(fleet);
  });

  after(async () => {
    for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
    await fleet?.stop();
    await http?.close();
  });

  test('releases --source goproxy:file://... lists go1.27.3 linux-amd64', async () => {
    const r = await gofleet('releases', '--source', `goproxy:${pathToFileURL(proxy)}`, '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const rel = r.json().releases.find((x: { version: string }) => x.version === 'go1.27.3');
    assert.deepEqual(
      rel?.files.map((f: { filename: string; os: string; arch: string; kind: string }) => [f.filename, f.os, f.arch, f.kind]),
      [['go1.27.3.linux-amd64.tar.gz', 'linux', 'amd64', 'module-zip']],
    );
  });

  test('a tampered zip is refused with MODULE_HASH_MISMATCH and nothing is installed', async () => {
    const bad = writeProxy(tamperedZip());
    const host = fleet.hosts[0] as SshdHost;
    const before = await snapshotHost(host);
    const r = await gofleet('upgrade', '-i', inventory, '--limit', host.name, '--to', 'go1.27.3', '--yes', '--json',
      '--source', `goproxy:${pathToFileURL(bad)}`, '--cache-dir', cache());
    assert.notEqual(r.code, 0, r.stdout + r.stderr);
    const [h] = r.json().hosts;
    assert.equal(h.status, 'failed', JSON.stringify(h));
    assert.equal(h.error?.code, 'MODULE_HASH_MISMATCH', JSON.stringify(h));
    assert.equal(await goVersionOn(host), 'go1.26.8');
    assert.equal(await snapshotHost(host), before, 'host byte-for-byte unchanged');
  });

  for (const [i, over] of (['file', 'http'] as const).entries()) {
    test(`upgrade go1.26.8 -> go1.27.3 from the module zip over ${over}, verified with go version and a build`, async () => {
      const host = fleet.hosts[i] as SshdHost;
      const source = over === 'file' ? `goproxy:${pathToFileURL(proxy)}` : `goproxy:${http.url}`;
      const r = await gofleet('upgrade', '-i', inventory, '--limit', host.name, '--to', 'go1.27.3', '--yes', '--json', '--source', source, '--cache-dir', cache());
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const [h] = r.json().hosts;
      assert.deepEqual([h.status, h.from, h.to], ['upgraded', 'go1.26.8', 'go1.27.3'], JSON.stringify(h));
      // the module zip's h1: exactly as the checksum database's record (kept in the module cache) has it
      const record = readFileSync(join(cachedSumdb, 'sum.golang.org', 'lookup', `${MOD}@${VERSION}`), 'utf8').split('\n').find((l) => l.startsWith(`${MOD} ${VERSION} `));
      assert.match(r.json().archives?.[0]?.h1 ?? '', /^h1:/, r.stdout);
      assert.equal(`${MOD} ${VERSION} ${r.json().archives[0].h1}`, record);
      assert.equal(await goVersionOn(host), 'go1.27.3');
      const build = await host.exec('cd "$(mktemp -d)" && printf "package main\\nfunc main() { println(\\"ok\\") }\\n" > m.go && /usr/local/bin/go run m.go 2>&1');
      assert.equal(build.exitCode, 0, build.stdout + build.stderr);
      assert.match(build.stdout + build.stderr, /ok/);
      if (over === 'http') {
        assert.ok(http.requests.some((q) => q.path === `/${MOD}/@v/${VERSION}.zip`));
        assert.ok(http.requests.some((q) => q.path === `/sumdb/sum.golang.org/lookup/${MOD}@${VERSION}`));
      }
    });
  }
});
