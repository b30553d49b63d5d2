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

describe('--cache-max and GOFLEET_CACHE_MAX through the CLI', () => {
  async function cli(args: string[]): Promise<{ code: number; err: string }> {
    const { runCli } = await import('./program.ts');
    let err = '';
    const code = await runCli(args, { out: () => {}, err: (t) => void (err += t), stdoutTty: false, stderrTty: false });
    return { code, err };
  }

  it('a bad --cache-max exits 5 with BAD_OPTION before anything is read', async () => {
    const r = await cli(['plan', '-i', '/nonexistent/inventory.yml', '--to', 'go1.27.3', '--cache-max', 'lots']);
    assert.equal(r.code, 5, r.err);
    assert.match(r.err, /BAD_OPTION: --cache-max must be a size like 2GiB/);
  });

  it('a bad GOFLEET_CACHE_MAX exits 5 with BAD_OPTION naming it; --cache-max overrides it', async () => {
    const saved = process.env.GOFLEET_CACHE_MAX;
    process.env.GOFLEET_CACHE_MAX = '2 bananas';
    try {
      const r = await cli(['plan', '-i', '/nonexistent/inventory.yml', '--to', 'go1.27.3']);
      assert.equal(r.code, 5, r.err);
      assert.match(r.err, /BAD_OPTION: GOFLEET_CACHE_MAX must be a size like 2GiB.*got "2 bananas"/);
      const overridden = await cli(['plan', '-i', '/nonexistent/inventory.yml', '--to', 'go1.27.3', '--cache-max', '1GiB']);
      assert.match(overridden.err, /INVENTORY_NOT_FOUND/, 'past the options, to the inventory');
    } finally {
      if (saved === undefined) delete process.env.GOFLEET_CACHE_MAX;
      else process.env.GOFLEET_CACHE_MAX = saved;
    }
  });
});
