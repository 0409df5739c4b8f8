// openbsd-old-style: FreeBSD/macOS-era statements in a file checked as OpenBSD.
//
// Facts, from OpenBSD's pf.conf(5):
//  - GRAMMAR: a line is an option, pf-rule, antispoof-rule, queue-rule, anchor-rule, load-anchor,
//    table-rule or include; the actions are pass, match and block. There are no nat/rdr/binat
//    rules, no scrub rules, no altq, no nat-/rdr-/binat-/scrub-anchor and no ether rules.
//  - Translation: nat-to, rdr-to and binat-to are options of pass and match rules; nat-to is
//    usually applied outbound, rdr-to inbound, binat-to stands alone (the EXAMPLES show
//    `pass on $ext_if from 10.1.2.120 to any binat-to 192.0.2.17`). Pool options follow the
//    redirection address as before.
//  - Scrub: normalisation is the `scrub (…)` option of a rule; its parameters are no-df, min-ttl,
//    max-mss, random-id and reassemble tcp. There is no set-tos in it: `set tos` is a rule option.
//  - Fragment Handling / `set reassemble`: reassembly is global and on by default, so FreeBSD's
//    `fragment reassemble` has nothing to carry over.
//  - PACKET FILTERING: match rules are sticky for nat-to/rdr-to/binat-to/scrub; pass/block: the
//    last matching rule wins unless `quick`. FreeBSD pf.conf(5), TRANSLATION: `nat pass`/`rdr pass`
//    pass the packet without the filter rules, so `pass … quick` is the closer equivalent.
//  - ANCHORS: a plain `anchor` evaluates all rules of the anchor.
// The manual does not say in which release the old forms went away, so neither do the messages.
import type { Node } from 'web-tree-sitter';
import { nodesOfTypes, unquote } from '../../syntax';
import type { QuickFix, Range, TextEdit } from '../../types';
import type { Check, FileDiagnostic } from '../context';
import { childOfType, headRange, keywordOf, significantChildren, Source } from './util';

const CODE = 'openbsd-old-style';

interface Finding {
  range: Range;
  message: string;
  fixes?: QuickFix[];
}

const OLD_STYLE_TYPES = ['translation_rule', 'scrub_rule', 'altq_rule', 'queue_rule', 'anchor_rule', 'ether_rule'];

export const openbsdOldStyle: Check = {
  code: CODE,
  run({ unit }) {
    const out: FileDiagnostic[] = [];
    for (const doc of unit.documents) {
      if (doc.dialect !== 'openbsd' || !doc.tree) continue;
      const src = new Source(doc.text);
      const containers = new Containers();
      for (const node of nodesOfTypes(doc.tree.rootNode, OLD_STYLE_TYPES)) {
        let found: Finding | undefined;
        switch (node.type) {
          case 'translation_rule':
            found = translationRule(src, node, containers);
            break;
          case 'scrub_rule':
            found = scrubRule(src, node);
            break;
          case 'altq_rule':
            found = { range: headRange(node), message: ALTQ_MESSAGE('altq') };
            break;
          case 'queue_rule':
            if (node.namedChildren.some((c) => c?.type === 'scheduler') || node.childForFieldName('children')) {
              found = { range: headRange(node), message: ALTQ_MESSAGE('queue') };
            }
            break;
          case 'anchor_rule':
            found = oldAnchor(src, node, containers);
            break;
          case 'ether_rule':
            found = { range: headRange(node),
              message: "OpenBSD's pf has no 'ether' rules (layer-2 filtering is FreeBSD's): its pf.conf(5) GRAMMAR has no ether-rule" };
            break;
        }
        if (found) out.push({ path: doc.path, code: CODE, severity: 'error', source: 'pfcheck', ...found });
      }
    }
    return out;
  },
};

const ALTQ_MESSAGE = (what: string) =>
  `OpenBSD's pf no longer has ALTQ ('${what}' with cbq/priq/hfsc schedulers): queues are written ` +
  "'queue name on interface bandwidth …' and 'queue name parent name bandwidth …' and used with 'set queue' " +
  '(pf.conf(5), QUEUEING); there is no mechanical rewrite';

// ------------------------------------------------------------------------ nat / rdr / binat

const DIRECTION: Record<string, string> = { nat: 'out', rdr: 'in', binat: '' };

/** Per file or anchor block, computed once: translation rules by kind, anchors by name. */
class Containers {
  private readonly infos = new Map<number, { rulesByKind: Map<string, number>; anchorsByName: Map<string, Node[]> }>();

  get(container: Node) {
    let info = this.infos.get(container.id);
    if (info) return info;
    info = { rulesByKind: new Map<string, number>(), anchorsByName: new Map<string, Node[]>() };
    for (const st of container.namedChildren) {
      if (st?.type === 'translation_rule') {
        const kind = st.childForFieldName('kind')?.type ?? '';
        info.rulesByKind.set(kind, (info.rulesByKind.get(kind) ?? 0) + 1);
      } else if (st?.type === 'anchor_rule') {
        const name = st.childForFieldName('name');
        if (!name) continue;
        const key = unquote(name.text);
        const list = info.anchorsByName.get(key) ?? [];
        list.push(st);
        info.anchorsByName.set(key, list);
      }
    }
    this.infos.set(container.id, info);
    return info;
  }
}

function translationRule(src: Source, node: Node, containers: Containers): Finding | undefined {
  const kindNode = node.childForFieldName('kind');
  if (!kindNode) return undefined;
  const kind = kindNode.type;
  const option = `${kind}-to`;
  const range = headRange(node);
  if (node.child(0)?.type === 'no') {
    return {
      range,
      message: `OpenBSD's pf has no 'no ${kind}' rules: translation is an option ('${option}') of match and pass ` +
        `rules and cannot be negated. Leave these packets out of the ${option} rule instead (a '!' address or a ` +
        `table in its from/to), or end evaluation before it with a 'pass … quick' rule (pf.conf(5), Translation, ` +
        'PACKET FILTERING); there is no mechanical rewrite',
    };
  }
  const passKw = significantChildren(node).find((c) => c.type === 'keyword' && c.text === 'pass');
  const action = passKw ? 'pass' : 'match';
  const dir = DIRECTION[kind] ?? '';
  const head = (quick: boolean) => [action, dir, quick ? 'quick' : ''].filter(Boolean).join(' ');
  let message = `OpenBSD's pf no longer has '${kind}' rules: translation is the '${option}' option of match and pass ` +
    `rules, e.g. '${head(false)} … ${option} …' (pf.conf(5), Translation)`;
  if (passKw) {
    message += `. '${kind} pass' let packets bypass the filter rules; a pass rule without 'quick' can still be ` +
      'overridden by a later matching rule';
  }
  const sameKind = node.parent ? containers.get(node.parent).rulesByKind.get(kind) ?? 0 : 0;
  if (sameKind > 1) {
    message += `. Of several ${kind} rules FreeBSD applied the first that matched, while among match rules the last ` +
      'matching one wins: check the order where they overlap (FreeBSD pf.conf(5), TRANSLATION; pf.conf(5), PACKET FILTERING)';
  }
  const arrow = childOfType(node, '->');
  if (!arrow || node.hasError) return { range, message };

  const build = (quick: boolean): TextEdit[] => {
    const edits: TextEdit[] = [];
    const adjacent = passKw && /^[ \t]*$/.test(src.text.slice(src.end(kindNode), src.start(passKw)));
    edits.push(src.replaceSpan(src.start(kindNode), src.end(adjacent ? passKw! : kindNode), head(quick)));
    if (passKw && !adjacent) edits.push(src.deleteItem(src.start(passKw), src.end(passKw)));
    edits.push(src.replace(arrow, option));
    return edits;
  };
  const fixes: QuickFix[] = [{ title: `Rewrite as '${head(false)} … ${option} …'`, preferred: true, edits: build(false) }];
  if (passKw) {
    fixes.push({ title: `Rewrite as '${head(true)} … ${option} …' (no later rule can override it, like '${kind} pass')`, edits: build(true) });
  }
  return { range, message, fixes };
}

// ------------------------------------------------------------------------------------- scrub

const CARRIED_FLAGS = new Set(['no-df', 'random-id']);
const CARRIED_VALUES = new Set(['min-ttl', 'max-mss']);

interface Group {
  start: number;
  end: number;
  /** carry: goes into scrub (…); drop: fragment reassemble; rename: set-tos → set tos. */
  kind: 'carry' | 'drop' | 'rename';
  text: string;
  node?: Node;
}

function scrubRule(src: Source, node: Node): Finding | undefined {
  const range = headRange(node);
  const base = "OpenBSD's pf no longer has scrub rules: normalisation is the 'scrub (…)' option of match rules, " +
    "e.g. 'match in all scrub (no-df random-id max-mss 1440)' (pf.conf(5), Scrub)";
  if (node.child(0)?.type === 'no') {
    return {
      range,
      message: "OpenBSD's pf has no 'no scrub' rules: scrub is an option of match rules and cannot be negated; " +
        'narrow the match rule that scrubs instead (pf.conf(5), Scrub); there is no mechanical rewrite',
    };
  }
  if (/\bno\s+fragment\b/.test(node.text)) {
    return { range, message: `${base}. Fragment reassembly is global on OpenBSD: 'set reassemble no' turns it off (OPTIONS)` };
  }

  const children = significantChildren(node);
  const groups: Group[] = [];
  let unsupported: string | undefined;
  for (let i = 1; i < children.length; i++) {
    const c = children[i];
    const kw = keywordOf(c);
    const next = children[i + 1];
    if (kw === 'fragment') {
      const nextKw = next ? keywordOf(next) : undefined;
      if (nextKw === 'reassemble') {
        groups.push({ start: src.start(c), end: src.end(next), kind: 'drop', text: '' });
        i++;
      } else {
        unsupported = `fragment ${nextKw ?? ''}`.trim();
      }
    } else if (c.type === 'keyword' && /^reassemble\s+tcp$/.test(oneLine(c.text))) {
      groups.push({ start: src.start(c), end: src.end(c), kind: 'carry', text: 'reassemble tcp' });
    } else if (kw === 'reassemble') {
      unsupported = 'reassemble';
    } else if (kw && CARRIED_FLAGS.has(kw)) {
      groups.push({ start: src.start(c), end: src.end(c), kind: 'carry', text: kw });
    } else if (kw && CARRIED_VALUES.has(kw)) {
      groups.push({ start: src.start(c), end: src.end(c), kind: 'carry', text: oneLine(c.text) });
    } else if (kw === 'set-tos') {
      groups.push({ start: src.start(c), end: src.end(c), kind: 'rename', text: '', node: c.childForFieldName('name') ?? undefined });
    } else if (c.type === 'option_list') {
      const inner = oneLine(src.text.slice(src.start(c) + 1, src.end(c) - 1)).trim();
      groups.push({ start: src.start(c), end: src.end(c), kind: 'carry', text: inner });
    } else if (c.type === 'ERROR' || c.hasError) {
      unsupported = c.text;
    }
  }
  const hasTrailingError = node.nextSibling?.type === 'ERROR' && node.nextSibling.startPosition.row === node.endPosition.row;
  if (unsupported !== undefined || hasTrailingError) {
    return { range, message: `${base}; '${unsupported ?? 'this rule'}' has no OpenBSD equivalent, so there is no mechanical rewrite` };
  }

  const carried = groups.filter((g) => g.kind === 'carry').map((g) => g.text).filter(Boolean);
  const dropped = groups.some((g) => g.kind === 'drop');
  const renamed = groups.some((g) => g.kind === 'rename');
  const note = dropped ? "; 'fragment reassemble' has no counterpart: OpenBSD reassembles fragments by default (set reassemble, Fragment Handling)" : '';
  const message = base + note;
  const scrubHead = node.child(0)!;

  if (!carried.length && !renamed) {
    const edits = [src.deleteStatement(node)];
    return {
      range, message: `${base}; this rule only reassembles fragments, which OpenBSD does by default (set reassemble, Fragment Handling)`,
      fixes: [{ title: 'Remove the rule (OpenBSD reassembles fragments by default)', preferred: true, edits }],
    };
  }

  const edits: TextEdit[] = [src.replace(scrubHead, 'match')];
  const scrubText = carried.length ? `scrub (${carried.join(' ')})` : '';
  let placed = false;
  for (const g of groups) {
    if (g.kind === 'rename') {
      if (g.node) edits.push(src.replace(g.node, 'set tos'));
    } else if (!placed && scrubText) {
      edits.push(src.replaceSpan(g.start, g.end, scrubText));
      placed = true;
    } else {
      edits.push(src.deleteItem(g.start, g.end));
    }
  }
  const shown = [scrubText, renamed ? 'set tos …' : ''].filter(Boolean).join(' ');
  return {
    range, message,
    fixes: [{ title: `Rewrite as 'match … ${shown}'${dropped ? " (dropping 'fragment reassemble', OpenBSD's default)" : ''}`, preferred: true, edits }],
  };
}

function oneLine(text: string): string {
  return text.replace(/[ \t]*\\\r?\n[ \t]*/g, ' ').replace(/\s+/g, ' ');
}

// ----------------------------------------------------------------------------------- anchors

const OLD_ANCHORS = new Set(['nat-anchor', 'rdr-anchor', 'binat-anchor', 'scrub-anchor']);

function oldAnchor(src: Source, node: Node, containers: Containers): Finding | undefined {
  const kind = node.childForFieldName('kind')?.type;
  if (!kind || kind === 'anchor') return undefined;
  const range = headRange(node);
  if (kind === 'dummynet-anchor') {
    return { range, message: "OpenBSD's pf.conf(5) has no 'dummynet-anchor' (its ANCHORS and GRAMMAR know only 'anchor') and no dummynet options; there is no mechanical rewrite" };
  }
  if (!OLD_ANCHORS.has(kind)) return undefined;
  const message = `OpenBSD's pf has no '${kind}': a plain 'anchor' evaluates every rule of the anchor, ` +
    `${kind === 'scrub-anchor' ? "'match … scrub (…)'" : "'match … nat-to/rdr-to/binat-to'"} rules included (pf.conf(5), ANCHORS)`;
  const kindNode = node.childForFieldName('kind')!;
  const nameNode = node.childForFieldName('name');
  const name = nameNode ? unquote(nameNode.text) : undefined;
  const title = `Change to 'anchor${nameNode ? ' ' + nameNode.text : ''}'`;
  if (node.hasError) return { range, message };
  // Several old anchors with one name (nat-anchor "x", rdr-anchor "x", anchor "x"): only one plain
  // anchor may remain, or the anchor's rules would run more than once.
  const container = node.parent;
  if (name !== undefined && container && !node.childForFieldName('body')) {
    const siblings = containers.get(container).anchorsByName.get(name) ?? [];
    const plain = siblings.find((n) => n.childForFieldName('kind')?.type === 'anchor');
    const firstOld = siblings.find((n) => OLD_ANCHORS.has(n.childForFieldName('kind')?.type ?? '') && !n.hasError);
    const keeper = plain ?? (firstOld && firstOld.id !== node.id ? firstOld : undefined);
    if (keeper) {
      const line = keeper.startPosition.row + 1;
      const what = plain ? `'anchor ${nameNode!.text}' on line ${line}` : `the '${keeper.childForFieldName('kind')!.type}' on line ${line} (once changed to 'anchor')`;
      return {
        range, message: `${message}; ${what} already evaluates it`,
        fixes: [{
          title: plain ? `Remove it (${what} evaluates the anchor)` : `Remove it (the '${keeper.childForFieldName('kind')!.type}' on line ${line} becomes the one 'anchor')`,
          preferred: true, edits: [src.deleteStatement(node)],
        }],
      };
    }
  }
  return { range, message, fixes: [{ title, preferred: true, edits: [src.replace(kindNode, 'anchor')] }] };
}
