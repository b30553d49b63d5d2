// Host output can be huge and can echo secrets: everything text-like is redacted, then cut to an excerpt
// (head and tail kept, the middle replaced by a marker) before it reaches the journal.

import { redact } from '../errors.ts';

export const MESSAGE_MAX_BYTES = 4096;

/** `text` if it fits in `maxBytes` of UTF-8, else its head and tail around a marker, never splitting a character. */
export function excerpt(text: string, maxBytes = MESSAGE_MAX_BYTES): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= maxBytes) return text;
  const room = maxBytes - Buffer.byteLength(marker(buf.length));
  let headEnd = Math.floor(room / 2);
  while (headEnd > 0 && isContinuation(buf[headEnd])) headEnd--;
  let tailStart = buf.length - (room - Math.floor(room / 2));
  while (tailStart < buf.length && isContinuation(buf[tailStart])) tailStart++;
  return buf.subarray(0, headEnd).toString('utf8') + marker(tailStart - headEnd) + buf.subarray(tailStart).toString('utf8');
}

/** Redact, then excerpt: a secret is never cut in half and half-shown. */
export function journalText(text: string): string {
  return excerpt(redact(text));
}

/** JSON for the event log, with every string value passed through journalText. */
export function journalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? journalText(v) : v));
}

function marker(omitted: number): string {
  return `\n…[${omitted} bytes omitted]…\n`;
}

function isContinuation(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}
