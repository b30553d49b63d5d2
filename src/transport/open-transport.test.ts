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

test('a winrm host is connected to over WinRM (nothing listens on 127.0.0.1:1: unreachable, not refused)', async () => {
  const s: HostSpec = { ...spec('winrm'), address: '127.0.0.1', port: 1, user: 'u',
    winrm: { scheme: 'http', auth: 'ntlm', certValidation: 'validate', messageEncryption: 'auto' } };
  await assert.rejects(openTransport(s, { password: 'p', retries: 0, connectTimeoutMs: 2000 }), { code: 'HOST_UNREACHABLE', host: 'h1' });
});

test('a winrm host asking for kerberos is refused on its own (WINRM_AUTH_UNSUPPORTED, with the hint), before any connection', async () => {
  const s: HostSpec = { ...spec('winrm'), address: '127.0.0.1', port: 1, user: 'u', winrm: {
    scheme: 'http', auth: 'ntlm', certValidation: 'validate', messageEncryption: 'auto', unsupportedAuth: 'ansible_winrm_transport=kerberos (hosts:2)' } };
  await assert.rejects(openTransport(s, { password: 'p', retries: 0 }), (e: Error & { code?: string; hint?: string }) => {
    assert.equal(e.code, 'WINRM_AUTH_UNSUPPORTED');
    assert.match(e.message, /^h1: WinRM authentication asked by ansible_winrm_transport=kerberos \(hosts:2\) is not supported yet; use ntlm or https\+basic\/certificate$/);
    assert.match(e.hint ?? '', /Kerberos and CredSSP are not supported yet/);
    return true;
  });
});
