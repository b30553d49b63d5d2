// The rollout loop with a wave runner of a test's own: the runner sees each wave with its gate, a host it was not
// allowed to start is reported by the loop, and a runner that loses a host is an error rather than a silent gap.
// (The loop's rollout rules run through both strategies in run-fleet.test.ts and src/cli/coordinate-fleet.test.ts.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostSpec } from '../inventory/types.ts';
import type { EngineContext } from './context.ts';
import type { EngineEvent, HostResult } from './events.ts';
import { HostRecorder } from './host-recorder.ts';
import { runRollout } from './rollout.ts';

const spec = (name: string): HostSpec => ({ name, address: name, port: 22, transport: 'ssh', knownHosts: '', become: false, tags: [], groups: [], vars: {}, source: { file: 'inv' } });

function context(): { ctx: EngineContext; events: EngineEvent[] } {
  const events: EngineEvent[] = [];
  let clock = 0;
  return { events, ctx: { run: 'r1', emit: (e: EngineEvent) => events.push(e), now: () => ++clock } as unknown as EngineContext };
}

const result = (name: string, status: 'upgraded' | 'failed'): HostResult => new HostRecorder(name, 'r1', () => undefined, () => 1).result(status, 'go1.26.8', 'go1.27.3');

test('a wave runner gets each wave with its gate; a host the gate refuses is reported by the loop, skipped', async () => {
  const { ctx, events } = context();
  const seen: string[] = [];
  const results = await runRollout(['a', 'b', 'c', 'd'].map(spec), ctx, { command: 'upgrade', target: 'go1.27.3', parallel: 1, rollout: { waves: '1', maxFail: { count: 0 } } }, async (w) => {
    for (const h of w.hosts) {
      if (!w.mayStart(h)) continue;
      seen.push(`${w.wave} ${h.name}`);
      w.report(h.name, result(h.name, h.name === 'b' ? 'failed' : 'upgraded'));
    }
  });
  assert.deepEqual(seen, ['1 a', '2 b']);
  assert.deepEqual(results.map((r) => `${r.name} ${r.status} ${r.wave} ${r.error?.code ?? ''}`), ['a upgraded 1 ', 'b failed 2 ', 'c skipped 2 BUDGET_EXCEEDED', 'd skipped 2 BUDGET_EXCEEDED']);
  assert.deepEqual(events.filter((e) => e.kind === 'host-done').length, 4);
});

test('a wave runner that never reports a host fails the rollout', async () => {
  const { ctx } = context();
  await assert.rejects(
    runRollout([spec('a'), spec('b')], ctx, { command: 'upgrade', target: 'go1.27.3', parallel: 2 }, async (w) => {
      w.report('a', result('a', 'upgraded'));
    }),
    /never reported b/,
  );
});
