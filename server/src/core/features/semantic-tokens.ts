// Semantic tokens: what each name in a pf.conf *means*, on top of the TextMate colours.
//
// Classification (type index into SEMANTIC_TOKEN_TYPES, modifiers as a bitmask):
//   macro        macro definition names (+declaration +definition), `$name` uses, `$name` statements
//   type         table names: in `table <x>` (+declaration +definition, +readonly with `const`),
//                elsewhere plain; the spamd tables spamd, spamd-white, nospamd add +defaultLibrary
//   namespace    anchor names (`anchor "x"`, `load anchor x`); +declaration when the anchor has a body
//   interface    the value of `on X`, `antispoof for X`, `altq on X`, `queue … on X`, `received-on X`,
//                `log (to X)`, `set skip on X`, `set loginterface X`, interface-like words inside a
//                dynamic address `(em0)`, and the interface part of `em0:network`
//   keyword      every anonymous keyword token (pass, in, on, from, nat-to, keep, state, table …), the
//                `action`/`keyword` alias nodes, flag/pool options, direction, address family,
//                table options, interface modifiers (`network` in `em0:network`) and the words inside
//                `( … )` option lists (`keep state (max 100, overload <t> flush global)`)
//   operator     `!`, `=`, `->`, `<>`, `><`, `!=`, `<`, `<=`, `>`, `>=`, `/`, `-` and the `:` of a
//                port range `1000:2000`; the `<` `>` around table names are brackets, not operators
//   string       quoted strings (a string over several lines gives one token per line)
//   number       words that are numbers (`25`, `10/8`'s parts, `100Mb`, `10%`, `10ms`, `0x1f`), the
//                halves of a port range `1000:2000`, the `0` of `em0:0`
//   property     `set` option names, and the sub-keys of option values (`states` in
//                `set limit { states 10000 }`, `tcp.first` in `set timeout { tcp.first 120 }`)
//   enumMember   the special address values `any`, `all` (as in `pass all`), `self`, `no-route`,
//                `urpf-failed`, and the named values of `set` options (`return`, `aggressive` …)
// Comments get no token (TextMate colours them); nor do plain words such as ports, protocols or
// IP addresses, nor queue names.
import type { PfDocument } from '../document';
import type { Position, Range } from '../types';

export const SEMANTIC_TOKEN_TYPES = ['macro', 'type', 'namespace', 'interface', 'keyword', 'operator', 'string', 'number', 'comment', 'property', 'enumMember'] as const;
export const SEMANTIC_TOKEN_MODIFIERS = ['declaration', 'definition', 'readonly', 'defaultLibrary'] as const;

export type SemanticTokenType = (typeof SEMANTIC_TOKEN_TYPES)[number];
export type SemanticTokenModifier = (typeof SEMANTIC_TOKEN_MODIFIERS)[number];

export interface SemanticToken {
  line: number;
  character: number;
  /** In UTF-16 code units; a token never spans lines. */
  length: number;
  /** Index into SEMANTIC_TOKEN_TYPES. */
  type: number;
  /** Bitmask over SEMANTIC_TOKEN_MODIFIERS. */
  modifiers: number;
}

const T = {
  macro: 0, type: 1, namespace: 2, interface: 3, keyword: 4, operator: 5,
  string: 6, number: 7, comment: 8, property: 9, enumMember: 10,
} as const satisfies Record<SemanticTokenType, number>;

const M = { declaration: 1, definition: 2, readonly: 4, defaultLibrary: 8 } as const satisfies Record<SemanticTokenModifier, number>;

/** Tables spamd(8) and spamd-setup(8) create and fill themselves. */
const SPAMD_TABLES = new Set(['spamd', 'spamd-white', 'nospamd']);
/** Host words with a fixed meaning. */
const SPECIAL_HOSTS = new Set(['self', 'no-route', 'urpf-failed']);
const OPERATORS = new Set(['!', '=', '->', '/', '-', '<>', '><', '!=', '<', '<=', '>', '>=']);
const KEYWORD_TOKEN = /^[a-z][a-z0-9-]*$/;
const NUMBER = /^(?:\d+(?:\.\d+)?(?:%|[KMGT]b?|b|ms|s)?|0x[0-9a-fA-F]+)$/;
const PORT_RANGE = /^(\d+):(\d+)$/;
const INTERFACE = /^[A-Za-z_][A-Za-z0-9_.]*$/;
/** `em0:network`, `egress:0` — an interface with an address modifier. */
const INTERFACE_WITH_MODIFIER = /^([A-Za-z_][A-Za-z0-9_.]*)(:(?:network|broadcast|peer|0))$/;
/** `:0` left over by `($ext_if:0)`, which the grammar reads as a macro then a word. */
const BARE_MODIFIER = /^:(?:network|broadcast|peer|0)$/;

/** Where a word sits, which decides what it means. Inherited by descendants unless overridden. */
const enum Ctx { None, Interface, DynAddr, Port, OptionList, OptionValue, NoAddress }

interface Emitter {
  tokens: SemanticToken[];
  range?: Range;
}

export function semanticTokens(doc: PfDocument, range?: Range): SemanticToken[] {
  const root = doc.tree?.rootNode;
  if (!root) return [];
  const text = doc.text;
  const out: Emitter = { tokens: [], range };

  // Per-depth state of the walk (the cursor only knows the current node).
  const ctxAt: Ctx[] = [Ctx.None];
  const typeAt: string[] = [root.type];
  const fieldAt: (string | null)[] = [null];
  /** Type and (for leaves) text of the previous sibling at each depth. */
  const prevTypeAt: string[] = [''];
  const prevTextAt: string[] = [''];
  let optionName = '';
  let pendingTableName = -1; // token index of the name in the table definition being read
  let pendingAnchorName = -1; // token index of the name in the anchor rule being read

  // Every cursor getter crosses into WebAssembly, so read as little as possible per node: the type
  // id (names and namedness cached per id), the two offsets (lines and columns come from a table of
  // line starts), and the field name only under the few parents whose fields matter.
  const kinds = nodeKinds(doc);
  const starts = lineStarts(text);
  let lineHint = 0;
  const lineOf = (index: number): number => {
    // Node starts come in document order, so the line only moves forward.
    while (lineHint + 1 < starts.length && starts[lineHint + 1] <= index) lineHint++;
    return lineHint;
  };
  const rangeStart = range ? offsetOf(starts, text, range.start) : 0;
  const rangeEnd = range ? offsetOf(starts, text, range.end) : text.length;

  const cursor = root.walk();
  let depth = 0;
  let descend = true;
  try {
    while (true) {
      if (descend) {
        const kind = kinds(cursor.nodeTypeId);
        const type = kind.type;
        const named = kind.named;
        // Offsets only where they are used: tokens, range checks, the few inner nodes read as text.
        const needOffsets = kind.emits || (range !== undefined && !kind.leaf);
        const startIndex = needOffsets ? cursor.startIndex : 0;
        const endIndex = needOffsets ? cursor.endIndex : 0;
        let skipChildren = kind.leaf;
        let leafText = '';

        if (range && needOffsets && (endIndex < rangeStart || startIndex > rangeEnd)) {
          skipChildren = true;
        } else if (depth > 0) {
          const parentType = typeAt[depth - 1];
          const field = FIELD_PARENTS.has(parentType) ? cursor.currentFieldName : null;
          const prevType = prevTypeAt[depth];
          const prevText = prevTextAt[depth];
          let ctx = ctxAt[depth - 1];
          if (field === 'interface' || (parentType === 'log_options' && prevType === 'to')
            || (parentType === 'value_option' && field === 'value' && prevText === 'received-on')) ctx = Ctx.Interface;
          else if (type === 'port_spec' || type === 'port_list' || type === 'port_range' || prevType === 'port') ctx = Ctx.Port;
          else if (type === 'option_list') ctx = Ctx.OptionList;
          else if (type === 'set_option') ctx = Ctx.NoAddress;
          else if (parentType === 'option' && field === 'value') ctx = Ctx.OptionValue;
          else if (type === 'dynamic_address' && ctx !== Ctx.OptionValue && ctx !== Ctx.NoAddress) ctx = Ctx.DynAddr;
          else if (type === 'source' || type === 'destination' || type === 'translation' || type === 'route') ctx = Ctx.None;
          ctxAt[depth] = ctx;
          typeAt[depth] = type;
          fieldAt[depth] = field;

          const line = needOffsets ? lineOf(startIndex) : 0;
          const col = needOffsets ? startIndex - starts[line] : 0;
          const len = endIndex - startIndex;

          if (!named) {
            if (OPERATORS.has(type)) {
              if (parentType !== 'table_reference') push(out, line, col, len, T.operator, 0);
            } else if (type === 'any') {
              push(out, line, col, len, T.enumMember, 0);
            } else if (KEYWORD_TOKEN.test(type)) {
              push(out, line, col, len, T.keyword, 0);
            }
            leafText = type;
          } else {
            switch (type) {
              case 'comment':
              case 'line_continuation':
                break;
              case 'string':
                if (field === 'name' && (parentType === 'anchor_rule' || parentType === 'load_anchor')) {
                  if (parentType === 'anchor_rule') pendingAnchorName = out.tokens.length;
                  pushSpan(out, text, startIndex, endIndex, line, col, T.namespace, 0);
                } else {
                  pushSpan(out, text, startIndex, endIndex, line, col, T.string, 0);
                }
                skipChildren = true;
                break;
              case 'macro_reference':
                push(out, line, col, len, T.macro, 0);
                break;
              case 'macro_name':
                push(out, line, col, len, T.macro, M.declaration | M.definition);
                break;
              case 'table_name': {
                leafText = text.slice(startIndex, endIndex);
                let mods = SPAMD_TABLES.has(leafText) ? M.defaultLibrary : 0;
                const isDefinition = depth >= 2 && typeAt[depth - 2] === 'table_definition' && fieldAt[depth - 1] === 'name';
                if (isDefinition) {
                  mods |= M.declaration | M.definition;
                  pendingTableName = out.tokens.length;
                }
                push(out, line, col, len, T.type, mods);
                break;
              }
              case 'table_definition':
                pendingTableName = -1;
                break;
              case 'table_option':
                if (parentType === 'table_definition' && text.slice(startIndex, endIndex) === 'const' && pendingTableName >= 0) {
                  const tok = out.tokens[pendingTableName];
                  if (tok?.type === T.type) tok.modifiers |= M.readonly;
                }
                break;
              case 'anchor_rule':
                pendingAnchorName = -1;
                break;
              case 'anchor_block':
                if (parentType === 'anchor_rule' && pendingAnchorName >= 0) {
                  const tok = out.tokens[pendingAnchorName];
                  if (tok?.type === T.namespace) tok.modifiers |= M.declaration;
                  pendingAnchorName = -1;
                }
                break;
              case 'option_name':
                optionName = leafText = text.slice(startIndex, endIndex);
                push(out, line, col, len, T.property, 0);
                break;
              case 'action':
                push(out, line, col, len, T.keyword, 0);
                leafText = text.slice(startIndex, endIndex);
                break;
              case 'keyword':
                leafText = text.slice(startIndex, endIndex);
                push(out, line, col, len, leafText === 'all' && parentType === 'flag_option' ? T.enumMember : T.keyword, 0);
                break;
              case 'any':
                push(out, line, col, len, T.enumMember, 0);
                break;
              case 'operator':
                push(out, line, col, len, T.operator, 0);
                skipChildren = true;
                break;
              case 'interface_modifier':
                leafText = text.slice(startIndex, endIndex);
                pushModifier(out, line, col + 1, leafText.slice(1));
                break;
              case 'word': {
                leafText = text.slice(startIndex, endIndex);
                if (field === 'name' && (parentType === 'anchor_rule' || parentType === 'load_anchor')) {
                  if (parentType === 'anchor_rule') pendingAnchorName = out.tokens.length;
                  push(out, line, col, len, T.namespace, 0);
                } else if (field === 'name' && parentType === 'queue_rule') {
                  // queue names: no token
                } else {
                  wordToken(out, leafText, line, col, ctx, optionName, () => cursor.currentNode.nextNamedSibling);
                }
                break;
              }
            }
          }
        }
        prevTypeAt[depth] = type;
        prevTextAt[depth] = leafText;
        if (!skipChildren && cursor.gotoFirstChild()) {
          depth++;
          prevTypeAt[depth] = '';
          prevTextAt[depth] = '';
          continue;
        }
      }
      if (cursor.gotoNextSibling()) {
        descend = true;
        continue;
      }
      if (!cursor.gotoParent()) break;
      depth--;
      descend = false;
    }
  } finally {
    cursor.delete();
  }

  // The walk emits in document order; make sure of it and drop any overlap.
  const tokens = out.tokens;
  let sorted = true;
  for (let i = 1; i < tokens.length && sorted; i++) sorted = compare(tokens[i - 1], tokens[i]) <= 0;
  if (!sorted) tokens.sort(compare);
  const result: SemanticToken[] = [];
  for (const tok of tokens) {
    const last = result[result.length - 1];
    if (last && last.line === tok.line && last.character + last.length > tok.character) continue;
    result.push(tok);
  }
  return result;
}

/** Parents whose children's field names decide a token. */
const FIELD_PARENTS = new Set([
  'interface_spec', 'altq_rule', 'queue_rule', 'antispoof_rule', 'option', 'value_option',
  'table_reference', 'table_definition', 'anchor_rule', 'load_anchor',
]);
/** Named node types that never have children (anonymous ones never do). */
const LEAVES = new Set([
  'word', 'string', 'macro_reference', 'macro_name', 'table_name', 'option_name', 'action', 'keyword',
  'any', 'comment', 'line_continuation', 'interface_modifier', 'operator',
]);

interface NodeKind {
  type: string;
  named: boolean;
  leaf: boolean;
  /** May give a token or be read as text (punctuation and most inner nodes do not). */
  emits: boolean;
}
/** Inner nodes whose text is read. */
const READ_INNER = new Set(['table_option']);
const kindCache = new WeakMap<object, Map<number, NodeKind>>();

/** Type name, namedness and leafness by type id, cached per language. */
function nodeKinds(doc: PfDocument): (id: number) => NodeKind {
  const language = doc.tree!.language;
  let cache = kindCache.get(language);
  if (!cache) kindCache.set(language, (cache = new Map()));
  const map = cache;
  return (id) => {
    let kind = map.get(id);
    if (!kind) {
      const type = language.types[id] || 'ERROR';
      const named = type === 'ERROR' || language.nodeTypeIsNamed(id);
      const leaf = !named || LEAVES.has(type);
      const emits = named ? leaf || READ_INNER.has(type) : OPERATORS.has(type) || KEYWORD_TOKEN.test(type);
      kind = { type, named, leaf, emits };
      map.set(id, kind);
    }
    return kind;
  };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function offsetOf(starts: number[], text: string, pos: Position): number {
  if (pos.line >= starts.length) return text.length;
  return Math.min(starts[pos.line] + pos.character, text.length);
}

function compare(a: SemanticToken, b: SemanticToken): number {
  return a.line - b.line || a.character - b.character;
}

function push(out: Emitter, line: number, character: number, length: number, type: number, modifiers: number): void {
  if (length <= 0) return;
  const r = out.range;
  if (r && !intersects(r, line, character, character + length)) return;
  out.tokens.push({ line, character, length, type, modifiers });
}

/** Does [start, end) on one line meet the range? An empty range meets the tokens it touches. */
function intersects(r: Range, line: number, start: number, end: number): boolean {
  const afterStart = line > r.start.line || (line === r.start.line && end > r.start.character);
  const beforeEnd = line < r.end.line || (line === r.end.line && start < r.end.character);
  if (afterStart && beforeEnd) return true;
  const empty = r.start.line === r.end.line && r.start.character === r.end.character;
  return empty && line === r.start.line && start <= r.start.character && r.start.character <= end;
}

/** A token that may cover several lines (a quoted string): one token per line. */
function pushSpan(out: Emitter, text: string, startIndex: number, endIndex: number, line: number, col: number, type: number, modifiers: number): void {
  let from = startIndex;
  let character = col;
  while (from < endIndex) {
    let nl = text.indexOf('\n', from);
    if (nl < 0 || nl > endIndex) nl = endIndex;
    let to = nl;
    if (to > from && text[to - 1] === '\r') to--;
    push(out, line, character, to - from, type, modifiers);
    from = nl + 1;
    line++;
    character = 0;
  }
}

function pushModifier(out: Emitter, line: number, character: number, modifier: string): void {
  push(out, line, character, modifier.length, NUMBER.test(modifier) ? T.number : T.keyword, 0);
}

function pushInterface(out: Emitter, text: string, line: number, col: number): boolean {
  const m = INTERFACE_WITH_MODIFIER.exec(text);
  if (m) {
    push(out, line, col, m[1].length, T.interface, 0);
    pushModifier(out, line, col + m[1].length + 1, m[2].slice(1));
    return true;
  }
  if (INTERFACE.test(text)) {
    push(out, line, col, text.length, T.interface, 0);
    return true;
  }
  return false;
}

function wordToken(
  out: Emitter, text: string, line: number, col: number, ctx: Ctx, optionName: string,
  nextSibling: () => { type: string; text: string } | null,
): void {
  if (ctx === Ctx.Port) {
    const m = PORT_RANGE.exec(text);
    if (m) {
      push(out, line, col, m[1].length, T.number, 0);
      push(out, line, col + m[1].length, 1, T.operator, 0);
      push(out, line, col + m[1].length + 1, m[2].length, T.number, 0);
      return;
    }
  }
  if (NUMBER.test(text)) {
    push(out, line, col, text.length, T.number, 0);
    return;
  }
  switch (ctx) {
    case Ctx.OptionValue:
      if (optionName === 'skip') {
        if (text === 'on') push(out, line, col, text.length, T.keyword, 0);
        else pushInterface(out, text, line, col);
      } else if (optionName === 'loginterface' && text !== 'none') {
        pushInterface(out, text, line, col);
      } else {
        const next = nextSibling();
        const isKey = next?.type === 'word' && NUMBER.test(next.text);
        push(out, line, col, text.length, isKey ? T.property : T.enumMember, 0);
      }
      return;
    case Ctx.NoAddress:
      return;
    case Ctx.Interface:
    case Ctx.DynAddr:
      if (pushInterface(out, text, line, col)) return;
      break;
    case Ctx.OptionList:
      push(out, line, col, text.length, T.keyword, 0);
      return;
  }
  if (SPECIAL_HOSTS.has(text)) {
    push(out, line, col, text.length, T.enumMember, 0);
  } else if (BARE_MODIFIER.test(text)) {
    pushModifier(out, line, col + 1, text.slice(1));
  } else if (INTERFACE_WITH_MODIFIER.test(text)) {
    pushInterface(out, text, line, col);
  }
}
