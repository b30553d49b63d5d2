// A parsed YAML file that still knows where every node came from, so that errors found after
// parsing (validation, env expansion) can name the line.

import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair, type ScalarTag, type YAMLMap } from 'yaml';
import { findAliasTrouble } from './find-alias-trouble.ts';
import { findDuplicateKey } from './find-duplicate-key.ts';
import { VaultText } from './ansible-vault.ts';
import { parseErrorAt, type Where } from './inventory-errors.ts';

export type YamlPath = readonly (string | number)[];

export interface YamlSource {
  file: string;
  /** the document as plain JS data */
  data: unknown;
  /** the line (1-based) of the node at `path`, or of its nearest ancestor that exists */
  lineOf(path: YamlPath): number | undefined;
  /** the key at the end of `path` as YAML typed it (10 stays a number), or undefined */
  keyAt(path: YamlPath): unknown;
}

/** Aliases a document may expand (the yaml library's count); more is refused as an alias bomb. */
const MAX_ALIAS_COUNT = 1000;

/** doc.toJS, with the yaml library's position-less alias errors (an alias bomb, an alias to no anchor) turned
 *  into INVENTORY_PARSE at the offending alias's line. */
function toData(file: string, doc: Document, lineCounter: LineCounter): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    if (!(err instanceof ReferenceError)) throw err;
    const trouble = findAliasTrouble(doc, MAX_ALIAS_COUNT);
    const start = trouble?.alias.range?.[0];
    const line = start === undefined ? undefined : lineCounter.linePos(start).line;
    throw parseErrorAt({ file, line }, `YAML ${trouble?.why ?? 'alias error'}: ${err.message}`, err);
  }
}

/** Key -> pair of one map, built on first use: a linear search per lookup made loading N hosts O(N²). */
function pairIndex(cache: WeakMap<YAMLMap, Map<string, Pair>>, map: YAMLMap): Map<string, Pair> {
  let index = cache.get(map);
  if (!index) {
    index = new Map();
    for (const pair of map.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      if (!index.has(key)) index.set(key, pair as Pair);
    }
    cache.set(map, index);
  }
  return index;
}

const VAULT_TAG: ScalarTag = { tag: '!vault', resolve: (text: string) => new VaultText(text) };

/** Parse YAML text; a syntax error becomes INVENTORY_PARSE at its line. */
export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  // uniqueKeys off: the library's check is quadratic per map; findDuplicateKey does the same in one pass
  // `!vault |` (Ansible Vault) stays encrypted as a VaultText, never a plain string that could be sent as is
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, customTags: [VAULT_TAG] });
  const err = doc.errors[0];
  if (err) {
    const line = err.linePos?.[0].line ?? lineCounter.linePos(err.pos[0]).line;
    throw parseErrorAt({ file, line }, `YAML syntax error: ${err.message.split('\n')[0]}`, err);
  }
  const lineAt = (node: Node | null | undefined): number | undefined =>
    node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  const dup = findDuplicateKey(doc);
  if (dup) throw parseErrorAt({ file, line: lineAt(dup.key) }, `YAML syntax error: duplicate key ${JSON.stringify(dup.text)} (map keys must be unique)`);
  const indexes = new WeakMap<YAMLMap, Map<string, Pair>>();
  return {
    file,
    data: toData(file, doc, lineCounter),
    lineOf(path) {
      let node: unknown = doc.contents;
      let line = lineAt(doc.contents);
      for (const seg of path) {
        if (isMap(node)) {
          const pair = pairIndex(indexes, node).get(String(seg));
          if (!pair) break;
          const value = pair.value as Node | null;
          // a scalar value sits on its own line; a block collection starts below its key
          line = (isScalar(value) && value.value !== null ? lineAt(value) : undefined) ?? lineAt(pair.key as Node) ?? line;
          node = value;
        } else if (isSeq(node) && typeof seg === 'number') {
          const item = node.items[seg] as Node | undefined;
          if (!item) break;
          line = lineAt(item) ?? line;
          node = item;
        } else break;
      }
      return line;
    },
    keyAt(path) {
      let node: unknown = doc.contents;
      let key: unknown;
      for (const seg of path) {
        if (!isMap(node)) return undefined;
        const pair = pairIndex(indexes, node).get(String(seg));
        if (!pair) return undefined;
        key = isScalar(pair.key) ? pair.key.value : undefined;
        node = pair.value;
      }
      return key;
    },
  };
}

/** file:line:field for a path in the document (field = the dotted path). */
export function whereIn(src: YamlSource, path: YamlPath): Where {
  return { file: src.file, line: src.lineOf(path), field: path.join('.') };
}

/** A plain (non-list) mapping, as YAML maps come out of toJS(). */
export function isPlainMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
