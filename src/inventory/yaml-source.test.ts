// YAML errors the yaml library reports without a position (alias bombs, aliases to no anchor) and duplicate keys
// (checked here, in one pass, instead of by the library) are INVENTORY_PARSE errors naming the file and line.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { errorPolicy } from '../errors.ts';
import { scratch } from './test-helpers.ts';
import { parseYamlSource } from './yaml-source.ts';

const s = scratch();
after(() => s.cleanup());

/** The "billion laughs": each level repeats the one before nine times. */
function aliasBomb(levels: number): string {
  const lines = ['hosts:', '  a: {}', 'x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < levels; i++) lines.push(`x${i}: &x${i} [${Array(9).fill(`*x${i - 1}`).join(', ')}]`);
  return lines.join('\n') + '\n';
}

describe('parseYamlSource', () => {
  it('refuses an alias bomb as INVENTORY_PARSE (exit 4) at the alias that expands too far', async () => {
    const err = await s.loadError('bomb.yml', aliasBomb(9));
    assert.equal(err.code, 'INVENTORY_PARSE');
    assert.equal(errorPolicy(err.code).exitCode, 4);
    // x3 = 9 * x2 (820 nodes): the first alias past the 1000 cap is the first *x3, on the line of x4 (line 7)
    assert.equal(err.location?.line, 7);
    assert.match(err.message, /bomb\.yml:7: YAML alias \*x3 expands to 7381 nodes/);
  });

  it('keeps a document with a few aliases', () => {
    const src = parseYamlSource('ok.yml', 'base: &b { user: deploy }\nhosts:\n  a: *b\n  b: *b\n');
    assert.deepEqual(src.data, { base: { user: 'deploy' }, hosts: { a: { user: 'deploy' }, b: { user: 'deploy' } } });
  });

  it('refuses an alias used before its anchor as INVENTORY_PARSE at its line', async () => {
    const err = await s.loadError('order.yml', 'hosts:\n  a: *later\n  b: &later { port: 22 }\n');
    assert.equal(err.code, 'INVENTORY_PARSE');
    assert.equal(err.location?.line, 2);
  });

  it('refuses a duplicate key at the line of its second use, in any map', async () => {
    const top = await s.loadError('dup.yml', 'hosts:\n  a: {}\n  b: {}\n  a: { port: 2 }\n');
    assert.equal(top.code, 'INVENTORY_PARSE');
    assert.equal(top.location?.line, 4);
    assert.match(top.message, /duplicate key "a"/);
    const inner = await s.loadError('dup2.yml', 'hosts:\n  a: { port: 1, user: x, port: 2 }\n');
    assert.equal(inner.location?.line, 2);
    assert.match(inner.message, /duplicate key "port"/);
  });

  it('tells keys of different types apart, as YAML does', () => {
    assert.deepEqual(parseYamlSource('types.yml', 'm:\n  1: a\n  "1": b\n').data, { m: { 1: 'b' } });
  });

  it('finds the line of a host among many without depending on its position', () => {
    const text = 'hosts:\n' + Array.from({ length: 500 }, (_, i) => `  h${i}: { port: ${i + 1} }`).join('\n') + '\n';
    const src = parseYamlSource('many.yml', text);
    assert.equal(src.lineOf(['hosts', 'h0']), 2);
    assert.equal(src.lineOf(['hosts', 'h499', 'port']), 501);
    assert.equal(src.lineOf(['hosts', 'nope']), 1);
  });
});
