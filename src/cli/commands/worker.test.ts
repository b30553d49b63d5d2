import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CliIo } from '../io.ts';
import { runCli } from '../program.ts';

async function cli(...args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const io: CliIo = { out: () => undefined, err: (s) => void (err += s), stdoutTty: false, stderrTty: false };
  return { code: await runCli(args, io), err };
}

describe('gofleet worker: its options are checked before anything is opened', () => {
  it('refuses a journal that is not on PostgreSQL, with the way out', async () => {
    const r = await cli('worker', '--state', '/tmp/gofleet-not-shared.db');
    assert.equal(r.code, 5, r.err);
    assert.match(r.err, /error WORKERS_NEED_POSTGRES: gofleet worker: --state must be a postgres:\/\/ URL/);
    assert.match(r.err, /hint: .*PGPASSWORD/);
  });

  it('refuses a site name no inventory could give', async () => {
    const r = await cli('worker', '--state', 'postgres://w@127.0.0.1:1/j', '--site', 'eu west');
    assert.equal(r.code, 5, r.err);
    assert.match(r.err, /error BAD_OPTION: --site "eu west"/);
  });
});
