// Selection ranges ("expand selection"): from the token at the cursor outward through the syntax
// tree — the inside of a quoted string, the token, its enclosing nodes, the statement, the whole
// line(s) of the statement, the enclosing anchor block and rule, … — and finally the whole file.
import type { Node } from 'web-tree-sitter';
import type { PfDocument } from '../document';
import { nodeRange } from '../syntax';
import type { Position, Range } from '../types';

export interface SelectionRange {
  range: Range;
  parent?: SelectionRange;
}

const CONTAINERS = new Set(['source_file', 'anchor_block']);

/** Ancestors visited at most per position. */
const MAX_STEPS = 200;

export function selectionRanges(doc: PfDocument, positions: Position[]): SelectionRange[] {
  const file = wholeFile(doc.text);
  const root = doc.tree?.rootNode;
  return positions.map((pos) => {
    const chain: Range[] = root ? chainAt(doc.text, root, pos) : [];
    chain.push(file);
    // Largest last; link from the outside in.
    let result: SelectionRange | undefined;
    for (let i = chain.length - 1; i >= 0; i--) {
      if (result && sameRange(result.range, chain[i])) continue;
      result = result ? { range: chain[i], parent: result } : { range: chain[i] };
    }
    return result!;
  });
}

/** Ranges around a position, smallest first (the whole file not included). */
function chainAt(text: string, root: Node, pos: Position): Range[] {
  const chain: Range[] = [];
  let node: Node | null = tokenAt(root, pos);
  if (!node) return chain;
  if (node.type === 'string' && node.text.length >= 2) {
    const r = nodeRange(node);
    const inner: Range = { start: { line: r.start.line, character: r.start.character + 1 }, end: { line: r.end.line, character: r.end.character - 1 } };
    if (inside(inner, pos)) chain.push(inner);
  }
  // Each step up costs as much as the tree is deep: in pathological nesting stop after a while
  // (nobody expands a selection hundreds of times) and end with the whole file as usual.
  let steps = 0;
  for (; node && steps < MAX_STEPS; node = node.parent, steps++) {
    if (node.type === 'source_file') break;
    if (node.type === '\n' || node.type === 'line_continuation') continue;
    pushRange(chain, nodeRange(node));
    const parent = node.parent;
    if (parent && CONTAINERS.has(parent.type)) pushRange(chain, linesOf(text, node));
  }
  return chain;
}

/** The token at a position: the one starting there, else the one ending there, else the smallest node around. */
function tokenAt(root: Node, pos: Position): Node | null {
  const point = { row: pos.line, column: pos.character };
  const here = root.descendantForPosition(point);
  if (here && isToken(here) && contains(nodeRange(here), pos, false)) return here;
  if (pos.character > 0) {
    const left = root.descendantForPosition({ row: pos.line, column: pos.character - 1 });
    if (left && isToken(left) && left.endPosition.row === pos.line && left.endPosition.column === pos.character) return left;
  }
  if (here && (here.type === '\n' || here.type === 'line_continuation')) return here.parent;
  return here;
}

function isToken(node: Node): boolean {
  return node.childCount === 0 && node.type !== '\n' && node.type !== 'line_continuation' && node.startIndex < node.endIndex;
}

/** Whole lines from a statement's first line to its last, without the final line break. */
function linesOf(text: string, node: Node): Range {
  const r = nodeRange(node);
  let nl = text.indexOf('\n', node.endIndex);
  if (nl < 0) nl = text.length;
  let endIndex = nl;
  if (endIndex > node.endIndex && text[endIndex - 1] === '\r') endIndex--;
  return { start: { line: r.start.line, character: 0 }, end: { line: r.end.line, character: r.end.character + (endIndex - node.endIndex) } };
}

function wholeFile(text: string): Range {
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) line++;
  return { start: { line: 0, character: 0 }, end: { line, character: text.length - (text.lastIndexOf('\n') + 1) } };
}

function pushRange(chain: Range[], r: Range): void {
  const last = chain[chain.length - 1];
  if (last && sameRange(last, r)) return;
  // Ranges must grow outward; a node that does not contain the previous one is skipped.
  if (last && !(contains(r, last.start, true) && contains(r, last.end, true))) return;
  chain.push(r);
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character
    && a.end.line === b.end.line && a.end.character === b.end.character;
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** Is pos in r? With `inclusiveEnd`, the end position counts as inside. */
function contains(r: Range, pos: Position, inclusiveEnd: boolean): boolean {
  if (before(pos, r.start)) return false;
  return inclusiveEnd ? !before(r.end, pos) : before(pos, r.end);
}

function inside(r: Range, pos: Position): boolean {
  return contains(r, pos, true);
}
