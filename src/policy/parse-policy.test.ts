import assert from 'node:assert/strict';
import test from 'node:test';
import { GofleetError } from '../errors.ts';
import { dedent } from '../inventory/test-helpers.ts';
import { parsePolicy } from './parse-policy.ts';

const GOOD = dedent(`
  channels:
    stable: { track: "1.27", min_age: 3d, gotoolchain: local }
    newest: { track: latest, allow_downgrade: true }
    legacy: { pin: go1.26.8 }
  assign:
    - hosts: "windows-agents,tag:canary"
      channel: stable
      window: { days: [saturday, sun], start: "02:00", duration: 4h, tz: Europe/Berlin }
      rollout: { canary: 1, waves: "10%,50%", max_fail: "5%", parallel: 10, drain_timeout: 10m, pause: true, pause_after: 30m }
    - hosts: "build-*"
      channel: newest
      window: { cron: "0 2 * * 6", duration: 1h30m, tz: America/New_York }
      rollout: { waves: [1, 50%] }
      gotoolchain: auto
    - hosts: "*"
      channel: legacy
`);

test('a good policy: channels, assignments in order, windows and rollout shapes', () => {
  const p = parsePolicy('policy.yaml', GOOD);
  assert.deepEqual(p.channels.get('stable'), { name: 'stable', target: { kind: 'track', spec: '1.27' }, minAge: '3d', allowDowngrade: false, gotoolchain: 'local', line: 2 });
  assert.deepEqual(p.channels.get('newest')?.target, { kind: 'track', spec: 'latest' });
  assert.equal(p.channels.get('newest')?.allowDowngrade, true);
  assert.deepEqual(p.channels.get('legacy')?.target, { kind: 'pin', version: 'go1.26.8' });
  assert.deepEqual(p.assign.map((a) => [a.hosts, a.channel, a.line]), [['windows-agents,tag:canary', 'stable', 6], ['build-*', 'newest', 10], ['*', 'legacy', 15]]);
  const [a, b, c] = p.assign;
  assert.deepEqual(a?.rollout, { canary: 1, waves: '10%,50%', maxFail: '5%', parallel: 10, drainTimeout: '10m', pause: true, pauseAfter: '30m' });
  assert.deepEqual(a?.window, { kind: 'weekly', tz: 'Europe/Berlin', durationMs: 4 * 3_600_000, days: [0, 6], hour: 2, minute: 0 });
  assert.equal(b?.window?.kind, 'cron');
  assert.equal(b?.window?.durationMs, 90 * 60_000);
  assert.equal(b?.rollout.waves, '1,50%');
  assert.equal(b?.gotoolchain, 'auto');
  assert.equal(c?.window, undefined);
});

test('bad policies: file:line, the field, a stable code and a hint', () => {
  const ch = 'channels:\n  s: { track: "1.27" }\n';
  const cases: { name: string; text: string; code: string; line: number; message: RegExp; hint?: RegExp }[] = [
    { name: 'YAML syntax', text: 'channels:\n  s: { track: "1.27"\nassign: []\n', code: 'POLICY_PARSE', line: 3, message: /YAML syntax error/ },
    { name: 'unknown top-level key', text: `${ch}assignments:\n  - { hosts: "*", channel: s }\n`, code: 'POLICY_INVALID', line: 3, message: /unknown key "assignments".*did you mean "assign"/ },
    { name: 'no channels', text: 'assign:\n  - { hosts: "*", channel: s }\n', code: 'POLICY_INVALID', line: 1, message: /channels must be a map/ },
    { name: 'unquoted line is a number', text: 'channels:\n  s:\n    track: 1.20\nassign: [{ hosts: "*", channel: s }]\n', code: 'POLICY_INVALID', line: 3, message: /number to YAML/, hint: /track: "1.2"/ },
    { name: 'track and pin', text: 'channels:\n  s: { track: "1.27", pin: go1.26.8 }\nassign: [{ hosts: "*", channel: s }]\n', code: 'POLICY_INVALID', line: 2, message: /exactly one of track/ },
    { name: 'pin a line', text: 'channels:\n  s: { pin: "1.26" }\nassign: [{ hosts: "*", channel: s }]\n', code: 'POLICY_INVALID', line: 2, message: /pin takes an exact version/, hint: /track: "1.26"/ },
    { name: 'track an exact version', text: 'channels:\n  s: { track: go1.27.3 }\nassign: [{ hosts: "*", channel: s }]\n', code: 'POLICY_INVALID', line: 2, message: /track takes a line/, hint: /pin: go1.27.3/ },
    { name: 'bad spec', text: 'channels:\n  s:\n    track: "1.27.x"\nassign: [{ hosts: "*", channel: s }]\n', code: 'POLICY_INVALID', line: 3, message: /write 1.27 for the latest/ },
    { name: 'bad min_age', text: 'channels:\n  s:\n    track: latest\n    min_age: 3 days\nassign: [{ hosts: "*", channel: s }]\n', code: 'POLICY_INVALID', line: 4, message: /channels.s.min_age: min_age must be a duration/ },
    { name: 'misspelt channel key', text: 'channels:\n  s:\n    track: latest\n    allow_downgrad: true\nassign: [{ hosts: "*", channel: s }]\n', code: 'POLICY_INVALID', line: 4, message: /did you mean "allow_downgrade"/ },
    { name: 'unknown channel', text: `${ch}assign:\n  - hosts: "*"\n    channel: stable\n`, code: 'POLICY_INVALID', line: 5, message: /no channel named "stable"/, hint: /Channels defined: s/ },
    { name: 'empty hosts pattern', text: `${ch}assign:\n  - hosts: ","\n    channel: s\n`, code: 'POLICY_INVALID', line: 4, message: /holds no host pattern/ },
    { name: 'no assign', text: ch, code: 'POLICY_INVALID', line: 1, message: /assign must be a list/ },
    { name: 'window without tz', text: `${ch}assign:\n  - hosts: "*"\n    channel: s\n    window:\n      cron: "0 2 * * *"\n      duration: 1h\n`, code: 'POLICY_INVALID', line: 6, message: /assign.0.window.tz: tz must be a non-empty string/ },
    { name: 'unknown zone', text: `${ch}assign:\n  - hosts: "*"\n    channel: s\n    window:\n      cron: "0 2 * * *"\n      duration: 1h\n      tz: Europe/Berlln\n`, code: 'POLICY_INVALID', line: 9, message: /unknown time zone "Europe\/Berlln"/, hint: /IANA/ },
    { name: 'bad cron', text: `${ch}assign:\n  - hosts: "*"\n    channel: s\n    window:\n      cron: "0 25 * * *"\n      duration: 1h\n      tz: UTC\n`, code: 'POLICY_INVALID', line: 7, message: /hour: 25 is out of range 0-23/ },
    { name: 'cron and days', text: `${ch}assign:\n  - hosts: "*"\n    channel: s\n    window: { cron: "0 2 * * *", days: [sat], duration: 1h, tz: UTC }\n`, code: 'POLICY_INVALID', line: 6, message: /either weekly/ },
    { name: 'bad start', text: `${ch}assign:\n  - hosts: "*"\n    channel: s\n    window:\n      days: [sat]\n      start: "2am"\n      duration: 1h\n      tz: UTC\n`, code: 'POLICY_INVALID', line: 8, message: /start must be a time HH:MM/ },
    { name: 'bad day', text: `${ch}assign:\n  - hosts: "*"\n    channel: s\n    window:\n      days:\n        - sat\n        - someday\n      start: "02:00"\n      duration: 1h\n      tz: UTC\n`, code: 'POLICY_INVALID', line: 9, message: /"someday" is not a week day/ },
    { name: 'a day name with a tail', text: `${ch}assign:\n  - hosts: "*"\n    channel: s\n    window: { days: [saturn], start: "02:00", duration: 1h, tz: UTC }\n`, code: 'POLICY_INVALID', line: 6, message: /"saturn" is not a week day/ },
    { name: 'window too long', text: `${ch}assign:\n  - hosts: "*"\n    channel: s\n    window: { days: [sat], start: "02:00", duration: 8d, tz: UTC }\n`, code: 'POLICY_INVALID', line: 6, message: /at most 7d/ },
    { name: 'rollout in a second vocabulary', text: `${ch}assign:\n  - hosts: "*"\n    channel: s\n    rollout:\n      maxFailures: 2\n`, code: 'POLICY_INVALID', line: 7, message: /unknown key "maxFailures" in rollout/, hint: /canary, waves, max_fail, parallel, drain_timeout, pause, pause_after/ },
    { name: 'decreasing waves', text: `${ch}assign:\n  - hosts: "*"\n    channel: s\n    rollout:\n      waves: "50%,10%"\n`, code: 'POLICY_INVALID', line: 7, message: /assign.0.rollout.waves: "50%,10%": entries are cumulative/ },
    { name: 'bad max_fail', text: `${ch}assign:\n  - hosts: "*"\n    channel: s\n    rollout:\n      max_fail: "150%"\n`, code: 'POLICY_INVALID', line: 7, message: /percentage/ },
    { name: 'bad parallel', text: `${ch}assign:\n  - hosts: "*"\n    channel: s\n    rollout: { parallel: 0 }\n`, code: 'POLICY_INVALID', line: 6, message: /parallel must be a whole number from 1 to 1000/ },
    { name: 'bad pause', text: `${ch}assign:\n  - hosts: "*"\n    channel: s\n    rollout:\n      pause: yes please\n`, code: 'POLICY_INVALID', line: 7, message: /pause must be true or false/ },
    { name: 'bad pause_after', text: `${ch}assign:\n  - hosts: "*"\n    channel: s\n    rollout:\n      pause_after: later\n`, code: 'POLICY_INVALID', line: 7, message: /pause_after must be like 90s/ },
    { name: 'bad drain_timeout', text: `${ch}assign:\n  - hosts: "*"\n    channel: s\n    rollout:\n      drain_timeout: soon\n`, code: 'POLICY_INVALID', line: 7, message: /drain_timeout must be like 90s/ },
    { name: 'bad gotoolchain', text: `${ch}assign:\n  - hosts: "*"\n    channel: s\n    gotoolchain: go1.27.3\n`, code: 'POLICY_INVALID', line: 6, message: /gotoolchain must be local or auto/ },
  ];
  for (const c of cases) {
    const err = (() => {
      try {
        parsePolicy('p.yaml', c.text);
      } catch (e) {
        return e;
      }
      assert.fail(`${c.name}: no error`);
    })();
    assert.ok(err instanceof GofleetError, c.name);
    assert.equal(err.code, c.code, `${c.name}: ${err.message}`);
    assert.equal(err.location?.line, c.line, `${c.name}: ${err.message}`);
    assert.ok(err.message.startsWith(`p.yaml:${c.line}: `), `${c.name}: ${err.message}`);
    assert.match(err.message, c.message, c.name);
    if (c.hint) assert.match(err.hint ?? '', c.hint, c.name);
    else assert.ok((err.hint ?? '') !== '', `${c.name}: has a hint`);
  }
});
