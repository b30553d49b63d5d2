// The reach probe (reach-script.ts) run for real under dash against a loopback HTTP server, with curl, wget
// and busybox wget (each hidden from PATH in turn), and through a dead http_proxy (the host's own proxy).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { startHttpSource, type HttpSource } from '../../../test/harness/http-source.ts';
import { posix } from './index.ts';
import { BASE_PATH } from './testing/fake-host.ts';

let root: string;
let src: HttpSource;
before(async () => {
  root = mkdtempSync(join(tmpdir(), 'gofleet-reach-'));
  mkdirSync(join(root, 'files'));
  writeFileSync(join(root, 'files', 'go1.27.3.linux-amd64.tar.gz'), 'x'.repeat(1000));
  src = await startHttpSource(join(root, 'files'), { serveIndex: false });
});
after(async () => {
  await src.close();
  rmSync(root, { recursive: true, force: true });
});

function pathWithout(hide: readonly string[]): string {
  const dir = join(root, `bin-without-${hide.join('-') || 'none'}`);
  if (existsSync(dir)) return dir;
  mkdirSync(dir);
  for (const d of BASE_PATH.split(':')) {
    if (!existsSync(d)) continue;
    for (const name of readdirSync(d)) if (!hide.includes(name) && !existsSync(join(dir, name))) symlinkSync(join(d, name), join(dir, name));
  }
  return dir;
}

/** Run the probe asynchronously (the loopback server answers from this process). */
async function probe(url: string, hide: readonly string[] = [], env: Record<string, string> = {}) {
  const child = spawn('dash', ['-s'], { env: { PATH: pathWithout(hide), ...env } });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stdin.end(posix.reachProbe?.(url));
  await new Promise((resolve) => child.on('close', resolve));
  return posix.parseReach?.(stdout);
}

for (const { tool, hide } of [{ tool: 'curl', hide: [] }, { tool: 'wget', hide: ['curl'] }, { tool: 'busybox-wget', hide: ['curl', 'wget'] }]) {
  test(`${tool}: a file the source serves is reached (HEAD, no body), a missing one is not`, async () => {
    const before = src.requests.length;
    assert.deepEqual(await probe(`${src.url}go1.27.3.linux-amd64.tar.gz`, hide), { ok: true, status: 200, tool, detail: `HTTP 200 from ${tool}` });
    const missing = await probe(`${src.url}go9.linux-amd64.tar.gz`, hide);
    assert.equal(missing?.ok, false);
    assert.equal(missing?.tool, tool);
    // curl and GNU wget send a HEAD; busybox's spider is a GET that hangs up after the headers
    const sent = src.requests.slice(before);
    assert.deepEqual(sent.map((q) => q.method), tool === 'busybox-wget' ? ['GET', 'GET'] : ['HEAD', 'HEAD']);
  });

  test(`${tool}: a dead http_proxy in the host's environment means the source is not reached`, async () => {
    const r = await probe(`${src.url}go1.27.3.linux-amd64.tar.gz`, hide, { http_proxy: 'http://127.0.0.1:1' });
    assert.equal(r?.ok, false);
    assert.equal(r?.status, null);
    assert.notEqual(r?.detail, '');
  });
}

test('no tool at all: not reached, and said so', async () => {
  assert.deepEqual(await probe(`${src.url}go1.27.3.linux-amd64.tar.gz`, ['curl', 'wget', 'busybox']), {
    ok: false,
    status: null,
    tool: null,
    detail: 'no curl, wget or busybox wget on the host',
  });
});

test('parseReach: no line (a cut script) reads as not reached', () => {
  assert.equal(posix.parseReach?.('@@gofleet reach ok 200 curl x')?.ok, false, 'a line without its newline does not count');
  assert.deepEqual(posix.parseReach?.('noise\n@@gofleet reach fail - - -\n@@gofleet reach ok 301 busybox-wget HTTP%20301\n'), { ok: true, status: 301, tool: 'busybox-wget', detail: 'HTTP 301' });
  assert.deepEqual(posix.parseReach?.('@@gofleet reach fail - - -\n'), { ok: false, status: null, tool: null, detail: '' });
});

test('the probe refuses a URL that is not http(s) before building a script', () => {
  assert.throws(() => posix.reachProbe?.('file:///etc/passwd'), /http\(s\)/);
});
