// Busy detection in the facts script, run for real under dash: processes using goroot or a managed version.
// Also: prune uses the same scan (sh-busy.ts), so it keeps every version the facts call busy: a running binary
// (exe), a file mapped from a version (run through the dynamic loader); run-prune.test.ts covers cwd.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { posix } from './index.ts';
import { FakeHost } from './testing/fake-host.ts';

let h: FakeHost;
const children: ChildProcess[] = [];
beforeEach(() => {
  h = new FakeHost();
});
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  h.cleanup();
});

function busy() {
  const r = h.runScript(posix.facts(h.paths));
  assert.equal(r.code, 0, r.stderr);
  return posix.parseFacts(r.stdout).busy;
}

async function start(cmd: string, args: string[], cwd?: string): Promise<string> {
  const child = spawn(cmd, args, { stdio: 'ignore', ...(cwd ? { cwd } : {}) });
  children.push(child);
  await new Promise((resolve, reject) => child.once('spawn', resolve).once('error', reject));
  return String(child.pid);
}

/** a long-running real binary inside a version's bin (a fake toolchain's go is a script: its exe is the shell) */
function longRunner(version: string): string {
  const bin = join(h.versionsDir, version, 'bin', 'go-longrun');
  copyFileSync('/bin/sleep', bin);
  return bin;
}

test('a binary of the active version running -> busy lists its pid and exe', async () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  const bin = longRunner('go1.26.8');
  const pid = await start(bin, ['60']);
  assert.deepEqual(busy(), [{ pid, exe: bin }]);
});

test('a process whose cwd lies inside a managed (inactive) version -> busy', async () => {
  h.install('go1.26.8');
  h.install('go1.27.3');
  h.linkGoroot('go1.27.3');
  const pid = await start('sleep', ['60'], join(h.versionsDir, 'go1.26.8', 'bin'));
  const b = busy();
  assert.equal(b?.length, 1, JSON.stringify(b));
  assert.equal(b?.[0]?.pid, pid);
  assert.match(b?.[0]?.exe ?? '', /sleep$/);
});

test('a file mapped from a version (binary run through the dynamic loader) -> busy', async (t) => {
  const loader = ['/lib64/ld-linux-x86-64.so.2', '/lib/ld-linux-aarch64.so.1'].find((p) => existsSync(p));
  if (!loader) return t.skip('no known dynamic loader path');
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  const pid = await start(loader, [longRunner('go1.26.8'), '60']);
  assert.deepEqual(busy()?.map((b) => b.pid), [pid]);
});

test('unrelated processes, and a process in a look-alike directory, are not busy', async () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  const lookAlike = join(`${h.versionsDir}-other`, 'go1.26.8');
  mkdirSync(lookAlike, { recursive: true });
  await start('sleep', ['60']);
  await start('sleep', ['60'], lookAlike);
  assert.deepEqual(busy(), []);
});

test('the facts script itself (run from inside a version) does not count', () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  const r = h.runScript(`cd ${posix.quote(join(h.versionsDir, 'go1.26.8'))}\n` + posix.facts(h.paths));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(posix.parseFacts(r.stdout).busy, []);
});

test('prune never removes a version whose binary is running', async () => {
  for (const v of ['go1.20.14', 'go1.21.0', 'go1.22.5']) h.install(v);
  h.linkGoroot('go1.22.5');
  await start(longRunner('go1.20.14'), ['60']);
  const r = h.runScript(posix.prune({ paths: h.paths, keep: 1, run: h.run }));
  const out = posix.parseRun(r.stdout).outcome;
  assert.deepEqual(out?.removed, ['go1.21.0'], r.stdout + r.stderr);
  assert.ok(out?.warnings.some((w) => /kept go1\.20\.14: a running process uses/.test(w)), r.stdout);
  assert.ok(existsSync(join(h.versionsDir, 'go1.20.14', 'bin', 'go')));
});

test('prune keeps a version a process only maps (run through the loader), as the facts see it busy', async (t) => {
  const loader = ['/lib64/ld-linux-x86-64.so.2', '/lib/ld-linux-aarch64.so.1'].find((p) => existsSync(p));
  if (!loader) return t.skip('no known dynamic loader path');
  for (const v of ['go1.20.14', 'go1.21.0', 'go1.22.5']) h.install(v);
  h.linkGoroot('go1.22.5');
  const pid = await start(loader, [longRunner('go1.21.0'), '60']);
  assert.deepEqual(busy()?.map((b) => b.pid), [pid], 'the facts see it busy');
  const r = h.runScript(posix.prune({ paths: h.paths, keep: 1, run: h.run }));
  const out = posix.parseRun(r.stdout).outcome;
  assert.deepEqual(out?.removed, ['go1.20.14'], r.stdout + r.stderr);
  assert.ok(out?.warnings.some((w) => /kept go1\.21\.0: a running process uses/.test(w)), r.stdout);
  assert.ok(existsSync(join(h.versionsDir, 'go1.21.0', 'bin', 'go')));
});

test('prune does not count its own process tree (it may run from inside a version)', () => {
  for (const v of ['go1.20.14', 'go1.22.5']) h.install(v);
  h.linkGoroot('go1.22.5');
  const r = h.runScript(`cd ${posix.quote(join(h.versionsDir, 'go1.20.14', 'bin'))}\n` + posix.prune({ paths: h.paths, keep: 1, run: h.run }));
  const out = posix.parseRun(r.stdout).outcome;
  assert.deepEqual(out?.removed, ['go1.20.14'], r.stdout + r.stderr);
  assert.deepEqual(out?.warnings, []);
});
