import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../store/index.ts';
import { hostEvents } from './testing/fake-data.ts';
import { liveEventsFromJournal } from './journal-events.ts';
import type { LiveEvent } from './types.ts';

test('a journaled run replays as the events the engine emitted, then the pause held now', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-serve-journal-'));
  const store = openStore(join(dir, 'gofleet.db'));
  t.after(() => (store.close(), rmSync(dir, { recursive: true, force: true })));
  const run = 'r1';
  const emitted: LiveEvent[] = [
    { kind: 'run-start', run, command: 'upgrade', target: 'go1.27.3', hosts: ['a', 'b'], at: 1 },
    { kind: 'wave-start', run, wave: 1, hosts: ['a'], at: 2 },
    ...hostEvents(run, 'a', 3, 10),
    { kind: 'wave-end', run, wave: 1, at: 100 },
  ];
  const sink = store.recorder({ run, argv: [], command: 'upgrade', target: 'go1.27.3', policy: {} });
  for (const e of emitted) if (e.kind !== 'paused' && e.kind !== 'resumed' && e.kind !== 'fleet-updated') sink(e);
  const paused = { kind: 'paused' as const, run, wave: 2, waves: 2, hosts: ['b'], at: 101 };
  assert.deepEqual(liveEventsFromJournal((await store.runEvents(run)), paused), [...emitted, paused]);
  assert.deepEqual(liveEventsFromJournal((await store.runEvents(run))).length, emitted.length);
});
