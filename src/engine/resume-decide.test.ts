import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideResume, scriptRan, type ResumeInput } from './resume-decide.ts';
import type { EngineStep } from './events.ts';

const steps = (...names: EngineStep[]): { step: EngineStep }[] => names.map((step) => ({ step }));

function input(over: Partial<ResumeInput>): ResumeInput {
  return { command: 'upgrade', target: 'go1.27.3', priorSteps: [], waited: false, facts: { active: 'go1.26.8' }, ...over };
}

test('a host whose script never ran is done again, whatever it is on', () => {
  assert.equal(scriptRan(steps('connect', 'facts', 'download', 'upload')), false);
  assert.equal(decideResume(input({ priorSteps: steps('connect', 'facts', 'upload') }), 'h').kind, 'redo');
  assert.equal(decideResume(input({ priorSteps: steps('connect'), facts: { active: 'go1.27.3' } }), 'h').kind, 'redo');
});

test('at the target after this run\'s script ran (seen in the journal, or waited for): unchanged, never switched again', () => {
  for (const over of [{ priorSteps: steps('connect', 'facts', 'lock', 'stage') }, { priorSteps: steps('connect', 'facts'), waited: true }]) {
    const d = decideResume(input({ ...over, facts: { active: 'go1.27.3', goVersion: 'go1.27.3' } }), 'h');
    assert.equal(d.kind, 'final');
    assert.equal(d.kind === 'final' && d.status, 'unchanged');
    assert.match(d.kind === 'final' ? (d.warning ?? '') : '', /finished the switch to go1\.27\.3/);
  }
});

test('at the target after this run\'s script ran, from another version known from the journal: upgraded, not switched again', () => {
  const moved = decideResume(input({ priorSteps: steps('lock', 'stage', 'switch'), from: 'go1.26.8', facts: { active: 'go1.27.3', goVersion: 'go1.27.3' } }), 'h');
  assert.equal(moved.kind === 'final' && moved.status, 'upgraded');
  assert.equal(moved.read, "the host is on go1.27.3: the earlier attempt's switch completed", 'the recover step says the switch was read back');
  const fresh = decideResume(input({ priorSteps: steps('lock', 'stage', 'switch'), from: null, facts: { active: 'go1.27.3', goVersion: 'go1.27.3' } }), 'h');
  assert.equal(fresh.kind === 'final' && fresh.status, 'upgraded', 'a first install counts as upgraded');
  const used = decideResume(input({ command: 'use', priorSteps: steps('lock', 'switch'), from: 'go1.26.8', facts: { active: 'go1.27.3', goVersion: 'go1.27.3' } }), 'h');
  assert.equal(used.kind === 'final' && used.status, 'switched', '`use` moved among installed versions: switched');
  const same = decideResume(input({ priorSteps: steps('lock'), from: 'go1.27.3', facts: { active: 'go1.27.3', goVersion: 'go1.27.3' } }), 'h');
  assert.equal(same.kind === 'final' && same.status, 'unchanged');
  assert.equal(same.read, 'the host is on go1.27.3, as it was when the run started it');
});

test('a target by name whose go answers something else is not trusted: done again (the upgrade refuses it)', () => {
  const d = decideResume(input({ priorSteps: steps('lock', 'stage', 'switch'), facts: { active: 'go1.27.3', goVersion: null } }), 'h');
  assert.equal(d.kind, 'redo');
  assert.match(d.read, /go1\.27\.3 by name, but its go answers nothing; done again/);
});

test('switched in the journal, now back on another version: rolled back by itself', () => {
  const d = decideResume(input({ priorSteps: steps('lock', 'stage', 'switch', 'verify'), facts: { active: 'go1.26.8' } }), 'h2');
  assert.equal(d.kind === 'final' && d.status, 'rolled_back');
  assert.equal(d.kind === 'final' && d.error?.code, 'VERIFY_FAILED');
  assert.match(d.kind === 'final' ? (d.error?.message ?? '') : '', /^h2: .*rolled back by itself to go1\.26\.8/);
  assert.equal(d.read, 'the host is on go1.26.8: the earlier attempt switched it to go1.27.3, then its host script rolled it back');
});

test('script ran but stopped before switching: nothing half-done, done again', () => {
  assert.equal(decideResume(input({ priorSteps: steps('lock', 'stage'), facts: { active: 'go1.26.8' } }), 'h').kind, 'redo');
  assert.equal(decideResume(input({ waited: true, facts: { active: 'go1.26.8' } }), 'h').kind, 'redo');
});

test('prune is done again; a rollback whose script ran is not repeated (it could switch back)', () => {
  assert.equal(decideResume(input({ command: 'prune', target: null, priorSteps: steps('lock', 'prune') }), 'h').kind, 'redo');
  const d = decideResume(input({ command: 'rollback', target: null, priorSteps: steps('lock', 'switch') }), 'h');
  assert.equal(d.kind === 'final' && d.status, 'failed');
  assert.equal(decideResume(input({ command: 'rollback', target: null, priorSteps: steps('connect') }), 'h').kind, 'redo');
});

test('at the target but the switch was never verified (the host script died after it): done again, which verifies it', () => {
  const d = decideResume(input({ priorSteps: steps('lock', 'stage', 'switch', 'verify'), from: 'go1.26.8', facts: { active: 'go1.27.3', goVersion: 'go1.27.3', unverified: true } }), 'h');
  assert.equal(d.kind, 'redo');
  assert.match(d.read, /never verified the switch; done again, which verifies it/);
});
