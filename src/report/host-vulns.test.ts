import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VulnMatch } from '../vulndb/index.ts';
import { vulnSummary, vulnsField } from './host-vulns.ts';

const v = (id: string, fixed: string | null): VulnMatch => ({ id, aliases: [`CVE-${id}`], summary: 's', packages: [], fixed });

describe('vulnSummary', () => {
  const cases: Array<[VulnMatch[], string | null, string]> = [
    [[], null, 'go1.26.8: no known vulnerabilities'],
    [[v('GO-1', 'go1.26.9')], 'go1.26.9', 'go1.26.8: 1 known vulnerability, fixed in go1.26.9 (GO-1)'],
    [[v('GO-1', 'go1.26.9'), v('GO-2', null)], null, 'go1.26.8: 2 known vulnerabilities, no fixed version published for all of them (GO-1, GO-2)'],
    [['1', '2', '3', '4', '5', '6', '7'].map((n) => v(`GO-${n}`, 'go1.27.1')), 'go1.27.1', 'go1.26.8: 7 known vulnerabilities, fixed in go1.27.1 (GO-1, GO-2, GO-3, GO-4, GO-5, +2 more)'],
  ];
  for (const [vulns, fixedAll, want] of cases) {
    it(want, () => assert.equal(vulnSummary({ version: 'go1.26.8', vulns, fixedAll }), want));
  }
});

describe('vulnsField', () => {
  it('null when the toolchain was not matched, a list (maybe empty) when it was', () => {
    assert.deepEqual(vulnsField(null), { vulns: null, vulns_fixed_in: null });
    assert.deepEqual(vulnsField({ version: 'go1.26.8', vulns: [], fixedAll: null }), { vulns: [], vulns_fixed_in: null });
    assert.deepEqual(vulnsField({ version: 'go1.26.8', vulns: [v('GO-1', 'go1.26.9')], fixedAll: 'go1.26.9' }).vulns,
      [{ id: 'GO-1', aliases: ['CVE-GO-1'], summary: 's', fixed: 'go1.26.9', packages: [] }]);
  });
});
