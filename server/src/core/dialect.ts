// Which pf the file is written for. `auto` looks for syntax only FreeBSD/macOS still accept.
import type { Node } from 'web-tree-sitter';
import type { Dialect, DialectSetting } from './types';

/** Statement kinds that OpenBSD no longer has and FreeBSD/macOS kept. */
const OLD_STYLE = new Set(['translation_rule', 'scrub_rule', 'altq_rule', 'ether_rule']);
const OLD_ANCHORS = new Set(['nat-anchor', 'rdr-anchor', 'binat-anchor', 'scrub-anchor', 'dummynet-anchor']);

export function detectDialect(root: Node): Dialect {
  let oldStyle = false;
  for (const node of root.namedChildren) {
    if (!node) continue;
    if (OLD_STYLE.has(node.type)) oldStyle = true;
    if (node.type === 'anchor_rule') {
      const kind = node.childForFieldName('kind')?.type;
      if (kind && OLD_ANCHORS.has(kind)) oldStyle = true;
      // macOS ships its rules in anchors named com.apple/...
      if (/^["']?com\.apple/.test(node.childForFieldName('name')?.text ?? '')) return 'macos';
    }
    if (node.type === 'queue_rule' && node.namedChildren.some((c) => c?.type === 'scheduler')) oldStyle = true;
  }
  return oldStyle ? 'freebsd' : 'openbsd';
}

export function resolveDialect(setting: DialectSetting | undefined, root: Node): Dialect {
  return !setting || setting === 'auto' ? detectDialect(root) : setting;
}

export const DIALECT_NAMES: Record<Dialect, string> = {
  openbsd: 'OpenBSD',
  freebsd: 'FreeBSD',
  macos: 'macOS',
};
