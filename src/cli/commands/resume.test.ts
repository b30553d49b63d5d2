import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GofleetError } from '../../errors.ts';
import type { StoredRun } from '../../store/index.ts';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../store/index.ts';
import { HostRecorder } from '../../engine/host-recorder.ts';
import { EXIT } from '../exit-code.ts';
import type { RuntimeResume } from '../runtime.ts';
import { checkResumable, enterRunDirectory, hostsToResume, resumeArgv, resumeCommand, resumeState } from './resume.ts';

function run(over: Partial<StoredRun> = {}): StoredRun {
  return {
    id: 'r1', started: 1, ended: null, user: 'u', command: 'upgrade', target: 'go1.27.3', policy: {}, status: 'interrupted', counts: {},
    controller: 'ctl', pid: 42, cwd: null, hosts: [],
    argv: ['upgrade', '-i', '/inv.yml', '--to', 'latest', '--yes', '--json', '--parallel', '1', '--state', '/old.db', '--cache-dir', '/c'],
    ...over,
  };
}

const alive = { hostname: 'ctl', isAlive: () => true };
const dead = { hostname: 'ctl', isAlive: () => false };

test('the stored command line, with the resume\'s own --yes/--json/--state and the resolved target pinned', () => {
  assert.deepEqual(resumeArgv(run(), { yes: true, json: false, state: '/s.db' }),
    ['upgrade', '-i', '/inv.yml', '--to', 'go1.27.3', '--parallel', '1', '--cache-dir', '/c', '--yes', '--state', '/s.db']);
  assert.deepEqual(resumeArgv(run({ command: 'use', target: 'go1.26.8', argv: ['use', 'go1.26.8', '-y', '--state=/x', '-l', 'web'] }), { yes: false, json: true }),
    ['use', 'go1.26.8', '-l', 'web', '--json']);
  assert.deepEqual(resumeArgv(run({ argv: ['upgrade', '--to=1.27', '-i', 'i'] }), { yes: false, json: false }), ['upgrade', '--to', 'go1.27.3', '-i', 'i']);
  // --min-age chose the pinned version already: resumed, it is not applied again (it would only warn)
  assert.deepEqual(resumeArgv(run({ argv: ['upgrade', '--to', 'latest', '--min-age', '3d', '--min-age=2w', '-i', 'i'] }), { yes: false, json: false }), ['upgrade', '--to', 'go1.27.3', '-i', 'i']);
});

test('a recorded command line that is not the command is refused', () => {
  assert.throws(() => resumeArgv(run({ argv: ['--x', 'upgrade'] }), { yes: false, json: false }), (e: GofleetError) => e.code === 'RUN_NOT_RESUMABLE');
});

test('refuses finished runs, live ones, runs of another machine and read-only commands; takes interrupted and dead ones', () => {
  const refused = (r: StoredRun, probe = dead, why: RegExp = /./): void =>
    assert.throws(() => checkResumable(r, probe), (e: GofleetError) => e.code === 'RUN_NOT_RESUMABLE' && why.test(e.message));
  refused(run({ status: 'done' }), dead, /finished/);
  refused(run({ status: 'running' }), alive, /still running \(controller pid 42 on ctl is alive\)/);
  refused(run({ status: 'running' }), { hostname: 'other', isAlive: () => false }, /resume it there/);
  refused(run({ command: 'facts' }), dead, /changes no hosts/);
  checkResumable(run({ status: 'running' }), dead);
  checkResumable(run({ status: 'interrupted' }), alive);
  checkResumable(run({ status: 'failed' }), alive);
});

test('prior knowledge only for unfinished hosts the run had started', () => {
  const step = { seq: 1, step: 'stage' as const, status: 'running' as const, startedAt: 5, endedAt: null };
  const host = (name: string, status: StoredRun['hosts'][number]['status'], steps = [step]) => ({
    name, status, from: null, to: null, error: null, warnings: [], startedAt: null, endedAt: null, extra: {}, steps,
  });
  const s = resumeState(run({ hosts: [host('a', 'upgraded'), host('b', 'staging'), host('c', 'pending', []), host('d', 'rolled_back')] }), ['b', 'c', 'd']);
  assert.deepEqual([...s.prior.keys()], ['b', 'd']);
  assert.equal(s.prior.get('b')?.final, undefined);
  assert.equal(s.prior.get('d')?.final, true, 'rolled back by an interrupt: done again, not judged from its steps');
  assert.deepEqual(s.prior.get('b')?.steps, [{ step: 'stage', status: 'running', startedAt: 5, endedAt: null }]);
  assert.equal(s.command, 'upgrade');
  assert.equal(s.target, 'go1.27.3');
});

test('hosts to resume: the unfinished ones and those a Ctrl-C skipped, in run order; other final hosts stay', () => {
  const host = (name: string, status: StoredRun['hosts'][number]['status'], code?: string) => ({
    name, status, from: null, to: null, error: code ? { code: code as 'INTERRUPTED', message: '' } : null, warnings: [], startedAt: null, endedAt: null, extra: {}, steps: [],
  });
  const r = run({ hosts: [host('a', 'upgraded'), host('b', 'skipped', 'INTERRUPTED'), host('c', 'skipped', 'BUDGET_EXCEEDED'), host('d', 'staging'), host('e', 'failed', 'VERIFY_FAILED'),
    host('f', 'rolled_back', 'INTERRUPTED'), host('g', 'rolled_back', 'VERIFY_FAILED')] });
  assert.deepEqual(hostsToResume(r, ['d']), ['b', 'd', 'f']);
});

test('the stored command line runs from the directory the run was started in, then the cwd is restored', async (t) => {
  const here = process.cwd();
  const started = mkdtempSync(join(tmpdir(), 'gofleet-run-cwd-'));
  const stateDir = mkdtempSync(join(tmpdir(), 'gofleet-resume-state-'));
  t.after(() => {
    process.chdir(here);
    rmSync(started, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });
  const store = openStore(join(stateDir, 'gofleet.db'));
  t.after(() => store.close());
  // record a run as a controller started in `started` would, then stop it half way (a crash)
  process.chdir(started);
  const sink = store.recorder({ run: 'r1', argv: ['upgrade', '-i', 'fleet.yml', '--to', 'go1.27.3'], command: 'upgrade', target: 'go1.27.3', policy: {} });
  sink({ kind: 'run-start', run: 'r1', command: 'upgrade', target: 'go1.27.3', hosts: ['a'], at: 1 });
  process.chdir(here);
  (await store.markInterrupted('r1'));
  assert.equal((await store.getRun('r1'))?.cwd, realpathSync(started));

  let seen: { cwd: string; argv: string[] } | undefined;
  const io = { out: () => undefined, err: () => undefined, stdoutTty: false, stderrTty: false };
  const code = await resumeCommand(store, io, 'r1', { yes: true, json: false, state: 'relative.db' }, async (argv) => {
    seen = { cwd: process.cwd(), argv };
    return EXIT.interrupted;
  }, dead);
  assert.equal(code, EXIT.interrupted);
  assert.equal(seen?.cwd, realpathSync(started));
  assert.equal(process.cwd(), here, 'the cwd is restored');
  assert.deepEqual(seen?.argv.slice(-2), ['--state', join(here, 'relative.db')], 'the resume\'s own journal path is made absolute first');

  // a directory that is gone: a warning, the rerun goes on from here
  const warnings: string[] = [];
  assert.equal(enterRunDirectory(join(started, 'gone'), { err: (w) => void warnings.push(w) })(), undefined);
  assert.equal(process.cwd(), here);
  assert.match(warnings.join(''), /which is gone; relative paths of its command line are read from/);
});

test('the resumed command gets the run\'s plan from the journal: its hosts in order, the started waves, the failures kept', async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'gofleet-resume-plan-'));
  t.after(() => rmSync(stateDir, { recursive: true, force: true }));
  const store = openStore(join(stateDir, 'gofleet.db'));
  t.after(() => store.close());
  // a run planned a | b c | d, killed in wave 2 with a failed and b done
  const sink = store.recorder({ run: 'r1', argv: ['upgrade', '-i', 'fleet.yml', '--to', 'go1.27.3', '--canary', '1', '--waves', '3'], command: 'upgrade', target: 'go1.27.3', policy: {} });
  const done = (name: string, status: 'failed' | 'upgraded') =>
    sink({ kind: 'host-done', run: 'r1', result: new HostRecorder(name, 'r1', () => undefined, () => 1).result(status, 'go1.26.8', 'go1.27.3'), at: 3 });
  sink({ kind: 'run-start', run: 'r1', command: 'upgrade', target: 'go1.27.3', hosts: ['a', 'b', 'c', 'd'], at: 1 });
  sink({ kind: 'wave-start', run: 'r1', wave: 1, hosts: ['a'], at: 2 });
  done('a', 'failed');
  sink({ kind: 'wave-end', run: 'r1', wave: 1, at: 4 });
  sink({ kind: 'wave-start', run: 'r1', wave: 2, hosts: ['b', 'c'], at: 5 });
  done('b', 'upgraded');
  await store.markInterrupted('r1');

  let seen: RuntimeResume | undefined;
  const io = { out: () => undefined, err: () => undefined, stdoutTty: false, stderrTty: false };
  await resumeCommand(store, io, 'r1', { yes: true, json: false }, async (_argv, _io, resume) => {
    seen = resume;
    return EXIT.interrupted;
  }, dead);
  assert.deepEqual(seen?.hosts, ['c', 'd']);
  const plan = seen?.state.plan;
  assert.deepEqual(plan?.hosts, ['a', 'b', 'c', 'd']);
  assert.deepEqual([...(plan?.waves ?? [])], [['a', 1], ['b', 2], ['c', 2]]);
  assert.deepEqual(plan?.failed, ['a']);
});
