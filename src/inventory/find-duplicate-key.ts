// Duplicate map keys, found in linear time. The yaml library's own check (`uniqueKeys`) compares each key with
// every earlier key of its map, which made a 100,000-host `hosts:` map take minutes; it is turned off and this
// one pass with a Set per map refuses the same documents (scalar keys equal in type and value).

import { isScalar, visit, type Document, type Node } from 'yaml';

export interface DuplicateKey {
  key: Node;
  /** the key as written, for the message */
  text: string;
}

/** The first key (in document order) that repeats an earlier key of the same map, or undefined. */
export function findDuplicateKey(doc: Document): DuplicateKey | undefined {
  let found: DuplicateKey | undefined;
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const value: unknown = pair.key.value;
        const id = `${typeof value}:${String(value)}`;
        if (seen.has(id)) {
          found = { key: pair.key, text: String(value) };
          return visit.BREAK;
        }
        seen.add(id);
      }
      return undefined;
    },
  });
  return found;
}
