// Small helpers over tree-sitter nodes that every feature reuses.
import { Query, type Language, type Node } from 'web-tree-sitter';
import type { Position, Range } from './types';

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

export function* walkNamed(root: Node): Generator<Node> {
  for (const node of walk(root)) if (node.isNamed) yield node;
}

/** The smallest named node covering a position (the one to the left at a boundary). */
export function namedNodeAt(root: Node, pos: Position): Node | null {
  const point = { row: pos.line, column: pos.character };
  let node = root.namedDescendantForPosition(point);
  if (node && pos.character > 0 && node.startPosition.row === pos.line && node.startPosition.column === pos.character && node.type === 'source_file') {
    node = root.namedDescendantForPosition({ row: pos.line, column: pos.character - 1 });
  }
  return node;
}

/** Nearest ancestor (or self) of one of the given types. */
export function ancestorOfType(node: Node | null, ...types: string[]): Node | null {
  for (let n = node; n; n = n.parent) if (types.includes(n.type)) return n;
  return null;
}

/** Statements of a source file or anchor block, in order. */
export function statementsOf(container: Node): Node[] {
  return container.namedChildren.filter((n): n is Node => !!n && n.type !== 'comment' && n.type !== 'line_continuation');
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
