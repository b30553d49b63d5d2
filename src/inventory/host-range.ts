// Ansible host ranges: `web[01:03]` -> web01 web02 web03, `db-[a:c]` -> db-a db-b db-c,
// `n[0:10:5]` -> n0 n5 n10. Several ranges in one name multiply. Other brackets are kept as is.

const RANGE = /^(.*?)\[(\d*|[a-zA-Z]):(\d+|[a-zA-Z])(?::(\d+))?\](.*)$/;

export class HostRangeError extends Error {}

function numericRange(beg: string, end: string, step: number): string[] {
  const first = beg === '' ? 0 : Number(beg);
  const last = Number(end);
  const width = beg.length > 1 && beg.startsWith('0') ? beg.length : 0;
  if (width && end.length !== width) throw new HostRangeError(`zero-padded range [${beg}:${end}] needs both ends of equal length`);
  if (first > last) throw new HostRangeError(`range [${beg}:${end}] ends before it starts`);
  const out: string[] = [];
  for (let i = first; i <= last; i += step) out.push(String(i).padStart(width, '0'));
  return out;
}

function alphaRange(beg: string, end: string, step: number): string[] {
  const a = beg.charCodeAt(0);
  const b = end.charCodeAt(0);
  if (a > b) throw new HostRangeError(`range [${beg}:${end}] ends before it starts`);
  const out: string[] = [];
  for (let c = a; c <= b; c += step) out.push(String.fromCharCode(c));
  return out;
}

/** Expand every range in a host pattern; a name without ranges expands to itself. */
export function expandHostRange(pattern: string): string[] {
  const m = RANGE.exec(pattern);
  if (!m) return [pattern];
  const [, head, beg, end, stepText, tail] = m as unknown as [string, string, string, string, string | undefined, string];
  const step = stepText === undefined ? 1 : Number(stepText);
  if (step < 1) throw new HostRangeError(`range step must be at least 1 in ${pattern}`);
  const numeric = /^\d*$/.test(beg) && /^\d+$/.test(end);
  const alpha = /^[a-zA-Z]$/.test(beg) && /^[a-zA-Z]$/.test(end);
  if (!numeric && !alpha) throw new HostRangeError(`range [${beg}:${end}] mixes letters and numbers`);
  const items = numeric ? numericRange(beg, end, step) : alphaRange(beg, end, step);
  if (items.length > 100_000) throw new HostRangeError(`range in ${pattern} expands to more than 100000 hosts`);
  const rest = expandHostRange(tail);
  return items.flatMap((item) => rest.map((r) => `${head}${item}${r}`));
}
