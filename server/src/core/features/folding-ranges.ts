// Folding ranges: anchor blocks, multi-line `{ … }` / `( … )` lists, statements continued with `\`,
// runs of comment lines, and `#>` sections.
//
// Conventions:
//  - a bracketed fold starts on the line of its opening bracket and ends on the line before its
//    closing bracket when that bracket starts its own line (so `}` stays visible), else on the
//    bracket's line;
//  - a `#>` section runs to the last non-blank line before the next `#>` marker of the same block
//    (or the end of the block / file);
//  - runs of two or more whole-line comments fold as `comment` (`#>` markers are not part of them);
//  - no fold is empty, and where several would start on the same line only the longest is kept
//    (editors use just one fold per start line).
import type { Node } from 'web-tree-sitter';
import type { PfDocument } from '../document';
import { isSectionMarker } from './document-symbols';

export interface FoldingRange {
  startLine: number;
  endLine: number;
  kind?: 'comment' | 'region';
}

const BRACKETED = new Set(['anchor_block', 'list', 'port_list', 'table_addresses', 'option_list', 'log_options', 'dynamic_address']);
const CONTAINERS = new Set(['source_file', 'anchor_block']);

export function foldingRanges(doc: PfDocument): FoldingRange[] {
  const root = doc.tree?.rootNode;
  if (!root) return [];
  const text = doc.text;
  const folds: FoldingRange[] = [];
  /** Lines holding nothing but a comment (not a `#>` marker), in order. */
  const commentLines: number[] = [];
  /** `#>` markers grouped by the block (source file or anchor block) that holds them. */
  const markers = new Map<number, { container: Node; lines: number[] }>();
  let lineStartCache: number[] | undefined;
  const starts = () => (lineStartCache ??= lineStarts(text));

  const cursor = root.walk();
  let descend = true;
  // Types of the current node's ancestors, kept as the cursor moves: asking a node for its parent
  // costs as much as the tree is deep.
  const ancestors: string[] = [];
  try {
    while (true) {
      if (descend) {
        const type = cursor.nodeType;
        const startRow = cursor.startPosition.row;
        const endRow = cursor.endPosition.row;
        let enter = endRow > startRow; // single-line nodes hold nothing to fold
        if (type === 'comment') {
          enter = false;
          const node = cursor.currentNode;
          if (ownLine(text, node.startIndex)) {
            if (isSectionMarker(node, text)) {
              const container = containerOf(node);
              if (container) {
                let group = markers.get(container.id);
                if (!group) markers.set(container.id, (group = { container, lines: [] }));
                group.lines.push(startRow);
              }
            } else {
              commentLines.push(startRow);
            }
          }
        } else if (enter) {
          if (BRACKETED.has(type)) {
            const node = cursor.currentNode;
            const close = node.lastChild;
            let end = endRow;
            if (close && (close.type === '}' || close.type === ')') && !close.isMissing && ownLine(text, close.startIndex)) end = endRow - 1;
            else if (close?.isMissing) end = lastNonBlankLine(text, starts(), startRow, endRow);
            add(folds, startRow, end);
          } else if (isStatement(ancestors[ancestors.length - 1], type) && hasContinuation(cursor.currentNode)) {
            add(folds, startRow, endRow);
          } else if (type === 'string') {
            add(folds, startRow, endRow);
            enter = false;
          }
        }
        if (enter && cursor.gotoFirstChild()) {
          ancestors.push(type);
          continue;
        }
      }
      if (cursor.gotoNextSibling()) {
        descend = true;
        continue;
      }
      if (!cursor.gotoParent()) break;
      ancestors.pop();
      descend = false;
    }
  } finally {
    cursor.delete();
  }

  // Runs of comment lines.
  for (let i = 0; i < commentLines.length;) {
    let j = i;
    while (j + 1 < commentLines.length && commentLines[j + 1] === commentLines[j] + 1) j++;
    if (j > i) add(folds, commentLines[i], commentLines[j], 'comment');
    i = j + 1;
  }

  // `#>` sections.
  for (const { container, lines: marks } of markers.values()) {
    let blockEnd: number;
    if (container.type === 'source_file') {
      blockEnd = starts().length - 1;
    } else {
      const close = container.lastChild;
      blockEnd = close && close.type === '}' && !close.isMissing ? close.startPosition.row - 1 : container.endPosition.row;
    }
    for (let k = 0; k < marks.length; k++) {
      const limit = k + 1 < marks.length ? marks[k + 1] - 1 : blockEnd;
      add(folds, marks[k], lastNonBlankLine(text, starts(), marks[k], limit), 'region');
    }
  }

  // One fold per start line: keep the longest (ties: the first added).
  const byStart = new Map<number, FoldingRange>();
  for (const f of folds) {
    const seen = byStart.get(f.startLine);
    if (!seen || f.endLine > seen.endLine) byStart.set(f.startLine, f);
  }
  return [...byStart.values()].sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}

function add(folds: FoldingRange[], startLine: number, endLine: number, kind?: FoldingRange['kind']): void {
  if (endLine <= startLine) return;
  folds.push(kind ? { startLine, endLine, kind } : { startLine, endLine });
}

/** Is a node of this type, under a parent of that type, a statement (child of the file or a block)? */
function isStatement(parentType: string | undefined, type: string): boolean {
  if (type === 'comment' || type === 'line_continuation' || type === 'ERROR' || type === '\n') return false;
  return !!parentType && CONTAINERS.has(parentType);
}

/** Does a statement go on over a `\` line end (outside its nested lists, which fold themselves)? */
function hasContinuation(statement: Node): boolean {
  const stack: Node[] = [statement];
  while (stack.length) {
    const n = stack.pop()!;
    for (const child of n.children) {
      if (!child) continue;
      if (child.type === 'line_continuation') return true;
      if (child.type !== 'anchor_block' && child.endPosition.row > child.startPosition.row) stack.push(child);
    }
  }
  return false;
}

/** Is only blank space before this offset on its line? */
function ownLine(text: string, index: number): boolean {
  for (let i = index - 1; i >= 0; i--) {
    const c = text[i];
    if (c === '\n') return true;
    if (c !== ' ' && c !== '\t' && c !== '\r' && c !== '\f' && c !== '\v') return false;
  }
  return true;
}

/** The anchor block or source file a comment sits in directly (as the outline sees it), if any. */
function containerOf(node: Node): Node | null {
  let parent = node.parent;
  while (parent && parent.type === 'ERROR') parent = parent.parent;
  return parent && CONTAINERS.has(parent.type) ? parent : null;
}

/** Offsets where each line starts. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 11 && c !== 12) return false;
  }
  return true;
}

/** The last line in [from, to] that is not blank (`from` itself if all are). */
function lastNonBlankLine(text: string, starts: number[], from: number, to: number): number {
  for (let line = Math.min(to, starts.length - 1); line > from; line--) {
    const end = line + 1 < starts.length ? starts[line + 1] : text.length;
    if (!isBlank(text, starts[line], end)) return line;
  }
  return from;
}
