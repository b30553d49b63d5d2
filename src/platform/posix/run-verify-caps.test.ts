// Time caps on verification, run for real under dash: a go (or hello binary, or health command) that
// never answers is stopped -- with everything it started -- and the host is rolled back.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { GofleetError } from '../../errors.ts';
import type { UpgradeIntent, VerifyPolicy } from '../types.ts';
import { posix } from './index.ts';
import { FakeHost } from './testing/fake-host.ts';

let h: FakeHost;
beforeEach(() => {
  h = new FakeHost();
});
afterEach(() => h.cleanup());

const vdir = (v: string): string => join(h.versionsDir, v);

/** Upgrade go1.26.8 -> go1.27.3 (both installed); the script is killed after 90 s, so a hang fails the test. */
function upgrade(verify: VerifyPolicy, env: Record<string, string> = {}) {
  const intent: UpgradeIntent = { paths: h.paths, target: 'go1.27.3', archive: null, verify, run: h.run };
  const r = h.runScript(posix.upgrade(intent), { env, timeoutMs: 90_000 });
  assert.notEqual(r.code, null, `the script was still running after 90 s: ${r.stdout}`);
  const parsed = posix.parseRun(r.stdout);
  return { ...r, ...parsed, trail: parsed.steps.map((s) => `${s.step}:${s.status}${s.code ? `:${s.code}` : ''}`) };
}

/** Pids the fake go wrote ("<go pid> <child pid>" lines). */
function recordedPids(file: string): number[] {
  return readFileSync(file, 'utf8').split(/\s+/).filter(Boolean).map(Number);
}

/** Is pid running? A zombie (stopped, waiting for init to reap it) is not. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(') ') + 2));
  } catch {
    return false;
  }
}

test('a go build that never ends: stopped at the cap (with its children), VERIFY_FAILED, rolled back', () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  h.writeState('go1.26.8', 'go1.25.0');
  h.install('go1.27.3', 'build-hangs');
  const pids = join(h.root, 'pids');
  const r = upgrade({ build: true, requirePath: true, timeoutSeconds: 1 }, { FAKE_GO_PIDS: pids });
  assert.deepEqual(r.trail.slice(-5), ['verify:start', 'verify:fail:VERIFY_FAILED', 'rollback:start', 'rollback:ok', 'unlock:ok'], r.stdout);
  assert.equal(r.outcome?.result, 'rolled_back');
  assert.equal(r.outcome?.code, 'VERIFY_FAILED');
  assert.match(r.outcome?.message ?? '', /hello-world build timed out after 1 s/);
  assert.equal(h.gorootTarget(), vdir('go1.26.8'));
  assert.deepEqual({ active: h.state().active, previous: h.state().previous }, { active: 'go1.26.8', previous: 'go1.25.0' });
  assert.deepEqual(readdirSync(join(h.versionsDir, '.gofleet')).filter((n) => n.startsWith('verify')), [], 'verify temp dir removed');
  const stopped = recordedPids(pids);
  assert.equal(stopped.length, 2, 'the fake go and its sleeping child');
  for (const pid of stopped) assert.equal(running(pid), false, `pid ${pid} was stopped, not left behind`);
});

test('a go version that never answers: VERIFY_FAILED "timed out", rolled back', () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  h.install('go1.27.3', 'version-hangs');
  const r = upgrade({ build: true, requirePath: true, timeoutSeconds: 1 });
  assert.equal(r.outcome?.result, 'rolled_back', r.stdout);
  assert.match(r.outcome?.message ?? '', /bin\/go version timed out after 1 s/);
  assert.equal(h.gorootTarget(), vdir('go1.26.8'));
});

test('a hello-world program that never exits, and a health command that never exits: both capped', () => {
  h.install('go1.26.8');
  h.linkGoroot('go1.26.8');
  h.install('go1.27.3', 'run-hangs');
  const run = upgrade({ build: true, requirePath: true, timeoutSeconds: 1 });
  assert.equal(run.outcome?.result, 'rolled_back', run.stdout);
  assert.match(run.outcome?.message ?? '', /hello-world program timed out after 1 s/);

  h.install('go1.27.3');
  // replaced by hand, so not the tree that failed: drop its failed mark (a restage by gofleet clears it)
  rmSync(join(h.versionsDir, '.gofleet', 'failed', 'go1.27.3'));
  const health = upgrade({ build: false, requirePath: true, timeoutSeconds: 1, healthCommand: 'echo checking; sleep 3600' });
  assert.equal(health.outcome?.result, 'rolled_back', health.stdout);
  assert.match(health.outcome?.message ?? '', /health command timed out after 1 s \(stopped\): checking/);
  assert.equal(h.gorootTarget(), vdir('go1.26.8'));
});

test("the rollback's re-check is capped too: an old go that hangs -> rollback_failed, not a hang", () => {
  h.install('go1.26.8', 'version-hangs');
  h.linkGoroot('go1.26.8');
  h.install('go1.27.3', 'build-fails');
  const r = upgrade({ build: true, requirePath: true, timeoutSeconds: 1 });
  assert.equal(r.outcome?.result, 'rollback_failed', r.stdout);
  assert.match(r.outcome?.message ?? '', /verify: .*build failed.*rollback: .*version timed out after 1 s/s);
  assert.equal(h.gorootTarget(), vdir('go1.26.8'), 'goroot points back all the same');
});

test('timeoutSeconds: defaults 300 (build) / 60 (other commands); one value for all when given; bad values rejected', () => {
  const render = (verify: VerifyPolicy): string =>
    posix.switchTo({ paths: { goroot: '/usr/local/go', versionsDir: '/v' }, target: 'go1.27.3', run: 'r1', verify });
  const defaults = render({ build: true, requirePath: true });
  assert.ok(defaults.includes("\n  CAP_BUILD='300'\n  CAP_CMD='60'\n"));
  const given = render({ build: true, requirePath: true, timeoutSeconds: 45 });
  assert.ok(given.includes("\n  CAP_BUILD='45'\n  CAP_CMD='45'\n"));
  for (const bad of [0, -1, 1.5, Number.NaN, 86_401]) {
    assert.throws(
      () => render({ build: true, requirePath: true, timeoutSeconds: bad }),
      (e: unknown) => e instanceof GofleetError && e.code === 'BAD_OPTION',
      String(bad),
    );
  }
});
