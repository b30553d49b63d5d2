// `gofleet script --os linux` for real (issue 10's Proof): the CLI writes the scripts from a release source served
// over loopback HTTP, and dash runs them as files against a temp goroot and versions dir with the REAL go1.26.8 and
// go1.27.3 toolchains (test/harness/toolchains.ts): install, detection before and after, a wrong SHA-256 refused
// before anything changes, a forced verification failure rolled back, the upgrade with a real hello-world build,
// an unchanged rerun. This machine's /usr/local/go is only read (to pack the go1.26.8 fixture).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { CliIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/program.ts';
import { FakeHost } from '../../src/platform/posix/testing/fake-host.ts';
import { startHttpSource, type HttpSource } from '../harness/http-source.ts';
import { corruptCopy, toolchainArchive, writeSourceDir, type FixtureArchive } from '../harness/toolchains.ts';

let h: FakeHost;
let http: HttpSource;
let sourceDir: string;
let a126: FixtureArchive;
let a127: FixtureArchive;

before(async () => {
  h = new FakeHost('gofleet-script-real-');
  [a126, a127] = await Promise.all([toolchainArchive('go1.26.8'), toolchainArchive('go1.27.3')]);
  sourceDir = join(h.root, 'source');
  writeSourceDir(sourceDir, [a126, a127]);
  http = await startHttpSource(sourceDir);
});
after(async () => {
  await http?.close();
  h?.cleanup();
});

/** `gofleet script ...` in-process, the script written with -o into <root>/out/NAME. */
async function writeScript(name: string, ...args: string[]): Promise<string> {
  let stderr = '';
  const io: CliIo = { out: () => {}, err: (t) => void (stderr += t), stdoutTty: false, stderrTty: false };
  const file = join(h.root, name);
  const code = await runCli(
    ['script', '--os', 'linux', '--source', http.url, '--checksum-source', sourceDir, '--goroot', h.goroot, '--versions-dir', h.versionsDir, '-o', file, ...args],
    io,
  );
  assert.equal(code, 0, stderr);
  return file;
}

/** Run a script file under dash (asynchronously: the release server lives in this process). */
function runScript(file: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('dash', [file, ...args], { env: h.env(), cwd: h.root });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function goAtGoroot(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(h.goroot, 'bin', 'go'), args, { env: { PATH: '/usr/bin:/bin', HOME: h.home, GOTOOLCHAIN: 'local' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`go ${args.join(' ')} exited ${code}`))));
  });
}

const outcome = (stdout: string): string => stdout.split('\n').filter((l) => / outcome /.test(l)).map((l) => l.replace(/^\S+Z /, '')).join('\n');
const notLogs = (listing: string[]): string[] => listing.filter((l) => !l.startsWith('gofleet/versions/.gofleet/logs'));

test('gofleet script --os linux, run for real: install, detect, wrong SHA-256 refused, verify failure rolled back, upgrade, unchanged rerun', { timeout: 900_000 }, async () => {
  const detect = await writeScript('detect-go1.27.3.sh', '--to', '1.27', '--detect');
  const install126 = await writeScript('install-go1.26.8.sh', '--to', 'go1.26.8', '--no-verify-build');
  const up127 = await writeScript('upgrade-go1.27.3.sh', '--to', '1.27');
  const failing127 = await writeScript('failing-go1.27.3.sh', '--to', 'go1.27.3', '--health-cmd', 'go version; exit 7');

  // nothing installed: not detected (exit 0, no output -- Intune's "not installed")
  assert.deepEqual(await runScript(detect), { code: 0, stdout: '', stderr: '' });

  // install go1.26.8 onto a machine without goroot: downloaded once with curl/wget, checked, installed, verified
  const first = await runScript(install126);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.equal(outcome(first.stdout), 'outcome switched none -> go1.26.8');
  assert.match(first.stdout, new RegExp(`step fetch ok: ${a126.filename} from ${http.url}${a126.filename} \\(SHA-256 checked\\)`));
  assert.equal(http.count(a126.filename), 1);
  assert.match(await goAtGoroot('version'), /^go version go1\.26\.8 /);
  assert.deepEqual(await runScript(detect), { code: 0, stdout: '', stderr: '' }, 'go1.26.8 active: go1.27.3 not detected');

  // a wrong archive (SHA-256 mismatch): refused before anything under goroot or versions_dir changes, exit 2
  const before = notLogs(h.listing());
  const corrupt = corruptCopy(a127, { dir: join(h.root, 'corrupt') });
  const refused = await runScript(up127, '--archive', corrupt.path);
  assert.equal(refused.code, 2, refused.stdout + refused.stderr);
  assert.match(refused.stdout, /step fetch fail CHECKSUM_MISMATCH: /);
  assert.equal(outcome(refused.stdout).split(':')[0], 'outcome failed CHECKSUM_MISMATCH');
  assert.deepEqual(notLogs(h.listing()), before);
  assert.match(await goAtGoroot('version'), /^go version go1\.26\.8 /);

  // a verification that fails after the switch (the health command): rolled back to go1.26.8, exit 3
  const rolled = await runScript(failing127);
  assert.equal(rolled.code, 3, rolled.stdout + rolled.stderr);
  assert.match(rolled.stdout, /step stage ok: installed /);
  assert.match(rolled.stdout, /step verify fail VERIFY_FAILED: the health command exited 7: go version go1\.27\.3 linux\/amd64/);
  assert.match(rolled.stdout, /step rollback ok/);
  assert.equal(outcome(rolled.stdout).split(':').slice(0, 2).join(':'), 'outcome rolled_back VERIFY_FAILED: go1.27.3 was not kept, go1.26.8 is active again');
  assert.match(await goAtGoroot('version'), /^go version go1\.26\.8 /);
  assert.deepEqual(await runScript(detect), { code: 0, stdout: '', stderr: '' }, 'rolled back: not detected');

  // the upgrade: switch to go1.27.3 (installed by the failed run, kept), verified with a real offline hello-world build
  const upgraded = await runScript(up127);
  assert.equal(upgraded.code, 0, upgraded.stdout + upgraded.stderr);
  assert.match(upgraded.stdout, /step stage skip: go1\.27\.3 is already installed/);
  assert.match(upgraded.stdout, /step verify ok/);
  assert.equal(outcome(upgraded.stdout), 'outcome switched go1.26.8 -> go1.27.3');
  assert.match(await goAtGoroot('version'), /^go version go1\.27\.3 /);
  assert.equal(realpathSync(await goAtGoroot('env', 'GOROOT')), realpathSync(join(h.versionsDir, 'go1.27.3')));
  assert.deepEqual(await runScript(detect), { code: 0, stdout: `go1.27.3 is the active toolchain at ${h.goroot}\n`, stderr: '' });

  // the same script again: unchanged, nothing downloaded, exit 0
  const again = await runScript(up127);
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.equal(outcome(again.stdout), 'outcome unchanged: go1.27.3 is already the active, working toolchain');
  assert.doesNotMatch(again.stdout, /step /);
  assert.equal(http.count(a127.filename), 1, 'go1.27.3 was downloaded once (by the rolled-back run)');

  // every run is in the log beside the versions
  const log = readFileSync(join(h.versionsDir, '.gofleet', 'logs', 'script.log'), 'utf8');
  for (const line of ['outcome switched none -> go1.26.8', 'outcome failed CHECKSUM_MISMATCH', 'outcome rolled_back VERIFY_FAILED', 'outcome switched go1.26.8 -> go1.27.3', 'outcome unchanged']) {
    assert.ok(log.includes(line), `${line} in the log`);
  }
});
