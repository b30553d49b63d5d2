// The fake Windows host's pull and reach model (fake-windows-pull-model.ts) answering the real scripts (the upgrade
// script with a pull URL, the reach probe) sent through the production bootstrap, against a loopback source:
// a fresh pull, a resumed partial (Range, 206), a cut download kept for the next run, a wrong SHA-256, an
// unreachable host, and the reach line read by the dialect's parseReach.
import { after, before, beforeEach, describe, test } from 'node:test';
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2, { type Client } from 'ssh2';
import { parseRun } from '../../src/platform/protocol/parse-run.ts';
import { bootstrapCommandLine } from '../../src/platform/windows/bootstrap.ts';
import { windows } from '../../src/platform/windows/index.ts';
import { msiUpgradeScript } from '../../src/platform/windows/msi-script.ts';
import { startHttpSource, type HttpSource } from './http-source.ts';
import { installVersion, newWindowsMachine, windowsHostModel, type WindowsMachine } from './fake-windows-host-model.ts';
import { startFakeWindowsHost, type FakeWindowsHost } from './fake-windows-sshd.ts';
import { fakeToolchainArchive, writeSourceDir, type FixtureArchive } from './toolchains.ts';

const VDIR = 'C:\\ProgramData\\gofleet\\versions';
const paths = { goroot: 'C:\\Program Files\\Go', versionsDir: VDIR };
const verify = { build: true, requirePath: true };

function rawExec(c: Client, command: string, stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    c.exec(command, (err, ch) => {
      if (err) return reject(err);
      const r = { code: null as number | null, stdout: '', stderr: '' };
      ch.on('data', (d: Buffer) => (r.stdout += d.toString()));
      ch.stderr.on('data', (d: Buffer) => (r.stderr += d.toString()));
      ch.on('exit', (code: number | null) => (r.code = code));
      ch.on('close', () => resolve(r));
      ch.end(stdin);
    });
  });
}

describe('the fake Windows host pulls from the source and probes it as the scripts ask', { timeout: 120_000 }, () => {
  let dir: string;
  let zip: FixtureArchive;
  let source: HttpSource;
  let h: FakeWindowsHost;
  let c: Client;
  let machine: WindowsMachine;
  const cache = (name: string): string => h.drives.toLocal(`${VDIR}\\.gofleet\\cache\\${name}`);
  const upgrade = (o: { sha256?: string; run: string; url?: string }) =>
    rawExec(c, bootstrapCommandLine(), windows.upgrade({
      paths, target: 'go1.27.3', run: o.run, verify,
      archive: { filename: zip.filename, sha256: o.sha256 ?? zip.sha256, size: zip.size, remotePath: windows.cachedArchivePath(paths, zip.filename), pullUrl: o.url ?? source.url + zip.filename },
    }));
  const reach = async (url: string) => (windows.parseReach ?? assert.fail)((await rawExec(c, bootstrapCommandLine(), (windows.reachProbe ?? assert.fail)(url))).stdout);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gofleet-winpull-model-'));
    zip = await fakeToolchainArchive('go1.27.3', { os: 'windows', arch: 'amd64' });
    mkdirSync(join(dir, 'src'));
    writeSourceDir(join(dir, 'src'), [zip]);
    source = await startHttpSource(join(dir, 'src'));
    machine = newWindowsMachine({ active: 'go1.26.8' });
    h = await startFakeWindowsHost({ respond: (script, ctx) => windowsHostModel(machine)(script, ctx) });
    c = new ssh2.Client();
    await new Promise<void>((resolve, reject) => {
      c.on('ready', resolve).on('error', reject);
      c.connect({ host: h.address, port: h.port, username: h.user, privateKey: readFileSync(h.clientKey) });
    });
  });
  beforeEach(() => {
    // each case starts from go1.26.8 active, go1.27.3 neither installed nor cached, the source healthy
    machine.active = 'go1.26.8';
    machine.unreachable = false;
    machine.refuseGet = undefined;
    machine.pulls = [];
    source.clearFaults();
    source.requests.length = 0;
    installVersion(h, VDIR, 'go1.26.8');
    rmSync(h.drives.toLocal(`${VDIR}\\go1.27.3`), { recursive: true, force: true });
    rmSync(h.drives.toLocal(`${VDIR}\\.gofleet\\cache`), { recursive: true, force: true });
  });
  after(async () => {
    c?.end();
    await h?.stop();
    await source?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a fresh pull: `pull` start/ok right before stage, one GET without Range, the file cached under its name', async () => {
    const r = await upgrade({ run: 'r-pull-1' });
    const p = parseRun(r.stdout);
    assert.equal(p.outcome?.result, 'switched', r.stdout);
    const steps = p.steps.map((s) => `${s.step} ${s.status}`);
    assert.deepEqual(steps.slice(steps.indexOf('pull start'), steps.indexOf('pull start') + 3), ['pull start', 'pull ok', 'stage start']);
    assert.deepEqual(source.requests.map((q) => [q.method, q.range ?? null, q.status]), [['GET', null, 200]]);
    assert.equal(statSync(cache(zip.filename)).size, zip.size);
    assert.ok(!existsSync(cache(`${zip.filename}.partial`)));
  });

  test('a partial download is resumed with Range from its length (206), and the whole file is checked', async () => {
    mkdirSync(cache(''), { recursive: true });
    const half = Math.floor(zip.size / 2);
    writeFileSync(cache(`${zip.filename}.partial`), readFileSync(zip.path).subarray(0, half));
    const r = await upgrade({ run: 'r-pull-2' });
    assert.equal(parseRun(r.stdout).outcome?.result, 'switched', r.stdout);
    assert.deepEqual(source.requests.map((q) => [q.range ?? null, q.status]), [[`bytes=${half}-`, 206]]);
    assert.match(parseRun(r.stdout).steps.find((s) => s.step === 'pull' && s.status === 'ok')?.message ?? '', new RegExp(`^resumed at byte ${half} `));
    assert.deepEqual(readFileSync(cache(zip.filename)), readFileSync(zip.path));
  });

  test('a download cut half way fails PULL_FAILED and keeps the partial; the next run resumes it', async () => {
    source.addFault({ path: zip.filename, kind: 'cut', times: 1 });
    const r = await upgrade({ run: 'r-pull-3' });
    const o = parseRun(r.stdout).outcome;
    assert.deepEqual([o?.result, o?.code, o?.active], ['failed', 'PULL_FAILED', 'go1.26.8'], r.stdout);
    const kept = statSync(cache(`${zip.filename}.partial`)).size;
    assert.ok(kept > 0 && kept < zip.size, `${kept} bytes kept`);
    const again = await upgrade({ run: 'r-pull-4' });
    assert.equal(parseRun(again.stdout).outcome?.result, 'switched', again.stdout);
    assert.equal(source.requests.at(-1)?.range, `bytes=${kept}-`);
  });

  test('a download whose SHA-256 is not the resolved one: CHECKSUM_MISMATCH at pull, the partial deleted, goroot untouched', async () => {
    const r = await upgrade({ run: 'r-pull-5', sha256: 'ab'.repeat(32) });
    const p = parseRun(r.stdout);
    assert.deepEqual([p.outcome?.result, p.outcome?.code, p.outcome?.active], ['failed', 'CHECKSUM_MISMATCH', 'go1.26.8'], r.stdout);
    assert.equal(p.steps.find((s) => s.status === 'fail')?.step, 'pull');
    assert.ok(!p.steps.some((s) => s.step === 'stage'));
    assert.ok(!existsSync(cache(`${zip.filename}.partial`)) && !existsSync(cache(zip.filename)));
  });

  test('an unreachable host: PULL_FAILED with .NET\'s words, no request reached the source; reach says fail', async () => {
    machine.unreachable = true;
    const r = await upgrade({ run: 'r-pull-6' });
    const o = parseRun(r.stdout).outcome;
    assert.deepEqual([o?.result, o?.code], ['failed', 'PULL_FAILED'], r.stdout);
    assert.match(o?.message ?? '', /Unable to connect to the remote server/);
    assert.deepEqual(await reach(source.url + zip.filename), { ok: false, status: null, tool: 'HttpWebRequest', detail: 'Unable to connect to the remote server' });
    assert.equal(source.requests.length, 0);
  });

  test('a proxy that lets HEAD through but refuses the GET: reach ok, the pull fails PULL_FAILED naming the status', async () => {
    machine.refuseGet = 403;
    assert.equal((await reach(source.url + zip.filename)).ok, true);
    const r = await upgrade({ run: 'r-pull-9' });
    const o = parseRun(r.stdout).outcome;
    assert.deepEqual([o?.result, o?.code], ['failed', 'PULL_FAILED'], r.stdout);
    assert.match(o?.message ?? '', /HTTP 403: The remote server returned an error: \(403\) Forbidden\./);
    assert.deepEqual(source.requests.map((q) => q.method), ['HEAD']);
  });

  test('reach: a HEAD of the URL; ok with the status, or the 404 named', async () => {
    assert.deepEqual(await reach(source.url + zip.filename), { ok: true, status: 200, tool: 'HttpWebRequest', detail: 'OK' });
    assert.deepEqual(await reach(`${source.url}go9.9.9.windows-amd64.zip`), { ok: false, status: 404, tool: 'HttpWebRequest', detail: 'The remote server returned an error: (404) Not Found.' });
    assert.deepEqual(source.requests.map((q) => q.method), ['HEAD', 'HEAD']);
  });

  test('a server that ignores Range answers 200 with the whole file: the partial is written again from byte 0', async () => {
    const ranges: (string | null)[] = [];
    const plain = createServer((req, res) => {
      ranges.push(req.headers.range ?? null);
      res.writeHead(200, { 'content-length': zip.size });
      res.end(readFileSync(zip.path));
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      mkdirSync(cache(''), { recursive: true });
      writeFileSync(cache(`${zip.filename}.partial`), readFileSync(zip.path).subarray(0, 1000));
      const url = `http://127.0.0.1:${(plain.address() as AddressInfo).port}/${zip.filename}`;
      const r = await upgrade({ run: 'r-pull-8', url });
      assert.equal(parseRun(r.stdout).outcome?.result, 'switched', r.stdout);
      assert.deepEqual(ranges, ['bytes=1000-']);
      assert.deepEqual(machine.pulls?.map((p) => [p.from, p.status]), [[1000, 200]]);
      assert.deepEqual(readFileSync(cache(zip.filename)), readFileSync(zip.path));
    } finally {
      plain.closeAllConnections();
      await new Promise<void>((resolve) => plain.close(() => resolve()));
    }
  });

  test('--method msi pulls the MSI the same way, before its stage step', async () => {
    const name = 'go1.27.3.windows-amd64.msi';
    const bytes = Buffer.from('not really an MSI, the model runs no msiexec\n');
    writeFileSync(join(dir, 'src', name), bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    machine.active = null;
    rmSync(h.drives.toLocal('C:\\Program Files\\Go'), { recursive: true, force: true });
    const r = await rawExec(c, bootstrapCommandLine(), msiUpgradeScript({
      paths, target: 'go1.27.3', run: 'r-pull-msi', verify, method: 'msi',
      archive: { filename: name, sha256, size: bytes.length, remotePath: windows.cachedArchivePath(paths, name), pullUrl: source.url + name },
    }));
    const p = parseRun(r.stdout);
    assert.equal(p.outcome?.result, 'switched', r.stdout);
    const steps = p.steps.map((s) => `${s.step} ${s.status}`);
    assert.deepEqual(steps.slice(steps.indexOf('pull start'), steps.indexOf('pull start') + 3), ['pull start', 'pull ok', 'stage start']);
    assert.deepEqual(readFileSync(cache(name)), bytes);
  });

  test('nothing to pull when the archive is cached already: no pull step, no request', async () => {
    mkdirSync(cache(''), { recursive: true });
    writeFileSync(cache(zip.filename), readFileSync(zip.path));
    const r = await upgrade({ run: 'r-pull-7' });
    assert.equal(parseRun(r.stdout).outcome?.result, 'switched', r.stdout);
    assert.ok(!parseRun(r.stdout).steps.some((s) => s.step === 'pull'));
    assert.equal(source.requests.length, 0);
  });
});
