// The one function that puts a value into WS-Management XML: every interpolated value of an envelope goes
// through it (text and attribute values alike, so quotes are escaped too).

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

// XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Escape `value` for XML text or a double- or single-quoted attribute; refuse characters XML 1.0 cannot carry. */
export function xmlEscape(value: string): string {
  if (NOT_XML_CHAR.test(value)) {
    throw new TypeError(`a character XML 1.0 cannot carry (U+${value.codePointAt(value.search(NOT_XML_CHAR))!.toString(16).toUpperCase().padStart(4, '0')}) in a WS-Management value`);
  }
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
