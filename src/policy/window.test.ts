import assert from 'node:assert/strict';
import test from 'node:test';
import { parseCron } from './cron.ts';
import { closesAt, isOpen, nextOpenings, type MaintenanceWindow } from './window.ts';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function weekly(tz: string, days: number[], hhmm: string, hours: number): MaintenanceWindow {
  const [hour, minute] = hhmm.split(':').map(Number) as [number, number];
  return { kind: 'weekly', tz, days, hour, minute, durationMs: hours * H };
}
function cron(tz: string, expression: string, hours: number): MaintenanceWindow {
  return { kind: 'cron', tz, expression, cron: parseCron(expression), durationMs: hours * H };
}

const SUN = 0;
const SAT = 6;

test('nextOpenings across DST changes and odd offsets', () => {
  const cases: { name: string; w: MaintenanceWindow; from: string; want: string[] }[] = [
    { name: 'Berlin spring forward: 02:30 does not exist, opens at 03:30 CEST', w: weekly('Europe/Berlin', [SUN], '02:30', 1), from: '2026-03-28T00:00:00Z', want: ['2026-03-29T01:30:00Z', '2026-04-05T00:30:00Z'] },
    { name: 'Berlin fall back: 02:30 happens twice, the first counts', w: weekly('Europe/Berlin', [SUN], '02:30', 1), from: '2026-10-24T00:00:00Z', want: ['2026-10-25T00:30:00Z', '2026-11-01T01:30:00Z'] },
    { name: 'Berlin cron nightly over the March change', w: cron('Europe/Berlin', '30 2 * * *', 1), from: '2026-03-28T00:00:00Z', want: ['2026-03-28T01:30:00Z', '2026-03-29T01:30:00Z', '2026-03-30T00:30:00Z'] },
    { name: 'Berlin cron in the repeated hour runs once', w: cron('Europe/Berlin', '30 2 * * *', 1), from: '2026-10-24T12:00:00Z', want: ['2026-10-25T00:30:00Z', '2026-10-26T01:30:00Z'] },
    { name: 'New York spring forward', w: cron('America/New_York', '30 2 * * *', 1), from: '2026-03-07T00:00:00Z', want: ['2026-03-07T07:30:00Z', '2026-03-08T07:30:00Z', '2026-03-09T06:30:00Z'] },
    { name: 'New York fall back: 01:30 EDT first', w: weekly('America/New_York', [SUN], '01:30', 2), from: '2026-10-31T00:00:00Z', want: ['2026-11-01T05:30:00Z', '2026-11-08T06:30:00Z'] },
    { name: 'Sydney DST ends in April (repeated 02:30)', w: cron('Australia/Sydney', '30 2 5 4 *', 1), from: '2026-04-01T00:00:00Z', want: ['2026-04-04T15:30:00Z'] },
    { name: 'Sydney DST starts in October (02:15 skipped)', w: weekly('Australia/Sydney', [SUN], '02:15', 1), from: '2026-10-01T00:00:00Z', want: ['2026-10-03T16:15:00Z', '2026-10-10T15:15:00Z'] },
    { name: 'Kolkata +05:30', w: weekly('Asia/Kolkata', [1], '09:00', 1), from: '2026-12-03T00:00:00Z', want: ['2026-12-07T03:30:00Z'] },
    { name: 'Kathmandu +05:45', w: cron('Asia/Kathmandu', '0 22 * * *', 1), from: '2026-12-03T00:00:00Z', want: ['2026-12-03T16:15:00Z'] },
    { name: 'Adelaide +10:30 in summer', w: cron('Australia/Adelaide', '0 0 1 1 *', 1), from: '2025-12-01T00:00:00Z', want: ['2025-12-31T13:30:00Z'] },
    { name: 'Lord Howe: a half-hour DST change, 01:45 repeated', w: weekly('Australia/Lord_Howe', [SUN], '01:45', 1), from: '2026-04-04T00:00:00Z', want: ['2026-04-04T14:45:00Z', '2026-04-11T15:15:00Z'] },
    { name: 'cron with both day fields: either matches', w: cron('UTC', '0 3 1 * mon', 1), from: '2026-12-01T00:00:00Z', want: ['2026-12-01T03:00:00Z', '2026-12-07T03:00:00Z', '2026-12-14T03:00:00Z'] },
    { name: 'cron 29 February waits for a leap year', w: cron('UTC', '0 0 29 2 *', 1), from: '2026-12-01T00:00:00Z', want: ['2028-02-29T00:00:00Z'] },
  ];
  for (const c of cases) {
    assert.deepEqual(nextOpenings(c.w, at(c.from), c.want.length).map(iso), c.want, c.name);
  }
});

test('isOpen and closesAt: duration is real time, also across a DST change', () => {
  const sat = weekly('Europe/Berlin', [SAT, SUN], '01:00', 4);
  const cases: { name: string; w: MaintenanceWindow; t: string; open: boolean; closes?: string }[] = [
    { name: 'at the opening (Sat 01:00 CET)', w: sat, t: '2026-03-28T00:00:00Z', open: true, closes: '2026-03-28T04:00:00Z' },
    { name: 'a minute before the opening', w: sat, t: '2026-03-27T23:59:00Z', open: false },
    { name: 'the last minute', w: sat, t: '2026-03-28T03:59:00Z', open: true, closes: '2026-03-28T04:00:00Z' },
    { name: 'at the close', w: sat, t: '2026-03-28T04:00:00Z', open: false },
    { name: 'Sunday of the change: 4 h of real time end at 06:00 CEST', w: sat, t: '2026-03-29T03:59:00Z', open: true, closes: '2026-03-29T04:00:00Z' },
    { name: 'a weekday', w: sat, t: '2026-03-25T01:00:00Z', open: false },
    { name: 'overlapping cron openings: the later close', w: cron('UTC', '0 * * * *', 1.5), t: '2026-12-03T10:10:00Z', open: true, closes: '2026-12-03T11:30:00Z' },
    { name: 'a window across midnight (Fri 23:00 + 3h, Saturday 01:30)', w: weekly('America/New_York', [5], '23:00', 3), t: '2026-12-05T06:30:00Z', open: true, closes: '2026-12-05T07:00:00Z' },
  ];
  for (const c of cases) {
    assert.equal(isOpen(c.w, at(c.t)), c.open, c.name);
    const closes = closesAt(c.w, at(c.t));
    assert.equal(closes === null ? undefined : iso(closes), c.closes, c.name);
  }
});
