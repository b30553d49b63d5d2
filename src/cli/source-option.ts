// --source: repeatable and comma-separated, tried in order with failover (releases/provider.ts). Inside a
// `goproxy:` item, `,` and `|` belong to the GOPROXY list, so a source after a goproxy one needs a second --source.

import { GofleetError } from '../errors.ts';

/** commander's collector: each --source value appended as given */
export function collectSource(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The --source values as the ordered list of sources (BAD_OPTION for an empty one). */
export function parseSources(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const value of values) {
    const trimmed = value.trim();
    const items = /^goproxy:/i.test(trimmed) ? [trimmed] : trimmed.split(',').map((s) => s.trim());
    if (items.some((s) => s === '')) {
      throw new GofleetError('BAD_OPTION', `--source "${value}": an empty source; give a comma-separated list such as --source https://mirror.example/golang/,official`);
    }
    out.push(...items);
  }
  return out;
}
