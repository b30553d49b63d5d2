// shQuote: a table, and a property test that dash reads every quoted random string back unchanged.
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GofleetError } from '../../errors.ts';
import { shQuote } from './quote.ts';

test('shQuote: table', () => {
  const table: Array<[string, string]> = [
    ['', `''`],
    ['plain', `'plain'`],
    ['with space', `'with space'`],
    [`it's`, `'it'\\''s'`],
    [`''`, `''\\'''\\'''`],
    ['$HOME ${x} $(id)', `'$HOME \${x} $(id)'`],
    ['`date`', "'`date`'"],
    ['a\nb', `'a\nb'`],
    ['back\\slash', `'back\\slash'`],
    ['ünïcødé 漢字 😀', `'ünïcødé 漢字 😀'`],
    ['-n', `'-n'`],
    ['*?[a]~', `'*?[a]~'`],
  ];
  for (const [input, expected] of table) assert.equal(shQuote(input), expected, JSON.stringify(input));
});

test('shQuote: NUL cannot be quoted', () => {
  assert.throws(() => shQuote('a\0b'), (e: unknown) => e instanceof GofleetError && e.code === 'INTERNAL');
});

function dashEcho(value: string): string {
  const r = spawnSync('dash', ['-c', `printf %s ${shQuote(value)}`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('shQuote: the table round-trips through dash', () => {
  for (const v of ['', ' ', `'`, `"'"`, '$', '`', '\\', '\n', '\t\r', 'é', '%s %d', '-e', `a'b"c$d\`e\\f\ng`]) {
    assert.equal(dashEcho(v), v, JSON.stringify(v));
  }
});

// A small deterministic PRNG so a failure is reproducible (the seed is in the message).
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = [
  ...`abcXYZ019 '"\`$\\!#&*;|<>(){}[]?~=%+,-./:@^_`,
  '\n', '\t', '\r', '\x01', '\x1b', '\x7f', 'é', 'ß', '漢', '😀', '\u00a0', '\u2028',
];

test('shQuote: random strings round-trip through `dash -c "printf %s <quoted>"`', () => {
  const seed = Date.now() % 100000;
  const rand = prng(seed);
  for (let i = 0; i < 150; i++) {
    const len = Math.floor(rand() * 24);
    let s = '';
    for (let j = 0; j < len; j++) s += ALPHABET[Math.floor(rand() * ALPHABET.length)];
    assert.equal(dashEcho(s), s, `seed ${seed}, string ${JSON.stringify(s)}`);
  }
});
