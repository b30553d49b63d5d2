// The standalone scripts (`gofleet script --os linux|darwin`): baked values, and runs for real under dash against a
// fake host in a temp dir (fake toolchains; test/e2e/script-standalone.test.ts runs them with real toolchains).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { GofleetError } from '../../errors.ts';
import type { StandaloneUpgradeIntent } from '../standalone.ts';
import type { HostPaths } from '../types.ts';
import { shQuote } from './quote.ts';
import { standaloneDetectScript, standaloneUpgradeScript } from './standalone-script.ts';
import { FakeHost, type LocalArchive } from './testing/fake-host.ts';
import { startHttpSource } from '../../../test/harness/http-source.ts';

let h: FakeHost;
beforeEach(() => {
  h = new FakeHost('gofleet-standalone-');
});
afterEach(() => h.cleanup());

function intent(archive: LocalArchive, over: Partial<StandaloneUpgradeIntent> = {}, paths: HostPaths = h.paths): StandaloneUpgradeIntent {
  return {
    paths,
    target: 'go1.27.3',
    archive: { filename: archive.filename, sha256: archive.sha256, size: archive.size, url: null },
    verify: { build: true, requirePath: true },
    run: 'script-20261202-163000',
    method: 'zip',
    ...over,
  };
}

/** Write the script into <root>/dl (optionally with the archive beside it) and run it as a file under dash. */
function run(text: string, options: { beside?: LocalArchive; args?: string[]; env?: Record<string, string>; name?: string } = {}) {
  const dir = join(h.root, 'dl');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, options.name ?? 'upgrade-go.sh');
  writeFileSync(file, text, { mode: 0o755 });
  if (options.beside) copyFileSync(options.beside.path, join(dir, options.beside.filename));
  const r = spawnSync('dash', [file, ...(options.args ?? [])], { env: h.env(options.env), encoding: 'utf8', cwd: h.root, timeout: 120_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, file };
}

const lines = (stdout: string): string[] => stdout.split('\n').filter(Boolean).map((l) => l.replace(/^\S+Z /, ''));
const cacheOf = (paths: HostPaths, file: string): string => join(paths.versionsDir, '.gofleet', 'cache', file);

test('baked values: version, file, SHA-256, size, URL and the cache path the flow expects, each as one shQuote word', () => {
  const a = { path: '/x', filename: 'go1.27.3.linux-amd64.tar.gz', sha256: 'AB'.repeat(32), size: 75_000_000 };
  const text = standaloneUpgradeScript(intent(a, { archive: { ...a, url: "https://mirror.example/go/go1.27.3.linux-amd64.tar.gz?x='1'" } }));
  for (const [name, value] of [
    ['TARGET', 'go1.27.3'],
    ['ARCHIVE_NAME', a.filename],
    ['ARCHIVE_SHA', 'ab'.repeat(32)],
    ['ARCHIVE_SIZE', '75000000'],
    ['ARCHIVE', cacheOf(h.paths, a.filename)],
    ['SA_URL', "https://mirror.example/go/go1.27.3.linux-amd64.tar.gz?x='1'"],
    ['G_ROOT', h.goroot],
    ['VDIR', h.versionsDir],
    ['RUN', 'script-20261202-163000'],
  ]) {
    assert.ok(text.includes(`\n  ${name}=${shQuote(value ?? '')}\n`), `${name} baked as ${shQuote(value ?? '')}`);
  }
  assert.match(text, /^# {3}2 {3}failed before the switch/m, 'the exit code table is in the header');
  assert.match(text, /^# {3}release {7}go1\.27\.3: go1\.27\.3\.linux-amd64\.tar\.gz, 75000000 bytes, SHA-256 (ab){32}$/m);
  const flat = standaloneUpgradeScript(intent({ ...a, size: 0 }));
  assert.match(flat, /^# {3}release {7}go1\.27\.3: go1\.27\.3\.linux-amd64\.tar\.gz, size not published, SHA-256 /m);
  assert.ok(text.endsWith('\n  gf_sa_main "$@"\n}\nmain "$@"\n'));
  assert.equal(spawnSync('dash', ['-n'], { input: text }).status, 0);
});

test('refused values: a URL with blanks or control characters, --method msi, a relative goroot', () => {
  const a = { path: '/x', filename: 'go1.27.3.linux-amd64.tar.gz', sha256: 'ab'.repeat(32), size: 1 };
  const codeOf = (fn: () => unknown): string => {
    try {
      fn();
      return 'none';
    } catch (err) {
      return (err as GofleetError).code;
    }
  };
  assert.equal(codeOf(() => standaloneUpgradeScript(intent(a, { archive: { ...a, url: 'https://x/a b' } }))), 'BAD_OPTION');
  assert.equal(codeOf(() => standaloneUpgradeScript(intent(a, { archive: { ...a, url: 'https://x/a\n# evil' } }))), 'BAD_OPTION');
  assert.equal(codeOf(() => standaloneUpgradeScript(intent(a, { archive: { ...a, url: 'ftp://x/a' } }))), 'BAD_OPTION');
  assert.equal(codeOf(() => standaloneUpgradeScript(intent(a, { method: 'msi' }))), 'BAD_OPTION');
  assert.equal(codeOf(() => standaloneUpgradeScript(intent(a, {}, { goroot: 'go', versionsDir: '/opt/v' }))), 'BAD_OPTION');
  assert.equal(codeOf(() => standaloneDetectScript({ paths: { goroot: '/usr', versionsDir: '/opt/v' }, target: 'go1.27.3' })), 'SYSTEM_PATH');
});

test("a goroot and versions dir with spaces, quotes, $ and backticks round-trip: the script installs exactly there", () => {
  const base = join(h.root, `it's a "go" $HOME \`id\` dir`);
  const paths = { goroot: join(base, 'go'), versionsDir: join(base, 'gofleet versions') };
  mkdirSync(base, { recursive: true });
  h.loginPath([]);
  const a = h.archive('go1.27.3');
  const r = run(standaloneUpgradeScript(intent(a, {}, paths)), { beside: a });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(readlinkSync(paths.goroot), join(paths.versionsDir, 'go1.27.3'));
  assert.ok(existsSync(cacheOf(paths, a.filename)));
  assert.ok(lines(r.stdout).includes('outcome switched none -> go1.27.3'), r.stdout);
  const help = run(standaloneUpgradeScript(intent(a, {}, paths)), { args: ['--help'] });
  assert.equal(help.code, 0);
  assert.ok(help.stdout.includes(`under ${paths.versionsDir}, points ${paths.goroot} at it`), help.stdout);
});

test('archive beside the script: fetch, lock, stage, switch, verify; readable log on stdout and in versions_dir/.gofleet/logs', () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  const a = h.archive('go1.27.3');
  const r = run(standaloneUpgradeScript(intent(a)), { beside: a });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const got = lines(r.stdout);
  assert.deepEqual(got.filter((l) => l.startsWith('step ')).map((l) => l.replace(/:.*/, '')), [
    'step fetch start', 'step fetch ok', 'step lock start', 'step lock ok', 'step stage start', 'step stage ok',
    'step switch start', 'step switch ok', 'step verify start', 'step verify ok', 'step unlock ok',
  ]);
  assert.equal(got.at(-1), 'outcome switched go1.26.8 -> go1.27.3');
  assert.ok(!r.stdout.includes('@@gofleet'), 'no protocol line reaches the log');
  const log = readFileSync(join(h.versionsDir, '.gofleet', 'logs', 'script.log'), 'utf8');
  assert.deepEqual(lines(log), got);
  assert.equal(h.gorootTarget(), join(h.versionsDir, 'go1.27.3'));
  assert.ok(existsSync(join(h.root, 'dl', a.filename)), 'the file beside the script is kept');
  assert.deepEqual(readFileSync(join(h.versionsDir, '.gofleet', 'state'), 'utf8').match(/^run=.*$/m)?.[0], 'run=script-20261202-163000');

  const again = run(standaloneUpgradeScript(intent(a)));
  assert.equal(again.code, 0, again.stdout);
  assert.deepEqual(lines(again.stdout).slice(1), ['outcome unchanged: go1.27.3 is already the active, working toolchain'], 'nothing fetched or locked');
});

test('wrong SHA-256: refused before anything under goroot or versions_dir changes (exit 2); a given file is never deleted', () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  h.writeState('go1.26.8', '');
  const a = h.archive('go1.27.3');
  const log = join(h.root, 'script.log');
  const before = h.listing();
  const r = run(standaloneUpgradeScript(intent(a, { archive: { filename: a.filename, sha256: 'f'.repeat(64), size: a.size, url: null } })), {
    args: ['--archive', a.path, '--log', log],
  });
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stdout, /step fetch fail CHECKSUM_MISMATCH: go1\.27\.3\.linux-amd64\.tar\.gz from .* expected f{64}; it was not used and nothing was changed/);
  assert.match(r.stdout, /outcome failed CHECKSUM_MISMATCH: .* was not changed \(active: go1\.26\.8\)/);
  assert.deepEqual(h.listing(), before);
  assert.ok(existsSync(a.path));
  assert.ok(readFileSync(log, 'utf8').includes('CHECKSUM_MISMATCH'));
});

test('no archive beside the script and no URL: RELEASE_FILE_MISSING, exit 2; a bad argument: exit 5 before anything', () => {
  const a = h.archive('go1.27.3');
  const text = standaloneUpgradeScript(intent(a));
  const r = run(text);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stdout, /step fetch fail RELEASE_FILE_MISSING: go1\.27\.3\.linux-amd64\.tar\.gz is not beside this script/);
  assert.equal(h.gorootTarget(), null);
  const bad = run(text, { args: ['--archvie', a.path] });
  assert.equal(bad.code, 5);
  assert.match(bad.stderr, /unknown argument: --archvie/);
  assert.equal(bad.stdout, '');
  assert.equal(run(text, { args: ['--archive'] }).code, 5);
});

test('goroot already answers the target: unchanged without looking for the archive (none anywhere, even marked failed)', () => {
  h.install('go1.27.3');
  h.linkGoroot('go1.27.3');
  mkdirSync(join(h.versionsDir, '.gofleet', 'failed'), { recursive: true });
  writeFileSync(join(h.versionsDir, '.gofleet', 'failed', 'go1.27.3'), '');
  const r = run(standaloneUpgradeScript(intent(h.archive('go1.27.3'))));
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual(lines(r.stdout).slice(1), ['outcome unchanged: go1.27.3 is already the active, working toolchain']);
});

test('a verified archive already in the cache is used (no file needed); GOFLEET_ARCHIVE names one', () => {
  const a = h.archive('go1.27.3');
  mkdirSync(join(h.versionsDir, '.gofleet', 'cache'), { recursive: true });
  copyFileSync(a.path, cacheOf(h.paths, a.filename));
  const r = run(standaloneUpgradeScript(intent(a)));
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /step fetch skip: .* is already in the cache \(SHA-256 checked\)/);

  const h2 = new FakeHost('gofleet-standalone-env-');
  try {
    const r2 = spawnSync('dash', ['-s'], { input: standaloneUpgradeScript(intent(a, {}, h2.paths)), env: h2.env({ GOFLEET_ARCHIVE: a.path }), encoding: 'utf8', timeout: 120_000 });
    assert.equal(r2.status, 0, r2.stdout + r2.stderr);
    assert.match(r2.stdout, new RegExp(`step fetch ok: ${a.filename} from ${a.path}`));
  } finally {
    h2.cleanup();
  }
});

test('verification fails after the switch: rolled back (exit 3), the previous toolchain is active again', () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  const a = h.archive('go1.27.3');
  const r = run(standaloneUpgradeScript(intent(a, { verify: { build: true, requirePath: true, healthCommand: 'go version; exit 7' } })), { beside: a });
  assert.equal(r.code, 3, r.stdout + r.stderr);
  assert.match(r.stdout, /step verify fail VERIFY_FAILED: the health command exited 7: go version go1\.27\.3/);
  assert.match(r.stdout, /step rollback ok/);
  assert.match(r.stdout, /outcome rolled_back VERIFY_FAILED: go1\.27\.3 was not kept, go1\.26\.8 is active again/);
  assert.equal(h.gorootTarget(), join(h.versionsDir, 'go1.26.8'));
});

test('TERM to the process group while verifying (a service stop): rolled back, the log finished, exit 99', { timeout: 60_000 }, async () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  h.install('go1.27.3', 'build-hangs');
  const dir = join(h.root, 'dl');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'upgrade-go.sh');
  // capped, so that a signal that came too early costs 20 s, not the default 300 s build cap
  writeFileSync(file, standaloneUpgradeScript(intent(h.archive('go1.27.3'), { verify: { build: true, requirePath: true, timeoutSeconds: 20 } })), { mode: 0o755 });
  const pids = join(h.root, 'build-pids');
  const child = spawn('dash', [file], { env: h.env({ FAKE_GO_PIDS: pids }), cwd: h.root, detached: true });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const deadline = Date.now() + 20_000;
  // the hung build is running (it wrote its pids): the stop reaches it, as a service manager's would
  while (!/step verify start/.test(out) || !existsSync(pids) || readFileSync(pids, 'utf8').trim() === '') {
    if (Date.now() > deadline) throw new Error(`no hung build:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  process.kill(-(child.pid as number), 'SIGTERM');
  assert.equal(await closed, 99, out);
  assert.match(out, /step rollback ok/);
  assert.match(lines(out).at(-1) ?? '', /^outcome rolled_back INTERRUPTED: go1\.27\.3 was not kept, go1\.26\.8 is active again: stopped on SIGTERM after the switch/);
  assert.equal(h.gorootTarget(), join(h.versionsDir, 'go1.26.8'));
  assert.ok(readFileSync(join(h.versionsDir, '.gofleet', 'logs', 'script.log'), 'utf8').includes('outcome rolled_back INTERRUPTED'));
});

const hasBusybox = spawnSync('busybox', ['true']).status === 0;

test('busybox userland (busybox sh, wget, sha256sum, awk, mkfifo; no curl): downloads, installs, rolls back', { skip: hasBusybox ? false : 'busybox not installed', timeout: 120_000 }, async () => {
  const bb = join(h.root, 'busybox-bin');
  mkdirSync(bb);
  assert.equal(spawnSync('busybox', ['--install', '-s', bb]).status, 0);
  assert.equal(existsSync(join(bb, 'curl')), false);
  const env = { PATH: bb, SHELL: join(bb, 'sh') };
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  const a = h.archive('go1.27.3');
  const served = join(h.root, 'served');
  mkdirSync(served);
  copyFileSync(a.path, join(served, a.filename));
  const http = await startHttpSource(served, { serveIndex: false });
  try {
    const runBusybox = (text: string): Promise<{ code: number | null; stdout: string }> =>
      new Promise((resolve, reject) => {
        const file = join(h.root, 'bb-upgrade.sh');
        writeFileSync(file, text, { mode: 0o755 });
        const child = spawn(join(bb, 'sh'), [file], { env: h.env(env), cwd: h.root });
        let stdout = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout }));
      });
    const url = `${http.url}${a.filename}`;
    const bad = await runBusybox(standaloneUpgradeScript(intent(a, { archive: { filename: a.filename, sha256: a.sha256, size: a.size, url }, verify: { build: true, requirePath: true, healthCommand: 'exit 4' } })));
    assert.equal(bad.code, 3, bad.stdout);
    assert.match(bad.stdout, new RegExp(`step fetch ok: ${a.filename} from ${url} \\(SHA-256 checked\\)`));
    assert.match(bad.stdout, /outcome rolled_back VERIFY_FAILED/);
    assert.equal(h.gorootTarget(), join(h.versionsDir, 'go1.26.8'));
    const good = await runBusybox(standaloneUpgradeScript(intent(a, { archive: { filename: a.filename, sha256: a.sha256, size: a.size, url } })));
    assert.equal(good.code, 0, good.stdout);
    assert.equal(lines(good.stdout).at(-1), 'outcome switched go1.26.8 -> go1.27.3');
    assert.equal(http.count(a.filename), 1, 'downloaded once with busybox wget');
  } finally {
    await http.close();
  }
});

test('bash in POSIX mode (macOS /bin/sh) with shasum instead of sha256sum: installs from the file beside the script', () => {
  const bin = join(h.root, 'bsd-bin');
  mkdirSync(bin);
  for (const sys of ['/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
    if (!existsSync(sys)) continue;
    for (const name of readdirSync(sys)) if (name !== 'sha256sum' && !existsSync(join(bin, name))) symlinkSync(join(sys, name), join(bin, name));
  }
  h.loginPath([join(h.goroot, 'bin')]);
  writeFileSync(join(h.home, '.bash_profile'), '. "$HOME/.profile"\n');
  const a = h.archive('go1.27.3');
  const dir = join(h.root, 'dl');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'up.sh'), standaloneUpgradeScript(intent(a)), { mode: 0o755 });
  copyFileSync(a.path, join(dir, a.filename));
  const r = spawnSync('bash', ['--posix', join(dir, 'up.sh')], { env: h.env({ PATH: bin, SHELL: '/bin/bash' }), encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(lines(r.stdout).at(-1), 'outcome switched none -> go1.27.3');
});

test('detection: one line and exit 0 only when goroot answers the target and no unverified switch to it is recorded', () => {
  const detect = standaloneDetectScript({ paths: h.paths, target: 'go1.27.3' });
  const check = () => {
    const r = spawnSync('dash', ['-s'], { input: detect, env: h.env(), encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  assert.deepEqual(check(), { code: 0, stdout: '', stderr: '' }, 'no goroot');
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  assert.deepEqual(check(), { code: 0, stdout: '', stderr: '' }, 'another version');
  h.install('go1.27.3');
  h.linkGoroot('go1.27.3');
  assert.deepEqual(check(), { code: 0, stdout: `go1.27.3 is the active toolchain at ${h.goroot}\n`, stderr: '' });
  h.writeState('go1.26.8', '');
  writeFileSync(join(h.versionsDir, '.gofleet', 'state'), 'active=go1.26.8\nprevious=\nverify_pending=go1.27.3\n');
  assert.deepEqual(check(), { code: 0, stdout: '', stderr: '' }, 'switched but never verified');
  h.install('go1.27.3', 'wrong-version');
  h.writeState('go1.27.3', 'go1.26.8');
  assert.deepEqual(check(), { code: 0, stdout: '', stderr: '' }, 'a go that does not answer the target');
});
