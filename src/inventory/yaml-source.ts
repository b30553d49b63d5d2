// A parsed YAML file that still knows where every node came from, so that errors found after
// parsing (validation, env expansion) can name the line.

import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { parseErrorAt, type Where } from './inventory-errors.ts';

export type YamlPath = readonly (string | number)[];

export interface YamlSource {
  file: string;
  /** the document as plain JS data */
  data: unknown;
  /** the line (1-based) of the node at `path`, or of its nearest ancestor that exists */
  lineOf(path: YamlPath): number | undefined;
}

/** Parse YAML text; a syntax error becomes INVENTORY_PARSE at its line. */
export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const err = doc.errors[0];
  if (err) {
    const line = err.linePos?.[0].line ?? lineCounter.linePos(err.pos[0]).line;
    throw parseErrorAt({ file, line }, `YAML syntax error: ${err.message.split('\n')[0]}`, err);
  }
  const lineAt = (node: Node | null | undefined): number | undefined =>
    node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  return {
    file,
    data: doc.toJS({ maxAliasCount: 1000 }),
    lineOf(path) {
      let node: unknown = doc.contents;
      let line = lineAt(doc.contents);
      for (const seg of path) {
        if (isMap(node)) {
          const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
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
