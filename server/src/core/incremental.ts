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

/** Where the line break after `from` ends (CR, LF and CRLF each end a line, as in LSP), or -1. */
function nextLineStart(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10) return i + 1;
    if (ch === 13) return text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
  }
  return -1;
}

/** Offset of a position in text (clamped like LSP: past the line end means the line end). */
export function offsetAt(text: string, pos: Position): number {
  let offset = 0;
  for (let line = 0; line < pos.line; line++) {
    const next = nextLineStart(text, offset);
    if (next < 0) return text.length;
    offset = next;
  }
  let end = offset;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  return Math.min(offset + pos.character, end);
}

/**
 * tree-sitter's point for an offset: rows end at LF only (as in pfctl, a lone CR is blank space),
 * while the editor's positions above count CR too. Offsets are what both agree on.
 */
function pointAt(text: string, offset: number): { row: number; column: number } {
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
  const startPosition = pointAt(oldText, startIndex);
  const newEndPosition = pointAt(text, startIndex + newText.length);
  return {
    text,
    edit: {
      startIndex,
      oldEndIndex,
      newEndIndex: startIndex + newText.length,
      startPosition,
      oldEndPosition: pointAt(oldText, oldEndIndex),
      newEndPosition,
    },
  };
}
