import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { paint } from './colour.ts';
import { safeTerminal, safeText } from './safe-text.ts';

// a host name that clears the screen, sets the window title (OSC 0, ended by BEL and by ST) and moves the cursor
const HOSTILE = 'web\x1b[2J\x1b]0;pwned\x07\x1b]2;t\x1b\\\x9b1A\x7f\r\x08!';
const ESCAPED = 'web\\u001b[2J\\u001b]0;pwned\\u0007\\u001b]2;t\\u001b\\\\u009b1A\\u007f\\u000d\\u0008!';

describe('safeText', () => {
  it('shows every C0 (ESC included), DEL and C1 character as \\uXXXX', () => {
    assert.equal(safeText(HOSTILE), ESCAPED);
    assert.equal(safeText('a\nb\tc\u0085d'), 'a\\u000ab\\u0009c\\u0085d');
  });

  it('shows bidi controls and line separators as \\uXXXX (a name cannot read as another)', () => {
    assert.equal(safeText('web\u202eoof\u202c-1\u2066x\u2069\u200f\u2028'), 'web\\u202eoof\\u202c-1\\u2066x\\u2069\\u200f\\u2028');
    assert.equal(safeTerminal('ok \u202egnp.exe\n'), 'ok \\u202egnp.exe\n');
    assert.deepEqual(JSON.parse(safeTerminal(JSON.stringify({ h: 'a\u2028b\u202e' }))), { h: 'a\u2028b\u202e' });
  });

  it('keeps newlines and tabs of a multi-line message, and all printable text', () => {
    assert.equal(safeText('a\nb\tc\x1b[31m', { multiline: true }), 'a\nb\tc\\u001b[31m');
    assert.equal(safeText('go1.27.3 ✓ → héllo 日本 \u00a0'), 'go1.27.3 ✓ → héllo 日本 \u00a0');
  });
});

describe('safeTerminal', () => {
  it("keeps gofleet's own colours, status-line erase, newlines and tabs", () => {
    const c = paint(true);
    const own = `\r\x1b[2K${c.dim('1/2 done')}\n${c.red('✗')}\tweb\n`;
    assert.equal(safeTerminal(own), own);
  });

  it('escapes a clear screen, a title sequence, C1 CSI and a bare carriage return', () => {
    assert.equal(safeTerminal(`✓ ${HOSTILE}: upgraded\n`), `✓ ${ESCAPED}: upgraded\n`);
  });

  it('leaves JSON parseable and equal', () => {
    const value = { host: 'a\x7fb\x9bc\x1b[2J', n: 1 };
    const text = JSON.stringify(value, null, 2);
    assert.deepEqual(JSON.parse(safeTerminal(text)), value);
    assert.doesNotMatch(safeTerminal(text), /[\x7f-\x9f]/);
  });
});
