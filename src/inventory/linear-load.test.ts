// Loading and selecting must stay linear in the number of hosts. Not a timing test: it counts the elements that
// array searches (includes, find, some, filter, ...) walk while loading 4x more hosts, in this code and in the yaml
// library. Linear work grows about 4x; each quadratic path found in issue 8 (a group's host list searched per host,
// a map's keys searched per lookup, yaml's duplicate-key check, every group asked about every host, a scan per
// --limit name) made it grow about 16x.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadInventory } from './load-inventory.ts';
import { selectHosts } from './select-hosts.ts';
import { FILE_NAME, FORMATS, syntheticInventory, type InventoryFormat } from './synthetic-inventory.ts';
import { scratch } from './test-helpers.ts';

const s = scratch();
after(() => s.cleanup());

const SEARCHES = ['includes', 'indexOf', 'lastIndexOf', 'find', 'findIndex', 'findLast', 'findLastIndex', 'some', 'every', 'filter'] as const;

/** Elements of the arrays searched while `fn` runs (each call counts the whole array it may walk). */
async function countScanned(fn: () => Promise<void>): Promise<number> {
  let scanned = 0;
  const proto = Array.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const originals = SEARCHES.map((m) => [m, proto[m]!] as const);
  for (const [m, original] of originals) {
    proto[m] = function (this: unknown[], ...args: unknown[]) {
      scanned += this.length;
      return original.apply(this, args);
    };
  }
  try {
    await fn();
  } finally {
    for (const [m, original] of originals) proto[m] = original;
  }
  return scanned;
}

async function work(format: InventoryFormat, n: number): Promise<number> {
  const file = s.write(`${n}-${FILE_NAME[format]}`, syntheticInventory(format, n));
  return countScanned(async () => {
    const inventory = await loadInventory(file, { sshConfigPath: `${s.dir}/none`, env: { HOME: s.home, USER: 'tester' } });
    assert.equal(inventory.hosts.length, n);
    // every tenth host by name, a glob, a tag and an exclusion
    const names = inventory.hosts.filter((_, i) => i % 10 === 0).map((h) => h.name);
    selectHosts(inventory, [...names, 'role1*', 'tag:canary', '!host-000000'].join(','));
  });
}

describe('inventory loading is linear', () => {
  for (const format of FORMATS) {
    it(`${format}: 4x the hosts is at most ~4x the searching`, async () => {
      const small = await work(format, 1000);
      const large = await work(format, 4000);
      const ratio = large / small;
      assert.ok(ratio < 6, `${format}: 1000 hosts scanned ${small} elements, 4000 hosts ${large} (x${ratio.toFixed(1)}): something is quadratic`);
    });
  }
});
