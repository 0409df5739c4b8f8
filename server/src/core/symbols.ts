// The symbol index of one analysis unit (a root file and everything it includes, in pfctl's
// reading order): macros, tables, anchors, includes and table files, with their uses.
import type { Node } from 'web-tree-sitter';
import type { PfDocument } from './document';
import { nodeRange, unquote } from './syntax';
import type { Range } from './types';

interface Located {
  path: string;
  /** Range of the name itself (what rename replaces). */
  range: Range;
  /** pfctl's reading order across includes: lower comes first. */
  order: number;
}

export interface MacroDefinition extends Located {
  name: string;
  /** The whole `name = value` statement. */
  statementRange: Range;
  valueRange: Range;
  valueNode: Node;
}

export interface MacroUse extends Located {
  name: string;
  /** Range of `$name` including the dollar sign. */
  fullRange: Range;
  /** Set when the use sits inside another macro's value. */
  inMacro?: string;
}

/** Anchor path of a scope: '' is the main ruleset, 'spam' an inline anchor block, 'spam/x' nested. */
export type Scope = string;

export interface TableDefinition extends Located {
  name: string;
  scope: Scope;
  statementRange: Range;
  options: string[];
  files: { path: string; range: Range }[];
  addressCount: number;
}

export interface TableUse extends Located {
  name: string;
  scope: Scope;
  /** `overload <t>` names a table pf creates and fills itself. */
  overload: boolean;
  /** The statement the use sits in. */
  statement: Node;
}

export interface AnchorDefinition extends Located {
  name: string;
  scope: Scope;
  hasBody: boolean;
  statementRange: Range;
  kind: string;
}

export interface FileReference {
  path: string;
  /** The path as written (unquoted). */
  target: string;
  range: Range;
  kind: 'include' | 'load-anchor' | 'table-file';
  /** For `load anchor NAME from …`. */
  anchor?: string;
}

export interface SymbolIndex {
  macroDefinitions: MacroDefinition[];
  macroUses: MacroUse[];
  tableDefinitions: TableDefinition[];
  tableUses: TableUse[];
  anchors: AnchorDefinition[];
  files: FileReference[];
}

export function emptyIndex(): SymbolIndex {
  return { macroDefinitions: [], macroUses: [], tableDefinitions: [], tableUses: [], anchors: [], files: [] };
}

/**
 * Adds one document's symbols to the index. `onInclude` is called at each include statement, in
 * order, so the caller can splice the included file's symbols in where pfctl would read them.
 */
export function indexDocument(
  index: SymbolIndex,
  doc: PfDocument,
  nextOrder: () => number,
  onInclude: (statement: Node, target: string) => void,
): void {
  const root = doc.tree?.rootNode;
  if (!root) return;
  visitContainer(root, '', { index, doc, nextOrder, onInclude });
}

interface Visit {
  index: SymbolIndex;
  doc: PfDocument;
  nextOrder: () => number;
  onInclude: (statement: Node, target: string) => void;
}

function visitContainer(container: Node, scope: Scope, v: Visit): void {
  for (const statement of container.namedChildren) {
    if (!statement || statement.type === 'comment' || statement.type === 'line_continuation') continue;
    const order = v.nextOrder();
    visitStatement(statement, scope, order, v);
  }
}

function visitStatement(statement: Node, scope: Scope, order: number, v: Visit): void {
  const path = v.doc.path;
  switch (statement.type) {
    case 'macro_definition': {
      const name = statement.childForFieldName('name');
      const value = statement.childForFieldName('value');
      if (name && value) {
        // Uses inside the value come first: pfctl expands them while reading the definition.
        collectUses(value, scope, order, v, name.text);
        v.index.macroDefinitions.push({
          name: name.text, path, range: nodeRange(name), order,
          statementRange: nodeRange(statement), valueRange: nodeRange(value), valueNode: value,
        });
      }
      return;
    }
    case 'table_definition': {
      const ref = statement.childForFieldName('name');
      const nameNode = ref?.childForFieldName('name');
      if (ref && nameNode) {
        const files: FileReference[] = [];
        for (const child of statement.namedChildren) {
          if (child?.type !== 'table_file') continue;
          const p = child.childForFieldName('path');
          if (p?.type === 'string') {
            files.push({ path, target: unquote(p.text), range: nodeRange(p), kind: 'table-file' });
          }
        }
        v.index.files.push(...files);
        v.index.tableDefinitions.push({
          name: nameNode.text, path, range: nodeRange(nameNode), order, scope,
          statementRange: nodeRange(statement),
          options: statement.childrenForFieldName('option').filter((n): n is Node => !!n).map((n) => n.text),
          files: files.map((f) => ({ path: f.target, range: f.range })),
          addressCount: statement.childrenForFieldName('addresses')
            .reduce((sum, a) => sum + (a?.namedChildren.length ?? 0), 0),
        });
        // Macros inside the address block are uses; tables cannot nest, so skip the name.
        for (const child of statement.namedChildren) {
          if (child && child.id !== ref.id) collectUses(child, scope, order, v);
        }
      }
      return;
    }
    case 'anchor_rule': {
      const nameNode = statement.childForFieldName('name');
      const body = statement.childForFieldName('body');
      const name = nameNode ? unquote(nameNode.text) : '';
      const childScope = scope ? `${scope}/${name || '_'}` : name || '_';
      if (nameNode || body) {
        v.index.anchors.push({
          name, path, range: nodeRange(nameNode ?? statement), order, scope, hasBody: !!body,
          statementRange: nodeRange(statement), kind: statement.childForFieldName('kind')?.type ?? 'anchor',
        });
      }
      for (const child of statement.namedChildren) {
        if (child && child.id !== body?.id) collectUses(child, scope, order, v);
      }
      if (body) visitContainer(body, childScope, v);
      return;
    }
    case 'load_anchor': {
      const nameNode = statement.childForFieldName('name');
      const p = statement.childForFieldName('path');
      if (p?.type === 'string') {
        v.index.files.push({ path, target: unquote(p.text), range: nodeRange(p), kind: 'load-anchor',
          anchor: nameNode ? unquote(nameNode.text) : undefined });
      }
      collectUses(statement, scope, order, v);
      return;
    }
    case 'include': {
      const p = statement.childForFieldName('path');
      collectUses(statement, scope, order, v);
      if (p?.type === 'string') {
        const target = unquote(p.text);
        v.index.files.push({ path, target, range: nodeRange(p), kind: 'include' });
        v.onInclude(statement, target);
      }
      return;
    }
    default:
      collectUses(statement, scope, order, v);
  }
}

/** Records every macro and table use below a node. Iterative: configs can nest deeply. */
function collectUses(node: Node, scope: Scope, order: number, v: Visit, inMacro?: string): void {
  const stack: Node[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'macro_reference') {
      const full = nodeRange(n);
      v.index.macroUses.push({
        name: n.text.slice(1), path: v.doc.path, order, inMacro, fullRange: full,
        range: { start: { line: full.start.line, character: full.start.character + 1 }, end: full.end },
      });
      continue;
    }
    if (n.type === 'table_reference') {
      const nameNode = n.childForFieldName('name');
      if (nameNode) {
        v.index.tableUses.push({
          name: nameNode.text, path: v.doc.path, range: nodeRange(nameNode), order, scope,
          overload: isOverloadTarget(n), statement: node,
        });
      }
      continue;
    }
    if (n.type === 'anchor_block') continue; // visited as its own scope
    for (let i = n.namedChildCount - 1; i >= 0; i--) {
      const c = n.namedChild(i);
      if (c) stack.push(c);
    }
  }
}

/** `keep state (… overload <t> flush)`: the word before the table is `overload`. */
function isOverloadTarget(tableRef: Node): boolean {
  const prev = tableRef.previousNamedSibling;
  return !!prev && prev.text === 'overload';
}

/** Is a table defined in `defScope` visible from `useScope`? Anchors see their ancestors' tables. */
export function scopeVisible(defScope: Scope, useScope: Scope): boolean {
  return defScope === '' || defScope === useScope || useScope.startsWith(defScope + '/');
}
