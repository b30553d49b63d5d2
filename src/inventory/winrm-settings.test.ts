// WinRM settings (issue 11) in the three inventory formats: the same WinrmSpec from gofleet YAML's `winrm:`
// block, Ansible INI and Ansible YAML; defaults (scheme and port); kerberos/credssp kept for a per-host refusal;
// unknown values refused at file:line.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { scratch } from './test-helpers.ts';
import type { HostSpec } from './types.ts';

const s = scratch();
after(() => s.cleanup());

const byName = (hosts: HostSpec[]): Record<string, HostSpec> => Object.fromEntries(hosts.map((h) => [h.name, h]));

describe('WinRM settings', () => {
  it('gofleet YAML: the winrm block, merged key by key from groups to hosts, with defaults by scheme', async () => {
    const inv = await s.load('fleet.yml', `
      groups:
        win:
          hosts: [plain, secure, certs, kerb]
          vars:
            transport: winrm
            winrm: { message_encryption: always }
      hosts:
        plain: {}
        secure:
          winrm: { scheme: https, auth: basic, cert_validation: ignore, ca_file: ~/ca.pem }
        certs:
          port: 15986
          winrm: { scheme: https, auth: certificate, client_cert: /etc/c.pem, client_key: /etc/k.pem }
        kerb:
          winrm:
            auth: kerberos
        lin: {}
    `);
    const h = byName(inv.hosts);
    assert.deepEqual(h.plain!.winrm, { scheme: 'http', auth: 'ntlm', certValidation: 'validate', messageEncryption: 'always' });
    assert.equal(h.plain!.port, 5985);
    assert.deepEqual(h.secure!.winrm, {
      scheme: 'https', auth: 'basic', certValidation: 'ignore', messageEncryption: 'always', caFile: `${s.home}/ca.pem`,
    });
    assert.equal(h.secure!.port, 5986);
    assert.equal(h.certs!.port, 15986);
    assert.deepEqual([h.certs!.winrm!.auth, h.certs!.winrm!.clientCert, h.certs!.winrm!.clientKey], ['certificate', '/etc/c.pem', '/etc/k.pem']);
    assert.equal(h.kerb!.winrm!.auth, 'ntlm');
    assert.match(h.kerb!.winrm!.unsupportedAuth!, /^winrm\.auth: kerberos \(.*fleet\.yml:16\)$/);
    assert.equal(h.lin!.winrm, undefined);
    assert.equal(h.lin!.port, 22);
  });

  it('gofleet YAML: port 5986 alone means https', async () => {
    const inv = await s.load('port.yml', 'hosts:\n  w: { transport: winrm, port: 5986 }\n');
    assert.equal(inv.hosts[0]!.winrm!.scheme, 'https');
  });

  it('Ansible INI: ansible_winrm_* variables, Ansible\'s scheme default (https unless the port is 5985)', async () => {
    const inv = await s.load('hosts', `
      [win]
      a
      b ansible_port=5985
      c ansible_winrm_scheme=http ansible_winrm_transport=basic ansible_winrm_message_encryption=never
      d ansible_winrm_transport=ssl ansible_winrm_server_cert_validation=ignore ansible_winrm_ca_trust_path=/etc/ca.pem
      e ansible_winrm_cert_pem=/c.pem ansible_winrm_cert_key_pem=/k.pem
      f ansible_winrm_transport=credssp
      g ansible_winrm_transport=kerberos,ntlm
      p ansible_connection=psrp ansible_psrp_protocol=http ansible_psrp_auth=negotiate ansible_psrp_cert_validation=ignore

      [win:vars]
      ansible_connection=winrm
      ansible_user=Administrator
      ansible_password="{{ lookup('env', 'WIN_PASS') }}"
    `);
    const h = byName(inv.hosts);
    assert.deepEqual([h.a!.winrm!.scheme, h.a!.port, h.a!.winrm!.auth], ['https', 5986, 'ntlm']);
    assert.deepEqual([h.b!.winrm!.scheme, h.b!.port], ['http', 5985]);
    assert.deepEqual(h.c!.winrm, { scheme: 'http', auth: 'basic', certValidation: 'validate', messageEncryption: 'never' });
    assert.equal(h.c!.port, 5985);
    assert.deepEqual(h.d!.winrm, { scheme: 'https', auth: 'basic', certValidation: 'ignore', messageEncryption: 'auto', caFile: '/etc/ca.pem' });
    assert.deepEqual([h.e!.winrm!.auth, h.e!.winrm!.clientCert, h.e!.winrm!.clientKey], ['certificate', '/c.pem', '/k.pem']);
    assert.match(h.f!.winrm!.unsupportedAuth!, /^ansible_winrm_transport=credssp \(.*hosts:7\)$/);
    assert.equal(h.g!.winrm!.auth, 'ntlm');
    assert.equal(h.g!.winrm!.unsupportedAuth, undefined);
    assert.equal(h.p!.transport, 'winrm');
    assert.deepEqual(h.p!.winrm, { scheme: 'http', auth: 'ntlm', certValidation: 'ignore', messageEncryption: 'auto' });
    assert.deepEqual(h.a!.password, { from: 'env', name: 'WIN_PASS' });
    assert.equal(h.a!.user, 'Administrator');
  });

  it('Ansible YAML: typed values, a host\'s auth replacing its group\'s refused one', async () => {
    const inv = await s.load('inv.yml', `
      all:
        children:
          win:
            vars:
              ansible_connection: winrm
              ansible_winrm_transport: kerberos
              ansible_port: 5985
            hosts:
              w1: { ansible_winrm_transport: ntlm }
              w2: {}
              w3: { ansible_connection: psrp, ansible_psrp_cert_validation: false, ansible_psrp_protocol: https }
    `);
    const h = byName(inv.hosts);
    assert.deepEqual([h.w1!.winrm!.auth, h.w1!.winrm!.unsupportedAuth, h.w1!.winrm!.scheme], ['ntlm', undefined, 'http']);
    assert.match(h.w2!.winrm!.unsupportedAuth!, /ansible_winrm_transport=kerberos/);
    assert.deepEqual([h.w3!.winrm!.scheme, h.w3!.winrm!.certValidation, h.w3!.port], ['https', 'ignore', 5985]);
  });

  const bad: { name: string; file: string; text: string; line: number; message: RegExp }[] = [
    { name: 'gofleet YAML: an unknown scheme', file: 'bad1.yml', line: 4,
      text: 'hosts:\n  w:\n    transport: winrm\n    winrm: { scheme: ftp }\n', message: /hosts\.w\.winrm\.scheme: expected one of http\|https, got "ftp"/ },
    { name: 'gofleet YAML: an unknown key in the winrm block', file: 'bad2.yml', line: 4,
      text: 'hosts:\n  w:\n    winrm:\n      verify: no\n', message: /unknown key verify/ },
    { name: 'gofleet YAML: an unknown auth', file: 'bad3.yml', line: 3,
      text: 'hosts:\n  w:\n    winrm: { auth: digest }\n', message: /expected one of ntlm\|basic\|certificate\|kerberos\|credssp, got "digest"/ },
    { name: 'INI: an unknown transport', file: 'bad4', line: 2,
      text: '[w]\nw1 ansible_connection=winrm ansible_winrm_transport=digest\n', message: /ansible_winrm_transport: expected one of ntlm\|basic\|certificate/ },
    { name: 'INI: an unknown cert validation', file: 'bad5', line: 2,
      text: '[w]\nw1 ansible_winrm_server_cert_validation=maybe\n', message: /expected one of validate\|ignore, got "maybe"/ },
    { name: 'INI: an unknown message encryption', file: 'bad6', line: 4,
      text: '[w]\nw1\n[w:vars]\nansible_winrm_message_encryption=sometimes\n', message: /expected one of auto\|always\|never/ },
  ];
  for (const c of bad) {
    it(`refuses ${c.name} (INVENTORY_INVALID at file:line)`, async () => {
      const err = await s.loadError(c.file, c.text);
      assert.equal(err.code, 'INVENTORY_INVALID');
      assert.match(err.message, c.message);
      assert.equal(err.location?.line, c.line, err.message);
    });
  }
});
