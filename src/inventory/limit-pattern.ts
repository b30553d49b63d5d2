// Parsing of --limit: `web,db`, Ansible's `web:db`, `web:&prod` (intersection), `!win-*`
// (exclusion). With a comma present, only commas separate (so `tag:NAME` and `~re:gex` survive);
// without one, `:` separates outside [brackets], and `tag` + `:` + NAME is kept together.

export type LimitOp = 'union' | 'intersect' | 'exclude';

export interface LimitTerm {
  op: LimitOp;
  /** the pattern without its `!`/`&` prefix */
  pattern: string;
  /** the term as the user wrote it, for messages */
  text: string;
}

function splitColons(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of text) {
    if (c === '[') depth++;
    if (c === ']') depth = Math.max(0, depth - 1);
    if (c === ':' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  // re-join `tag` `NAME` (also `!tag`, `&tag`)
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (/^[!&]?tag$/.test(p.trim()) && i + 1 < parts.length) out.push(`${p}:${parts[++i]}`);
    else out.push(p);
  }
  return out;
}

export function parseLimit(limit: string): LimitTerm[] {
  const pieces = limit.includes(',') ? limit.split(',') : splitColons(limit);
  return pieces
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((text) => {
      if (text.startsWith('!')) return { op: 'exclude' as const, pattern: text.slice(1).trim(), text };
      if (text.startsWith('&')) return { op: 'intersect' as const, pattern: text.slice(1).trim(), text };
      return { op: 'union' as const, pattern: text, text };
    });
}
