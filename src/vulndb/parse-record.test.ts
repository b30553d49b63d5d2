import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRecord } from './parse-record.ts';

/** a record shaped like vuln.go.dev's (made up for these cases) */
const osv = (extra: Record<string, unknown>, affected: unknown[]): string =>
  JSON.stringify({ schema_version: '1.3.1', id: 'GO-2099-0001', modified: '2099-01-01T00:00:00Z', aliases: ['CVE-2099-1'], ...extra, affected });
const stdlib = (events: unknown[], type = 'SEMVER') => ({ package: { name: 'stdlib', ecosystem: 'Go' }, ranges: [{ type, events }] });

describe('parseRecord', () => {
  it('prefers summary over details', () => {
    const r = parseRecord(osv({ summary: 'Panic in archive/zip', details: 'Long. Text.' }, [stdlib([{ introduced: '0' }])]), 'x.json');
    assert.equal(r?.summary, 'Panic in archive/zip');
  });

  it('without a summary, the first sentence of details', () => {
    const r = parseRecord(osv({ details: 'Opening a zip can panic. More text.\n\nSecond paragraph.' }, [stdlib([{ introduced: '0' }])]), 'x.json');
    assert.equal(r?.summary, 'Opening a zip can panic.');
  });

  it('a withdrawn record is dropped', () => {
    assert.equal(parseRecord(osv({ withdrawn: '2099-02-01T00:00:00Z' }, [stdlib([{ introduced: '0' }])]), 'x.json'), null);
  });

  it('a record for modules only is dropped; a mixed one keeps its stdlib/toolchain entries', () => {
    const mod = { package: { name: 'golang.org/x/net', ecosystem: 'Go' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '0.7.0' }] }] };
    assert.equal(parseRecord(osv({}, [mod]), 'x.json'), null);
    const tool = { ...stdlib([{ introduced: '1.21.0-rc.1' }, { fixed: '1.21.1' }]), package: { name: 'toolchain', ecosystem: 'Go' } };
    assert.deepEqual(parseRecord(osv({}, [mod, tool]), 'x.json')?.affected.map((a) => [a.package, a.events]), [['toolchain', [{ introduced: '1.21.0-rc.1' }, { fixed: '1.21.1' }]]]);
  });

  it('ranges other than SEMVER are not read', () => {
    assert.deepEqual(parseRecord(osv({}, [stdlib([{ introduced: 'abc' }], 'GIT')]), 'x.json')?.affected[0]?.events, []);
  });
});
