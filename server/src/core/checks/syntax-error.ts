// syntax-error: ERROR and MISSING nodes of the parse, as readable messages.
import type { Node } from 'web-tree-sitter';
import { nodeRange } from '../syntax';
import type { Check, FileDiagnostic } from './context';

/** Beyond this many, a file is garbage and more squiggles help nobody. */
const MAX_PER_FILE = 100;

const STATEMENT_NAMES: Record<string, string> = {
  filter_rule: 'rule',
  translation_rule: 'translation rule',
  table_definition: 'table definition',
  macro_definition: 'macro definition',
  option: 'set option',
  anchor_rule: 'anchor',
  queue_rule: 'queue',
  altq_rule: 'altq rule',
  scrub_rule: 'scrub rule',
  antispoof_rule: 'antispoof rule',
  ether_rule: 'ether rule',
};

export const syntaxError: Check = {
  code: 'syntax-error',
  run(ctx) {
    const out: FileDiagnostic[] = [];
    for (const doc of ctx.unit.documents) {
      const root = doc.tree?.rootNode;
      if (!root || !root.hasError) continue;
      let count = 0;
      // Depth-first in document order, pruned to subtrees that contain an error; an ERROR's own
      // descendants are the same mistake and are not reported again.
      const stack: Node[] = [root];
      while (stack.length && count < MAX_PER_FILE) {
        const node = stack.pop()!;
        if (node.isMissing) {
          out.push(diag(doc.path, node, `missing '${node.type}'${context(node)}`));
          count++;
        } else if (node.type === 'ERROR') {
          out.push(diag(doc.path, node, describeError(node, doc.text)));
          count++;
        } else if (node.hasError) {
          for (let i = node.childCount - 1; i >= 0; i--) {
            const child = node.child(i);
            if (child) stack.push(child);
          }
        }
      }
      if (count >= MAX_PER_FILE) {
        out.push({ path: doc.path, code: 'syntax-error', severity: 'information', source: 'pfcheck',
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          message: `more than ${MAX_PER_FILE} syntax errors; only the first ${MAX_PER_FILE} are shown` });
      }
    }
    return out;
  },
};

function diag(path: string, node: Node, message: string): FileDiagnostic {
  const range = nodeRange(node);
  // Zero-width errors (MISSING) get one character so editors can show them.
  if (range.start.line === range.end.line && range.start.character === range.end.character) {
    range.end = { line: range.end.line, character: range.end.character + 1 };
  }
  return { path, code: 'syntax-error', severity: 'error', source: 'pfcheck', range, message };
}

function firstToken(node: Node): string {
  let n: Node = node;
  while (n.childCount > 0 && n.child(0)) n = n.child(0)!;
  const text = n.text.split(/\r?\n/)[0];
  return text.length > 40 ? text.slice(0, 37) + '...' : text;
}

/**
 * The last token before the error on its line, read from the text: walking siblings through the
 * wasm node API is slow on deep trees and has failed outright on some.
 */
function lastTokenBefore(node: Node, text: string): string | undefined {
  const lineStart = text.lastIndexOf('\n', node.startIndex - 1) + 1;
  const before = text.slice(lineStart, node.startIndex).replace(/#.*$/, '').trimEnd();
  const m = /(\S+)$/.exec(before);
  return m ? m[1] : undefined;
}

function describeError(node: Node, text: string): string {
  const token = firstToken(node);
  if (!token.trim()) return `unexpected text${context(node)}`;
  const before = lastTokenBefore(node, text);
  if (token === '}' ) return `unexpected '}' with no matching '{'`;
  if (token.startsWith('"') && !token.endsWith('"')) return 'unterminated quoted string';
  return before ? `unexpected '${token}' after '${before}'${context(node)}` : `unexpected '${token}'${context(node)}`;
}

function context(node: Node): string {
  // Only the nearest ancestors: parent links are slow to follow in deep trees.
  let steps = 0;
  for (let p = node.parent; p && steps < 8; p = p.parent, steps++) {
    const name = STATEMENT_NAMES[p.type];
    if (name) return ` in ${name}`;
  }
  return '';
}
