// The run log on a real file: line-delimited JSON, every event a line, secrets never written, levels honoured.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerSecret } from '../errors.ts';
import type { EngineEvent, HostResult } from '../engine/events.ts';
import { openRunLog, runLogPath } from './run-log.ts';

const SECRET = 'hunter2-log-secret';

function events(): EngineEvent[] {
  const result: HostResult = {
    name: 'build-01', status: 'rolled_back', from: 'go1.26.8', to: 'go1.27.3', warnings: [`health said ${SECRET}`], startedAt: 0, durationMs: 1500,
    error: { code: 'VERIFY_FAILED', message: `health command printed ${SECRET}` },
    steps: [{ step: 'verify', status: 'fail', startedAt: 1000, endedAt: 1500, message: SECRET }],
  };
  return [
    { kind: 'run-start', run: 'r1', command: 'upgrade', target: 'go1.27.3', hosts: ['build-01'], at: 0 },
    { kind: 'wave-start', run: 'r1', wave: 1, hosts: ['build-01'], at: 0 },
    { kind: 'host-step', run: 'r1', host: 'build-01', step: 'verify', status: 'start', at: 1000 },
    { kind: 'host-step', run: 'r1', host: 'build-01', step: 'verify', status: 'fail', code: 'VERIFY_FAILED', message: `exit 1: ${SECRET}`, at: 1500 },
    { kind: 'host-done', run: 'r1', result, at: 1500 },
    { kind: 'wave-end', run: 'r1', wave: 1, at: 1500 },
    { kind: 'run-end', run: 'r1', results: [result], at: 1500 },
  ];
}

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-log-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const lines = (path: string): Record<string, unknown>[] =>
  readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

test('runLogPath: logs/<run>.log beside the state file', () => {
  assert.equal(runLogPath('/home/u/.local/state/gofleet/gofleet.db', '20261125-091502-3fa2'), '/home/u/.local/state/gofleet/logs/20261125-091502-3fa2.log');
  assert.equal(runLogPath('/x/state.db', '../evil'), '/x/logs/.._evil.log');
});

test('every event is one JSON line; a registered secret never reaches the file; private file in a private dir', () => {
  withDir((dir) => {
    registerSecret(SECRET);
    const path = runLogPath(join(dir, 'gofleet.db'), 'r1');
    const log = openRunLog({ path, level: 'info', run: 'r1' });
    for (const e of events()) log.sink(e);
    log.line('info', `a line of the CLI's own mentioning ${SECRET}`, { argv: ['--password', SECRET] });
    log.close();
    log.close();
    log.sink(events()[0] as EngineEvent); // after close: ignored, no throw

    assert.ok(existsSync(path));
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'logs')).mode & 0o777, 0o700);
    const text = readFileSync(path, 'utf8');
    assert.ok(!text.includes(SECRET), text);
    const got = lines(path);
    assert.deepEqual(got.map((l) => l.event ?? null), ['run-start', 'wave-start', 'host-step', 'host-step', 'host-done', 'wave-end', 'run-end', null]);
    const fail = got[3] ?? {};
    assert.deepEqual([fail.level, fail.host, fail.step, fail.status, fail.code, fail.message], ['warn', 'build-01', 'verify', 'fail', 'VERIFY_FAILED', 'exit 1: ***']);
    assert.equal(got[4]?.level, 'warn', 'rolled back: warn');
    assert.equal(got[4]?.steps, undefined, 'steps only at trace');
    assert.deepEqual(got[6]?.counts, { rolled_back: 1 });
    for (const l of got) {
      assert.equal(l.run, 'r1');
      assert.equal(typeof l.time, 'string');
      assert.equal(typeof l.msg, 'string');
    }
  });
});

test('levels: warn keeps only failures; trace adds the steps to host-done; silent writes no file; a reopened log appends', () => {
  withDir((dir) => {
    const path = join(dir, 'logs', 'r1.log');
    const warn = openRunLog({ path, level: 'warn', run: 'r1' });
    for (const e of events()) warn.sink(e);
    warn.close();
    assert.deepEqual(lines(path).map((l) => `${l.level} ${l.event}`), ['warn host-step', 'warn host-done']);

    const trace = openRunLog({ path, level: 'trace', run: 'r1' });
    for (const e of events()) trace.sink(e);
    trace.close();
    const all = lines(path);
    assert.equal(all.length, 2 + 7, 'appended to the same file');
    assert.ok(Array.isArray(all.find((l, i) => i >= 2 && l.event === 'host-done')?.steps));

    const silent = openRunLog({ path: join(dir, 'logs', 'r2.log'), level: 'silent', run: 'r2' });
    silent.sink(events()[0] as EngineEvent);
    silent.close();
    assert.equal(silent.path, null);
    assert.equal(existsSync(join(dir, 'logs', 'r2.log')), false);
  });
});

test('a log on a full disk (/dev/full): one warning, the lines are dropped, close returns and the process ends', { timeout: 60_000 }, async () => {
  // in a child process: before the fix, close() retried the failed write every 100 ms forever (a hung CI job)
  const script = [
    `import { openRunLog } from ${JSON.stringify(new URL('./run-log.ts', import.meta.url).href)};`,
    `const warnings = [];`,
    `const log = openRunLog({ path: '/dev/full', level: 'info', run: 'r1', onError: (e) => warnings.push(e.code) });`,
    `for (const e of ${JSON.stringify(events())}) log.sink(e);`,
    `log.line('info', 'after the failure');`,
    `log.close();`,
    `process.stdout.write(JSON.stringify(warnings));`,
    `process.exitCode = 7;`,
  ].join('\n');
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  assert.equal(signal, null, `the process did not end within 30 s (killed); stderr: ${err}`);
  assert.equal(code, 7, err);
  assert.deepEqual(JSON.parse(out), ['ENOSPC'], 'exactly one warning');
});
