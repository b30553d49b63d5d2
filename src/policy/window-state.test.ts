import assert from 'node:assert/strict';
import test from 'node:test';
import type { MaintenanceWindow } from './window.ts';
import { windowState, windowWords } from './window-state.ts';

const H = 3_600_000;
// Saturdays and Sundays 02:00 Europe/Berlin for 4 hours (CET in December: 01:00Z)
const weekend: MaintenanceWindow = { kind: 'weekly', tz: 'Europe/Berlin', days: [6, 0], hour: 2, minute: 0, durationMs: 4 * H };

test('windowState: open with its close, or closed with the next opening; words in the window\'s zone', () => {
  const open = windowState(weekend, Date.parse('2026-12-05T03:00:00Z'));
  assert.deepEqual(open, { open: true, closes_at: '2026-12-05T05:00:00.000Z', next_opening: '2026-12-06T01:00:00.000Z', tz: 'Europe/Berlin' });
  assert.equal(windowWords(open!), 'open until 2026-12-05 06:00 Europe/Berlin');
  const closed = windowState(weekend, Date.parse('2026-12-03T08:00:00Z'));
  assert.deepEqual(closed, { open: false, closes_at: null, next_opening: '2026-12-05T01:00:00.000Z', tz: 'Europe/Berlin' });
  assert.equal(windowWords(closed!), 'closed, opens 2026-12-05 02:00 Europe/Berlin');
  // the instant it opens counts as open; the instant it closes as closed
  assert.equal(windowState(weekend, Date.parse('2026-12-05T01:00:00Z'))?.open, true);
  assert.equal(windowState(weekend, Date.parse('2026-12-05T05:00:00Z'))?.open, false);
  assert.equal(windowState(undefined, 0), null, 'no window: any time');
});
