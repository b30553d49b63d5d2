// Under dash against a fake host: a switch killed before it was verified is verified (and rolled back) by the
// next run, and a version that failed verification is never reused as installed (sh-verify-state.ts).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import type { ArchiveRef, VerifyPolicy } from '../types.ts';
import { posix } from './index.ts';
import { FakeHost } from './testing/fake-host.ts';

let h: FakeHost;
beforeEach(() => {
  h = new FakeHost();
});
afterEach(() => h.cleanup());

const FULL: VerifyPolicy = { build: true, requirePath: true };
const vdir = (v: string): string => join(h.versionsDir, v);
const meta = (...p: string[]): string => join(h.versionsDir, '.gofleet', ...p);

function upgrade(target: string, archive: ArchiveRef | null, verify: VerifyPolicy = FULL) {
  const r = h.runScript(posix.upgrade({ paths: h.paths, target, archive, verify, run: h.run }));
  const parsed = posix.parseRun(r.stdout);
  return { ...r, ...parsed, trail: parsed.steps.map((s) => `${s.step}:${s.status}${s.code ? `:${s.code}` : ''}`) };
}

function facts() {
  return posix.parseFacts(h.runScript(posix.facts(h.paths)).stdout);
}

/** Start the upgrade in its own process group and SIGKILL the whole group (an OOM kill, a crash) once the
 * script has reported `switch ok` and is verifying (the toolchain's build hangs). */
async function upgradeKilledAfterSwitch(target: string): Promise<string> {
  const child = spawn('dash', ['-s'], { env: h.env(), cwd: h.root, detached: true });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  child.stdin.end(posix.upgrade({ paths: h.paths, target, archive: null, verify: FULL, run: h.run }));
  const deadline = Date.now() + 20_000;
  while (!/@@gofleet step switch ok/.test(out) || !/@@gofleet step verify start/.test(out)) {
    if (Date.now() > deadline) throw new Error(`no switch ok:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  process.kill(-(child.pid as number), 'SIGKILL');
  await closed;
  return out;
}

test('a switch killed before its verification ended: facts say unverified; the next run verifies and rolls back', async () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  h.writeState('go1.26.8', 'go1.25.0');
  h.install('go1.27.3', 'build-hangs'); // installed before: not staged by these runs
  const out = await upgradeKilledAfterSwitch('go1.27.3');
  assert.doesNotMatch(out, /@@gofleet outcome/, 'killed: no outcome');
  assert.equal(h.gorootTarget(), vdir('go1.27.3'), 'the kill left goroot switched');
  assert.ok(existsSync(meta('lock')), "the dead script's lock is left behind");

  const f = facts();
  assert.equal(f.managed.active, 'go1.27.3');
  assert.equal(f.managed.unverified, 'go1.27.3', 'facts report the switch as not verified');
  assert.equal(f.lock?.stale, true, "the dead script's lock is stale");

  // the next run: verifies (its build cap is short this time, so the hung build fails) and rolls back
  const r = upgrade('go1.27.3', null, { ...FULL, timeoutSeconds: 2 });
  assert.deepEqual(
    r.trail,
    ['lock:start', 'lock:ok', 'switch:skip', 'verify:start', 'verify:fail:VERIFY_FAILED', 'rollback:start', 'rollback:ok', 'unlock:ok'],
    r.stdout + r.stderr,
  );
  assert.deepEqual([r.outcome?.result, r.outcome?.code, r.outcome?.active, r.outcome?.previous], ['rolled_back', 'VERIFY_FAILED', 'go1.26.8', 'go1.26.8']);
  assert.match(r.outcome?.message ?? '', /build timed out/);
  assert.equal(h.gorootTarget(), vdir('go1.26.8'));
  assert.deepEqual([h.state().active, h.state().previous, h.state().verify_pending], ['go1.26.8', 'go1.25.0', undefined]);
  assert.equal(existsSync(meta('lock')), false);
  assert.ok(existsSync(meta('failed', 'go1.27.3')), 'the failed version is marked');
  const after = facts();
  assert.deepEqual([after.managed.unverified, after.managed.failed], [undefined, ['go1.27.3']]);
});

test('a killed switch whose toolchain is fine is verified by the next run and kept', async () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  h.writeState('go1.26.8', 'go1.25.0');
  h.install('go1.27.3', 'build-hangs');
  await upgradeKilledAfterSwitch('go1.27.3');
  const r = upgrade('go1.27.3', null, { build: false, requirePath: true });
  assert.deepEqual([r.outcome?.result, r.outcome?.active, r.outcome?.previous], ['switched', 'go1.27.3', 'go1.26.8'], r.stdout);
  assert.deepEqual([h.state().active, h.state().previous, h.state().verify_pending], ['go1.27.3', 'go1.26.8', undefined]);
  const again = upgrade('go1.27.3', null, { build: false, requirePath: true });
  assert.equal(again.outcome?.result, 'unchanged', 'verified now');
});

test('a killed first install (goroot was missing): the next run verifies and removes the link again', async () => {
  h.install('go1.27.3', 'build-hangs');
  await upgradeKilledAfterSwitch('go1.27.3');
  assert.equal(h.gorootTarget(), vdir('go1.27.3'));
  const r = upgrade('go1.27.3', null, { ...FULL, timeoutSeconds: 2 });
  assert.deepEqual([r.outcome?.result, r.outcome?.active], ['rolled_back', null], r.stdout);
  assert.equal(existsSync(h.goroot), false);
});

test('a version that failed verification is marked and not reused; a good archive restages it and clears the mark', () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  h.install('go1.27.3', 'build-fails');
  const bad = upgrade('go1.27.3', null);
  assert.equal(bad.outcome?.result, 'rolled_back', bad.stdout);
  assert.ok(existsSync(meta('failed', 'go1.27.3')));
  assert.deepEqual(facts().managed.failed, ['go1.27.3']);

  // without an archive it is not taken as installed ("already installed" would verify the same broken tree)
  const noArchive = upgrade('go1.27.3', null);
  assert.deepEqual([noArchive.outcome?.result, noArchive.outcome?.code], ['failed', 'VERSION_NOT_INSTALLED'], noArchive.stdout);
  assert.match(noArchive.outcome?.message ?? '', /failed verification before/);
  assert.equal(h.gorootTarget(), vdir('go1.26.8'));

  // the source is fixed: the good archive is staged over the failed tree
  const fixed = upgrade('go1.27.3', h.upload(h.archive('go1.27.3')));
  assert.ok(fixed.trail.includes('stage:ok'), fixed.trail.join(' '));
  assert.equal(fixed.outcome?.result, 'switched', fixed.stdout);
  assert.equal(existsSync(meta('failed', 'go1.27.3')), false, 'the mark is cleared');
  assert.equal(facts().managed.failed, undefined);
  assert.deepEqual(readdirSync(h.versionsDir).filter((n) => n.startsWith('.trash') || n.startsWith('.tmp')), []);
});

test('a successful `use` of a marked version clears its mark', () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  h.install('go1.27.3');
  const r0 = h.runScript(posix.switchTo({ paths: h.paths, target: 'go1.27.3', verify: FULL, run: h.run }));
  assert.equal(posix.parseRun(r0.stdout).outcome?.result, 'switched');
  h.linkGoroot('go1.26.8');
  h.runScript(`mkdir -p '${meta('failed')}' && : > '${meta('failed', 'go1.27.3')}'`);
  const r = h.runScript(posix.switchTo({ paths: h.paths, target: 'go1.27.3', verify: FULL, run: h.run }));
  assert.equal(posix.parseRun(r.stdout).outcome?.result, 'switched', r.stdout);
  assert.equal(existsSync(meta('failed', 'go1.27.3')), false);
  assert.equal(readFileSync(meta('state'), 'utf8').includes('verify_pending'), false);
});

test('a failing health command rolls back but does not mark the toolchain (the host failed, not Go)', () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  h.install('go1.27.3');
  const r = upgrade('go1.27.3', null, { build: true, requirePath: true, healthCommand: 'exit 3' });
  assert.equal(r.outcome?.result, 'rolled_back', r.stdout);
  assert.equal(existsSync(meta('failed', 'go1.27.3')), false);
  assert.equal(upgrade('go1.27.3', null).outcome?.result, 'switched', 'still installed, reused');
});

test('killed between the switch and its second state write: the record alone is enough (previous as the switch meant it)', () => {
  h.install('go1.26.8');
  h.install('go1.27.3');
  h.linkGoroot('go1.27.3');
  // what the state holds when the script died right after repointing goroot: the record written before the switch
  mkdirSync(meta(), { recursive: true });
  writeFileSync(meta('state'), [
    'active=go1.26.8', 'previous=go1.25.0', 'run=dead', 'updated=2026-01-01T00:00:00Z', 'verify_pending=go1.27.3',
    'rollback_kind=link', `rollback_link=${vdir('go1.26.8')}`, 'rollback_active=go1.26.8', 'rollback_version=go1.26.8', 'rollback_previous=go1.25.0', '',
  ].join('\n'));
  assert.equal(facts().managed.unverified, 'go1.27.3');
  const r = upgrade('go1.27.3', null);
  assert.deepEqual([r.outcome?.result, r.outcome?.previous], ['switched', 'go1.26.8'], r.stdout);
  assert.deepEqual([h.state().active, h.state().previous, h.state().verify_pending], ['go1.27.3', 'go1.26.8', undefined]);
});
