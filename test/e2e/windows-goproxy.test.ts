// `--source goproxy:` for a Windows host, end to end through the real CLI (in-process) against the fake Windows
// OpenSSH host (controller side, as windows-ssh.test.ts): a file:// GOPROXY made in the test holding a
// golang.org/toolchain windows-amd64 module zip, vouched for by a checksum database signed with a test key
// (GOSUMDB names it). The controller verifies the zip's h1, repacks it as the official go1.27.3.windows-amd64.zip
// (top directory go/, go.mod back) and uploads that; the host checks the SHA-256 of what it received.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fakeModules, fakeSumdb } from '../harness/fake-sumdb.ts';
import { newWindowsMachine } from '../harness/fake-windows-host-model.ts';
import type { HostRow } from './windows-fleet-assert.ts';
import { useWindowsFleet, VDIR } from './windows-fleet.ts';

const MOD = 'golang.org/toolchain';
const VERSION = 'v0.0.1-go1.27.3.windows-amd64';
const FILES: Record<string, string> = { VERSION: 'go1.27.3\ntime 2026-10-02T20:28:03Z\n', 'bin/go.exe': 'MZ fake', 'src/_go.mod': 'module std\n', 'pkg/tool/windows_amd64/compile.exe': 'MZ' };

function h1Of(files: Record<string, string>): string {
  const lines = Object.entries(files)
    .map(([n, c]) => [`${MOD}@${VERSION}/${n}`, c] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([n, c]) => `${createHash('sha256').update(c).digest('hex')}  ${n}\n`);
  return `h1:${createHash('sha256').update(lines.join('')).digest('base64')}`;
}

describe('goproxy: source for a Windows host (fake host, controller side)', { timeout: 180_000 }, () => {
  const machine = newWindowsMachine({ active: 'go1.26.8' });
  const fleet = useWindowsFleet({ transport: 'ssh', prefix: 'gofleet-wingoproxy-', hosts: [{ machine }], archives: null });
  const root = mkdtempSync(join(tmpdir(), 'gofleet-wingoproxy-src-'));
  const db = fakeSumdb('sum.golang.org', [...fakeModules(40), { module: MOD, version: VERSION, h1: h1Of(FILES), goModH1: 'h1:8wlg68NqwW7eMnI1aABk/C2pDYXj8mrMY4TyRfiLeS0=' }]);
  const saved = process.env.GOSUMDB;

  before(() => {
    const stage = join(root, '.stage');
    for (const [n, c] of Object.entries(FILES)) {
      const p = join(stage, `${MOD}@${VERSION}`, n);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, c);
    }
    const at = join(root, 'proxy', MOD, '@v');
    mkdirSync(at, { recursive: true });
    writeFileSync(join(at, 'list'), `${VERSION}\n`);
    execFileSync('zip', ['-qr', join(at, `${VERSION}.zip`), 'golang.org'], { cwd: stage });
    for (const [path, data] of db.files) {
      const p = join(root, 'proxy', 'sumdb', 'sum.golang.org', path);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, data);
    }
    process.env.GOSUMDB = db.vkey;
  });
  after(() => {
    if (saved === undefined) delete process.env.GOSUMDB;
    else process.env.GOSUMDB = saved;
    rmSync(root, { recursive: true, force: true });
  });

  test('upgrade go1.26.8 -> go1.27.3: the repacked official .zip uploaded, its SHA-256 checked on the host', async () => {
    const cache = join(root, 'cache');
    const r = await fleet.run('upgrade', '--to', 'go1.27.3', '--yes', '--json', '--source', `goproxy:${pathToFileURL(join(root, 'proxy')).toString()}`, '--cache-dir', cache);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const host: HostRow = r.json().hosts[0];
    assert.deepEqual([host.status, host.from, host.to, host.error], ['upgraded', 'go1.26.8', 'go1.27.3', null]);
    assert.equal(machine.active, 'go1.27.3');
    const onHost = fleet.host.drives.toLocal(`${VDIR}\\.gofleet\\cache\\go1.27.3.windows-amd64.zip`);
    const bytes = readFileSync(onHost);
    assert.deepEqual(bytes, readFileSync(join(cache, 'go1.27.3.windows-amd64.zip')), 'the host got the controller\'s repack');
    const names = execFileSync('unzip', ['-Z1', onHost], { encoding: 'utf8' }).trim().split('\n');
    assert.deepEqual(names, ['go/VERSION', 'go/bin/go.exe', 'go/pkg/tool/windows_amd64/compile.exe', 'go/src/go.mod']);
    assert.equal(execFileSync('unzip', ['-p', onHost, 'go/VERSION'], { encoding: 'utf8' }), FILES.VERSION);
  });
});
