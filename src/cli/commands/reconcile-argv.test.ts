import assert from 'node:assert/strict';
import test from 'node:test';
import { upgradeArgv } from './reconcile-argv.ts';

const rollout = { hosts: ['web-1', 'web-4'], target: 'go1.27.3', shape: {}, deadline: null, json: false };

test('upgradeArgv: reconcile flags out; hosts, target, shape, deadline and --yes in; the rest passes through', () => {
  const argv = ['reconcile', '-i', 'inv.yaml', '--policy', 'p.yaml', '--source', 'mirror', '--state', 's.db', '--limit', 'web-*', '--dry-run', '-y', '--json', '--pause', '--accept-new-host-keys', '--parallel', '4'];
  assert.deepEqual(upgradeArgv(argv, { ...rollout, shape: { canary: 1, waves: '50%', maxFail: '0', parallel: 2, drainTimeout: '5m', pauseAfter: '10m' }, deadline: Date.UTC(2026, 11, 5, 5), json: true }), [
    'upgrade', '-i', 'inv.yaml', '--source', 'mirror', '--state', 's.db', '--accept-new-host-keys', '--parallel', '4',
    '--limit', 'web-1,web-4', '--to', 'go1.27.3',
    '--canary', '1', '--waves', '50%', '--max-fail', '0', '--parallel', '2', '--drain-timeout', '5m', '--pause-after', '10m',
    '--deadline', '2026-12-05T05:00:00.000Z', '--yes', '--json',
  ]);
});

test('upgradeArgv: --opt=value and -lPAT forms are dropped too; no shape, no deadline adds nothing', () => {
  const argv = ['reconcile', '--policy=p.yaml', '-lweb', '--limit=x', '--deadline=2026-12-05T05:00Z', '--min-age', '3d', '--print-schedule', '-i', 'inv.yaml', '--log-level', 'debug'];
  assert.deepEqual(upgradeArgv(argv, rollout), ['upgrade', '-i', 'inv.yaml', '--log-level', 'debug', '--limit', 'web-1,web-4', '--to', 'go1.27.3', '--yes']);
});

test('upgradeArgv: refuses a command line that is not reconcile or serve', () => {
  assert.throws(() => upgradeArgv(['upgrade', '--to', 'x'], rollout), /must start with "reconcile" or "serve"/);
});

test("upgradeArgv: serve's own options are dropped too", () => {
  const argv = ['serve', '-i', 'inv.yaml', '--policy', 'p.yaml', '--listen', '0.0.0.0:8443', '--refresh', '5m', '--tls-cert', 'c.pem', '--tls-key', 'k.pem', '--insecure-http', '--vulndb', 'file:///v'];
  assert.deepEqual(upgradeArgv(argv, rollout), ['upgrade', '-i', 'inv.yaml', '--limit', 'web-1,web-4', '--to', 'go1.27.3', '--yes']);
});
