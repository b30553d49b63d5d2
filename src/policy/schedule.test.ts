import assert from 'node:assert/strict';
import test from 'node:test';
import { parsePolicy } from './parse-policy.ts';
import { schedule, scheduleText } from './schedule.ts';

const policy = parsePolicy('p.yaml', `channels:
  stable: { track: "1.27" }
assign:
  - hosts: "web-*"
    channel: stable
    window: { days: [sun, sat], start: "02:00", duration: 4h, tz: Europe/Berlin }
  - hosts: "db-*"
    channel: stable
    window: { cron: "30 1 * * 1-5", duration: 90m, tz: America/New_York }
  - hosts: "*"
    channel: stable
`);
// Wednesday 2026-12-02 12:00 UTC
const NOW = Date.UTC(2026, 11, 2, 12);

test('schedule: each window in words (Monday-first days), its state now and its next openings', () => {
  const entries = schedule(policy, new Map([[0, 3], [2, 1]]), NOW, 2);
  assert.deepEqual(entries.map((e) => [e.window, e.host_count, e.now?.open ?? null]), [
    ['weekly sat,sun 02:00 for 4h', 3, false],
    ['cron "30 1 * * 1-5" for 1h30m', 0, false],
    [null, 1, null],
  ]);
  // Saturday 02:00 Berlin = 01:00 UTC; 06:00 Berlin = 05:00 UTC
  assert.deepEqual(entries[0]?.next, [
    { opens: '2026-12-05T01:00:00.000Z', closes: '2026-12-05T05:00:00.000Z' },
    { opens: '2026-12-06T01:00:00.000Z', closes: '2026-12-06T05:00:00.000Z' },
  ]);
  // Thursday 01:30 New York (EST, UTC-5) = 06:30 UTC
  assert.equal(entries[1]?.next[0]?.opens, '2026-12-03T06:30:00.000Z');
  const text = scheduleText(entries);
  assert.match(text, /^assign\[0\] hosts "web-\*" -> stable, 3 hosts: weekly sat,sun 02:00 for 4h \(Europe\/Berlin\)\n {2}now: closed, opens 2026-12-05 02:00 Europe\/Berlin\n {2}sat 2026-12-05 02:00 - sat 2026-12-05 06:00 Europe\/Berlin {2}\(2026-12-05T01:00:00\.000Z - 2026-12-05T05:00:00\.000Z\)$/m);
  assert.match(text, /^assign\[2\] hosts "\*" -> stable, 1 host: no window \(any reconcile may roll out\)$/m);
});
