import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GofleetError } from '../errors.ts';
import { collectSource, parseSources } from './source-option.ts';

describe('--source list', () => {
  it('is repeatable and comma-separated, in order', () => {
    const raw = collectSource('china', collectSource('http://dead/, http://good/', undefined));
    assert.deepEqual(parseSources(raw), ['http://dead/', 'http://good/', 'china']);
  });

  it('keeps a goproxy: item whole (its , and | belong to the GOPROXY list)', () => {
    assert.deepEqual(parseSources(['goproxy:https://a.example,https://b.example|direct', 'official']), ['goproxy:https://a.example,https://b.example|direct', 'official']);
  });

  it('refuses an empty item', () => {
    assert.throws(() => parseSources(['http://a/,,official']), (e: unknown) => e instanceof GofleetError && e.code === 'BAD_OPTION');
  });
});
