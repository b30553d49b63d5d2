import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredHost, StoredRun } from '../store/index.ts';
import { priorWork } from './worker-prior.ts';

function host(name: string, extra: Partial<StoredHost> = {}): StoredHost {
  return { name, status: 'pending', from: null, to: null, error: null, warnings: [], startedAt: null, endedAt: null, extra: {}, steps: [], ...extra };
}

function run(hosts: StoredHost[]): StoredRun {
  return {
    id: 'R1', started: 1, ended: null, user: 'u', argv: ['upgrade'], command: 'upgrade', target: 'go1.2.3', policy: {}, status: 'running',
    counts: {}, controller: 'c', pid: 1, cwd: '/', hosts,
  };
}

const step = (s: string, status: 'ok' | 'running' | 'fail', seq: number) => ({ seq, step: s as 'switch', status, startedAt: 10 * seq, endedAt: status === 'running' ? null : 10 * seq + 5 });

describe('priorWork: what a worker does with a host, from the journal', () => {
  it('runs a host the journal has no step of (no run yet, pending, or not listed)', () => {
    assert.deepEqual(priorWork(null, 'a'), { kind: 'run' });
    assert.deepEqual(priorWork(run([host('a')]), 'a'), { kind: 'run' });
    assert.deepEqual(priorWork(run([host('b')]), 'a'), { kind: 'run' });
  });

  it('resumes a host an earlier worker left mid-way, with its journaled steps and from', () => {
    const w = priorWork(run([host('a', { status: 'switching', from: 'go1.2.2', steps: [step('connect', 'ok', 1), step('switch', 'running', 2)] })]), 'a');
    assert.equal(w.kind, 'resume');
    if (w.kind !== 'resume') return;
    assert.deepEqual([w.resume.run, w.resume.hosts, w.resume.state.command, w.resume.state.target], ['R1', ['a'], 'upgrade', 'go1.2.3']);
    const prior = w.resume.state.prior.get('a');
    assert.deepEqual(prior?.steps.map((s) => [s.step, s.status]), [['connect', 'ok'], ['switch', 'running']]);
    assert.equal(prior?.from, 'go1.2.2');
    assert.equal(prior?.final, undefined);
  });

  it('does a host again that an interrupt left untouched (skipped, INTERRUPTED)', () => {
    const h = host('a', { status: 'skipped', error: { code: 'INTERRUPTED', message: 'x' }, steps: [step('connect', 'ok', 1)] });
    const w = priorWork(run([h]), 'a');
    assert.equal(w.kind, 'resume');
    if (w.kind === 'resume') assert.equal(w.resume.state.prior.get('a')?.final, true);
  });

  it('returns a final result as it stands (a duplicate job never touches the host again)', () => {
    const h = host('a', { status: 'upgraded', from: 'go1.2.2', to: 'go1.2.3', startedAt: 10, endedAt: 40, extra: { delivery: 'push' }, steps: [step('connect', 'ok', 1), step('switch', 'ok', 2)] });
    const w = priorWork(run([h]), 'a');
    assert.equal(w.kind, 'final');
    if (w.kind !== 'final') return;
    assert.equal(w.result.status, 'upgraded');
    assert.equal(w.result.durationMs, 30);
    assert.equal(w.result.delivery, 'push');
    assert.deepEqual(w.result.steps.map((s) => s.step), ['connect', 'switch']);
    assert.equal('seq' in w.result.steps[0]!, false);
    const failed = priorWork(run([host('b', { status: 'failed', error: { code: 'VERIFY_FAILED', message: 'm' }, steps: [step('verify', 'fail', 1)] })]), 'b');
    assert.equal(failed.kind, 'final', 'a failed host is not tried again by another worker');
  });
});
