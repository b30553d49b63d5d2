import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseLimit } from './limit-pattern.ts';
import { selectHosts } from './select-hosts.ts';
import { scratch } from './test-helpers.ts';
import type { Inventory } from './types.ts';

const s = scratch();
let inv: Inventory;
before(async () => {
  inv = await s.load('fleet.yml', `
    groups:
      linux: { hosts: [build-01, build-02, web-01, web-02, web-10] }
      windows: { hosts: [win-01, win-02] }
      web: { hosts: [web-01, web-02, web-10] }
      prod: { children: [web, windows] }
    hosts:
      build-01: { tags: [canary] }
      build-02: {}
      web-01: { tags: [canary, edge] }
      web-02: {}
      web-10: {}
      win-01: { tags: [edge] }
      win-02: {}
  `);
});
after(() => s.cleanup());

describe('selectHosts', () => {
  const table: [string | undefined, string[]][] = [
    [undefined, ['build-01', 'build-02', 'web-01', 'web-02', 'web-10', 'win-01', 'win-02']],
    ['all', ['build-01', 'build-02', 'web-01', 'web-02', 'web-10', 'win-01', 'win-02']],
    ['*', ['build-01', 'build-02', 'web-01', 'web-02', 'web-10', 'win-01', 'win-02']],
    ['win-02,build-01', ['build-01', 'win-02']],
    ['build-*', ['build-01', 'build-02']],
    ['web-0?', ['web-01', 'web-02']],
    ['windows', ['win-01', 'win-02']],
    ['prod', ['web-01', 'web-02', 'web-10', 'win-01', 'win-02']],
    ['pro?', ['web-01', 'web-02', 'web-10', 'win-01', 'win-02']],
    ['tag:canary', ['build-01', 'web-01']],
    ['tag:ed*', ['web-01', 'win-01']],
    ['prod,!windows', ['web-01', 'web-02', 'web-10']],
    ['!windows', ['build-01', 'build-02', 'web-01', 'web-02', 'web-10']],
    ['linux,&tag:canary', ['build-01', 'web-01']],
    ['linux:&web:!web-10', ['web-01', 'web-02']],
    ['tag:edge:&windows', ['win-01']],
    ['web:windows', ['web-01', 'web-02', 'web-10', 'win-01', 'win-02']],
    ['all,!nothing-like-this', ['build-01', 'build-02', 'web-01', 'web-02', 'web-10', 'win-01', 'win-02']],
    ['~^web-0[12]$', ['web-01', 'web-02']],
    [' build-01 , web-10 ', ['build-01', 'web-10']],
  ];
  for (const [limit, want] of table) {
    it(`--limit ${JSON.stringify(limit)}`, () => {
      assert.deepEqual(selectHosts(inv, limit).map((h) => h.name), want);
    });
  }

  it('names every pattern that matches nothing', () => {
    assert.throws(() => selectHosts(inv, 'build-01,nope,tag:missing,!also-missing'), (err: { code: string; message: string }) => {
      assert.equal(err.code, 'LIMIT_NO_MATCH');
      assert.match(err.message, /"nope", "tag:missing"$/);
      assert.doesNotMatch(err.message, /also-missing"$/);
      return true;
    });
  });

  it('refuses a limit that leaves no host', () => {
    assert.throws(() => selectHosts(inv, 'windows:&linux'), { code: 'LIMIT_NO_MATCH', message: /selects no hosts/ });
  });

  // an unset shell variable (`--limit "$HOSTS"`) must not turn into the whole fleet
  for (const limit of ['', '  ', ',', ', ,', ':', ' : ']) {
    it(`refuses --limit ${JSON.stringify(limit)} (no pattern) as a bad option`, () => {
      assert.throws(() => selectHosts(inv, limit), { code: 'BAD_OPTION', message: /holds no host pattern/ });
    });
  }

  for (const limit of ['!', 'web-01,!', '&', 'web-01:! ']) {
    it(`refuses --limit ${JSON.stringify(limit)} (a bare ! or &) as a bad option`, () => {
      assert.throws(() => selectHosts(inv, limit), { code: 'BAD_OPTION', message: /names no host pattern/ });
    });
  }

  it('rejects an invalid regular expression as a bad option', () => {
    assert.throws(() => selectHosts(inv, '~web-(,'), { code: 'BAD_OPTION' });
  });
});

describe('parseLimit', () => {
  it('splits on commas, or on colons outside brackets, keeping tag:NAME whole', () => {
    assert.deepEqual(parseLimit('a,!b,&tag:c'), [
      { op: 'union', pattern: 'a', text: 'a' },
      { op: 'exclude', pattern: 'b', text: '!b' },
      { op: 'intersect', pattern: 'tag:c', text: '&tag:c' },
    ]);
    assert.deepEqual(parseLimit('web-[0:1]:!tag:x').map((t) => t.text), ['web-[0:1]', '!tag:x']);
  });
});
