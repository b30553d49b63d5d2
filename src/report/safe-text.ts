// Text from hosts and inventories (host names, tags, versions, paths, error messages) must not drive the
// terminal: an ESC[2J in a host name cleared the screen, an OSC sequence set the window title. Control
// characters are shown as \uXXXX instead: C0 (ESC included), DEL and C1, and the Unicode bidi controls and
// line/paragraph separators (U+200E/F, U+202A-202E, U+2066-2069, U+2028/9), which reorder or break what a
// terminal shows ("Trojan Source": a host name that reads as another).
//
// Two functions, one rule:
// - safeText: for one value (a cell, a name, a message) before it is put into human output; escapes every
//   control character, newlines and tabs included unless `multiline`.
// - safeTerminal: for a whole rendered text at the output boundary (src/cli/io.ts); keeps what gofleet writes
//   on purpose (newlines, tabs, SGR colours, the status line's CR + erase-line) and escapes everything else,
//   so a value some renderer forgot cannot clear the screen or set a title. JSON stays JSON: it never holds a
//   raw C0 character, and `\u007f` / `\u0080`-`\u009f` are valid JSON escapes of the same characters.

/* eslint-disable no-control-regex -- finding control characters is the point */
const EVERY_CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
/** gofleet's own sequences (colour.ts SGR, console-progress/pause-gate `\r\x1b[2K`), else one control character */
const OWN_OR_CONTROL = /(\x1b\[[0-9;]*m|\r\x1b\[2K)|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
/* eslint-enable no-control-regex */

function escapeChar(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

export interface SafeTextOptions {
  /** keep newlines and tabs (a multi-line message); default: escape them too (one table cell, one line) */
  multiline?: boolean;
}

/** One value made safe to print: every control character shown as \uXXXX. */
export function safeText(text: string, options: SafeTextOptions = {}): string {
  return text.replace(options.multiline ? CONTROL_BUT_LINES : EVERY_CONTROL, escapeChar);
}

/** Rendered output made safe to write to a terminal: gofleet's own newlines, tabs, colours and status-line
 *  erase are kept, every other control character is shown as \uXXXX. */
export function safeTerminal(text: string): string {
  return text.replace(OWN_OR_CONTROL, (match: string, own: string | undefined) => own ?? escapeChar(match));
}
