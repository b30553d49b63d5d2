import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostSpec } from '../inventory/types.ts';
import { openTransport } from './open-transport.ts';

const spec = (transport: HostSpec['transport']): HostSpec => ({
  name: 'h1', address: 'h1', port: 22, transport, knownHosts: '/nonexistent/known_hosts', become: false,
  tags: [], groups: [], vars: {}, source: { file: 'inv.yml' },
});

test('local specs get the local transport, named after the host', async () => {
  const t = await openTransport(spec('local'));
  assert.equal(t.host, 'h1');
  assert.equal((await t.exec('echo ok')).stdout, 'ok\n');
  await t.close();
});

test('a winrm host (Windows, not supported yet) is UNSUPPORTED_PLATFORM naming the host, before any connection', async () => {
  await assert.rejects(openTransport(spec('winrm')), { code: 'UNSUPPORTED_PLATFORM', host: 'h1' });
});
