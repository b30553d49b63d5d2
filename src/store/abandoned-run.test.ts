import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { isAbandoned } from './abandoned-run.ts';

test('a running run whose controller process is gone is abandoned; only on the machine that ran it', () => {
  const exited = spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' }).pid;
  assert.ok(exited);
  const here = hostname();
  assert.equal(isAbandoned({ status: 'running', controller: here, pid: exited }), true);
  assert.equal(isAbandoned({ status: 'running', controller: here, pid: process.pid }), false);
  assert.equal(isAbandoned({ status: 'done', controller: here, pid: exited }), false);
  assert.equal(isAbandoned({ status: 'running', controller: `not-${here}`, pid: exited }), null);
  assert.equal(isAbandoned({ status: 'running', controller: 'ctl', pid: 7 }, { hostname: 'ctl', isAlive: (pid) => pid === 7 }), false);
});
