import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { toolchainVulns } from './match.ts';
import { parseRecord } from './parse-record.ts';
import type { RangeEvent, VulnRecord } from './types.ts';

const ID_DIR = join(import.meta.dirname, 'testdata', 'vulndb', 'ID');
/** the real records of testdata/ (see its README), toolchain entries only */
const real: VulnRecord[] = readdirSync(ID_DIR).filter((n) => n.endsWith('.json'))
  .map((n) => parseRecord(readFileSync(join(ID_DIR, n), 'utf8'), `ID/${n}`)).filter((r): r is VulnRecord => r !== null);

/** a made-up record (not from the database) for edges the real ones do not cover */
function made(id: string, events: RangeEvent[], pkg: 'stdlib' | 'toolchain' = 'stdlib'): VulnRecord {
  return { id, aliases: [`CVE-0000-${id}`], summary: `made up ${id}`, affected: [{ package: pkg, events, imports: [] }] };
}

describe('toolchainVulns over the real records', () => {
  it('the module-only record (beego) is dropped; GO-2022-0229 keeps its stdlib entry', () => {
    assert.deepEqual(real.map((r) => r.id).sort(), ['GO-2021-0068', 'GO-2021-0240', 'GO-2021-0264', 'GO-2022-0229', 'GO-2022-0273', 'GO-2022-0969']);
    assert.deepEqual(real.find((r) => r.id === 'GO-2022-0229')?.affected.map((a) => a.package), ['stdlib']);
  });

  const cases: Array<{ host: string | null; ids?: string[]; fixed?: Record<string, string | null>; all?: string | null }> = [
    // introduced 1.17.0 fixed 1.17.3 (0264); 0273 fixed 1.17.1 (not affected); 0969 fixed 1.18.6 on no 1.17 fix
    { host: 'go1.17.2', ids: ['GO-2021-0264', 'GO-2022-0969'], fixed: { 'GO-2021-0264': 'go1.17.3', 'GO-2022-0969': 'go1.18.6' }, all: 'go1.18.6' },
    // exactly at a fixed version: not affected by it
    { host: 'go1.17.3', ids: ['GO-2022-0969'], all: 'go1.18.6' },
    // exactly at an introduced version (1.17.0 is the release go1.17): affected
    { host: 'go1.17', ids: ['GO-2021-0264', 'GO-2022-0273', 'GO-2022-0969'], all: 'go1.18.6' },
    // the line's own fix where there is one: go1.16.9 -> 1.16.10 for 0264, 1.16.8 for 0273
    { host: 'go1.16.7', ids: ['GO-2021-0264', 'GO-2022-0273', 'GO-2022-0969'], fixed: { 'GO-2021-0264': 'go1.16.10', 'GO-2022-0273': 'go1.16.8', 'GO-2022-0969': 'go1.18.6' }, all: 'go1.18.6' },
    // the toolchain package counts as well as stdlib
    { host: 'go1.15.6', ids: ['GO-2021-0068', 'GO-2021-0240', 'GO-2021-0264', 'GO-2022-0273', 'GO-2022-0969'], fixed: { 'GO-2021-0068': 'go1.15.7', 'GO-2021-0240': 'go1.15.13' } },
    { host: 'go1.19.1', ids: [], all: null },
    { host: 'go1.26.8', ids: [], all: null },
    // a version with go version's build suffix
    { host: 'go1.19 X:boringcrypto', ids: ['GO-2022-0969'], fixed: { 'GO-2022-0969': 'go1.19.1' } },
    // no go, or one gofleet cannot order: no report at all (unknown is not "no vulnerabilities")
    { host: null },
    { host: 'devel go1.27-abcdef' },
  ];
  for (const c of cases) {
    it(`${c.host}`, () => {
      const report = toolchainVulns(c.host, real);
      if (!c.ids) return assert.equal(report, null);
      assert.ok(report);
      assert.deepEqual(report.vulns.map((v) => v.id), c.ids);
      for (const [id, fixed] of Object.entries(c.fixed ?? {})) assert.equal(report.vulns.find((v) => v.id === id)?.fixed, fixed, id);
      if (c.all !== undefined) assert.equal(report.fixedAll, c.all);
    });
  }

  it('keeps aliases, a summary and the affected packages with symbols', () => {
    const v = toolchainVulns('go1.19', real)?.vulns[0];
    assert.deepEqual(v?.aliases, ['CVE-2022-27664', 'GHSA-69cg-p879-7622']);
    assert.equal(v?.summary, 'HTTP/2 server connections can hang forever waiting for a clean shutdown that was preempted by a fatal error.');
    assert.equal(v?.packages[0]?.path, 'net/http');
    assert.ok(v?.packages[0]?.symbols.includes('Server.Serve'));
  });
});

describe('toolchainVulns: release candidates and open ranges (made-up records)', () => {
  const rc = made('RC', [{ introduced: '1.21.0-rc.2' }, { fixed: '1.21.0-rc.4' }, { introduced: '1.22.0' }, { fixed: '1.22.3' }]);
  const open = made('OPEN', [{ introduced: '1.25.0' }], 'toolchain');
  const cases: Array<[string, string[], string | null]> = [
    ['go1.21rc1', [], null],
    ['go1.21rc2', ['RC'], 'go1.21rc4'],
    ['go1.21rc3', ['RC'], 'go1.21rc4'],
    ['go1.21rc4', [], null],
    ['go1.21.0', [], null],
    ['go1.22.2', ['RC'], 'go1.22.3'],
    ['go1.25.1', ['OPEN'], null], // no fix published
  ];
  for (const [host, ids, fixedAll] of cases) {
    it(`${host}: ${ids.join(', ') || 'none'}`, () => {
      const report = toolchainVulns(host, [rc, open]);
      assert.deepEqual(report?.vulns.map((v) => v.id), ids);
      assert.equal(report?.fixedAll, fixedAll);
    });
  }

  it('the fix for them all skips a version that fixes one but has the other', () => {
    const a = made('A', [{ introduced: '0' }, { fixed: '1.26.9' }]);
    const b = made('B', [{ introduced: '1.26.9' }, { fixed: '1.26.10' }, { introduced: '0' }, { fixed: '1.26.5' }]);
    const report = toolchainVulns('go1.26.8', [a, b]);
    assert.deepEqual(report?.vulns.map((v) => [v.id, v.fixed]), [['A', 'go1.26.9']]);
    assert.equal(report?.fixedAll, 'go1.26.9');
    const report2 = toolchainVulns('go1.26.4', [a, b]);
    assert.deepEqual(report2?.vulns.map((v) => [v.id, v.fixed]), [['A', 'go1.26.9'], ['B', 'go1.26.5']]);
    assert.equal(report2?.fixedAll, 'go1.26.10', 'go1.26.9 fixes A but B came back in it');
  });
});
