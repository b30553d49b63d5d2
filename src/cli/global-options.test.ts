import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { GofleetError } from '../errors.ts';
import { intOption, parseDeadline, parseDistribution, toGlobalOptions } from './global-options.ts';

describe('intOption', () => {
  const parallel = intOption('--parallel', 1, 1000);

  it('takes plain decimal integers in range', () => {
    assert.equal(parallel('1'), 1);
    assert.equal(parallel('1000'), 1000);
    assert.equal(parallel('010'), 10);
  });

  // Number() alone reads all of these as whole numbers; none of them is one the user typed as such
  for (const text of ['1e3', '1E2', '0x10', '0b11', '0o7', ' 5', '5 ', '+5', '', '2.5', '5.0', '-0', '1_000', 'Infinity', '٣']) {
    it(`refuses ${JSON.stringify(text)} with BAD_OPTION naming the option`, () => {
      assert.throws(
        () => parallel(text),
        (e: unknown) => e instanceof GofleetError && e.code === 'BAD_OPTION' && e.message.includes('--parallel') && e.message.includes(JSON.stringify(text)),
      );
    });
  }

  it('refuses values out of range and beyond safe integers', () => {
    assert.throws(() => parallel('0'), /from 1 to 1000/);
    assert.throws(() => parallel('1001'), /from 1 to 1000/);
    assert.throws(() => intOption('--canary', 1)('99999999999999999999'), /BAD_OPTION|whole number/);
  });
});

describe('toGlobalOptions', () => {
  it('keeps an empty --limit so that selection can refuse it (not "no limit")', () => {
    assert.equal(toGlobalOptions({ inventory: 'inv.yml', limit: '' }).limit, '');
    assert.equal(toGlobalOptions({ inventory: 'inv.yml' }).limit, undefined);
  });

  it('--source (repeated, comma-separated) becomes the ordered source list; none: empty (the official site)', () => {
    assert.deepEqual(toGlobalOptions({ inventory: 'inv.yml', source: ['http://a/,http://b/', 'china'] }).sources, ['http://a/', 'http://b/', 'china']);
    assert.deepEqual(toGlobalOptions({ inventory: 'inv.yml' }).sources, []);
  });
});

describe('toGlobalOptions --sha256', () => {
  it('keeps the values as given for the provider; none: absent', () => {
    const pins = ['go1.27.3.linux-amd64.tar.gz=' + 'a'.repeat(64), 'go1.27.3.darwin-arm64.tar.gz=' + 'b'.repeat(64)];
    assert.deepEqual(toGlobalOptions({ inventory: 'inv.yml', sha256: pins }).sha256, pins);
    assert.equal(toGlobalOptions({ inventory: 'inv.yml' }).sha256, undefined);
  });
});

describe('--distribution', () => {
  it('takes push, pull and auto; push is the default', () => {
    for (const d of ['push', 'pull', 'auto'] as const) assert.equal(parseDistribution(d), d);
    assert.equal(toGlobalOptions({ inventory: 'x' }).distribution, 'push');
    assert.equal(toGlobalOptions({ inventory: 'x', distribution: 'auto' }).distribution, 'auto');
  });

  for (const text of ['', 'PULL', 'both', ' pull']) {
    it(`refuses ${JSON.stringify(text)} with BAD_OPTION`, () => {
      assert.throws(() => parseDistribution(text), (e: unknown) => e instanceof GofleetError && e.code === 'BAD_OPTION' && e.message.includes('--distribution'));
    });
  }
});

test('--deadline: ISO 8601 with Z or an offset; a zoneless or malformed time is refused with BAD_OPTION', () => {
  assert.equal(parseDeadline('2026-12-05T06:00:00Z'), Date.UTC(2026, 11, 5, 6));
  assert.equal(parseDeadline('2026-12-05T07:00+01:00'), Date.UTC(2026, 11, 5, 6));
  assert.equal(parseDeadline('2026-12-05T06:00:00.250Z'), Date.UTC(2026, 11, 5, 6, 0, 0, 250));
  for (const bad of ['2026-12-05T06:00:00', '2026-12-05', 'tomorrow', '2026-13-05T06:00Z', '']) {
    assert.throws(() => parseDeadline(bad), (e: GofleetError) => e.code === 'BAD_OPTION' && e.message.includes('--deadline'), bad);
  }
});
