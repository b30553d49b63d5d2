import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { HostSpec } from '../inventory/types.ts';
import type { CliIo } from './io.ts';
import { runCli } from './program.ts';
import { checkShippable, workerArgv } from './workers-fleet.ts';

const dir = mkdtempSync(join(tmpdir(), 'gofleet-workers-fleet-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const host = (over: Partial<HostSpec>): HostSpec => ({ name: 'h', address: 'h', port: 22, transport: 'ssh', knownHosts: '', become: false, tags: [], groups: [], vars: {}, source: { file: 'i' }, ...over });

describe('--workers', () => {
  it("hands workers the command line with the target pinned and the coordinator's own flags dropped", () => {
    const argv = ['upgrade', '-i', 'fleet.yml', '--to', 'latest', '--min-age', '7d', '--workers', '--yes', '--json', '--state', 'postgres://c@db/j', '-l', 'web', '--pause-after=5m', '--pause', '--waves', '1,50%', '--max-fail', '0'];
    assert.deepEqual(workerArgv(argv, 'upgrade', 'go1.27.3'), ['upgrade', '-i', 'fleet.yml', '--to', 'go1.27.3', '--waves', '1,50%', '--max-fail', '0']);
    assert.deepEqual(workerArgv(['use', 'go1.2.3', '-i', 'x', '--workers', '--limit=db'], 'use', 'go1.2.3'), ['use', 'go1.2.3', '-i', 'x']);
  });

  it('refuses a host whose password is a value or a prompt (a job carries references only)', () => {
    assert.doesNotThrow(() => checkShippable([host({ password: { from: 'env', name: 'P' } })]));
    assert.throws(() => checkShippable([host({ password: { from: 'literal', value: 'pw-x1' } })]), (e: Error & { code?: string }) => e.code === 'WORKER_SECRET_UNSHIPPABLE' && !e.message.includes('pw-x1'));
    assert.throws(() => checkShippable([host({ becomePassword: { from: 'prompt' } })]), /become_password is asked at a prompt/);
  });

  it('refuses a journal that is not on PostgreSQL before any host is contacted (exit 5, with the way out)', async () => {
    const inv = join(dir, 'fleet.yml');
    writeFileSync(inv, 'hosts:\n  h1: { address: 127.0.0.1, port: 1 }\n');
    let err = '';
    const io: CliIo = { out: () => undefined, err: (s) => void (err += s), stdoutTty: false, stderrTty: false };
    const code = await runCli(['use', 'go1.2.3', '-i', inv, '--workers', '--yes', '--state', join(dir, 'j.db')], io);
    assert.equal(code, 5, err);
    assert.match(err, /error WORKERS_NEED_POSTGRES: --workers: the run journal must be the shared one on PostgreSQL/);
    assert.doesNotMatch(err, /h1/, 'no host was started');
  });

  it("the coordinator does not resolve the hosts' secrets: each worker does, from its own environment", async () => {
    const inv = join(dir, 'secret-fleet.yml');
    writeFileSync(inv, 'hosts:\n  h1: { address: 127.0.0.1, port: 1, password: "${env:GOFLEET_TEST_WORKERS_UNSET_PW}" }\n');
    let err = '';
    const io: CliIo = { out: () => undefined, err: (s) => void (err += s), stdoutTty: false, stderrTty: false };
    const code = await runCli(['use', 'go1.2.3', '-i', inv, '--workers', '--yes', '--state', join(dir, 'j.db')], io);
    assert.equal(code, 5, err);
    assert.match(err, /WORKERS_NEED_POSTGRES/, 'not INVENTORY_ENV_MISSING: the variable is the workers\' business');
  });
});
