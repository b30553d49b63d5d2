// `gofleet script` through the real CLI (in-process): option checks, what it resolves from the source and bakes in,
// and how -o writes the file. The scripts themselves run in platform/posix/standalone-script.test.ts and, with real
// toolchains, in test/e2e/script-standalone.test.ts.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fakeToolchainArchive, writeSourceDir, type FixtureArchive } from '../../../test/harness/toolchains.ts';
import { startHttpSource, type HttpSource } from '../../../test/harness/http-source.ts';
import type { CliIo } from '../io.ts';
import { runCli } from '../program.ts';
import { shQuote } from '../../platform/posix/quote.ts';
import { psQuote } from '../../platform/windows/quote.ts';
import { checkPs51, formatPs51Problems } from '../../platform/windows/testing/check-ps51.ts';
import { scriptRunName } from './script.ts';

let root: string;
let sourceDir: string;
let http: HttpSource;
let a127: FixtureArchive;
let mac127: FixtureArchive;
let win127: FixtureArchive;
let msi127: FixtureArchive;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'gofleet-script-cli-'));
  sourceDir = join(root, 'source');
  const [a126, a] = await Promise.all([fakeToolchainArchive('go1.26.8'), fakeToolchainArchive('go1.27.3')]);
  a127 = a;
  mac127 = await fakeToolchainArchive('go1.27.3', { os: 'darwin', arch: 'arm64' });
  win127 = await fakeToolchainArchive('go1.27.3', { os: 'windows', arch: 'amd64' });
  // the MSI's bytes do not matter here: only its name, size and SHA-256 are baked in
  const msiPath = join(root, 'go1.27.3.windows-amd64.msi');
  writeFileSync(msiPath, 'not really an MSI\n');
  msi127 = { path: msiPath, filename: 'go1.27.3.windows-amd64.msi', sha256: createHash('sha256').update('not really an MSI\n').digest('hex'), size: 18 };
  writeSourceDir(sourceDir, [a126, a127, mac127, win127, msi127]);
  http = await startHttpSource(sourceDir);
});
after(async () => {
  await http?.close();
  rmSync(root, { recursive: true, force: true });
});

async function gofleet(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { out: (t) => void (stdout += t), err: (t) => void (stderr += t), stdoutTty: false, stderrTty: false };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

const baked = (text: string, name: string, value: string): boolean => text.includes(`\n  ${name}=${shQuote(value)}\n`);
const bakedPs = (text: string, name: string, value: string): boolean => text.includes(`\n  $script:${name} = ${psQuote(value)}\n`);

test('a directory source: the spec resolved as upgrade does, its file and SHA-256 baked in, no URL (the file goes beside the script)', async () => {
  const out = join(root, 'up-dir.sh');
  const r = await gofleet('script', '--os', 'linux', '--to', '1.27', '--source', sourceDir, '--goroot', '/opt/go', '--versions-dir', '/opt/gofleet/versions', '-o', out);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^wrote .*up-dir\.sh: upgrade script for go1\.27\.3 \(go1\.27\.3\.linux-amd64\.tar\.gz, SHA-256 [0-9a-f]{64}\) from go1\.27\.3\.linux-amd64\.tar\.gz beside the script\n$/);
  const text = readFileSync(out, 'utf8');
  assert.equal(statSync(out).mode & 0o777, 0o755);
  for (const [name, value] of [
    ['TARGET', 'go1.27.3'], ['ARCHIVE_NAME', a127.filename], ['ARCHIVE_SHA', a127.sha256], ['ARCHIVE_SIZE', String(a127.size)],
    ['SA_URL', ''], ['G_ROOT', '/opt/go'], ['VDIR', '/opt/gofleet/versions'], ['ARCHIVE', `/opt/gofleet/versions/.gofleet/cache/${a127.filename}`],
  ] as const) {
    assert.ok(baked(text, name, value), `${name}=${value}`);
  }
  assert.deepEqual(readdirSync(root).filter((n) => n.includes('.tmp-')), [], 'no temp file left');
});

test('a URL source: the download URL and the SHA-256 of the independent checksum source are baked in; stdout without -o', async () => {
  const r = await gofleet('script', '--os', 'linux', '--to', 'go1.27.3', '--source', http.url, '--checksum-source', sourceDir);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.startsWith('#!/bin/sh\n# gofleet: standalone upgrade to go1.27.3'));
  assert.ok(baked(r.stdout, 'SA_URL', `${http.url}${a127.filename}`));
  assert.ok(baked(r.stdout, 'ARCHIVE_SHA', a127.sha256));
  assert.ok(baked(r.stdout, 'G_ROOT', '/usr/local/go'), 'the POSIX defaults');
  assert.ok(baked(r.stdout, 'VDIR', '/usr/local/gofleet/versions'));
  assert.match(r.stderr, /^gofleet: upgrade script for go1\.27\.3 /);
  assert.equal(http.count(a127.filename), 0, 'nothing is downloaded to write a script');
});

test('a mirror whose SHA-256 disagrees with the independent checksum source is refused, naming both, as for upgrade', async () => {
  const sums = join(root, 'sums');
  mkdirSync(sums, { recursive: true });
  linkSync(a127.path, join(sums, a127.filename));
  writeFileSync(join(sums, 'index.json'), readFileSync(join(sourceDir, 'index.json'), 'utf8').replaceAll(a127.sha256, 'e'.repeat(64)));
  const r = await gofleet('script', '--os', 'linux', '--to', 'go1.27.3', '--source', http.url, '--checksum-source', sums);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`error SOURCE_CHECKSUM_DISAGREES: .*index\\.json of ${http.url}.* is ${a127.sha256}, but the checksums in ${sums} .* says ${'e'.repeat(64)}`));
  assert.equal(r.stdout, '', 'no script written');
});

test('--sha256: a bare HEX that agrees is baked in; one that disagrees is refused', async () => {
  const ok = await gofleet('script', '--os', 'linux', '--to', 'go1.27.3', '--source', sourceDir, '--sha256', a127.sha256.toUpperCase());
  assert.equal(ok.code, 0, ok.stderr);
  assert.ok(baked(ok.stdout, 'ARCHIVE_SHA', a127.sha256));
  const bad = await gofleet('script', '--os', 'linux', '--to', 'go1.27.3', '--source', sourceDir, '--sha256', `${a127.filename}=${'d'.repeat(64)}`);
  assert.equal(bad.code, 1, bad.stderr);
  assert.match(bad.stderr, /error SOURCE_CHECKSUM_DISAGREES: the SHA-256 of go1\.27\.3\.linux-amd64\.tar\.gz from --sha256 is d{64}/);
});

test('--os darwin defaults to arm64; --arch picks another file', async () => {
  const mac = await gofleet('script', '--os', 'darwin', '--to', 'go1.27.3', '--source', sourceDir);
  assert.equal(mac.code, 0, mac.stderr);
  assert.ok(baked(mac.stdout, 'ARCHIVE_NAME', mac127.filename));
  assert.ok(baked(mac.stdout, 'ARCHIVE_SHA', mac127.sha256));
  const missing = await gofleet('script', '--os', 'darwin', '--arch', 'amd64', '--to', 'go1.27.3', '--source', sourceDir);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /error RELEASE_FILE_MISSING: go1\.27\.3 has no \.tar\.gz archive for darwin\/amd64/);
});

test('--detect: the detection script for the resolved version', async () => {
  const r = await gofleet('script', '--os', 'linux', '--to', '1.27', '--detect', '--source', sourceDir, '--goroot', '/opt/go');
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.startsWith('#!/bin/sh\n# gofleet: detect go1.27.3 (Intune / SCCM custom detection script)'));
  assert.ok(baked(r.stdout, 'TARGET', 'go1.27.3'));
  assert.ok(baked(r.stdout, 'G_ROOT', '/opt/go'));
  assert.match(r.stdout, /\n {2}gf_detect\n\}\nmain\n$/);
});

test('refused before anything is resolved or written: --method msi without windows, an unknown --os', async () => {
  const out = join(root, 'never.sh');
  const msi = await gofleet('script', '--os', 'linux', '--method', 'msi', '--to', 'go1.27.3', '--source', sourceDir, '-o', out);
  assert.equal(msi.code, 5);
  assert.match(msi.stderr, /error BAD_OPTION: --method msi installs the official Windows MSI: it needs --os windows/);
  const os = await gofleet('script', '--os', 'plan9', '--to', 'go1.27.3', '--source', sourceDir, '-o', out);
  assert.equal(os.code, 5);
  assert.match(os.stderr, /--os must be one of linux, darwin, windows/);
  const ctl = await gofleet('script', '--os', 'linux', '--to', 'go1.27.3', '--source', sourceDir, '--goroot', '/opt/go\u001b[2J', '-o', out);
  assert.equal(ctl.code, 5);
  assert.match(ctl.stderr, /--goroot holds a control or invisible formatting character/);
  const rel = await gofleet('script', '--os', 'linux', '--to', 'go1.27.3', '--source', sourceDir, '--goroot', 'go', '-o', out);
  assert.equal(rel.code, 5);
  assert.match(rel.stderr, /goroot must be an absolute path/);
  assert.equal(existsSync(out), false);
});

test('--os windows -o FILE.ps1: a PowerShell script with the zip, its SHA-256 and the Windows defaults baked in, UTF-8 BOM, mode 0644', async () => {
  const out = join(root, 'up.ps1');
  const r = await gofleet('script', '--os', 'windows', '--to', '1.27', '--source', sourceDir, '-o', out);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^wrote .*up\.ps1: upgrade script for go1\.27\.3 \(go1\.27\.3\.windows-amd64\.zip, SHA-256 [0-9a-f]{64}\) from go1\.27\.3\.windows-amd64\.zip beside the script\n$/);
  const bytes = readFileSync(out);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte order mark (Windows PowerShell 5.1 reads a file without one as ANSI)');
  assert.equal(statSync(out).mode & 0o777, 0o644);
  const text = bytes.subarray(3).toString('utf8');
  assert.ok(text.startsWith('# gofleet: standalone upgrade to go1.27.3'));
  for (const [name, value] of [
    ['TARGET', 'go1.27.3'], ['ARCHIVE_NAME', win127.filename], ['ARCHIVE_SHA', win127.sha256], ['ARCHIVE_SIZE', String(win127.size)],
    ['SA_URL', ''], ['SA_METHOD', 'zip'], ['G_ROOT', 'C:\\Program Files\\Go'], ['VDIR', 'C:\\ProgramData\\gofleet\\versions'],
    ['ARCHIVE', `C:\\ProgramData\\gofleet\\versions\\.gofleet\\cache\\${win127.filename}`],
  ] as const) {
    assert.ok(bakedPs(text, name, value), `${name}=${value}`);
  }
  const check = checkPs51(text);
  assert.deepEqual(check.problems, [], formatPs51Problems(check.problems, 'up.ps1'));
});

test('--os windows --method msi: the .msi from a URL source, the URL and the independent SHA-256 baked in', async () => {
  const r = await gofleet('script', '--os', 'windows', '--method', 'msi', '--to', 'go1.27.3', '--source', http.url, '--checksum-source', sourceDir, '--goroot', 'D:/tools/go');
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.startsWith('# gofleet: standalone upgrade to go1.27.3'), 'stdout: no byte order mark');
  assert.ok(bakedPs(r.stdout, 'ARCHIVE_NAME', msi127.filename));
  assert.ok(bakedPs(r.stdout, 'ARCHIVE_SHA', msi127.sha256));
  assert.ok(bakedPs(r.stdout, 'SA_URL', `${http.url}${msi127.filename}`));
  assert.ok(bakedPs(r.stdout, 'SA_METHOD', 'msi'));
  assert.ok(bakedPs(r.stdout, 'G_ROOT', 'D:\\tools\\go'), 'the path normalised');
  assert.equal(http.count(msi127.filename), 0, 'nothing is downloaded to write a script');
  const arm = await gofleet('script', '--os', 'windows', '--method', 'msi', '--arch', 'arm64', '--to', 'go1.27.3', '--source', sourceDir);
  assert.equal(arm.code, 1);
  assert.match(arm.stderr, /error RELEASE_FILE_MISSING: go1\.27\.3 has no \.msi installer for windows\/arm64/);
});

test('--os windows --detect: the PowerShell detection script; a UNC goroot is refused and nothing is written', async () => {
  const r = await gofleet('script', '--os', 'windows', '--to', '1.27', '--detect', '--source', sourceDir);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.startsWith('# gofleet: detect go1.27.3 (Intune / SCCM custom detection script)'));
  assert.ok(bakedPs(r.stdout, 'TARGET', 'go1.27.3'));
  assert.ok(r.stdout.endsWith('\ngf_detect_main\nexit 0\n'));
  const out = join(root, 'never.ps1');
  const unc = await gofleet('script', '--os', 'windows', '--to', '1.27', '--source', sourceDir, '--goroot', '\\\\srv\\share\\go', '-o', out);
  assert.equal(unc.code, 4, "an input error");
  assert.match(unc.stderr, /error WINDOWS_PATH_INVALID/);
  assert.equal(existsSync(out), false);
});

test('-o: a directory is refused (OUTPUT_UNWRITABLE, exit 4) and left alone; a missing directory is not created', async () => {
  const dir = join(root, 'a-dir');
  mkdirSync(dir);
  const r = await gofleet('script', '--os', 'linux', '--to', 'go1.27.3', '--source', sourceDir, '-o', dir);
  assert.equal(r.code, 4);
  assert.match(r.stderr, /error OUTPUT_UNWRITABLE: -o .*a-dir: cannot write the script: it is a directory/);
  assert.deepEqual(readdirSync(dir), []);
  const missing = await gofleet('script', '--os', 'linux', '--to', 'go1.27.3', '--source', sourceDir, '-o', join(root, 'nope', 'up.sh'));
  assert.equal(missing.code, 4);
  assert.match(missing.stderr, /the directory .*nope does not exist/);
  assert.equal(existsSync(join(root, 'nope')), false);
});

test('an unknown version: VERSION_UNKNOWN from the source, as for upgrade', async () => {
  const r = await gofleet('script', '--os', 'linux', '--to', 'go1.99.1', '--source', sourceDir);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /error VERSION_UNKNOWN/);
  assert.equal(r.stdout, '');
});

test('scriptRunName: script-<UTC date>-<time>, a valid run id', () => {
  assert.equal(scriptRunName(new Date('2026-12-02T16:30:05.123Z')), 'script-20261202-163005');
});
