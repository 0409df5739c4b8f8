// The symbol index of one analysis unit (a root file and everything it includes, in pfctl's
// reading order): macros, tables, anchors, includes and table files, with their uses.
import { Query, type Language, type Node, type TreeCursor } from 'web-tree-sitter';
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
 *
 * Speed matters here (it runs after every edit): statements are visited with a tree cursor without
 * descending into rules, and the uses of macros and tables come from one tree-sitter query that
 * runs inside the wasm module; each use is then placed in its statement by binary search.
 */
export function indexDocument(
  index: SymbolIndex,
  doc: PfDocument,
  nextOrder: () => number,
  onInclude: (statement: Node, target: string) => void,
): void {
  const root = doc.tree?.rootNode;
  if (!root) return;
  const v: Visit = { index, doc, nextOrder, onInclude, statements: [], tableDefinitionNames: new Set() };
  visitContainer(root, '', v);
  collectUses(root, v);
}

interface StatementSpan {
  start: number;
  order: number;
  scope: Scope;
  /** Set for macro definitions: uses inside the value belong to this macro. */
  macro?: string;
}

interface Visit {
  index: SymbolIndex;
  doc: PfDocument;
  nextOrder: () => number;
  onInclude: (statement: Node, target: string) => void;
  /** Every statement (nested ones too), in document order. */
  statements: StatementSpan[];
  /** Where the names of `table <x>` statements start: those are not uses. */
  tableDefinitionNames: Set<number>;
}

/** Statements that define something; all others only hold uses, which the query finds. */
const DEFINING = new Set(['macro_definition', 'table_definition', 'anchor_rule', 'load_anchor', 'include']);

/**
 * Visits the statements of a container and, in place, those of every nested anchor block. An
 * explicit stack instead of recursion: a file may nest thousands of blocks.
 */
function visitContainer(container: Node, scope: Scope, v: Visit): void {
  const stack: { cursor: TreeCursor; scope: Scope; started: boolean }[] = [{ cursor: container.walk(), scope, started: false }];
  try {
    while (stack.length) {
      const top = stack[stack.length - 1];
      const moved = top.started ? top.cursor.gotoNextSibling() : top.cursor.gotoFirstChild();
      top.started = true;
      if (!moved) {
        stack.pop()!.cursor.delete();
        continue;
      }
      const c = top.cursor;
      if (!c.nodeIsNamed) continue;
      const type = c.nodeType;
      if (type === 'comment' || type === 'line_continuation') continue;
      const span: StatementSpan = { start: c.startIndex, order: v.nextOrder(), scope: top.scope };
      v.statements.push(span);
      if (!DEFINING.has(type)) continue;
      const body = visitStatement(c.currentNode, span, v);
      if (body) stack.push({ cursor: body.node.walk(), scope: body.scope, started: false });
    }
  } finally {
    for (const entry of stack) entry.cursor.delete();
  }
}

/** Records a defining statement; returns an anchor's block for the caller to visit next. */
function visitStatement(statement: Node, span: StatementSpan, v: Visit): { node: Node; scope: Scope } | undefined {
  const path = v.doc.path;
  const { scope, order } = span;
  switch (statement.type) {
    case 'macro_definition': {
      const name = statement.childForFieldName('name');
      const value = statement.childForFieldName('value');
      if (name && value) {
        span.macro = name.text;
        v.index.macroDefinitions.push({
          name: name.text, path, range: nodeRange(name), order,
          statementRange: nodeRange(statement), valueRange: nodeRange(value), valueNode: value,
        });
      }
      return;
    }
    case 'table_definition': {
      const nameNode = statement.childForFieldName('name')?.childForFieldName('name');
      if (!nameNode) return;
      v.tableDefinitionNames.add(nameNode.startIndex);
      const files: FileReference[] = [];
      for (const child of statement.namedChildren) {
        if (child?.type !== 'table_file') continue;
        const p = child.childForFieldName('path');
        if (p?.type === 'string') files.push({ path, target: unquote(p.text), range: nodeRange(p), kind: 'table-file' });
      }
      v.index.files.push(...files);
      v.index.tableDefinitions.push({
        name: nameNode.text, path, range: nodeRange(nameNode), order, scope,
        statementRange: nodeRange(statement),
        options: statement.childrenForFieldName('option').filter((n): n is Node => !!n).map((n) => n.text),
        files: files.map((f) => ({ path: f.target, range: f.range })),
        addressCount: statement.childrenForFieldName('addresses').reduce((sum, a) => sum + (a?.namedChildren.length ?? 0), 0),
      });
      return;
    }
    case 'anchor_rule': {
      const nameNode = statement.childForFieldName('name');
      const body = statement.childForFieldName('body');
      const name = nameNode ? unquote(nameNode.text) : '';
      if (nameNode || body) {
        v.index.anchors.push({
          name, path, range: nodeRange(nameNode ?? statement), order, scope, hasBody: !!body,
          statementRange: nodeRange(statement), kind: statement.childForFieldName('kind')?.type ?? 'anchor',
        });
      }
      return body ? { node: body, scope: scope ? `${scope}/${name || '_'}` : name || '_' } : undefined;
    }
    case 'load_anchor': {
      const nameNode = statement.childForFieldName('name');
      const p = statement.childForFieldName('path');
      if (p?.type === 'string') {
        v.index.files.push({ path, target: unquote(p.text), range: nodeRange(p), kind: 'load-anchor',
          anchor: nameNode ? unquote(nameNode.text) : undefined });
      }
      return;
    }
    case 'include': {
      const p = statement.childForFieldName('path');
      if (p?.type === 'string') {
        const target = unquote(p.text);
        v.index.files.push({ path, target, range: nodeRange(p), kind: 'include' });
        v.onInclude(statement, target);
      }
      return;
    }
  }
}

const queries = new WeakMap<Language, Query>();

function usesQuery(language: Language): Query {
  let q = queries.get(language);
  if (!q) {
    q = new Query(language, '(macro_reference) @macro (table_reference name: (table_name) @table)');
    queries.set(language, q);
  }
  return q;
}

/** Records every macro and table use of the document, each in its statement's order and scope. */
function collectUses(root: Node, v: Visit): void {
  const starts = v.statements.map((s) => s.start);
  const path = v.doc.path;
  for (const { name, node } of usesQuery(root.tree.language).captures(root)) {
    const span = v.statements[lastAtOrBefore(starts, node.startIndex)];
    if (!span) continue;
    if (name === 'macro') {
      const full = nodeRange(node);
      v.index.macroUses.push({
        name: node.text.slice(1), path, order: span.order, inMacro: span.macro, fullRange: full,
        range: { start: { line: full.start.line, character: full.start.character + 1 }, end: full.end },
      });
    } else if (!v.tableDefinitionNames.has(node.startIndex)) {
      v.index.tableUses.push({
        name: node.text, path, range: nodeRange(node), order: span.order, scope: span.scope,
        overload: isOverloadTarget(v.doc.text, node.startIndex),
      });
    }
  }
}

/** Index of the last value ≤ x in an ascending array (-1 when none). */
function lastAtOrBefore(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** `keep state (… overload <t> flush)`: the word before the table is `overload`. */
function isOverloadTarget(text: string, nameStart: number): boolean {
  return /\boverload\s*<\s*$/.test(text.slice(Math.max(0, nameStart - 40), nameStart));
}

/** Is a table defined in `defScope` visible from `useScope`? Anchors see their ancestors' tables. */
export function scopeVisible(defScope: Scope, useScope: Scope): boolean {
  return defScope === '' || defScope === useScope || useScope.startsWith(defScope + '/');
}
