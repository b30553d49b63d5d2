// Integer names and groups defined nowhere, as ansible-core 2.14.18 (`ansible-inventory --list`)
// treats them: it refuses a YAML host or group name that YAML reads as a number ("Host pattern 10
// must be a string. Enclose integers/floats in quotation marks."), refuses an INI [g:children]
// entry or [g:vars] section for a group no [g] / [g:children] section defines ("Section
// [web:children] includes undefined group: nowhere"), and keeps an empty child group that a YAML
// `children:` map names (it is defined right there).

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { scratch } from './test-helpers.ts';

const s = scratch();
after(() => s.cleanup());

describe('Ansible names: integers and undefined groups', () => {
  it('refuses a YAML host name read as a number, at its line, with the quoting hint', async () => {
    const err = await s.loadError('int-host.yml', 'all:\n  hosts:\n    "10":\n    11:\n');
    assert.equal(err.code, 'INVENTORY_INVALID');
    assert.match(err.message, /int-host\.yml:4: all\.hosts\.11: host name 11 is a YAML number/);
    assert.match(err.hint ?? '', /Quote it \("11":\)/);
  });

  it('refuses a YAML group name read as a number', async () => {
    const err = await s.loadError('int-group.yml', 'all:\n  children:\n    10:\n      hosts:\n        a:\n');
    assert.equal(err.code, 'INVENTORY_INVALID');
    assert.match(err.message, /int-group\.yml:3: all\.children\.10: group name 10 is a YAML number/);
  });

  it('keeps quoted numeric names and INI numeric host names as strings', async () => {
    const yaml = await s.load('quoted.yml', 'all:\n  hosts:\n    "10":\n      ansible_port: 2200\n');
    assert.deepEqual(yaml.hosts.map((h) => [h.name, h.port]), [['10', 2200]]);
    const ini = await s.load('numeric.ini', '[web]\n1\n10 ansible_port=2222\n');
    assert.deepEqual(ini.hosts.map((h) => [h.name, h.port]), [['1', 22], ['10', 2222]]);
  });

  it('keeps an empty child group a YAML children: map names', async () => {
    const inv = await s.load('ghost.yml', 'all:\n  children:\n    db:\n      hosts:\n        db1:\n      children:\n        ghost:\n');
    assert.deepEqual(inv.groups, { db: ['db1'], ghost: [] });
  });

  it('refuses an INI child group no section defines, at the line that names it', async () => {
    const err = await s.loadError('ghost.ini', '[web]\n1\n[web:children]\nnowhere\n');
    assert.equal(err.code, 'INVENTORY_INVALID');
    assert.match(err.message, /ghost\.ini:4: section \[web:children\] includes a group defined nowhere: nowhere/);
  });

  it('refuses [g:vars] for a group no section defines', async () => {
    const err = await s.loadError('vars.ini', '[web]\nw1\n[x:vars]\na=1\n');
    assert.match(err.message, /vars\.ini:3: section \[x:vars\] is for a group defined nowhere: x/);
  });

  it('accepts a child group or a :vars group defined later in the file, even as [g:children]', async () => {
    const inv = await s.load('later.ini', '[prod:vars]\na=1\n[prod:children]\nweb\n[web:vars]\nb=2\n[web]\nw1\n');
    assert.deepEqual(inv.groups, { prod: ['w1'], web: ['w1'] });
    assert.deepEqual(inv.hosts[0]!.vars, { a: '1', b: '2' });
  });
});
