// PowerShell's stderr in CLIXML, made readable. powershell.exe started with -EncodedCommand and redirected
// streams writes its error (and warning, progress, verbose) records to stderr as `#< CLIXML` followed by one
// `<Objs ...>` document per batch, each line of an error as `<S S="Error">text_x000D__x000A_</S>`.
// Characters XML cannot carry, and every character of a surrogate pair, are written `_xHHHH_` (a UTF-16 code
// unit); an underscore that would start such a sequence is written `_x005F_` (MS-PSRP 2.2.5.3.2). Several
// documents, and more `#< CLIXML` headers, can follow each other (ansible/ansible#69550). Plain lines (the
// bootstrap's `gofleet-pid:` line, a native command's stderr) are kept as they are.

const REGION = /#< CLIXML\r?\n?((?:\s*(?:#< CLIXML\s*)?<Objs\b[^>]*>[\s\S]*?<\/Objs>)+)\r?\n?/g;
const STRING = /<S S="([^"]*)"\s*(?:\/>|>([\s\S]*?)<\/S>)/g;

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function xmlText(text: string): string {
  return text.replace(/&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(lt|gt|amp|quot|apos));/g, (whole, hex?: string, dec?: string, name?: string) => {
    if (hex !== undefined) return String.fromCodePoint(parseInt(hex, 16));
    if (dec !== undefined) return String.fromCodePoint(parseInt(dec, 10));
    return ENTITIES[name ?? ''] ?? whole;
  });
}

/** Undo PowerShell's `_xHHHH_` escaping (UTF-16 code units; surrogate pairs come out whole). */
export function unescapeClixmlString(text: string): string {
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_whole, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The readable text of the streams in one CLIXML region: errors as they are, warnings prefixed. */
function regionText(xml: string): string {
  let out = '';
  for (const m of xml.matchAll(STRING)) {
    const stream = (m[1] ?? '').toLowerCase();
    if (stream !== 'error' && stream !== 'warning') continue;
    const text = unescapeClixmlString(xmlText(m[2] ?? ''));
    out += stream === 'warning' ? `WARNING: ${text}${text.endsWith('\n') ? '' : '\n'}` : text;
  }
  const lines = out.replace(/\r\n?/g, '\n').split('\n').map((l) => l.trimEnd());
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Whether `stderr` holds CLIXML. */
export function hasClixml(stderr: string): boolean {
  return stderr.includes('#< CLIXML');
}

/**
 * `stderr` with every CLIXML region replaced by the text of its Error streams (and warnings, prefixed
 * `WARNING: `); progress, verbose, debug and information records are dropped; other text is kept.
 * A header without a complete `<Objs>` document is left as it is.
 */
export function decodeClixml(stderr: string): string {
  return stderr.replace(REGION, (_whole, body: string) => regionText(body));
}
