// `gofleet mirror keygen|sync` and `--trust-key` through the real CLI (in-process), against a loopback release
// server (test/harness/http-source.ts) serving fake toolchain archives: keygen -> sync -> releases round trip,
// tampering and wrong keys refused, re-sync downloads nothing, a cut download leaves no file under a final name.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHttpSource, type HttpSource } from '../../../test/harness/http-source.ts';
import { fakeToolchainArchive, writeSourceDir, type FixtureArchive } from '../../../test/harness/toolchains.ts';
import { sha256File } from '../../releases/hash-file.ts';
import type { CliIo } from '../io.ts';
import { runCli } from '../program.ts';

let root: string;
let sourceDir: string;
let http: HttpSource;
let a126: FixtureArchive;
let a1272: FixtureArchive;
let a127: FixtureArchive;
let win127: FixtureArchive;
let mac127: FixtureArchive;
let key: string;
let mirror: string;
/** the first sync into `mirror`, made in before() so each test stands alone */
let firstSync: { code: number; stdout: string; stderr: string };

async function gofleet(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { out: (t) => void (stdout += t), err: (t) => void (stderr += t), stdoutTty: false, stderrTty: false };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

const sync = (to: string, ...more: string[]) =>
  gofleet('mirror', 'sync', '--versions', '1.27,go1.26.8', '--os', 'linux,windows', '--arch', 'amd64', '--to', to, '--source', http.url, '--checksum-source', sourceDir, ...more);
const listed = async (src: string, pub: string) => {
  const r = await gofleet('releases', '--source', src, '--trust-key', pub, '--json');
  return { ...r, files: r.code === 0 ? (JSON.parse(r.stdout) as { releases: { files: { filename: string; sha256: string }[] }[] }).releases.flatMap((x) => x.files) : [] };
};
/** a copy of the synced mirror to tamper with */
const copyMirror = (name: string): string => {
  const dir = join(root, name);
  cpSync(mirror, dir, { recursive: true });
  return dir;
};

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'gofleet-mirror-cli-'));
  sourceDir = join(root, 'source');
  [a126, a1272, a127, win127, mac127] = await Promise.all([
    fakeToolchainArchive('go1.26.8'),
    fakeToolchainArchive('go1.27.2'),
    fakeToolchainArchive('go1.27.3'),
    fakeToolchainArchive('go1.27.3', { os: 'windows', arch: 'amd64' }),
    fakeToolchainArchive('go1.27.3', { os: 'darwin', arch: 'arm64' }),
  ]);
  writeSourceDir(sourceDir, [a126, a1272, a127, win127, mac127]);
  http = await startHttpSource(sourceDir);
  key = join(root, 'mirror.key');
  mirror = join(root, 'mirror');
  const made = await gofleet('mirror', 'keygen', '-o', key);
  assert.equal(made.code, 0, made.stderr);
  firstSync = await sync(mirror, '--sign-key', key);
});
after(async () => {
  await http?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('gofleet mirror', { timeout: 60_000 }, () => {
  it('keygen: private key 0600 and never printed, the one-line public key printed and in KEYFILE.pub, never overwritten', async () => {
    const key = join(root, 'keygen.key');
    const r = await gofleet('mirror', 'keygen', '-o', key);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^gofleet-mirror\+[A-Za-z0-9+/]{43}=\n$/);
    assert.equal(readFileSync(`${key}.pub`, 'utf8'), r.stdout);
    assert.equal(statSync(key).mode & 0o777, 0o600);
    const pem = readFileSync(key, 'utf8');
    assert.match(pem, /^-----BEGIN PRIVATE KEY-----\n/);
    const body = pem.split('\n')[1] ?? '';
    assert.ok(!r.stdout.includes(body) && !r.stderr.includes(body), 'private key printed');
    const again = await gofleet('mirror', 'keygen', '-o', key);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /exists; gofleet never overwrites a key/);
    assert.equal(readFileSync(key, 'utf8'), pem);
  });

  it('sync -> releases --source DIR --trust-key (and the same DIR over HTTP): verified archives, .sha256, a signed index', async () => {
    const r = firstSync;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: skipped: go1\.26\.8 has no \.zip archive for windows\/amd64/);
    assert.match(r.stdout, /: 3 downloaded, 0 already there; index\.json lists 3 files, signed \(index\.json\.sig\)\n$/);
    const wanted = [a126, a127, win127];
    assert.deepEqual(readdirSync(mirror).sort(), [...wanted.flatMap((a) => [a.filename, `${a.filename}.sha256`]), 'index.json', 'index.json.sig'].sort());
    for (const a of wanted) {
      assert.equal(await sha256File(join(mirror, a.filename)), a.sha256);
      assert.equal(readFileSync(join(mirror, `${a.filename}.sha256`), 'utf8'), `${a.sha256}\n`);
    }
    const index = JSON.parse(readFileSync(join(mirror, 'index.json'), 'utf8')) as unknown;
    assert.deepEqual(index, [
      { version: 'go1.27.3', stable: true, files: [a127, win127].map((a) => ({ filename: a.filename, os: a === a127 ? 'linux' : 'windows', arch: 'amd64', version: 'go1.27.3', sha256: a.sha256, size: a.size, kind: 'archive' })) },
      { version: 'go1.26.8', stable: true, files: [{ filename: a126.filename, os: 'linux', arch: 'amd64', version: 'go1.26.8', sha256: a126.sha256, size: a126.size, kind: 'archive' }] },
    ]);
    const fromDir = await listed(mirror, `${key}.pub`);
    assert.equal(fromDir.code, 0, fromDir.stderr);
    assert.deepEqual(fromDir.files.map((f) => [f.filename, f.sha256]), [a127, win127, a126].map((a) => [a.filename, a.sha256]));
    const served = await startHttpSource(mirror);
    try {
      const fromUrl = await listed(served.url, `${key}.pub`);
      assert.equal(fromUrl.code, 0, fromUrl.stderr);
      assert.deepEqual(fromUrl.files, fromDir.files);
    } finally {
      await served.close();
    }
  });

  it('a changed index.json or .sig, a missing .sig, a wrong key or an unsigned source is refused by every --source command', async () => {
    const cases: [string, (dir: string) => void, RegExp][] = [
      ['index-changed', (d) => writeFileSync(join(d, 'index.json'), readFileSync(join(d, 'index.json'), 'utf8').replace(a127.sha256, win127.sha256)), /SOURCE_SIGNATURE_INVALID/],
      ['index-space', (d) => writeFileSync(join(d, 'index.json'), readFileSync(join(d, 'index.json'), 'utf8') + ' '), /SOURCE_SIGNATURE_INVALID/],
      ['sig-changed', (d) => writeFileSync(join(d, 'index.json.sig'), readFileSync(join(d, 'index.json.sig'), 'utf8').replace(/\+(.)/, (_m, c: string) => `+${c === 'A' ? 'B' : 'A'}`)), /SOURCE_SIGNATURE_INVALID/],
      ['sig-missing', (d) => rmSync(join(d, 'index.json.sig')), /SOURCE_SIGNATURE_MISSING/],
      ['index-missing', (d) => rmSync(join(d, 'index.json')), /SOURCE_SIGNATURE_MISSING/],
    ];
    for (const [name, tamper, code] of cases) {
      const dir = copyMirror(name);
      tamper(dir);
      const r = await listed(dir, `${key}.pub`);
      assert.notEqual(r.code, 0, name);
      assert.match(r.stderr, code, name);
    }
    // over HTTP too
    const served = await startHttpSource(join(root, 'index-changed'));
    try {
      const r = await listed(served.url, `${key}.pub`);
      assert.match(r.stderr, /SOURCE_SIGNATURE_INVALID/);
    } finally {
      await served.close();
    }
    // another key
    const other = join(root, 'other.key');
    assert.equal((await gofleet('mirror', 'keygen', '-o', other)).code, 0);
    const wrong = await listed(mirror, `${other}.pub`);
    assert.match(wrong.stderr, /error SOURCE_SIGNATURE_INVALID: .*--trust-key key/);
    // with --trust-key only the signed index counts: an archive dropped in with its own .sha256 is not listed
    const extra = copyMirror('extra');
    cpSync(a1272.path, join(extra, a1272.filename));
    writeFileSync(join(extra, `${a1272.filename}.sha256`), `${a1272.sha256}\n`);
    const withExtra = await listed(extra, `${key}.pub`);
    assert.equal(withExtra.code, 0, withExtra.stderr);
    assert.ok(!withExtra.files.some((f) => f.filename === a1272.filename), 'unsigned archive listed');
    // the official site publishes no such signature
    assert.match((await listed('official', `${key}.pub`)).stderr, /error BAD_OPTION: --trust-key applies to a mirror directory or URL/);
    // a directory never signed
    assert.match((await listed(sourceDir, `${key}.pub`)).stderr, /SOURCE_SIGNATURE_MISSING/);
    // script (and plan/upgrade through the same sources) refuses a changed index before using anything
    const script = await gofleet('script', '--os', 'linux', '--to', '1.27', '--source', join(root, 'index-changed'), '--trust-key', `${key}.pub`);
    assert.notEqual(script.code, 0);
    assert.match(script.stderr, /SOURCE_SIGNATURE_INVALID/);
    assert.equal(script.stdout, '');
  });

  it('re-sync downloads nothing; a new platform is added and the whole index signed again', async () => {
    const before = http.requests.length;
    const r = await sync(mirror, '--sign-key', key);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /: 0 downloaded, 3 already there; index\.json lists 3 files, signed/);
    const archives = http.requests.slice(before).filter((q) => /\.(tar\.gz|zip)$/.test(q.path));
    assert.deepEqual(archives, []);
    const more = await gofleet('mirror', 'sync', '--versions', 'go1.27.3', '--os', 'darwin', '--arch', 'arm64', '--to', mirror, '--source', http.url, '--checksum-source', sourceDir, '--sign-key', key);
    assert.equal(more.code, 0, more.stderr);
    assert.match(more.stdout, /: 1 downloaded, 0 already there; index\.json lists 4 files, signed/);
    const all = await listed(mirror, `${key}.pub`);
    assert.deepEqual(all.files.map((f) => f.filename).sort(), [a126, a127, mac127, win127].map((a) => a.filename).sort());
  });

  it('a download cut half way leaves no file under a final name; the next sync completes', async () => {
    const to = join(root, 'cut');
    const served = http.count(win127.filename);
    http.addFault({ path: win127.filename, kind: 'cut', times: 1 });
    const r = await sync(to, '--sign-key', key);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /error SOURCE_UNAVAILABLE: .*go1\.27\.3\.windows-amd64\.zip: connection lost/);
    assert.equal(http.count(win127.filename), served + 1);
    const names = existsSync(to) ? readdirSync(to) : [];
    assert.ok(!names.includes(win127.filename), `partial file under its final name: ${names.join(', ')}`);
    assert.ok(!names.includes('index.json') && !names.includes('index.json.sig'), names.join(', '));
    assert.deepEqual(names.filter((n) => n.startsWith('.')), [], 'temp files left');
    const again = await sync(to, '--sign-key', key);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(await sha256File(join(to, win127.filename)), win127.sha256);
    assert.equal((await listed(to, `${key}.pub`)).code, 0);
  });
});
