// Escaping for the HTML report: every piece of recorded text (host names, error messages, command lines) goes
// through one of these before it reaches the page.

// eslint-disable-next-line no-control-regex -- removing terminal escapes from host output is the point
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex -- control characters (but tab/LF/CR) and lone surrogates have no place in a page
const UNPRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]|[\uD800-\uDFFF]/gu;

/** Element text: terminal colours dropped, unprintable characters replaced by U+FFFD, `& < >` escaped. */
export function escapeHtml(value: string): string {
  return value
    .replace(ANSI, '')
    .replace(UNPRINTABLE, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** A double-quoted attribute value: also both quotes; newlines kept as character references (tooltips show them). */
export function escapeAttr(value: string): string {
  return escapeHtml(value).replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/\n/g, '&#10;').replace(/\r/g, '');
}
