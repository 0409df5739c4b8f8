// Turning an editor's text change into a tree-sitter edit, so the old tree can be reused and only
// the changed region re-parsed. Offsets and columns are UTF-16 units, as web-tree-sitter uses for
// JavaScript strings and LSP uses for positions.
import type { Position, Range } from './types';

export interface TreeEdit {
  startIndex: number;
  oldEndIndex: number;
  newEndIndex: number;
  startPosition: { row: number; column: number };
  oldEndPosition: { row: number; column: number };
  newEndPosition: { row: number; column: number };
}

/** Offset of a position in text (clamped like LSP: past the line end means the line end). */
export function offsetAt(text: string, pos: Position): number {
  let offset = 0;
  for (let line = 0; line < pos.line; line++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  const lineEnd = text.indexOf('\n', offset);
  const end = lineEnd < 0 ? text.length : lineEnd;
  return Math.min(offset + pos.character, end);
}

function positionAt(text: string, offset: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/** The edit for replacing `range` of `oldText` with `newText`, and the resulting text. */
export function editFor(oldText: string, range: Range, newText: string): { edit: TreeEdit; text: string } {
  const startIndex = offsetAt(oldText, range.start);
  const oldEndIndex = Math.max(startIndex, offsetAt(oldText, range.end));
  const text = oldText.slice(0, startIndex) + newText + oldText.slice(oldEndIndex);
  const startPosition = positionAt(oldText, startIndex);
  const inserted = newText.split('\n');
  const newEndPosition = inserted.length === 1
    ? { row: startPosition.row, column: startPosition.column + newText.length }
    : { row: startPosition.row + inserted.length - 1, column: inserted[inserted.length - 1].length };
  return {
    text,
    edit: {
      startIndex,
      oldEndIndex,
      newEndIndex: startIndex + newText.length,
      startPosition,
      oldEndPosition: positionAt(oldText, oldEndIndex),
      newEndPosition,
    },
  };
}
