// A host job does not depend on the directory its worker runs in (issue 14, job-paths.ts): a coordinator typed in
// one directory with relative paths everywhere (the inventory, the hosts' key and known_hosts files in it, the
// release source, the archive cache) and a worker started in another, empty, directory: the coordinator makes
// every path absolute before enqueueing, the worker never changes directory, and the 2 real sshd hosts are upgraded.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresSkip, startPostgres, type PostgresServer } from '../harness/postgres.ts';
import { sshdSkip, startHosts, type Fleet } from '../harness/sshd.ts';
import { fakeToolchainArchive, writeSourceDir } from '../harness/toolchains.ts';
import { goVersionOn, installManaged, spawnGofleetIn, waitFor, type ChildCli } from './helpers.ts';

const skip = sshdSkip() || postgresSkip();

describe('a worker in another directory than the coordinator', { skip, timeout: 300_000 }, () => {
  let pg: PostgresServer;
  let fleet: Fleet;
  const temps: string[] = [];
  const children: ChildCli[] = [];
  const tmp = (prefix: string): string => {
    const dir = mkdtempSync(join(tmpdir(), `gofleet-${prefix}-`));
    temps.push(dir);
    return dir;
  };

  before(async () => {
    [pg, fleet] = await Promise.all([startPostgres(), startHosts(2)]);
    const from = await fakeToolchainArchive('go1.26.8');
    await Promise.all(fleet.hosts.map((h) => installManaged(h, from)));
  });

  after(async () => {
    for (const c of children) c.child.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    await fleet?.stop();
    await pg?.stop();
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  });

  test('relative --inventory, --source, --cache-dir and key paths, typed in one directory: the hosts are upgraded', async () => {
    // the coordinator's directory: everything in it named relatively
    const here = tmp('coordinator');
    mkdirSync(join(here, 'keys'));
    copyFileSync(fleet.clientKey, join(here, 'keys', 'client'));
    copyFileSync(fleet.knownHostsPath, join(here, 'keys', 'known_hosts'));
    writeSourceDir(join(here, 'dl'), [await fakeToolchainArchive('go1.27.3')]);
    mkdirSync(join(here, 'inv'));
    writeFileSync(join(here, 'inv', 'fleet.yml'), [
      'defaults:', '  transport: ssh', '  user: root', '  identity: keys/client', '  known_hosts: keys/known_hosts', 'hosts:',
      ...fleet.hosts.map((h) => `  ${h.name}: { address: 127.0.0.1, port: ${h.port} }`), '',
    ].join('\n'));
    const made = await pg.psql('CREATE DATABASE paths', { database: 'postgres' });
    assert.equal(made.exitCode, 0, made.stderr);
    const url = pg.url.replace(/\/[^/]*$/, '/paths');

    const worker = spawnGofleetIn(tmp('worker'), 'worker', '--state', url, '--concurrency', '2');
    children.push(worker);
    await waitFor('the worker to take jobs', async () => /: taking hosts/.test(worker.output()) || worker.output().includes('error'), { timeoutMs: 60_000 });
    const coordinator = spawnGofleetIn(here, 'upgrade', '-i', 'inv/fleet.yml', '--to', 'go1.27.3', '--source', 'dl', '--cache-dir=cache', '--workers', '--yes', '--json', '--state', url);
    children.push(coordinator);
    const end = await coordinator.exited;
    const said = `${coordinator.output()}\n--- worker ---\n${worker.output()}`;
    assert.equal(end.code, 0, said);
    const doc = JSON.parse(coordinator.stdout()) as { hosts: { name: string; status: string }[] };
    assert.deepEqual(doc.hosts.map((h) => [h.name, h.status]), fleet.hosts.map((h) => [h.name, 'upgraded']), said);
    for (const h of fleet.hosts) assert.equal(await goVersionOn(h), 'go1.27.3', h.name);
    assert.equal((worker.output().match(/: started/g) ?? []).length, 2, worker.output());

    worker.child.kill('SIGTERM');
    assert.equal((await worker.exited).code, 0, worker.output());
  });
});
