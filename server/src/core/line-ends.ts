// pfctl, and so the parse tree, ends lines at LF only; editors (and LSP) also end a line at a lone
// CR (old Mac files). Diagnostics are given in the editor's lines, so in a file with lone CRs the
// tree's rows are converted through offsets. Files without lone CRs (nearly all) are untouched.
import type { Position, Range } from './types';

export function hasLoneCR(text: string): boolean {
  return /\r(?!\n)/.test(text);
}

function lineStarts(text: string, lfOnly: boolean): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (!lfOnly && c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Maps tree positions (LF-only rows) of this text to editor positions. */
export function treeToEditor(text: string): (r: Range) => Range {
  const tree = lineStarts(text, true);
  const editor = lineStarts(text, false);
  const map = (p: Position): Position => {
    const offset = Math.min(text.length, (tree[p.line] ?? text.length) + p.character);
    const line = lineOf(editor, offset);
    return { line, character: offset - editor[line] };
  };
  return (r) => ({ start: map(r.start), end: map(r.end) });
}
