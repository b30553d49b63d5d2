import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GofleetError } from '../errors.ts';
import { DEFAULT_CACHE_MAX, parseCacheMax, resolveCacheMax } from './cache-max-option.ts';
import { toGlobalOptions } from './global-options.ts';

const badOption = (what: string, text: string) => (e: unknown) =>
  e instanceof GofleetError && e.code === 'BAD_OPTION' && e.message.includes(what) && e.message.includes(JSON.stringify(text));

describe('parseCacheMax', () => {
  const table: [string, number][] = [
    ['0', 0],
    ['2GiB', 2 * 1024 ** 3],
    ['500MB', 500_000_000],
    ['500mb', 500_000_000],
    ['1.5GiB', 1.5 * 1024 ** 3],
    ['10 KiB', 10_240],
    ['4096', 4096],
    ['4096B', 4096],
    ['1TB', 1e12],
  ];
  for (const [text, bytes] of table) it(`${JSON.stringify(text)} -> ${bytes}`, () => assert.equal(parseCacheMax(text), bytes));

  for (const text of ['', 'GiB', '-1GiB', '2 GiBs', '2G', '1e9', '0x10', '1.5', '1,5GB', 'lots', '99999999999TiB']) {
    it(`refuses ${JSON.stringify(text)} with BAD_OPTION naming --cache-max`, () => assert.throws(() => parseCacheMax(text), badOption('--cache-max', text)));
  }
});

describe('resolveCacheMax', () => {
  it('the flag wins, then GOFLEET_CACHE_MAX, then 5 GiB', () => {
    assert.equal(resolveCacheMax(0, { GOFLEET_CACHE_MAX: '1GiB' }), 0);
    assert.equal(resolveCacheMax(undefined, { GOFLEET_CACHE_MAX: '1GiB' }), 1024 ** 3);
    assert.equal(resolveCacheMax(undefined, {}), DEFAULT_CACHE_MAX);
    assert.equal(resolveCacheMax(undefined, { GOFLEET_CACHE_MAX: '' }), DEFAULT_CACHE_MAX);
    assert.equal(DEFAULT_CACHE_MAX, 5 * 1024 ** 3);
  });

  it('a bad GOFLEET_CACHE_MAX is BAD_OPTION naming the variable', () => {
    assert.throws(() => resolveCacheMax(undefined, { GOFLEET_CACHE_MAX: 'huge' }), badOption('GOFLEET_CACHE_MAX', 'huge'));
  });

  it('reaches the global options', () => {
    assert.equal(toGlobalOptions({ inventory: 'i.yml', cacheMax: 1000 }, { GOFLEET_CACHE_MAX: '1GiB' }).cacheMaxBytes, 1000);
    assert.equal(toGlobalOptions({ inventory: 'i.yml' }, { GOFLEET_CACHE_MAX: '1GiB' }).cacheMaxBytes, 1024 ** 3);
    assert.equal(toGlobalOptions({ inventory: 'i.yml' }, {}).cacheMaxBytes, DEFAULT_CACHE_MAX);
  });
});
