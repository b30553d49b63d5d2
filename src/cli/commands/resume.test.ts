import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GofleetError } from '../../errors.ts';
import type { StoredRun } from '../../store/index.ts';
import { checkResumable, hostsToResume, resumeArgv, resumeState } from './resume.ts';

function run(over: Partial<StoredRun> = {}): StoredRun {
  return {
    id: 'r1', started: 1, ended: null, user: 'u', command: 'upgrade', target: 'go1.27.3', policy: {}, status: 'interrupted', counts: {},
    controller: 'ctl', pid: 42, hosts: [],
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
  const s = resumeState(run({ hosts: [host('a', 'upgraded'), host('b', 'staging'), host('c', 'pending', [])] }), ['b', 'c']);
  assert.deepEqual([...s.prior.keys()], ['b']);
  assert.deepEqual(s.prior.get('b')?.steps, [{ step: 'stage', status: 'running', startedAt: 5, endedAt: null }]);
  assert.equal(s.command, 'upgrade');
  assert.equal(s.target, 'go1.27.3');
});

test('hosts to resume: the unfinished ones and those a Ctrl-C skipped, in run order; other final hosts stay', () => {
  const host = (name: string, status: StoredRun['hosts'][number]['status'], code?: string) => ({
    name, status, from: null, to: null, error: code ? { code: code as 'INTERRUPTED', message: '' } : null, warnings: [], startedAt: null, endedAt: null, extra: {}, steps: [],
  });
  const r = run({ hosts: [host('a', 'upgraded'), host('b', 'skipped', 'INTERRUPTED'), host('c', 'skipped', 'BUDGET_EXCEEDED'), host('d', 'staging'), host('e', 'failed', 'VERIFY_FAILED')] });
  assert.deepEqual(hostsToResume(r, ['d']), ['b', 'd']);
});
