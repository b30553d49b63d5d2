// gofleet YAML host and group names as Ansible treats the same shapes (parse-ansible-names.test.ts holds the
// Ansible side): a name YAML reads as a number or boolean is refused with the quoting hint (Ansible: "Host pattern
// 10 must be a string. Enclose integers/floats in quotation marks."; unquoted, `1.10:` would be host "1.1"), and a
// child group defined nowhere else is an empty group, as an Ansible YAML `children:` entry makes one.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { scratch } from './test-helpers.ts';

const s = scratch();
after(() => s.cleanup());

describe('gofleet YAML names: integers and child groups defined nowhere', () => {
  const refused: { name: string; text: string; message: RegExp; hint: RegExp }[] = [
    { name: 'host key read as a number', text: 'hosts:\n  "10": { port: 2200 }\n  11: {}\n',
      message: /names\.yml:3: hosts\.11: host name 11 is a YAML number, not a string$/, hint: /^Quote it \("11":\), as Ansible requires\.$/ },
    { name: 'host key read as a float (1.10 would be 1.1)', text: 'hosts:\n  1.10: {}\n',
      message: /names\.yml:2: hosts\.1\.1: host name 1\.1 is a YAML number/, hint: /Quote it \("1\.1":\)/ },
    { name: 'group key read as a number', text: 'groups:\n  10:\n    hosts: [a]\n',
      message: /names\.yml:2: groups\.10: group name 10 is a YAML number/, hint: /Quote it \("10":\)/ },
    { name: 'group member read as a number', text: 'groups:\n  g:\n    hosts:\n      - a\n      - 10\n',
      message: /names\.yml:5: groups\.g\.hosts\.1: host name 10 is a YAML number/, hint: /^Quote it \("10"\), as Ansible requires\.$/ },
    { name: 'child group read as a boolean', text: 'groups:\n  g:\n    children:\n      - yes\n      - true\n',
      message: /names\.yml:5: groups\.g\.children\.1: group name true is a YAML boolean/, hint: /Quote it \("true"\)/ },
  ];
  for (const c of refused) {
    it(`refuses a ${c.name}, at its line, with the quoting hint`, async () => {
      const err = await s.loadError('names.yml', c.text);
      assert.equal(err.code, 'INVENTORY_INVALID');
      assert.match(err.message, c.message);
      assert.match(err.hint ?? '', c.hint);
    });
  }

  it('keeps quoted numeric names as strings', async () => {
    const inv = await s.load('quoted.yml', 'groups:\n  "20":\n    hosts: ["10", "1.10"]\nhosts:\n  "10": { port: 2200 }\n');
    assert.deepEqual(inv.hosts.map((h) => [h.name, h.port, h.groups]), [['10', 2200, ['20']], ['1.10', 22, ['20']]]);
    assert.deepEqual(inv.groups, { '20': ['10', '1.10'] });
  });

  it('makes a child group defined nowhere an empty group, as the same Ansible YAML inventory does', async () => {
    const gofleet = await s.load('ghost.yml', 'groups:\n  db:\n    hosts: [db1]\n    children: [ghost]\n');
    const ansible = await s.load('ghost-ansible.yml', 'all:\n  children:\n    db:\n      hosts:\n        db1:\n      children:\n        ghost:\n');
    assert.equal(gofleet.format, 'gofleet');
    assert.equal(ansible.format, 'ansible-yaml');
    assert.deepEqual(gofleet.groups, { db: ['db1'], ghost: [] });
    assert.deepEqual(gofleet.groups, ansible.groups);
    assert.deepEqual(gofleet.hosts.map((h) => [h.name, h.groups]), ansible.hosts.map((h) => [h.name, h.groups]));
    assert.deepEqual(gofleet.tree?.ghost, { hosts: [], children: [] });
  });

  it('a child group defined nowhere beside defined ones: members and group vars still reach the hosts', async () => {
    const inv = await s.load('nested.yml', 'groups:\n  prod:\n    children: [web, later]\n  web:\n    hosts: [w1]\n    vars: { port: 2222 }\n');
    assert.deepEqual(inv.groups, { prod: ['w1'], web: ['w1'], later: [] });
    assert.equal(inv.hosts[0]!.port, 2222);
  });
});
