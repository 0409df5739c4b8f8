// Small helpers over tree-sitter nodes that every feature reuses.
import { Query, type Language, type Node } from 'web-tree-sitter';
import type { Range } from './types';

export function nodeRange(node: Node): Range {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

/** Depth-first walk over every node (named or not). Iterative, so deep nesting cannot overflow. */
export function* walk(root: Node): Generator<Node> {
  const cursor = root.walk();
  let descend = true;
  while (true) {
    if (descend) {
      yield cursor.currentNode;
      if (cursor.gotoFirstChild()) continue;
    }
    if (cursor.gotoNextSibling()) {
      descend = true;
      continue;
    }
    if (!cursor.gotoParent()) break;
    descend = false;
  }
}

/** Text of a quoted string without its quotes (pfctl drops newlines inside strings). */
export function unquote(text: string): string {
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text[text.length - 1] === text[0]) {
    return text.slice(1, -1).replace(/\\\r?\n/g, '').replace(/\r?\n/g, '');
  }
  return text;
}

const typeQueries = new WeakMap<Language, Map<string, Query>>();

/**
 * Every node of the given types, in document order. A query runs inside the wasm module and hands
 * back only the matches, which is far faster than walking every node from JavaScript.
 */
export function nodesOfTypes(root: Node, types: readonly string[]): Node[] {
  const language = root.tree.language;
  let byKey = typeQueries.get(language);
  if (!byKey) typeQueries.set(language, (byKey = new Map()));
  const key = types.join(' ');
  let query = byKey.get(key);
  if (!query) byKey.set(key, (query = new Query(language, `[${types.map((t) => `(${t})`).join(' ')}] @node`)));
  return query.captures(root).map((c) => c.node);
}
