// section-order: FreeBSD's (and macOS's) pfctl wants the statement types grouped in a fixed order.
//
// FreeBSD pf.conf(5), STATEMENT ORDER: apart from macros and tables, statements are to be grouped
// as options, ethernet filtering, traffic normalization (scrub), queueing, translation (nat, rdr,
// binat) and packet filtering, and "by default pfctl(8) enforces this order". OPTIONS, `set
// require-order`: with `no` the enforcement is switched off. Enforced means pfctl refuses the
// ruleset, so this is an error. OpenBSD has no such rule (nor the option), so the check only runs
// for the FreeBSD and macOS dialects.
//
// pfctl reads includes in place, so the order runs on through included files; an anchor's brace
// block is a ruleset of its own and is checked on its own. Statements the manual does not place
// (macros, tables, include, load anchor, dummynet-anchor) never break the order.
import type { Node } from 'web-tree-sitter';
import { nodeRange, unquote } from '../../syntax';
import type { PfDocument } from '../../document';
import type { Check, FileDiagnostic } from '../context';
import { headRange, sectionOf, SECTIONS, statementsIn } from './util';

const KIND_NAMES: Record<string, string> = {
  ether_rule: 'rule',
  scrub_rule: 'rule',
  altq_rule: 'statement',
  queue_rule: 'definition',
  translation_rule: 'rule',
  filter_rule: 'rule',
  antispoof_rule: 'rule',
};

interface Seen {
  section: number;
  path: string;
  node: Node;
}

export const sectionOrder: Check = {
  code: 'section-order',
  run({ unit }) {
    const out: FileDiagnostic[] = [];
    const rootDoc = unit.documents[0];
    if (!rootDoc?.tree || rootDoc.dialect === 'openbsd') return out;
    const docs = new Map(unit.documents.map((d) => [d.path, d]));
    const includes = new Map(unit.resolvedIncludes.map((r) => [key(r.path, r.range.start), r.resolved]));
    // `set require-order` is a global switch that pfctl flips while reading, wherever it stands.
    const flags = { requireOrder: true };
    const active = new Set<string>();

    const visitContainer = (doc: PfDocument, container: Node, state: { furthest: Seen | null }) => {
      for (const st of statementsIn(container)) {
        if (st.type === 'include') {
          const pathNode = st.childForFieldName('path');
          const target = pathNode ? includes.get(key(doc.path, nodeRange(pathNode).start)) : undefined;
          const included = target ? docs.get(target) : undefined;
          if (included?.tree && !active.has(included.path)) {
            active.add(included.path);
            visitContainer(included, included.tree.rootNode, state);
            active.delete(included.path);
          }
          continue;
        }
        const section = sectionOf(st);
        if (section !== undefined) {
          const furthest = state.furthest;
          if (flags.requireOrder && furthest && furthest.section > section) {
            out.push(diagnostic(doc, st, section, furthest));
          } else if (!furthest || section > furthest.section) {
            state.furthest = { section, path: doc.path, node: st };
          }
        }
        if (st.type === 'option' && st.childForFieldName('name')?.text === 'require-order') {
          const value = st.childrenForFieldName('value').find((v) => !!v);
          if (value) flags.requireOrder = unquote(value.text) !== 'no';
        }
        const body = st.type === 'anchor_rule' ? st.childForFieldName('body') : null;
        if (body) visitContainer(doc, body, { furthest: null });
      }
    };

    active.add(rootDoc.path);
    visitContainer(rootDoc, rootDoc.tree.rootNode, { furthest: null });
    return out;
  },
};

function key(path: string, pos: { line: number; character: number }): string {
  return `${path}:${pos.line}:${pos.character}`;
}

function diagnostic(doc: PfDocument, st: Node, section: number, furthest: Seen): FileDiagnostic {
  const range = headRange(st);
  const head = st.text.split(/\r?\n/)[0].slice(0, range.end.line === range.start.line ? range.end.character - range.start.character : undefined);
  const what = st.type === 'anchor_rule' || st.type === 'option' ? `'${head}'` : `'${head}' ${KIND_NAMES[st.type] ?? 'statement'}`;
  const where = furthest.path === doc.path
    ? `line ${furthest.node.startPosition.row + 1}`
    : `${furthest.path}:${furthest.node.startPosition.row + 1}`;
  const advice = st.type === 'option'
    ? 'move it above the rules'
    : "move it up, or allow any order with 'set require-order no' at the top";
  const message =
    `${what} (${SECTIONS[section]}) comes after ${SECTIONS[furthest.section]} (${where}): by default pfctl enforces the order ` +
    `options, ethernet filtering, normalization, queueing, translation, filtering and rejects the ruleset; ` +
    `${advice} (pf.conf(5), STATEMENT ORDER)`;
  return {
    path: doc.path,
    code: 'section-order',
    severity: 'error',
    source: 'pfcheck',
    range,
    message,
    related: [{ path: furthest.path, range: headRange(furthest.node), message: `first ${SECTIONS[furthest.section]} statement` }],
  };
}
