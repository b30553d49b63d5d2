// psQuote, the one quoting function for PowerShell: one single-quoted literal that evaluates to the value.
// PowerShell cannot run here, so the literal is checked two ways: read back by the rule of PowerShell's
// single-quoted strings (only a doubled single quote, typographic ones included, means one quote), and parsed
// with tree-sitter-powershell in `$x = <quoted>` to show it is exactly one string token.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Parser from 'tree-sitter';
import PowerShell from 'tree-sitter-powershell/bindings/node/index.js';
import { GofleetError } from '../../errors.ts';
import { psQuote } from './quote.ts';
import { checkPs51 } from './testing/check-ps51.ts';

const QUOTES = "'\u2018\u2019\u201A\u201B";

/** What PowerShell makes of a single-quoted literal: the body with each doubled quote character read as one. */
function readSingleQuoted(literal: string): string {
  assert.ok(QUOTES.includes(literal[0] ?? '') && QUOTES.includes(literal.at(-1) ?? ''), literal);
  const body = literal.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] ?? '';
    if (QUOTES.includes(ch)) {
      assert.ok(QUOTES.includes(body[i + 1] ?? ''), `a lone quote ends the literal early at ${i} in ${literal}`);
      i++;
    }
    out += ch;
  }
  return out;
}

const parser = new Parser();
parser.setLanguage(PowerShell as Parser.Language);

/** The string literal nodes of `$x = <quoted>` (and that the script has no ERROR node). */
function stringTokens(quoted: string): Parser.SyntaxNode[] {
  const source = `$x = ${quoted}\n`;
  const root = parser.parse(source).rootNode;
  assert.equal(root.hasError, false, `tree-sitter found an error in ${JSON.stringify(source)}`);
  return root.descendantsOfType('string_literal');
}

const SAMPLES = [
  '',
  'plain',
  'C:\\Program Files\\Go',
  'with space',
  "it's",
  "''",
  'say "hi"',
  '$env:PATH and $(Get-Date) and ${x}',
  'back`tick `n `0',
  'line1\nline2\r\nline3',
  'é漢😀',
  '\u2018left\u2019 \u201Alow\u201B',
  "mixed '\u2019 quotes",
  '@"not a here-string"@',
  '; exit 1 # | & <>',
];

test('psQuote output reads back to the value', () => {
  for (const v of SAMPLES) assert.equal(readSingleQuoted(psQuote(v)), v, JSON.stringify(v));
});

test('every quote character is doubled, nothing else changes', () => {
  assert.equal(psQuote("it's"), "'it''s'");
  assert.equal(psQuote('a\u2018b\u2019c\u201Ad\u201Be'), "'a\u2018\u2018b\u2019\u2019c\u201A\u201Ad\u201B\u201Be'");
  assert.equal(psQuote('$x `n "q"'), "'$x `n \"q\"'");
  assert.equal(psQuote('a\nb'), "'a\nb'");
  assert.equal(psQuote('é漢😀'), "'é漢😀'");
  assert.equal(psQuote(''), "''");
});

test('NUL is refused', () => {
  assert.throws(() => psQuote('a\0b'), (e: unknown) => e instanceof GofleetError && e.code === 'INTERNAL' && /NUL/.test(e.message));
});

// tree-sitter-powershell knows only the ASCII quote; typographic ones are plain characters to it, so for them
// this shows the literal stays one token, and readSingleQuoted above shows what PowerShell reads.
test('tree-sitter sees `$x = <quoted>` as one verbatim string token spanning the whole literal', () => {
  for (const v of SAMPLES) {
    const quoted = psQuote(v);
    const tokens = stringTokens(quoted);
    assert.equal(tokens.length, 1, JSON.stringify(v));
    assert.equal(tokens[0]?.text, quoted, JSON.stringify(v));
    assert.equal(tokens[0]?.firstChild?.type, 'verbatim_string_characters', JSON.stringify(v));
    assert.deepEqual(checkPs51(`$x = ${quoted}\n`).problems, [], JSON.stringify(v));
  }
});

test('the token check can fail: a quote that is not doubled ends the literal early', () => {
  const root = parser.parse("$x = 'it's'\n").rootNode;
  assert.deepEqual(root.descendantsOfType('string_literal').map((n) => n.text), ["'it'"]);
});
