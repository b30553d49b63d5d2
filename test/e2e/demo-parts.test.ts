// `npm run demo`'s promises (README): nothing outside temp dirs and a user cache dir is touched, the hosts it
// talks about are the hosts of its inventory, and the log path its summary prints still exists afterwards.
// The demo itself takes minutes (a real upgrade of 3 hosts); these check the parts that decide those promises.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoFixturesDir, demoHostNames, tidyDemoDir } from '../../scripts/demo-parts.ts';
import { runLogPath } from '../../src/log/run-log.ts';

const checkout = fileURLToPath(new URL('../../', import.meta.url));

test('the demo caches its toolchain archives in a user cache dir, never in the checkout', () => {
  const dir = demoFixturesDir({}, '/home/ops');
  assert.equal(dir, '/home/ops/.cache/gofleet-demo');
  assert.ok(relative(checkout, dir).startsWith('..'), `${dir} is outside ${checkout}`);
  assert.equal(demoFixturesDir({ XDG_CACHE_HOME: '/var/cache/ops' }, '/home/ops'), '/var/cache/ops/gofleet-demo');
  assert.equal(demoFixturesDir({ GOFLEET_FIXTURES_DIR: '/srv/fx' }, '/home/ops'), '/srv/fx', 'an explicit choice wins');
});

test('the demo names its hosts as its inventory does (demo-N), never the harness names (host-N)', () => {
  assert.deepEqual(demoHostNames(3), ['demo-1', 'demo-2', 'demo-3']);
});

test('after the demo the journal and the run log it printed are kept; the throwaway fleet is gone', () => {
  const work = mkdtempSync(join(tmpdir(), 'gofleet-demo-test-'));
  const state = join(work, 'state', 'gofleet.db');
  const log = runLogPath(state, '20261202-131500-abcd');
  mkdirSync(join(work, 'state', 'logs'), { recursive: true });
  writeFileSync(state, 'journal');
  writeFileSync(log, '{}\n');
  for (const dir of ['source', 'cache', 'demo-1/usr-local/go']) mkdirSync(join(work, dir), { recursive: true });
  writeFileSync(join(work, 'cache', 'go1.27.3.linux-amd64.tar.gz'), 'x'.repeat(1024));
  writeFileSync(join(work, 'inventory.yml'), 'hosts: {}\n');
  assert.deepEqual(tidyDemoDir(work), [join(work, 'state')]);
  assert.ok(existsSync(log), 'the log path the summary printed still exists');
  assert.ok(existsSync(state));
  for (const gone of ['source', 'cache', 'demo-1', 'inventory.yml']) assert.equal(existsSync(join(work, gone)), false, gone);
});
