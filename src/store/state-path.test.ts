import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultStatePath } from './state-path.ts';

test('GOFLEET_STATE wins over XDG_STATE_HOME', () => {
  assert.equal(defaultStatePath({ GOFLEET_STATE: '/srv/fleet.db', XDG_STATE_HOME: '/x' }, '/home/ops'), '/srv/fleet.db');
});

test('XDG_STATE_HOME, then ~/.local/state', () => {
  assert.equal(defaultStatePath({ XDG_STATE_HOME: '/var/state' }, '/home/ops'), '/var/state/gofleet/gofleet.db');
  assert.equal(defaultStatePath({}, '/home/ops'), '/home/ops/.local/state/gofleet/gofleet.db');
});

test('empty or relative XDG_STATE_HOME is ignored (XDG spec)', () => {
  assert.equal(defaultStatePath({ XDG_STATE_HOME: '' }, '/home/ops'), '/home/ops/.local/state/gofleet/gofleet.db');
  assert.equal(defaultStatePath({ XDG_STATE_HOME: 'rel/state' }, '/home/ops'), '/home/ops/.local/state/gofleet/gofleet.db');
  assert.equal(defaultStatePath({ GOFLEET_STATE: '' }, '/home/ops'), '/home/ops/.local/state/gofleet/gofleet.db');
});
