// resume-host's decisions, on a fake connection and dialect, around a stand-in operation: which hosts are
// simply done again, which are re-probed, when this run's host script is waited for, how the journal's steps and
// the fresh facts reach decideResume, and how the first attempt's steps are kept in front of the new ones.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GofleetError } from '../errors.ts';
import type { HostSpec } from '../inventory/types.ts';
import type { EngineContext } from './context.ts';
import type { EngineStep, HostResult, StepRecord } from './events.ts';
import { HostRecorder } from './host-recorder.ts';
import { markResumed, resumeOperation, resumeStateOf, type PriorHost, type ResumeState } from './resume-host.ts';
import type { Sessions } from './sessions.ts';
import type { FactsAnswer } from './testing/scripted-host.ts';
import { factsOn, FROM, hostFacts, hostHarness, stepsOf, TARGET, type Harness } from './testing/builders.ts';

const OWN_LOCK = { pid: '42', run: 'run-1', since: '2026-01-01T00:00:00Z', stale: false };

const step = (name: EngineStep, status: StepRecord['status'] = 'ok'): StepRecord & { step: EngineStep } => ({ step: name, status, startedAt: 1, endedAt: status === 'running' ? null : 2 });

/** An operation standing in for upgrade/use: records its calls and ends the host `status`, from unknown. */
function standIn(ctx: EngineContext, status: HostResult['status'] = 'upgraded') {
  const calls: string[] = [];
  const op = async (spec: HostSpec, _sessions: Sessions): Promise<HostResult> => {
    calls.push(spec.name);
    const rec = new HostRecorder(spec.name, ctx.run, ctx.emit, ctx.now);
    rec.warnings.push('from the operation');
    rec.skip('upload', 'stand-in');
    return rec.result(status, null, TARGET);
  };
  return { op, calls };
}

interface Setup extends Harness {
  calls: string[];
  resume(prior?: PriorHost, state?: Partial<ResumeState>): Promise<HostResult>;
}

/** `ctx` overrides the context's fields: `{ fence: { token } }` plays a worker of a dispatched run (issue 14) */
function setup(facts: FactsAnswer[] = [hostFacts()], ctx: Partial<EngineContext> = {}): Setup {
  const h = hostHarness({ host: { facts }, ctx });
  const { op, calls } = standIn(h.ctx);
  const resume = (prior?: PriorHost, state: Partial<ResumeState> = {}): Promise<HostResult> => {
    const full: ResumeState = { command: 'upgrade', target: TARGET, prior: new Map(prior ? [[h.spec.name, prior]] : []), pollMs: 1, ...state };
    return resumeOperation(op, h.ctx, full)(h.spec, h.sessions);
  };
  return { ...h, calls, resume };
}

const summary = (r: HostResult): string => `${r.status} ${r.from} -> ${r.to}${r.error ? ` ${r.error.code}` : ''}`;
/** the messages of the result's `recover` steps */
const recovered = (r: HostResult): (string | undefined)[] => r.steps.filter((s) => s.step === 'recover').map((s) => s.message);
const SWITCH_READ = `the host is on ${TARGET}: the earlier attempt's switch completed`;

test('a host the interrupted run never started: the operation as usual, nothing probed first', { timeout: 5_000 }, async () => {
  const h = setup();
  const r = await h.resume();
  assert.deepEqual(h.calls, ['h1']);
  assert.deepEqual(h.connects, []);
  assert.deepEqual(stepsOf(r), ['upload:skip']);
});

test('a host left final (untouched or rolled back by the interrupt): done again, first steps in front, from kept', { timeout: 5_000 }, async () => {
  const h = setup();
  const r = await h.resume({ steps: [step('connect'), step('facts'), step('lock'), step('rollback')], from: FROM, final: true });
  assert.deepEqual(h.calls, ['h1']);
  assert.deepEqual(h.connects, [], 'not probed by resume itself');
  assert.equal(r.from, FROM);
  assert.deepEqual(stepsOf(r), ['connect:ok', 'facts:ok', 'lock:ok', 'rollback:ok', 'upload:skip']);
});

test('a step the controller died in is closed as failed INTERRUPTED, at the resume\'s time', { timeout: 5_000 }, async () => {
  const h = setup();
  const r = await h.resume({ steps: [step('connect'), step('upload', 'running')], from: FROM, final: true });
  const closed = r.steps[1];
  assert.deepEqual([closed?.status, closed?.code], ['fail', 'INTERRUPTED']);
  assert.match(closed?.message ?? '', /controller stopped during this step/);
  assert.ok((closed?.endedAt ?? 0) > 1000, 'ended at ctx.now()');
  assert.deepEqual(r.steps[0], { step: 'connect', status: 'ok', startedAt: 1, endedAt: 2 });
});

test('started but its host script never ran: re-probed, then the operation again; steps and warnings merged', { timeout: 5_000 }, async () => {
  const h = setup([hostFacts({ os: 'linux' })]);
  const r = await h.resume({ steps: [step('connect'), step('facts'), step('download', 'running')], from: FROM }, {});
  assert.deepEqual(h.calls, ['h1']);
  assert.equal(summary(r), `upgraded ${FROM} -> ${TARGET}`);
  assert.deepEqual(stepsOf(r), ['connect:ok', 'facts:ok', 'download:fail:INTERRUPTED', 'connect:ok', 'facts:ok', 'upload:skip']);
  assert.deepEqual(r.warnings, ['from the operation']);
});

test('the redo keeps the re-probe\'s warnings and takes the probed from when the journal has none', { timeout: 5_000 }, async () => {
  const h = setup();
  h.spec.os = 'darwin'; // the probe warns: the host reports linux
  const r = await h.resume({ steps: [step('connect')], from: null });
  assert.equal(r.from, FROM);
  assert.deepEqual(r.warnings, ['inventory says os=darwin but the host reports linux', 'from the operation']);
});

test('its script switched the host and the host is there: upgraded, left alone, the reading journaled as `recover`', { timeout: 5_000 }, async () => {
  const h = setup([factsOn(TARGET)]);
  const r = await h.resume({ steps: [step('connect'), step('facts'), step('lock'), step('stage'), step('switch', 'running')], from: FROM });
  assert.deepEqual(h.calls, []);
  assert.equal(summary(r), `upgraded ${FROM} -> ${TARGET}`);
  assert.deepEqual(stepsOf(r), ['connect:ok', 'facts:ok', 'lock:ok', 'stage:ok', 'switch:fail:INTERRUPTED', 'connect:ok', 'facts:ok', 'recover:ok']);
  assert.deepEqual(recovered(r), [SWITCH_READ]);
  assert.ok(r.warnings.some((w) => w.includes('finished the switch')));
  assert.deepEqual(h.host.kinds(), ['facts'], 'never switched twice');
});

test('only the journal\'s from says whether the run moved the host (a journal without one: unchanged)', { timeout: 5_000 }, async () => {
  const h = setup([factsOn(TARGET)]);
  const r = await h.resume({ steps: [step('lock'), step('switch')], from: null });
  assert.equal(summary(r), `unchanged ${TARGET} -> ${TARGET}`);
});

test('a journal without a from, the host seen moving while waited for: still unchanged (the probe before the wait is no from)', { timeout: 5_000 }, async () => {
  const h = setup([hostFacts({ lock: OWN_LOCK }), factsOn(TARGET)]);
  const r = await h.resume({ steps: [step('connect')], from: null });
  assert.deepEqual(h.calls, []);
  assert.equal(r.status, 'unchanged');
});

test('use: a host found switched is `switched`', { timeout: 5_000 }, async () => {
  const h = setup([factsOn(TARGET)]);
  const r = await h.resume({ steps: [step('lock'), step('switch')], from: FROM }, { command: 'use' });
  assert.equal(r.status, 'switched');
});

test('its script switched and the host is back on its old Go: rolled_back VERIFY_FAILED, not redone', { timeout: 5_000 }, async () => {
  const h = setup([hostFacts()]);
  const r = await h.resume({ steps: [step('lock'), step('stage'), step('switch'), step('verify', 'running')], from: FROM });
  assert.deepEqual(h.calls, []);
  assert.equal(summary(r), `rolled_back ${FROM} -> ${TARGET} VERIFY_FAILED`);
});

test('at the target but never verified: redone (the operation verifies it)', { timeout: 5_000 }, async () => {
  const h = setup([factsOn(TARGET, { managed: { unverified: TARGET } })]);
  await h.resume({ steps: [step('lock'), step('switch')], from: FROM });
  assert.deepEqual(h.calls, ['h1']);
});

test('an unverified mark for another version than the active one does not count', { timeout: 5_000 }, async () => {
  const h = setup([factsOn(TARGET, { managed: { unverified: 'go1.25.0' } })]);
  const r = await h.resume({ steps: [step('lock'), step('switch')], from: FROM });
  assert.deepEqual(h.calls, []);
  assert.equal(r.status, 'upgraded');
});

test('at the target by name but its go answers another version: redone, not called upgraded', { timeout: 5_000 }, async () => {
  const h = setup([factsOn(TARGET, { goroot: { goVersion: 'go1.26.8' } })]);
  await h.resume({ steps: [step('lock'), step('stage')], from: FROM });
  assert.deepEqual(h.calls, ['h1']);
});

test('this run\'s script still holds its lock: waited for (recover step), then the host is judged as it ends', { timeout: 5_000 }, async () => {
  const h = setup([hostFacts({ lock: OWN_LOCK }), factsOn(TARGET)]);
  // the journal shows no script step: only the wait tells that this run's script ran
  const r = await h.resume({ steps: [step('connect'), step('facts')], from: FROM });
  assert.deepEqual(h.calls, []);
  assert.equal(summary(r), `upgraded ${FROM} -> ${TARGET}`);
  assert.deepEqual(stepsOf(r).slice(-3), ['connect:ok', 'facts:ok', 'recover:ok']);
  assert.deepEqual(recovered(r), [SWITCH_READ], 'one recover step: the wait, carrying what it read');
  assert.deepEqual(h.host.kinds(), ['facts', 'facts']);
});

test('waited for, then done again: the wait\'s recover step says why', { timeout: 5_000 }, async () => {
  const h = setup([hostFacts({ lock: OWN_LOCK }), hostFacts()]);
  const r = await h.resume({ steps: [step('connect'), step('lock'), step('stage', 'running')], from: FROM });
  assert.deepEqual(h.calls, ['h1']);
  assert.deepEqual(stepsOf(r).slice(-4), ['connect:ok', 'facts:ok', 'recover:ok', 'upload:skip']);
  assert.deepEqual(recovered(r), [`the host is on ${FROM}: the earlier attempt's host script ended before switching it; done again`]);
});

test('done again without a wait: no recover step (nothing was recovered)', { timeout: 5_000 }, async () => {
  const h = setup([hostFacts()]);
  const r = await h.resume({ steps: [step('connect'), step('lock'), step('stage', 'running')], from: FROM });
  assert.deepEqual(h.calls, ['h1']);
  assert.deepEqual(recovered(r), []);
});

test('fenced: the earlier worker\'s orphaned script finished the switch before this attempt probed: recovered, journaled, never switched again', { timeout: 5_000 }, async () => {
  // its switch step cut off by the kill (closed INTERRUPTED), or never journaled at all
  for (const steps of [[step('connect'), step('facts'), step('lock'), step('stage'), step('switch', 'running')], [step('connect'), step('facts'), step('lock'), step('pull', 'running')]]) {
    const h = setup([factsOn(TARGET)], { fence: { token: 6 } });
    const r = await h.resume({ steps, from: FROM });
    assert.deepEqual(h.calls, []);
    assert.equal(summary(r), `upgraded ${FROM} -> ${TARGET}`);
    assert.deepEqual(stepsOf(r).slice(-3), ['connect:ok', 'facts:ok', 'recover:ok']);
    assert.deepEqual(recovered(r), [SWITCH_READ]);
    assert.equal(r.steps.filter((s) => s.step === 'switch' && s.status === 'ok').length, 0, 'the switch is the recover step\'s, not a new one');
    assert.deepEqual(h.host.kinds(), ['facts'], 'the host read once, no script sent');
  }
});

test('fenced: a live lock of this run is not waited for (the host script judges it by token); the host settled from what it shows', { timeout: 5_000 }, async () => {
  // the orphan past its switch and verification, not yet unlocked: recovered at once, the orphan unlocks by itself
  const done = setup([factsOn(TARGET, { lock: OWN_LOCK })], { fence: { token: 6 } });
  const r = await done.resume({ steps: [step('lock'), step('switch', 'running')], from: FROM });
  assert.equal(summary(r), `upgraded ${FROM} -> ${TARGET}`);
  assert.deepEqual(recovered(r), [SWITCH_READ]);
  assert.deepEqual(done.host.kinds(), ['facts']);
  // the orphan before its switch: done again (its host script takes the lock over), nothing recovered
  const early = setup([hostFacts({ lock: OWN_LOCK })], { fence: { token: 6 } });
  const again = await early.resume({ steps: [step('lock'), step('pull', 'running')], from: FROM });
  assert.deepEqual(early.calls, ['h1']);
  assert.deepEqual(early.host.kinds(), ['facts']);
  assert.deepEqual(recovered(again), []);
});

test('another run\'s lock, or a stale one of this run, is not waited for', { timeout: 5_000 }, async () => {
  for (const lock of [{ ...OWN_LOCK, run: 'run-0' }, { ...OWN_LOCK, stale: true }]) {
    const h = setup([hostFacts({ lock })]);
    await h.resume({ steps: [step('connect')], from: FROM });
    assert.deepEqual(h.host.kinds(), ['facts']);
    assert.deepEqual(h.calls, ['h1']);
  }
});

test('this run\'s script still running at the wait\'s end: failed HOST_LOCKED, resume again later', { timeout: 5_000 }, async () => {
  const h = setup([hostFacts({ lock: OWN_LOCK })]);
  const r = await h.resume({ steps: [step('lock')], from: FROM }, { waitMs: 0 });
  assert.equal(summary(r), `failed ${FROM} -> ${TARGET} HOST_LOCKED`);
  assert.match(r.error?.message ?? '', /\(pid 42\) is still running/);
  assert.match(r.error?.hint ?? '', /resume RUN/);
  assert.deepEqual(h.calls, []);
  assert.deepEqual(stepsOf(r).slice(-1), ['recover:fail:HOST_LOCKED']);
});

test('rollback whose script ran: never run again (it could switch back), failed with what the host is on', { timeout: 5_000 }, async () => {
  const h = setup([hostFacts()]);
  const r = await h.resume({ steps: [step('lock'), step('switch')], from: TARGET }, { command: 'rollback', target: null });
  assert.deepEqual(h.calls, []);
  assert.equal(summary(r), `failed ${TARGET} -> null REMOTE_FAILED`);
  assert.match(r.error?.message ?? '', /now on go1\.26\.8/);
});

test('a host that cannot be reached on resume: unreachable, with the first attempt\'s steps in front', { timeout: 5_000 }, async () => {
  const h = setup();
  h.connectErrors.push(new GofleetError('HOST_UNREACHABLE', 'h1: connection refused'));
  const r = await h.resume({ steps: [step('connect'), step('lock', 'running')], from: FROM });
  assert.equal(summary(r), `unreachable ${FROM} -> ${TARGET} HOST_UNREACHABLE`);
  assert.deepEqual(stepsOf(r), ['connect:ok', 'lock:fail:INTERRUPTED', 'connect:fail:HOST_UNREACHABLE']);
  assert.deepEqual(h.calls, []);
});

test('the resume state travels with the context it was marked on', () => {
  const h = setup();
  const state: ResumeState = { command: 'upgrade', target: TARGET, prior: new Map() };
  assert.equal(resumeStateOf(h.ctx), undefined);
  markResumed(h.ctx, state);
  assert.equal(resumeStateOf(h.ctx), state);
  assert.equal(resumeStateOf(setup().ctx), undefined);
});
