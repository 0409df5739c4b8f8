// freebsd-unsupported: OpenBSD-only syntax in a file checked as FreeBSD or macOS.
//
// Only what FreeBSD's pf.conf(5) (the April 2025 revision kept in the project's references) does
// not document is reported. It *does* document, so they are not reported: match rules, af-to
// (TRANSLATION), set prio, received-on, divert-to (with divert(4) semantics), the scrub option of
// filter rules, set reassemble, max-src-* state options. It does not have:
//  - nat-to, rdr-to, binat-to: translation is `nat`/`rdr`/`binat` rules (TRANSLATION, GRAMMAR),
//    which belong before the filter rules (STATEMENT ORDER);
//  - divert-packet; and it says divert-reply "has no meaning" in FreeBSD's pf;
//  - once, max-pkt-rate, set delay, set tos (FreeBSD: the scrub parameter set-tos), set queue
//    (FreeBSD: `queue name`), `on rdomain`, hosts of the form `route <label>`;
//  - the least-states pool option (POOL OPTIONS lists bitmask, random, source-hash, round-robin);
//  - OpenBSD's queue hierarchy (parent, min, max, burst … for, flows, quantum, bare default):
//    FreeBSD queues with ALTQ (QUEUEING with ALTQ);
//  - syslog-style `set debug` levels: FreeBSD's are none, urgent, misc, loud (OPTIONS).
import type { Node } from 'web-tree-sitter';
import { nodeRange, nodesOfTypes, unquote } from '../../syntax';
import type { QuickFix, Range, TextEdit } from '../../types';
import type { Check, FileDiagnostic } from '../context';
import { headRange, keywordOf, sectionOf, significantChildren, Source, statementsIn } from './util';

const CODE = 'freebsd-unsupported';

interface Finding {
  range: Range;
  message: string;
  fixes?: QuickFix[];
}

const MANUAL = "FreeBSD's pf.conf(5)";

const TRANSLATION_FORMS: Record<string, string> = {
  'nat-to': "'nat on <interface> from … to … -> <address> [port …] [pool options]'",
  'rdr-to': "'rdr on <interface> proto … to … port … -> <address> [port …]'",
  'binat-to': "'binat on <interface> from <address> to … -> <address>'",
};

const SYSLOG_LEVELS = new Set(['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug']);
const OPENBSD_QUEUE_PROPERTIES = new Set(['min', 'max', 'burst', 'for', 'flows', 'quantum']);

const CHECKED_TYPES = ['translation', 'divert', 'flag_option', 'value_option', 'interface_spec', 'pool_option',
  'set_option', 'queue_rule', 'option', 'route_label'];

export const freebsdUnsupported: Check = {
  code: CODE,
  run({ unit }) {
    const out: FileDiagnostic[] = [];
    for (const doc of unit.documents) {
      if (doc.dialect === 'openbsd' || !doc.tree) continue;
      const src = new Source(doc.text);
      const containers = new Containers();
      const push = (f: Finding | undefined) => {
        if (f) out.push({ path: doc.path, code: CODE, severity: 'warning', source: 'pfcheck', ...f });
      };
      for (const node of nodesOfTypes(doc.tree.rootNode, CHECKED_TYPES)) {
        const kw = keywordOf(node);
        switch (node.type) {
          case 'translation':
            push(translation(src, node, containers));
            break;
          case 'divert':
            if (node.childForFieldName('kind')?.type === 'divert-packet') {
              push({ range: nodeRange(node.childForFieldName('kind')!), message: `${MANUAL} has no 'divert-packet'; FreeBSD's ` +
                "'divert-to <host> port <port>' hands packets to a divert(4) socket, the host being ignored (PACKET FILTERING)" });
            }
            break;
          case 'flag_option':
            if (kw === 'divert-reply') {
              push({ range: nodeRange(node), message: `${MANUAL} says 'divert-reply' has no meaning in FreeBSD's pf: this option does nothing there (PACKET FILTERING)` });
            } else if (kw === 'once') {
              push({ range: nodeRange(node), message: `${MANUAL} has no 'once' rule option, and no equivalent (GRAMMAR, filteropt)` });
            }
            break;
          case 'value_option':
            if (kw === 'max-pkt-rate') {
              push({ range: nodeRange(node.childForFieldName('name')!), message: `${MANUAL} has no 'max-pkt-rate' option, and no equivalent (GRAMMAR, filteropt)` });
            } else if (kw === 'rdomain') {
              push({ range: nodeRange(node.childForFieldName('name')!), message: RDOMAIN });
            }
            break;
          case 'interface_spec': {
            const rd = significantChildren(node).find((c) => c.type === 'rdomain');
            if (rd) push({ range: nodeRange(rd), message: RDOMAIN });
            break;
          }
          case 'pool_option':
            if (node.text === 'least-states') {
              push({ range: nodeRange(node), message: `${MANUAL} has no 'least-states' pool option: its POOL OPTIONS are bitmask, random, ` +
                'source-hash and round-robin (random and round-robin with sticky-address)' });
            }
            break;
          case 'set_option':
            push(setOption(src, node));
            break;
          case 'queue_rule':
            push(openbsdQueue(node));
            break;
          case 'option':
            if (node.childForFieldName('name')?.text === 'debug') {
              const v = node.childrenForFieldName('value')[0];
              if (v && SYSLOG_LEVELS.has(unquote(v.text))) {
                push({ range: nodeRange(v), message: `'${unquote(v.text)}' is an OpenBSD (syslog) debug level: FreeBSD's 'set debug' takes none, urgent, misc or loud (${MANUAL}, OPTIONS)` });
              }
            }
            break;
          case 'route_label':
            push({ range: nodeRange(node.child(0)!), message: `${MANUAL} has no 'route <label>' hosts (GRAMMAR, hosts): FreeBSD cannot match on route labels` });
            break;
        }
      }
    }
    return out;
  },
};

const RDOMAIN = `${MANUAL} has no routing domains ('rdomain'); FreeBSD only picks the routing table of the lookup, with 'rtable <number>' (PACKET FILTERING)`;

// ----------------------------------------------------------------- nat-to / rdr-to / binat-to

/** What the translation fixes need to know about a file or anchor block, computed once per block. */
class Containers {
  private readonly infos = new Map<number, { rulesByOption: Map<string, number>; firstFilter?: Node }>();

  get(container: Node) {
    let info = this.infos.get(container.id);
    if (info) return info;
    info = { rulesByOption: new Map<string, number>() };
    for (const st of statementsIn(container)) {
      if (!info.firstFilter && sectionOf(st) === 5) info.firstFilter = st;
      if (st.type !== 'filter_rule') continue;
      const kinds = new Set(st.namedChildren.filter((c) => c?.type === 'translation').map((c) => c!.childForFieldName('kind')?.type ?? ''));
      for (const k of kinds) info.rulesByOption.set(k, (info.rulesByOption.get(k) ?? 0) + 1);
    }
    this.infos.set(container.id, info);
    return info;
  }
}

function translation(src: Source, node: Node, containers: Containers): Finding | undefined {
  const kindNode = node.childForFieldName('kind');
  const option = kindNode?.type;
  if (!kindNode || !option || !(option in TRANSLATION_FORMS)) return undefined; // af-to: FreeBSD has it
  const base = option.slice(0, -3);
  let message = `${MANUAL} has no '${option}' option: FreeBSD writes translation as a rule of its own, ` +
    `${TRANSLATION_FORMS[option]}, placed before the filter rules (TRANSLATION, STATEMENT ORDER)`;
  const container = node.parent?.type === 'filter_rule' ? node.parent.parent : null;
  const info = container ? containers.get(container) : undefined;
  if ((info?.rulesByOption.get(option) ?? 0) > 1) {
    message += `. Of several ${base} rules FreeBSD applies the first that matches, while OpenBSD's match rules let the ` +
      'last matching one win: check the order where they overlap';
  }
  const range = nodeRange(kindNode);
  const fix = reverseFix(src, node, base, info?.firstFilter);
  return { range, message, fixes: fix ? [fix] : undefined };
}

const NAT_DIRECTION: Record<string, string | undefined> = { nat: 'out', rdr: 'in', binat: undefined };
const FREEBSD_POOLS = new Set(['bitmask', 'random', 'source-hash', 'round-robin', 'sticky-address', 'static-port']);

/**
 * `match out on $ext_if from $lan to any nat-to ($ext_if)` → `nat on $ext_if from $lan to any -> ($ext_if)`,
 * only when the rule holds nothing a FreeBSD nat/rdr/binat rule cannot (GRAMMAR: nat-rule, rdr-rule,
 * binat-rule), the direction is the one the old rule implies, and the translation comes last.
 */
function reverseFix(src: Source, tr: Node, base: string, firstFilter: Node | undefined): QuickFix | undefined {
  const rule = tr.parent;
  if (!rule || rule.type !== 'filter_rule' || rule.hasError) return undefined;
  const actionNode = rule.childForFieldName('action');
  const action = actionNode?.text;
  if (!actionNode || (action !== 'match' && action !== 'pass')) return undefined;
  const items = significantChildren(rule).slice(1);
  if (items[items.length - 1]?.id !== tr.id) return undefined;
  if (items.filter((c) => c.type === 'translation').length !== 1) return undefined;
  let direction: Node | undefined;
  for (const c of items.slice(0, -1)) {
    const kw = keywordOf(c);
    if (c.type === 'direction') direction = c;
    else if (c.type === 'log' && action === 'pass') continue;
    else if (c.type === 'interface_spec' && !significantChildren(c).some((x) => x.type === 'rdomain')) continue;
    else if (c.type === 'address_family' || c.type === 'protocol_spec' || c.type === 'source' || c.type === 'destination') continue;
    else if (kw === 'all') continue;
    else if ((kw === 'tag' || kw === 'tagged') && !c.childForFieldName('negated')) continue;
    else return undefined;
  }
  if ((direction?.text ?? undefined) !== NAT_DIRECTION[base]) return undefined;
  if (tr.childForFieldName('address_family')) return undefined;
  const pools = tr.childrenForFieldName('pool');
  if (pools.some((p) => !FREEBSD_POOLS.has(p.child(0)?.type ?? ''))) return undefined;
  if (base === 'binat' && (pools.length || tr.childForFieldName('port'))) return undefined;

  const start = src.start(rule);
  const end = src.end(rule);
  const local: TextEdit[] = [];
  local.push(src.replace(actionNode, action === 'pass' ? `${base} pass` : base));
  if (direction) local.push(src.deleteItem(src.start(direction), src.end(direction)));
  local.push(src.replace(tr.childForFieldName('kind')!, '->'));

  // pfctl wants translation before filtering (STATEMENT ORDER); the filter rules see translated
  // packets wherever the rule stands, so moving it above them changes nothing else.
  const title = `Rewrite as '${action === 'pass' ? `${base} pass` : base} on … -> …'`;
  if (!firstFilter || firstFilter.id === rule.id) return { title, preferred: true, edits: local };

  // Apply the edits to the rule's own text, then move that text above the first filter rule.
  const sorted = local.map((e) => ({ s: src.offset(e.range.start) - start, e: src.offset(e.range.end) - start, t: e.newText }))
    .sort((a, b) => b.s - a.s);
  let text = src.text.slice(start, end);
  for (const e of sorted) text = text.slice(0, e.s) + e.t + text.slice(e.e);
  const lineStart = src.starts[firstFilter.startPosition.row];
  const indent = src.text.slice(lineStart, src.start(firstFilter));
  return {
    title: `${title}, moved above the filter rules (line ${firstFilter.startPosition.row + 1})`,
    preferred: true,
    edits: [src.replaceSpan(lineStart, lineStart, `${indent}${text}\n`), src.deleteStatement(rule)],
  };
}

// ------------------------------------------------------------------ set tos / delay / queue

function setOption(src: Source, node: Node): Finding | undefined {
  const what = node.child(1)?.type;
  const value = node.child(node.childCount - 1);
  const range = nodeRange(node);
  if (what === 'delay') {
    return { range, message: `${MANUAL} has no 'set delay' rule option, and no equivalent (GRAMMAR, filteropt)` };
  }
  if (what === 'tos') {
    const message = `${MANUAL} has no 'set tos' rule option: FreeBSD sets the TOS with the scrub parameter set-tos, 'scrub (set-tos …)' (TRAFFIC NORMALIZATION, Scrub)`;
    const rule = node.parent;
    if (!value || !rule || rule.hasError || significantChildren(rule).some((c) => c.type === 'scrub_options')) return { range, message };
    return { range, message, fixes: [{ title: `Change to 'scrub (set-tos ${value.text})'`, preferred: true, edits: [src.replace(node, `scrub (set-tos ${value.text})`)] }] };
  }
  if (what === 'queue') {
    const message = `${MANUAL} has no 'set queue': FreeBSD assigns queues with 'queue <name>' or 'queue (<name>, <name>)' (PACKET FILTERING, queue)`;
    const setKw = node.child(0)!;
    const queueKw = node.child(1)!;
    if (!/^[ \t]+$/.test(src.text.slice(src.end(setKw), src.start(queueKw)))) return { range, message };
    return { range, message, fixes: [{ title: "Change to 'queue …'", preferred: true, edits: [src.replaceSpan(src.start(setKw), src.start(queueKw), '')] }] };
  }
  return undefined; // set prio: FreeBSD has it
}

// ------------------------------------------------------------------------------------ queues

function openbsdQueue(node: Node): Finding | undefined {
  const found: string[] = [];
  if (node.childForFieldName('parent')) found.push('parent');
  for (const c of significantChildren(node)) {
    if (c.type === 'keyword' && OPENBSD_QUEUE_PROPERTIES.has(c.text) && !found.includes(c.text)) found.push(c.text);
    if (c.type === 'keyword' && c.text === 'default') found.push('default');
  }
  if (!found.length) return undefined;
  return {
    range: headRange(node),
    message: `OpenBSD-style queue (${found.map((f) => `'${f}'`).join(', ')} ${found.length > 1 ? 'are' : 'is'} not in ${MANUAL}): ` +
      "FreeBSD queues with ALTQ, 'altq on <interface> <scheduler> bandwidth … queue { <names> }' and " +
      "'queue <name> bandwidth … <scheduler>(default) { <children> }' (QUEUEING with ALTQ); there is no mechanical rewrite",
  };
}
