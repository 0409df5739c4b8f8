// Hover: what a macro expands to, where a table is declared, what a keyword means, which port a
// service name stands for. Markdown out; the LSP layer only wraps it.
import type { Node } from 'web-tree-sitter';
import { icmpTypeByName, icmpTypeMarkdown } from '../docs/icmp';
import { keywordMarkdown, lookupKeyword, type LookupContext } from '../docs/keywords';
import { serviceByName, servicesByPort } from '../docs/services';
import type { PfDocument } from '../document';
import { expandMacro } from '../macros';
import { knownTables, SPAMD_TABLES } from '../checks/known-tables';
import { nodeRange } from '../syntax';
import type { Position, Range } from '../types';
import type { Unit } from '../workspace';
import { macroDefinitionFor, symbolAt, tableDefinitionsFor } from './symbol-at';
import { spamdHover } from './spamd-hover';
import { commentOptionHover } from '../spamd/rcconf';
import { ruleExpansions } from '../expand';
import { unlessTooDeep } from '../expansion-guard';
import { MAX_EXPANSION_BYTES } from '../checks/pfctl-semantic';

export interface Hover {
  markdown: string;
  range: Range;
}

export interface HoverOptions {
  /** Offer `command:` links to the editor's pfctl commands (VS Code sets this). */
  commandLinks?: boolean;
}

export function hover(unit: Unit, doc: PfDocument, pos: Position, options: HoverOptions = {}): Hover | undefined {
  const s = symbolAt(unit, doc.path, pos);
  if (s?.kind === 'macro') return macroHover(unit, s);
  if (s?.kind === 'table') return tableHover(unit, s, options);
  if (s?.kind === 'anchor') {
    const loads = unit.index.files.filter((f) => f.kind === 'load-anchor' && f.anchor === s.name);
    const where = loads.length ? `\n\nRules loaded from ${loads.map((l) => `\`${l.target}\``).join(', ')}` : '';
    return { range: s.range, markdown: `**anchor** \`${s.name}\`${where}` };
  }
  if (s?.kind === 'file') {
    return { range: s.range, markdown: s.resolved ? `\`${s.resolved}\`` : `\`${s.target}\` (not found)` };
  }
  const node = doc.tree?.rootNode.descendantForPosition({ row: pos.line, column: pos.character });
  if (!node) return undefined;
  if (node.type === 'comment') return commentHover(node, pos);
  const word = wordHover(node, doc);
  if (node.parent?.type === 'action' || node.type === 'action') {
    const expansion = expansionMarkdown(unit, doc, node.startPosition.row);
    if (expansion) return { range: word?.range ?? nodeRange(node), markdown: [word?.markdown, expansion].filter(Boolean).join('\n\n---\n\n') };
  }
  return word;
}

/** How many expanded rules a hover lists before it only counts the rest. */
const EXPANSION_PREVIEW = 10;

/** What `pfctl -nv` makes of the rule on this line (OpenBSD dialect, main file only). */
function expansionMarkdown(unit: Unit, doc: PfDocument, line: number): string | undefined {
  if (doc.dialect !== 'openbsd' || doc.path !== unit.root || doc.text.length > MAX_EXPANSION_BYTES) return undefined;
  const byPath = new Map(unit.documents.map((d) => [d.path, d.text]));
  const found = unlessTooDeep(() => ruleExpansions({ path: doc.path, text: doc.text, readFile: (p) => byPath.get(p) }))
    ?.find((r) => r.line === line + 1);
  if (!found || !found.rules.length) return undefined;
  const shown = found.rules.slice(0, EXPANSION_PREVIEW);
  const more = found.rules.length - shown.length;
  return `pfctl expands this rule to **${found.rules.length}** rule${found.rules.length === 1 ? '' : 's'}:\n` +
    code(shown.join('\n')) + (more > 0 ? `\n…and ${more} more` : '');
}

/** `# spamd -G 25:4:864` in a pf.conf comment: explain the quoted daemon option. */
function commentHover(node: Node, pos: Position): Hover | undefined {
  if (pos.line !== node.startPosition.row) return undefined;
  const h = commentOptionHover(node.text, pos.character - node.startPosition.column);
  if (!h) return undefined;
  const col = node.startPosition.column;
  return {
    markdown: h.markdown,
    range: { start: { line: pos.line, character: col + h.range.start }, end: { line: pos.line, character: col + h.range.end } },
  };
}

function code(text: string): string {
  return '```pf\n' + text + '\n```';
}

function lineOf(unit: Unit, path: string, line: number): string {
  const doc = unit.documents.find((d) => d.path === path);
  return doc?.text.split('\n')[line]?.replace(/\r$/, '').trim() ?? '';
}

function location(unit: Unit, path: string, line: number): string {
  return path === unit.root ? `line ${line + 1}` : `${path}:${line + 1}`;
}

function macroHover(unit: Unit, s: Extract<ReturnType<typeof symbolAt>, { kind: 'macro' }>): Hover {
  const def = s && macroDefinitionFor(unit, s);
  if (!def) return { range: s.range, markdown: `macro \`$${s.name}\` is **not defined**` };
  const parts = [code(lineOf(unit, def.path, def.statementRange.start.line)), `Defined at ${location(unit, def.path, def.range.start.line)}.`];
  const expansion = expandMacro(unit.index, def);
  if (expansion.cycle) parts.push(`Cannot be expanded: ${expansion.cycle.join(' → ')} is a cycle.`);
  else if (expansion.value !== undefined) parts.push('Expands to:\n' + code(expansion.value));
  if (expansion.undefinedNames.length) parts.push(`Refers to undefined ${expansion.undefinedNames.map((n) => `\`$${n}\``).join(', ')}.`);
  return { range: s.range, markdown: parts.join('\n\n') };
}

function commandLink(title: string, command: string, arg: string): string {
  return `[${title}](command:${command}?${encodeURIComponent(JSON.stringify([arg]))})`;
}

function tableHover(unit: Unit, s: Extract<ReturnType<typeof symbolAt>, { kind: 'table' }>, options: HoverOptions): Hover {
  const defs = tableDefinitionsFor(unit, s);
  const parts: string[] = [];
  for (const d of defs) {
    parts.push(code(lineOf(unit, d.path, d.statementRange.start.line)));
    const facts = [`Declared at ${location(unit, d.path, d.range.start.line)}`];
    if (d.addressCount) facts.push(`${d.addressCount} inline address${d.addressCount === 1 ? '' : 'es'}`);
    if (d.files.length) facts.push(`addresses from ${d.files.map((f) => `\`${f.path}\``).join(', ')}`);
    parts.push(facts.join(' · '));
  }
  const spamd = SPAMD_TABLES.includes(s.name) ? spamdHover({ kind: 'table', name: s.name }) : undefined;
  if (!defs.length) {
    const known = knownTables(unit, {}).has(s.name);
    parts.push(known ? `table \`<${s.name}>\` is created and filled outside this ruleset` : `table \`<${s.name}>\` is **not declared**`);
  }
  if (spamd) parts.push(spamd);
  if (options.commandLinks) {
    parts.push([
      commandLink('Show contents', 'pf.pfctl.showTable', s.name),
      commandLink('Test an address', 'pf.pfctl.testTable', s.name),
      commandLink('Add addresses', 'pf.pfctl.addToTable', s.name),
    ].join(' · '));
  }
  return { range: s.range, markdown: parts.join('\n\n') };
}

/** The construct a keyword sits in, to pick between meanings (`queue` in altq vs rule option). */
function lookupContext(node: Node): LookupContext {
  for (let p = node.parent; p; p = p.parent) {
    switch (p.type) {
      case 'option': return { parent: 'set' };
      case 'log_options': return { parent: 'log' };
      case 'state_option': return { parent: 'keep' };
      case 'scheduler': return { parent: p.childForFieldName('name')?.type ?? 'queue' };
      case 'option_list': {
        const owner = p.parent;
        if (owner?.type === 'state_option') return { parent: 'keep' };
        if (owner?.type === 'scrub_options') return { parent: 'scrub' };
        if (owner?.type === 'scheduler') return { parent: owner.childForFieldName('name')?.type ?? 'queue' };
        continue;
      }
      case 'set_option': return { parent: 'set' };
      case 'queue_rule': return { parent: 'queue' };
      case 'altq_rule': return { parent: 'altq' };
      case 'table_definition': return { parent: 'table' };
      case 'scrub_rule': return { parent: 'scrub' };
      case 'filter_rule': return { parent: p.childForFieldName('action')?.text ?? 'pass' };
      case 'anchor_rule': return { parent: 'anchor' };
      case 'translation_rule': return { parent: p.childForFieldName('kind')?.type ?? 'nat' };
    }
  }
  return {};
}

function inPortPosition(node: Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'port_spec' || p.type === 'port_range' || p.type === 'port_list') return true;
    if (p.type === 'translation' || p.type === 'translation_rule' || p.type === 'divert') {
      // `rdr-to 127.0.0.1 port spamd`, `-> 127.0.0.1 port smtp`: the word right after `port`.
      return node.previousSibling?.type === 'port';
    }
    if (p.type.endsWith('_rule') || p.type === 'source' || p.type === 'destination') return false;
  }
  return false;
}

function wordHover(node: Node, doc: PfDocument): Hover | undefined {
  const range = nodeRange(node);
  const text = node.text;
  if (node.type === 'word' && inPortPosition(node)) {
    const spamd = spamdHover({ kind: 'port', name: text });
    const service = /^\d+$/.test(text) ? servicesByPort(Number(text))[0] : serviceByName(text);
    const parts: string[] = [];
    if (service) {
      const aliases = service.aliases?.length ? ` (also ${service.aliases.join(', ')})` : '';
      parts.push(/^\d+$/.test(text)
        ? `port **${text}** is \`${service.name}\`${aliases}`
        : `\`${text}\` is port **${service.port}** (${service.protocols.join('/')})${aliases}`);
    }
    if (spamd) parts.push(spamd);
    if (parts.length) return { range, markdown: parts.join('\n\n') };
  }
  if (node.type === 'word' && node.previousSibling && /^icmp6?-type$/.test(node.previousSibling.type)) {
    const t = icmpTypeByName(text, node.previousSibling.type === 'icmp6-type' ? 'icmp6' : 'icmp');
    if (t) return { range, markdown: icmpTypeMarkdown(t) };
  }
  const isKeywordNode = !node.isNamed || ['keyword', 'action', 'direction', 'address_family', 'table_option',
    'pool_option', 'any', 'option_name', 'word', 'flag_option'].includes(node.type);
  if (!isKeywordNode || !text || /\s/.test(text)) return undefined;
  const docEntry = lookupKeyword(text, lookupContext(node));
  if (!docEntry) return undefined;
  return { range, markdown: keywordMarkdown(docEntry, doc.dialect) };
}
