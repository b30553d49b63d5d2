// Where a YAML document's aliases go wrong, for an error message with a line: the yaml library refuses an alias
// bomb (`maxAliasCount`) or an alias to an unknown anchor with a bare ReferenceError that names no position.

import { isAlias, isCollection, isPair, visit, type Alias, type Document } from 'yaml';

export interface AliasTrouble {
  alias: Alias;
  /** what is wrong with it, for the message */
  why: string;
}

/** Nodes an alias stands for once expanded (an alias inside its own anchor counts once, not forever). */
function expandedSize(doc: Document, memo: Map<unknown, number>, node: unknown): number {
  const known = memo.get(node);
  if (known !== undefined) return known;
  memo.set(node, 1); // a cycle back to a node in progress counts as one node
  let size = 1;
  if (isAlias(node)) size = expandedSize(doc, memo, node.resolve(doc));
  else if (isPair(node)) size = expandedSize(doc, memo, node.key) + expandedSize(doc, memo, node.value);
  else if (isCollection(node)) for (const item of node.items) size += expandedSize(doc, memo, item);
  memo.set(node, size);
  return size;
}

/** The first alias (in document order) with no anchor before it, or whose expansion exceeds `maxNodes`; else the
 *  alias with the largest expansion. Undefined when the document has no alias. */
export function findAliasTrouble(doc: Document, maxNodes: number): AliasTrouble | undefined {
  const aliases: Alias[] = [];
  visit(doc, { Alias: (_key, node) => void aliases.push(node) });
  const memo = new Map<unknown, number>();
  let largest: { alias: Alias; size: number } | undefined;
  for (const alias of aliases) {
    if (!alias.resolve(doc)) return { alias, why: `alias *${alias.source} has no anchor &${alias.source} before it` };
    const size = expandedSize(doc, memo, alias);
    if (size > maxNodes) return { alias, why: `alias *${alias.source} expands to ${size} nodes (an alias bomb?)` };
    if (!largest || size > largest.size) largest = { alias, size };
  }
  return largest && { alias: largest.alias, why: `too many aliases (alias *${largest.alias.source} expands to ${largest.size} nodes)` };
}
