import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectFormat } from './detect-format.ts';

describe('detectFormat', () => {
  const table: [string, string, string][] = [
    ['inv.yml', 'defaults: { user: x }\n', 'gofleet'],
    ['inventory', 'hosts:\n  a: {}\n', 'gofleet'],
    ['inv.yaml', 'groups: {}\n', 'gofleet'],
    ['inv.yml', 'all:\n  hosts:\n    a:\n', 'ansible-yaml'],
    ['hosts', '---\nweb:\n  hosts:\n    a:\n  vars: {}\n', 'ansible-yaml'],
    ['hosts', '# comment\n[web]\na\n', 'ansible-ini'],
    ['hosts', 'a.example.com ansible_port=22\n', 'ansible-ini'],
    ['hosts', 'a.example.com:2222\n', 'ansible-ini'],
    ['hosts.ini', 'all:\n', 'ansible-ini'],
    ['hosts', '', 'ansible-ini'],
  ];
  for (const [file, text, want] of table) {
    it(`${file}: ${JSON.stringify(text.slice(0, 24))} -> ${want}`, () => assert.equal(detectFormat(file, text).format, want));
  }

  it('rejects YAML that is neither layout', () => {
    assert.throws(() => detectFormat('x.yml', 'servers:\n  - a\n'), { code: 'INVENTORY_INVALID' });
    assert.throws(() => detectFormat('x.yml', '- a\n- b\n'), { code: 'INVENTORY_INVALID' });
  });
});
