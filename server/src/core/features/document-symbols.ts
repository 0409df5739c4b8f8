// The outline of one pf.conf: macros, tables, options, queues, includes, anchors (with their
// blocks' statements as children) and rules, grouped under `#>` section comments.
//
// A comment line that starts with `#>` (`#> NAT section`) opens a section: the statements after it,
// up to the next `#>` comment of the same block (or the end of the block), become its children.
// Sections work at the top level and inside anchor blocks alike.
import type { Node } from 'web-tree-sitter';
import type { PfDocument } from '../document';
import { nodeRange, unquote } from '../syntax';
import type { Range } from '../types';

export type OutlineKind = 'macro' | 'table' | 'anchor' | 'option' | 'rule' | 'queue' | 'section' | 'include';

export interface OutlineSymbol {
  name: string;
  detail?: string;
  kind: OutlineKind;
  /** The whole statement (for a section: from its comment to the end of its last statement). */
  range: Range;
  /** The part to reveal and highlight: the name, or the start of the rule. */
  selectionRange: Range;
  children: OutlineSymbol[];
}

/** Rule names and details are cut to about this many characters. */
export const OUTLINE_TEXT_LIMIT = 60;

const RULES = new Set(['filter_rule', 'translation_rule', 'scrub_rule', 'antispoof_rule', 'ether_rule', 'macro_statement']);

export function documentSymbols(doc: PfDocument): OutlineSymbol[] {
  const root = doc.tree?.rootNode;
  if (!root) return [];
  return containerSymbols(root, doc, 0);
}

/** Is this comment a `#>` section marker on a line of its own? */
export function isSectionMarker(comment: Node, text: string): boolean {
  if (comment.type !== 'comment' || !comment.text.startsWith('#>')) return false;
  for (let i = comment.startIndex - 1; i >= 0; i--) {
    const c = text[i];
    if (c === '\n') return true;
    if (c !== ' ' && c !== '\t' && c !== '\r' && c !== '\f' && c !== '\v') return false;
  }
  return true;
}

/** A section marker's title, without `#>`. */
export function sectionTitle(comment: Node): string {
  return comment.text.slice(2).trim() || '(section)';
}

/** Statements of a container, looking through ERROR nodes so a typo does not empty the outline. */
function* statementNodes(container: Node): Generator<Node> {
  for (const child of container.namedChildren) {
    if (!child) continue;
    if (child.type === 'ERROR') yield* statementNodes(child);
    else yield child;
  }
}

/** Anchor blocks nested deeper than this are listed without their contents (no real config gets near). */
const MAX_OUTLINE_DEPTH = 32;

function containerSymbols(container: Node, doc: PfDocument, depth: number): OutlineSymbol[] {
  const result: OutlineSymbol[] = [];
  let section: OutlineSymbol | null = null;
  for (const node of statementNodes(container)) {
    if (node.type === 'comment') {
      if (isSectionMarker(node, doc.text)) {
        const r = nodeRange(node);
        section = { name: sectionTitle(node), kind: 'section', range: r, selectionRange: r, children: [] };
        result.push(section);
      }
      continue;
    }
    const symbol = statementSymbol(node, doc, depth);
    if (!symbol) continue;
    if (section) {
      section.children.push(symbol);
      section.range = { start: section.range.start, end: symbol.range.end };
    } else {
      result.push(symbol);
    }
  }
  return result;
}

function statementSymbol(node: Node, doc: PfDocument, depth: number): OutlineSymbol | null {
  const range = nodeRange(node);
  const text = doc.text;
  const after = (child: Node) => flatText(text, node, child.endIndex, node.endIndex);
  switch (node.type) {
    case 'macro_definition': {
      const name = node.childForFieldName('name');
      const value = node.childForFieldName('value');
      if (!name) return null;
      return { name: name.text, detail: value ? shorten(oneLine(text, value)) : undefined, kind: 'macro',
        range, selectionRange: nodeRange(name), children: [] };
    }
    case 'table_definition': {
      const ref = node.childForFieldName('name');
      const name = ref?.childForFieldName('name');
      if (!ref || !name) return null;
      return { name: `<${name.text}>`, detail: shorten(after(ref)) || undefined, kind: 'table',
        range, selectionRange: nodeRange(ref), children: [] };
    }
    case 'option': {
      const name = node.childForFieldName('name');
      if (!name) return null;
      return { name: `set ${name.text}`, detail: shorten(after(name)) || undefined, kind: 'option',
        range, selectionRange: spanRange(node, name), children: [] };
    }
    case 'queue_rule': {
      const name = node.childForFieldName('name');
      if (!name) return null;
      return { name: name.text, detail: shorten(after(name)) || undefined, kind: 'queue',
        range, selectionRange: nodeRange(name), children: [] };
    }
    case 'altq_rule': {
      const iface = node.childForFieldName('interface');
      return { name: iface ? `altq on ${iface.text}` : 'altq', detail: shorten(iface ? after(iface) : '') || undefined,
        kind: 'queue', range, selectionRange: iface ? spanRange(node, iface) : range, children: [] };
    }
    case 'include': {
      const path = node.childForFieldName('path');
      return { name: path ? unquote(path.text) : 'include', detail: 'include', kind: 'include',
        range, selectionRange: path ? nodeRange(path) : range, children: [] };
    }
    case 'load_anchor': {
      const name = node.childForFieldName('name');
      const path = node.childForFieldName('path');
      return { name: `load anchor ${name ? unquote(name.text) : '(unnamed)'}`, detail: path ? `from ${unquote(path.text)}` : undefined,
        kind: 'include', range, selectionRange: name ? nodeRange(name) : range, children: [] };
    }
    case 'anchor_rule': {
      const kind = node.childForFieldName('kind');
      const name = node.childForFieldName('name');
      const body = node.childForFieldName('body');
      const rest = flatText(text, node, (name ?? kind ?? node).endIndex, body ? body.startIndex : node.endIndex);
      const detail = shorten([kind?.text ?? '', rest].filter(Boolean).join(' '));
      return { name: name ? unquote(name.text) : '(unnamed)', detail: detail || undefined, kind: 'anchor',
        range, selectionRange: nodeRange(name ?? kind ?? node),
        children: body && depth < MAX_OUTLINE_DEPTH ? containerSymbols(body, doc, depth + 1) : [] };
    }
    default:
      if (RULES.has(node.type)) {
        const label = labelOf(node);
        return { name: shorten(oneLine(text, node)), detail: label, kind: 'rule', range,
          selectionRange: firstLineRange(text, node), children: [] };
      }
      return null;
  }
}

/** `label "…"` of a rule, unquoted, for the outline's detail. */
function labelOf(rule: Node): string | undefined {
  for (const child of rule.namedChildren) {
    if (child?.type === 'value_option' && child.childForFieldName('name')?.text === 'label') {
      const value = child.childForFieldName('value');
      if (value) return unquote(value.text);
    }
  }
  return undefined;
}

/** Text between two offsets on one line: continuations, comments and runs of blanks become single spaces. */
function flatText(text: string, node: Node, from: number, to: number): string {
  let slice = text.slice(from, to);
  if (slice.includes('#')) {
    // Drop comments (which are tree nodes, unlike a `#` inside a string).
    const parts: string[] = [];
    let at = from;
    for (const comment of node.descendantsOfType('comment')) {
      if (!comment || comment.startIndex < at || comment.startIndex >= to) continue;
      parts.push(text.slice(at, comment.startIndex));
      at = Math.min(comment.endIndex, to);
    }
    parts.push(text.slice(at, to));
    slice = parts.join(' ');
  }
  return slice.replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ').trim();
}

/** A node's text on one line. */
export function oneLine(text: string, node: Node): string {
  return flatText(text, node, node.startIndex, node.endIndex);
}

/** Cuts text to about OUTLINE_TEXT_LIMIT characters at a word boundary, marking the cut with `…`. */
export function shorten(text: string, limit = OUTLINE_TEXT_LIMIT): string {
  if (text.length <= limit) return text;
  const cut = text.lastIndexOf(' ', limit - 1);
  return `${text.slice(0, cut > limit / 2 ? cut : limit - 1).trimEnd()} …`;
}

/** From the start of a node to the end of one of its children. */
function spanRange(node: Node, child: Node): Range {
  return { start: nodeRange(node).start, end: nodeRange(child).end };
}

/** The part of a statement on its first line. */
function firstLineRange(text: string, node: Node): Range {
  const r = nodeRange(node);
  if (r.start.line === r.end.line) return r;
  let nl = text.indexOf('\n', node.startIndex);
  if (nl < 0) nl = node.endIndex;
  let end = nl;
  while (end > node.startIndex && /[\s\\]/.test(text[end - 1])) end--;
  return { start: r.start, end: { line: r.start.line, character: r.start.character + (end - node.startIndex) } };
}
