import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeAttr, escapeHtml } from './html-escape.ts';

/** What a browser's parser gives back for our escapes (the five forms we emit). */
function decode(html: string): string {
  return html.replace(/&(amp|lt|gt|quot|#39|#10);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#10': '\n' })[e] ?? '');
}

test('escapeHtml turns markup into text', () => {
  assert.equal(escapeHtml('<script>alert(1)</script>'), '&lt;script&gt;alert(1)&lt;/script&gt;');
  assert.equal(escapeHtml('a & b &amp; c'), 'a &amp; b &amp;amp; c');
  assert.equal(escapeHtml(`"quotes" and 'apostrophes' stay`), `"quotes" and 'apostrophes' stay`);
});

test('escapeHtml drops terminal colours and replaces control characters', () => {
  assert.equal(escapeHtml('\x1b[31merror\x1b[0m: \x1b[1;33mwarn\x1b[m'), 'error: warn');
  assert.equal(escapeHtml('nul\x00bell\x07del\x7f'), 'nul\uFFFDbell\uFFFDdel\uFFFD');
  assert.equal(escapeHtml('tab\tline\nreturn\r'), 'tab\tline\nreturn\r');
  assert.equal(escapeHtml('lone \uD800 surrogate, pair 😀'), 'lone \uFFFD surrogate, pair 😀');
});

test('escapeAttr also escapes both quotes and keeps newlines as references', () => {
  const hostile = `x" onmouseover="alert(1)' y='z`;
  const out = escapeAttr(hostile);
  assert.doesNotMatch(out, /["'<>]/);
  assert.equal(decode(out), hostile);
  assert.equal(escapeAttr('line 1\r\nline 2'), 'line 1&#10;line 2');
});

test('escaped text decodes back to the original for printable input', () => {
  const samples = ['plain', '<a href="https://example.com">&nbsp;</a>', `'"<>&&amp;`, 'ünïcødé → ✓', '</pre></td></tr></table>'];
  for (const s of samples) {
    assert.equal(decode(escapeHtml(s)), s);
    assert.equal(decode(escapeAttr(s)), s);
    assert.doesNotMatch(escapeHtml(s), /[<>]/);
  }
});
