// Completion by context: `$` → macros, `<` → tables, after `port` → services, after `set` →
// options, after `set timeout` → timeout names, after `icmp-type` → ICMP types, at a line start
// → statements and snippets, inside a rule → the parts that may still follow, in pfctl's order.
import { ICMP_TYPES } from '../docs/icmp';
import { ALL_KEYWORD_DOCS, keywordMarkdown, lookupKeyword, type KeywordDoc } from '../docs/keywords';
import { SERVICES } from '../docs/services';
import { SNIPPETS } from '../docs/snippets';
import type { PfDocument } from '../document';
import { expandMacro, lastDefinition } from '../macros';
import { knownTables, SPAMD_TABLES } from '../checks/known-tables';
import type { Position, Range } from '../types';
import type { Unit } from '../workspace';

export type CompletionKind = 'keyword' | 'macro' | 'table' | 'service' | 'option' | 'value' | 'snippet';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  insertText?: string;
  isSnippet?: boolean;
  /** The text the item replaces (the word typed so far). */
  range: Range;
  sortText?: string;
}

/** Parts of a filter rule in the order pfctl's grammar accepts them. */
const RULE_ORDER: string[][] = [
  ['in', 'out'],
  ['log'],
  ['quick'],
  ['on'],
  ['inet', 'inet6'],
  ['proto'],
  ['from', 'all'],
  ['to'],
  ['user', 'group', 'flags', 'icmp-type', 'icmp6-type', 'tos', 'keep', 'modulate', 'synproxy', 'no', 'fragment',
    'allow-opts', 'label', 'tag', 'tagged', 'queue', 'rtable', 'probability', 'prio', 'set', 'once',
    'max-pkt-rate', 'received-on', 'os', 'nat-to', 'rdr-to', 'binat-to', 'af-to', 'divert-to', 'divert-reply',
    'divert-packet', 'route-to', 'reply-to', 'dup-to'],
];

const STATEMENTS = ['pass', 'block', 'match', 'table', 'set', 'anchor', 'load', 'include', 'queue', 'antispoof'];
const OLD_STATEMENTS = ['nat', 'rdr', 'binat', 'no', 'scrub', 'altq', 'nat-anchor', 'rdr-anchor', 'binat-anchor', 'ether'];

export function completion(unit: Unit, doc: PfDocument, pos: Position): CompletionItem[] {
  const line = doc.text.split('\n')[pos.line]?.replace(/\r$/, '') ?? '';
  const before = line.slice(0, pos.character);
  const word = /[A-Za-z0-9_.-]*$/.exec(before)![0];
  const range: Range = { start: { line: pos.line, character: pos.character - word.length }, end: pos };

  if (/\$[A-Za-z0-9_]*$/.test(before)) return macros(unit, range);
  if (/<\s*[^<>\s]*$/.test(before) && !/port\s*(<=?|>=?)?\s*$/.test(before.replace(/<[^<>\s]*$/, ''))) {
    const typed = /<\s*([^<>\s]*)$/.exec(before)![1];
    const r = { start: { line: pos.line, character: pos.character - typed.length }, end: pos };
    return tables(unit, r, line[pos.character] === '>');
  }
  if (/\bicmp6?-type\s+[\w-]*$/.test(before)) return icmpTypes(/icmp6-type/.test(before) ? 'icmp6' : 'icmp', range);
  if (/\bport\s+(?:[=<>!]+\s*)?(?:\{[^}]*)?[\w-]*$/.test(before)) return services(range);
  if (/^\s*set\s+timeout\s+(?:\{[^}]*)?[\w.]*$/.test(before)) return fromDocs(ALL_KEYWORD_DOCS.filter((d) => d.kind === 'timeout'), range, 'value');
  if (/^\s*set\s+limit\s+(?:\{[^}]*)?[\w-]*$/.test(before)) return fromDocs(ALL_KEYWORD_DOCS.filter((d) => d.kind === 'limit'), range, 'value');
  const setValue = /^\s*set\s+([\w-]+)\s+[\w-]*$/.exec(before);
  if (setValue) {
    const values = lookupKeyword(setValue[1], { parent: 'set' })?.values ?? [];
    return values.map((v) => ({ label: v, kind: 'value' as const, range }));
  }
  if (/^\s*set\s+[\w-]*$/.test(before)) {
    const setDoc = lookupKeyword('set');
    const names = setDoc?.values ?? [];
    return names.map((n) => item(n, range, 'option', lookupKeyword(n, { parent: 'set' }), doc));
  }
  if (/^\s*[\w-]*$/.test(before)) return statementStart(doc, range);
  return ruleContinuation(before, range, doc);
}

function item(label: string, range: Range, kind: CompletionKind, d: KeywordDoc | undefined, doc: PfDocument): CompletionItem {
  return { label, kind, range, detail: d?.summary, documentation: d ? keywordMarkdown(d, doc.dialect) : undefined };
}

function macros(unit: Unit, range: Range): CompletionItem[] {
  const names = [...new Set(unit.index.macroDefinitions.map((d) => d.name))];
  return names.map((name) => {
    const def = lastDefinition(unit.index, name)!;
    const value = expandMacro(unit.index, def).value;
    return { label: name, kind: 'macro', range, detail: value, documentation: value ? '```pf\n' + value + '\n```' : undefined };
  });
}

function tables(unit: Unit, range: Range, closed: boolean): CompletionItem[] {
  const declared = unit.index.tableDefinitions.map((d) => d.name);
  const known = [...knownTables(unit, {})];
  const names = [...new Set([...declared, ...known, ...SPAMD_TABLES])];
  return names.map((name) => ({
    label: name, kind: 'table', range, insertText: closed ? name : `${name}>`,
    detail: declared.includes(name) ? 'declared table' : SPAMD_TABLES.includes(name) ? 'spamd table' : 'filled outside the ruleset',
    sortText: declared.includes(name) ? `0${name}` : `1${name}`,
  }));
}

function services(range: Range): CompletionItem[] {
  const seen = new Set<string>();
  const out: CompletionItem[] = [];
  for (const s of SERVICES) {
    if (seen.has(s.name) || !s.protocols.some((p) => p === 'tcp' || p === 'udp')) continue;
    seen.add(s.name);
    out.push({ label: s.name, kind: 'service', range, detail: `${s.port}/${s.protocols.join(',')}`, sortText: String(s.port).padStart(5, '0') });
  }
  return out;
}

function icmpTypes(family: 'icmp' | 'icmp6', range: Range): CompletionItem[] {
  return ICMP_TYPES.filter((t) => t.family === family).map((t) => ({
    label: t.name, kind: 'value' as const, range, detail: `${family} type ${t.type}`,
  }));
}

function fromDocs(docs: readonly KeywordDoc[], range: Range, kind: CompletionKind): CompletionItem[] {
  const seen = new Set<string>();
  return docs.filter((d) => !seen.has(d.keyword) && seen.add(d.keyword)).map((d) => ({
    label: d.keyword, kind, range, detail: d.default ? `default ${d.default}` : d.summary, documentation: keywordMarkdown(d),
  }));
}

function statementStart(doc: PfDocument, range: Range): CompletionItem[] {
  const old = doc.dialect !== 'openbsd';
  const words = [...STATEMENTS, ...(old ? OLD_STATEMENTS : [])];
  const items = words.map((w, i) => ({ ...item(w, range, 'keyword', lookupKeyword(w), doc), sortText: `0${String(i).padStart(2, '0')}` }));
  for (const s of SNIPPETS) {
    if (!s.dialects.includes(doc.dialect)) continue;
    items.push({ label: s.prefix, kind: 'snippet', range, detail: s.label, documentation: s.description + '\n\n```pf\n' + s.body.replace(/\$\{\d+\|?([^}|]*)[^}]*\}/g, '$1').replace(/\$\d/g, '').replace(/\\\$/g, '$') + '\n```',
      insertText: s.body, isSnippet: true, sortText: `1${s.prefix}` });
  }
  return items;
}

/** Inside a rule: the parts that may still follow what is already written, in pfctl's order. */
function ruleContinuation(before: string, range: Range, doc: PfDocument): CompletionItem[] {
  const words = before.replace(/"[^"]*"/g, ' ').split(/\s+/).filter(Boolean);
  const first = words[0];
  if (!first || !['pass', 'block', 'match', 'nat', 'rdr', 'binat', 'scrub', 'anchor'].includes(first)) return [];
  let furthest = -1;
  words.slice(1, -1).concat(range.start.character === range.end.character ? words.slice(-1) : []).forEach((w) => {
    const slot = RULE_ORDER.findIndex((group) => group.includes(w));
    if (slot > furthest) furthest = slot;
  });
  const out: CompletionItem[] = [];
  const startSlot = furthest === RULE_ORDER.length - 1 ? furthest : furthest + 1;
  RULE_ORDER.slice(startSlot).forEach((group, i) => {
    for (const w of group) {
      const d = lookupKeyword(w, { parent: first });
      out.push({ ...item(w, range, 'keyword', d, doc), sortText: `${String(i).padStart(2, '0')}${w}` });
    }
  });
  if (first === 'block' && furthest < 0) {
    for (const w of ['drop', 'return', 'return-rst', 'return-icmp', 'return-icmp6']) out.push(item(w, range, 'keyword', lookupKeyword(w), doc));
  }
  return out;
}
