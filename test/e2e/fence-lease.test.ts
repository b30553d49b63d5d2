// Fencing tokens over a real sshd host (issue 14): two workers of one dispatched run both believe they hold the
// host's lease, the engine run under EngineContext.fence with tokens 5 and 6 (same run id). Token 5's upgrade takes
// the host lock and is held in its download (--distribution pull from a loopback server that answers only when the
// test says so); token 6's takes the lock over (the lock step says token 5 lost its lease) and is held in its
// download too. Released first, token 5 is refused before it changes anything (LEASE_LOST, the host still on
// go1.26.8); released next, token 6 upgrades the host. Then token 5 wakes up once more, after token 6 has finished
// and released the lock: its `use go1.26.8` is refused by the token the host recorded, goroot untouched.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHosts, sshdSkip, type Fleet, type SshdHost } from '../harness/sshd.ts';
import { fakeToolchainArchive, type FixtureArchive } from '../harness/toolchains.ts';
import { fencedUpgrade, fencedUse, type FencedOptions, type FencedRun } from './fenced-host.ts';
import { execOn, fleetInventory, goVersionOn, gorootState, installManaged, waitFor } from './helpers.ts';

const skip = sshdSkip();
const META = '/usr/local/gofleet/versions/.gofleet';

/** A loopback server for one archive that answers each GET only when its gate is opened (in arrival order). */
async function gatedServer(archive: FixtureArchive): Promise<{ url: string; arrived(): number; open(n: number): void; close(): Promise<void> }> {
  const gates: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    if (req.url !== `/${archive.filename}`) return void res.writeHead(404).end();
    gates.push(() => {
      res.writeHead(200, { 'content-length': statSync(archive.path).size, 'content-type': 'application/gzip' });
      createReadStream(archive.path).pipe(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    arrived: () => gates.length,
    open: (n) => gates[n]?.(),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const lockInfo = async (host: SshdHost): Promise<string> => (await execOn(host, `cat ${META}/lock/info 2>/dev/null || true`)).stdout.trim();
const lockStep = (r: FencedRun): string =>
  r.result.steps.filter((s) => s.step === 'lock').map((s) => `${s.status} ${s.code ?? ''} ${s.message ?? ''}`).join(' | ');

describe('fencing tokens over a real sshd host', { skip, timeout: 600_000 }, () => {
  let fleet: Fleet;
  let host: SshdHost;
  let server: Awaited<ReturnType<typeof gatedServer>>;
  let base: Omit<FencedOptions, 'token'>;

  before(async () => {
    const [from, to] = await Promise.all([fakeToolchainArchive('go1.26.8'), fakeToolchainArchive('go1.27.3')]);
    fleet = await startHosts(1);
    host = fleet.hosts[0] as SshdHost;
    await installManaged(host, from);
    server = await gatedServer(to);
    base = { inventory: fleetInventory(fleet), run: '20261203-120000-fence', archives: [to], sourceUrl: server.url, distribution: 'pull' };
  });

  after(async () => {
    await server?.close();
    await fleet?.stop();
  });

  test('token 6 takes the lock over from token 5; token 5 is refused before its switch; token 6 upgrades', async () => {
    const five = fencedUpgrade({ ...base, token: 5 }, 'go1.27.3');
    await waitFor('token 5 to hold the lock and wait in its download', async () => server.arrived() === 1 && /token=5$/.test(await lockInfo(host)), { timeoutMs: 120_000 });
    const six = fencedUpgrade({ ...base, token: 6 }, 'go1.27.3');
    await waitFor('token 6 to take the lock over and wait in its download', async () => server.arrived() === 2 && /token=6$/.test(await lockInfo(host)), { timeoutMs: 120_000 });

    server.open(0);
    const lost = await five;
    assert.equal(lost.result.status, 'failed', JSON.stringify(lost.result));
    assert.equal(lost.result.error?.code, 'LEASE_LOST', JSON.stringify(lost.result));
    assert.match(lost.result.error?.message ?? '', /taken over under fencing token 6 .*this script holds 5/);
    assert.match(lost.result.error?.hint ?? '', /Another worker holds this host now/);
    assert.equal(await goVersionOn(host), 'go1.26.8', 'token 5 changed nothing');
    assert.equal(await gorootState(host), 'link /usr/local/gofleet/versions/go1.26.8');
    assert.match(await lockInfo(host), /token=6$/, 'token 6 still holds the lock');

    server.open(1);
    const won = await six;
    assert.equal(won.result.status, 'upgraded', JSON.stringify(won.result));
    assert.match(lockStep(won), /took over the lock of run 20261203-120000-fence from pid \d+ \(fencing token 5, this script holds 6\): that worker lost its lease/);
    assert.equal(await goVersionOn(host), 'go1.27.3');
    assert.equal(await lockInfo(host), '', 'released');
    assert.equal((await execOn(host, `cat ${META}/fence/${base.run}`)).stdout, 'token=6\n');
  });

  test('token 5 wakes up after token 6 finished: its switch (use) is refused by the recorded token, goroot untouched', async () => {
    const late = await fencedUse({ ...base, token: 5 }, 'go1.26.8');
    assert.equal(late.result.status, 'failed', JSON.stringify(late.result));
    assert.equal(late.result.error?.code, 'LEASE_LOST', lockStep(late));
    assert.match(lockStep(late), /fail LEASE_LOST fencing token 6 of run \S+ is recorded on this host \(this script holds 5\)/);
    assert.equal(await goVersionOn(host), 'go1.27.3');
    assert.equal(await lockInfo(host), '', 'the lock it took for the check is released');
    // the token that holds the lease still may: a rollback under token 6 works
    const back = await fencedUse({ ...base, token: 6 }, null);
    assert.equal(back.result.status, 'switched', JSON.stringify(back.result));
    assert.equal(await goVersionOn(host), 'go1.26.8');
  });
});
