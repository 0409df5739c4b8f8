// Shared by the dialect checks: text offsets, edit building and statement sections.
// Rewrites are expressed as small edits inside the original statement, so macros, comments and
// line continuations the user wrote survive a quick fix.
import type { Node } from 'web-tree-sitter';
import { nodeRange } from '../../syntax';
import type { Position, Range, TextEdit } from '../../types';

/** Offsets of the first character of every line (UTF-16, like tree-sitter columns on JS strings). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

export function offsetAt(starts: number[], pos: Position): number {
  return (starts[pos.line] ?? starts[starts.length - 1]) + pos.character;
}

export function positionAt(starts: number[], offset: number): Position {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo] };
}

/** Applies non-overlapping edits to a text (what an editor does with a quick fix). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const starts = lineStarts(text);
  const withOffsets = edits.map((e) => ({ start: offsetAt(starts, e.range.start), end: offsetAt(starts, e.range.end), text: e.newText }));
  withOffsets.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of withOffsets) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** A text with its line table, to build edits against. */
export class Source {
  readonly starts: number[];
  constructor(readonly text: string) {
    this.starts = lineStarts(text);
  }

  offset(pos: Position): number {
    return offsetAt(this.starts, pos);
  }

  position(offset: number): Position {
    return positionAt(this.starts, offset);
  }

  start(node: Node): number {
    return this.offset({ line: node.startPosition.row, character: node.startPosition.column });
  }

  end(node: Node): number {
    return this.offset({ line: node.endPosition.row, character: node.endPosition.column });
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  replace(node: Node, newText: string): TextEdit {
    return { range: nodeRange(node), newText };
  }

  replaceSpan(start: number, end: number, newText: string): TextEdit {
    return { range: this.range(start, end), newText };
  }

  /**
   * Deletes a part of a statement together with the blanks before it, when only spaces or tabs
   * separate it from the preceding token (never a comment or a line continuation).
   */
  deleteItem(start: number, end: number): TextEdit {
    let s = start;
    while (s > 0 && (this.text[s - 1] === ' ' || this.text[s - 1] === '\t')) s--;
    const lineStart = this.starts[this.position(start).line];
    // Keep indentation of an item that starts a continuation line; eat the blanks after instead.
    if (s === lineStart) {
      let e = end;
      while (e < this.text.length && (this.text[e] === ' ' || this.text[e] === '\t')) e++;
      return this.replaceSpan(start, e, '');
    }
    return this.replaceSpan(s, end, '');
  }

  /**
   * Deletes a whole statement: its lines when nothing else shares them (the newline too), else only
   * the statement's own text (a trailing comment stays).
   */
  deleteStatement(node: Node): TextEdit {
    const start = this.start(node);
    const end = this.end(node);
    const first = this.starts[this.position(start).line];
    const before = this.text.slice(first, start);
    let lineEnd = this.text.indexOf('\n', end);
    if (lineEnd < 0) lineEnd = this.text.length;
    const after = this.text.slice(end, lineEnd);
    if (/^[ \t]*$/.test(before) && /^[ \t\r]*$/.test(after)) {
      return this.replaceSpan(first, Math.min(lineEnd + 1, this.text.length), '');
    }
    // A trailing comment stays where the statement began.
    const blanks = /^[ \t]*(?=#)/.exec(after);
    return this.replaceSpan(start, end + (blanks ? blanks[0].length : 0), '');
  }
}

/** Children of a node that are neither comments nor line continuations. */
export function significantChildren(node: Node): Node[] {
  const out: Node[] = [];
  for (let i = 0; i < node.childCount; i++) {
    const c = node.child(i);
    if (c && c.type !== 'comment' && c.type !== 'line_continuation') out.push(c);
  }
  return out;
}

/** The first direct child with this (anonymous or named) type. */
export function childOfType(node: Node, type: string): Node | null {
  for (let i = 0; i < node.childCount; i++) {
    const c = node.child(i);
    if (c?.type === type) return c;
  }
  return null;
}

/** The name of a keyword-like child: the text of `keyword` aliases (flag/value options). */
export function keywordOf(node: Node): string | undefined {
  if (node.type === 'flag_option') return node.text;
  if (node.type === 'value_option') return node.childForFieldName('name')?.text;
  return undefined;
}

/**
 * Where a diagnostic about a whole statement goes: from its start to the end of its leading
 * keyword(s) (`no nat`, `set require-order`, `nat-anchor`, `scrub`), so multi-line rules do not
 * squiggle entirely.
 */
export function headRange(node: Node): Range {
  const children = significantChildren(node);
  let last: Node | undefined = children[0];
  if (node.type === 'translation_rule') last = node.childForFieldName('kind') ?? last;
  else if (node.type === 'option') last = node.childForFieldName('name') ?? last;
  else if (node.type === 'anchor_rule') last = node.childForFieldName('kind') ?? last;
  else if (node.type === 'ether_rule') last = node.childForFieldName('action') ?? last;
  else if (node.type === 'altq_rule') last = children[1] ?? last;
  const full = nodeRange(node);
  if (!last) return full;
  return { start: full.start, end: nodeRange(last).end };
}

// ------------------------------------------------------------------ FreeBSD's statement order

/** FreeBSD pf.conf(5), STATEMENT ORDER: macros and tables may appear anywhere; the rest in this order. */
export const SECTIONS = ['options', 'ethernet filtering', 'traffic normalization', 'queueing', 'translation', 'packet filtering'] as const;
export type Section = (typeof SECTIONS)[number];

/**
 * The section a statement belongs to, as an index into SECTIONS, or undefined for statements
 * outside the order (macros, tables, include, load anchor, and forms the manual does not place).
 */
export function sectionOf(node: Node): number | undefined {
  switch (node.type) {
    case 'option':
      return 0;
    case 'ether_rule':
      return 1;
    case 'scrub_rule':
      return 2;
    case 'altq_rule':
    case 'queue_rule':
      return 3;
    case 'translation_rule':
      return 4;
    case 'filter_rule':
    case 'antispoof_rule':
      return 5;
    case 'anchor_rule': {
      const kind = node.childForFieldName('kind')?.type;
      if (kind === 'anchor') return 5;
      if (kind === 'nat-anchor' || kind === 'rdr-anchor' || kind === 'binat-anchor') return 4;
      if (kind === 'scrub-anchor') return 2;
      return undefined; // dummynet-anchor: FreeBSD's manual does not place it
    }
    default:
      return undefined;
  }
}

/** Statements of a file or anchor block, comments and continuations left out. */
export function statementsIn(container: Node): Node[] {
  return container.namedChildren.filter((n): n is Node => !!n && n.type !== 'comment' && n.type !== 'line_continuation');
}

/** Shortens a statement's text for a message: first line, at most 60 characters. */
export function shortText(node: Node): string {
  const first = node.text.split(/\r?\n/)[0].replace(/\s*\\$/, ' …').trim();
  return first.length > 60 ? first.slice(0, 57) + '...' : first;
}
