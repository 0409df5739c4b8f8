// A mutation fuzzer for the analysis core and the language server. It takes real rulesets (pfctl's
// regress corpus when it is there, the fixtures beside these tests, generated rulesets), breaks them
// the ways editors and people break files (flipped bytes, lost and doubled tokens, stray braces and
// quotes, random Unicode, CRLF/CR mixes, runaway lines and nesting, include cycles) and checks that
//   - no exception escapes the core (and no check fails into an `internal-error` diagnostic),
//   - every diagnostic lies inside the document,
//   - no analysis or feature request takes longer than the limit (2 s),
//   - through the live server: every request is answered, none with an internal error, and the
//     server is still alive at the end.
// Everything derives from one seed: case i of seed S is the same mutant on every machine with the
// same seed files, so a failure reproduces with `npm run fuzz -- --seed S --case i`.
//
// CLI (after `npm run build`): node test/out/robustness/fuzz.js [--minutes N] [--seed S]
//        [--case I] [--cases N] [--server-every K] [--limit-ms MS] [--save DIR] [--json]
// Failing mutants are saved (default: $TMPDIR/pf-fuzz-failures) so they can be opened in an editor.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Edit, type Parser } from 'web-tree-sitter';
import {
  Analyzer, createParser, editFor, parseDocument, type Diagnostic, type FileSystem, type PfDocument, type Position,
} from '../../../server/out/src/core';
import { completion } from '../../../server/out/src/core/features/completion';
import { documentLinks } from '../../../server/out/src/core/features/document-links';
import { documentSymbols } from '../../../server/out/src/core/features/document-symbols';
import { foldingRanges } from '../../../server/out/src/core/features/folding-ranges';
import { hover } from '../../../server/out/src/core/features/hover';
import { definition, documentHighlights, references } from '../../../server/out/src/core/features/navigation';
import { prepareRename, rename } from '../../../server/out/src/core/features/rename';
import { selectionRanges } from '../../../server/out/src/core/features/selection-ranges';
import { semanticTokens } from '../../../server/out/src/core/features/semantic-tokens';
import { workspaceSymbols } from '../../../server/out/src/core/features/workspace-symbols';
import { LspClient, uriOf } from '../lsp/client';

export const DEFAULT_SEED = 20240917;
/** PF_FUZZ_TRACE=1: print every step of every case on stderr (to find the step that crashes). */
const TRACE = !!process.env.PF_FUZZ_TRACE;
/** No single analysis or request may take longer than this. */
export const TIME_LIMIT_MS = 2000;

const ROOT = join(__dirname, '..', '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'robustness');
export const CORPUS_DIRS = [
  process.env.PF_CORPUS,
  join(ROOT, '..', 'shared', 'corpus', 'openbsd-regress'),
  '/work/shared/corpus/openbsd-regress',
].filter((d): d is string => !!d);

// ------------------------------------------------------------------------------ randomness

export interface Rng {
  next(): number;
  /** Inclusive on both ends. */
  int(lo: number, hi: number): number;
  pick<T>(list: readonly T[]): T;
  chance(p: number): boolean;
}

export function prng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
}

/** The generator of case `index` under `seed`: independent of every other case. */
export function caseRng(seed: number, index: number): Rng {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (index + 0x85ebca6b), 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return prng(h);
}

// -------------------------------------------------------------------------------- seed files

export interface SeedFile {
  name: string;
  text: string;
}

const BUILT_IN: SeedFile[] = [
  {
    name: 'builtin:greylisting',
    text: `# spamd greylisting
ext_if = "em0"
table <spamd-white> persist
table <nospamd> persist file "/etc/mail/nospamd"
pass in on $ext_if inet proto tcp from any to any port smtp divert-to 127.0.0.1 port spamd
pass in on $ext_if inet proto tcp from <nospamd> to any port smtp
pass in log on $ext_if inet proto tcp from <spamd-white> to any port smtp
anchor "spam" {
  pass in on $ext_if proto tcp to port 25
}
`,
  },
  {
    name: 'builtin:macros',
    text: `lan = "{ 10.0.0.0/8 172.16.0.0/12 }"
web = "{ 80 443 }"
both = "$lan 192.168.0.0/16"
a = "$b"
b = "$a"
pass in from $both to any port $web
pass in from $undefined_one to <nowhere>
include "inc.conf"
`,
  },
];

/** Seed files: the regress corpus (when present), the fixtures, and the built-in samples. */
export function loadSeeds(): SeedFile[] {
  const seeds: SeedFile[] = [];
  const corpus = CORPUS_DIRS.find((d) => existsSync(d));
  if (corpus) {
    for (const name of readdirSync(corpus).sort()) {
      if (!/\.in$|\.include$|\.one$|\.two$/.test(name)) continue;
      seeds.push({ name: `corpus:${name}`, text: readFileSync(join(corpus, name), 'latin1') });
    }
  }
  if (existsSync(FIXTURES)) {
    for (const name of readdirSync(FIXTURES).sort()) {
      if (!name.endsWith('.conf')) continue;
      seeds.push({ name: `fixture:${name}`, text: readFileSync(join(FIXTURES, name), 'utf8') });
    }
  }
  seeds.push(...BUILT_IN);
  return seeds;
}

// ---------------------------------------------------------------------------------- mutation

const SPECIALS = '{}()<>"\'\\$!#,=-/:;\n\r\t *@%&|~^`[]';
const KEYWORDS = ['pass', 'block', 'match', 'in', 'out', 'on', 'from', 'to', 'port', 'proto', 'table', 'anchor',
  'include', 'set', 'nat', 'rdr', '->', 'nat-to', 'rdr-to', 'keep state', 'flags S/SA', 'label', 'quick', 'any',
  'all', '<t>', '$m', 'scrub', 'queue', 'load anchor', 'file', 'persist', 'icmp-type', 'route-to', 'divert-to'];

function randomCodePoint(r: Rng): string {
  switch (r.int(0, 11)) {
    case 0: return String.fromCodePoint(r.int(0x80, 0x7ff)); // Latin, Greek, Cyrillic…
    case 1: return String.fromCodePoint(r.int(0x800, 0xd7ff)); // rest of the BMP before surrogates
    case 2: return String.fromCodePoint(r.int(0xe000, 0xfffd)); // private use, CJK compat, specials
    case 3: return String.fromCodePoint(r.int(0x1f300, 0x1faff)); // emoji (surrogate pairs)
    case 4: return String.fromCharCode(r.int(0xd800, 0xdfff)); // a lone surrogate
    case 5: return r.pick(['\u0301', '\u0308', '\u20dd', '\u034f']); // combining marks
    case 6: return r.pick(['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff']); // zero-width, BOM
    case 7: return r.pick(['\u2028', '\u2029', '\u0085', '\u000b', '\u000c']); // odd line breaks
    case 8: return r.pick(['\u202e', '\u202d', '\u2066', '\u2069']); // bidi controls
    case 9: return r.pick(['\u00a0', '\u3000', '\uff5b', '\uff5d', '\uff04']); // look-alikes: nbsp, fullwidth { } $
    case 10: return String.fromCodePoint(r.int(0x10000, 0x10ffff));
    default: return String.fromCharCode(r.int(1, 31)); // C0 controls (no NUL)
  }
}

function tokenSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) && spans.length < 200_000) spans.push([m.index, m.index + m[0].length]);
  return spans;
}

function insertAt(text: string, at: number, s: string): string {
  return text.slice(0, at) + s + text.slice(at);
}

type Mutator = (text: string, r: Rng) => string;

/** Each mutation, by name. They never throw and always return a string. */
export const MUTATORS: Record<string, Mutator> = {
  byteFlip(t, r) {
    if (!t.length) return t;
    let out = t;
    for (let k = r.int(1, 8); k > 0; k--) {
      const i = r.int(0, out.length - 1);
      const c = out.charCodeAt(i) ^ (1 << r.int(0, 7));
      out = out.slice(0, i) + String.fromCharCode(c === 0 ? 1 : c) + out.slice(i + 1);
    }
    return out;
  },
  special(t, r) {
    let out = t;
    for (let k = r.int(1, 6); k > 0; k--) {
      const i = r.int(0, out.length);
      const s = SPECIALS[r.int(0, SPECIALS.length - 1)];
      out = r.chance(0.5) && i < out.length ? out.slice(0, i) + s + out.slice(i + 1) : insertAt(out, i, s);
    }
    return out;
  },
  deleteToken(t, r) {
    const spans = tokenSpans(t);
    if (!spans.length) return t;
    const [a, b] = r.pick(spans);
    return t.slice(0, a) + t.slice(b);
  },
  duplicateToken(t, r) {
    const spans = tokenSpans(t);
    if (!spans.length) return t;
    const [a, b] = r.pick(spans);
    const copies = r.chance(0.2) ? r.int(50, 2000) : r.int(1, 5);
    return t.slice(0, b) + (' ' + t.slice(a, b)).repeat(copies) + t.slice(b);
  },
  swapTokens(t, r) {
    const spans = tokenSpans(t);
    if (spans.length < 2) return t;
    let [x, y] = [r.pick(spans), r.pick(spans)];
    if (x[0] > y[0]) [x, y] = [y, x];
    if (x[1] > y[0]) return t;
    return t.slice(0, x[0]) + t.slice(y[0], y[1]) + t.slice(x[1], y[0]) + t.slice(x[0], x[1]) + t.slice(y[1]);
  },
  keyword(t, r) {
    return insertAt(t, r.int(0, t.length), ` ${r.pick(KEYWORDS)} `);
  },
  deleteLine(t, r) {
    const lines = t.split('\n');
    lines.splice(r.int(0, lines.length - 1), r.int(1, 3));
    return lines.join('\n');
  },
  duplicateLine(t, r) {
    const lines = t.split('\n');
    const i = r.int(0, lines.length - 1);
    const copies = r.chance(0.1) ? r.int(100, 3000) : r.int(1, 10);
    lines.splice(i, 0, ...Array<string>(copies).fill(lines[i]));
    return lines.join('\n');
  },
  braces(t, r) {
    const s = r.pick(['{', '}', '(', ')', '<', '>', '{ {', '} }', '{\n', '\n}']);
    const n = r.chance(0.1) ? r.int(100, 5000) : r.int(1, 8);
    return insertAt(t, r.int(0, t.length), s.repeat(n));
  },
  quote(t, r) {
    let out = t;
    for (let k = r.int(1, 3); k > 0; k--) out = insertAt(out, r.int(0, out.length), r.pick(['"', "'", '"\\', '\\"']));
    return out;
  },
  unicode(t, r) {
    let out = t;
    for (let k = r.int(1, 12); k > 0; k--) out = insertAt(out, r.int(0, out.length), randomCodePoint(r));
    return out;
  },
  lineEndings(t, r) {
    switch (r.int(0, 4)) {
      case 0: return t.replace(/\r?\n/g, '\r\n');
      case 1: return t.replace(/\r?\n/g, '\r');
      case 2: return t.replace(/\n/g, () => r.pick(['\n', '\r\n', '\r', '\n\r', '\r\r\n']));
      case 3: return t.replace(/\r/g, '');
      default: {
        let out = t;
        for (let k = r.int(1, 10); k > 0; k--) out = insertAt(out, r.int(0, out.length), '\r');
        return out;
      }
    }
  },
  continuation(t, r) {
    let out = t;
    for (let k = r.int(1, 5); k > 0; k--) {
      const nl = out.indexOf('\n', r.int(0, out.length));
      out = nl < 0 ? out + '\\' : out.slice(0, nl) + r.pick([' \\', '\\', '\\ ', '\\\r']) + out.slice(nl);
    }
    return out;
  },
  truncate(t, r) {
    return t.slice(0, r.int(0, t.length));
  },
  macros(t, r) {
    const name = r.pick(['a', 'b', 'ext_if', 'x' + r.int(0, 99), 'M'.repeat(r.int(1, 300))]);
    return insertAt(t, r.pick([0, r.int(0, t.length), t.length]), r.pick([
      `\n${name} = "$${name}"\n`, `\n${name} = "{ $${name} $${name} }"\n`, ` $${name} `, `$${name}:network`,
      `\n${name} = "${'$b '.repeat(r.int(1, 50))}"\nb = "$${name}"\n`, `$`, `$$$`, `\n${name} =\n`,
    ]));
  },
  include(t, r) {
    return insertAt(t, r.pick([0, t.length, r.int(0, t.length)]), `\ninclude ${r.pick([
      '"inc.conf"', '"pf.conf"', '"/fuzz/pf.conf"', '"dir"', '"/nonexistent/x.conf"', '""', '"inc.conf" "inc.conf"',
      '$inc', '"../fuzz/inc.conf"', "'inc.conf'",
    ])}\n`);
  },
  longLine(t, r) {
    const unit = r.pick(['x', '1.2.3.4 ', '{ ', '$a', '"', 'pass ', '# ', '\\ ']);
    return insertAt(t, r.int(0, t.length), unit.repeat(r.int(1000, 30000)));
  },
  nesting(t, r) {
    const depth = r.chance(0.2) ? r.int(500, 3000) : r.int(2, 50);
    const open = r.pick(['anchor a {\n', 'anchor {', '{ ', '( ', 'table <t> { ']);
    const close = r.pick(['}\n', '}', '', ')']);
    return insertAt(t, r.int(0, t.length), open.repeat(depth) + 'pass\n' + close.repeat(r.int(0, depth)));
  },
  splice(t, r) {
    // a chunk of the text itself, moved somewhere else (like a bad paste)
    const a = r.int(0, t.length);
    const b = Math.min(t.length, a + r.int(1, 400));
    return insertAt(t, r.int(0, t.length), t.slice(a, b));
  },
};

const MUTATOR_NAMES = Object.keys(MUTATORS);

export interface Mutant {
  seed: number;
  index: number;
  source: string;
  ops: string[];
  text: string;
  /** Text of "inc.conf" beside it (another mutant, so includes see broken files too). */
  include: string;
}

export function mutate(text: string, r: Rng, count = r.int(1, 6)): { text: string; ops: string[] } {
  const ops: string[] = [];
  let out = text;
  for (let i = 0; i < count; i++) {
    const name = r.pick(MUTATOR_NAMES);
    ops.push(name);
    out = MUTATORS[name](out, r);
    if (out.length > 4_000_000) out = out.slice(0, 4_000_000); // keep a case within a few MB
  }
  return { text: out, ops };
}

export function makeMutant(seeds: SeedFile[], seed: number, index: number): Mutant {
  const r = caseRng(seed, index);
  const source = r.pick(seeds);
  const { text, ops } = mutate(source.text, r);
  const inc = r.chance(0.3) ? mutate(r.pick(seeds).text, r, 2).text : 'inc_macro = "1"\npass from any to any\n';
  return { seed, index, source: source.name, ops, text, include: inc };
}

// ------------------------------------------------------------------------------ core harness

export interface Failure {
  seed: number;
  index: number;
  source: string;
  ops: string[];
  where: string;
  message: string;
}

export interface CaseReport {
  failures: Failure[];
  /** The slowest step of the case and its time. */
  slowest: { step: string; ms: number };
  diagnostics: number;
}

/** The document's lines as an editor (and LSP) counts them: \n, \r\n and a lone \r all end a line. */
export function lspLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Positions spread over a text (plus its start and end): where features are asked. */
export function probePositions(text: string, r: Rng, count = 4): Position[] {
  const lines = lspLines(text);
  const out: Position[] = [{ line: 0, character: 0 }];
  for (let i = 0; i < count; i++) {
    const line = r.int(0, lines.length - 1);
    out.push({ line, character: r.int(0, lines[line].length) });
  }
  out.push({ line: lines.length - 1, character: lines[lines.length - 1].length });
  return out;
}

/** Every diagnostic must lie inside the document, in the editor's lines (a squiggle it can place). */
function checkRanges(text: string, diagnostics: Diagnostic[]): string | undefined {
  const lines = lspLines(text);
  for (const d of diagnostics) {
    const { start, end } = d.range;
    const bad = start.line < 0 || start.character < 0 || end.line >= lines.length ||
      start.line > end.line || (start.line === end.line && start.character > end.character) ||
      end.character > lines[end.line].length + 1;
    if (bad) return `diagnostic ${d.code} has a range outside the document: ${JSON.stringify(d.range)} (${lines.length} lines)`;
  }
  return undefined;
}

export class CoreHarness {
  private constructor(readonly parser: Parser) {}

  static async create(): Promise<CoreHarness> {
    return new CoreHarness(await createParser());
  }

  /** Analyses a mutant as pfcheck and the editor would, then asks every feature about it. */
  run(m: Mutant, limitMs = TIME_LIMIT_MS): CaseReport {
    const failures: Failure[] = [];
    const fail = (where: string, err: unknown) => failures.push({
      seed: m.seed, index: m.index, source: m.source, ops: m.ops, where,
      message: err instanceof Error ? (err.stack ?? err.message) : String(err),
    });
    let slowest = { step: '', ms: 0 };
    const timed = <T>(step: string, f: () => T): T | undefined => {
      const t0 = performance.now();
      if (TRACE) process.stderr.write(`  ${step}\n`);
      try {
        return f();
      } catch (err) {
        fail(step, err);
        return undefined;
      } finally {
        const ms = performance.now() - t0;
        if (ms > slowest.ms) slowest = { step, ms };
        if (ms > limitMs) fail(step, `took ${ms.toFixed(0)} ms (limit ${limitMs} ms)`);
        // With PF_FUZZ_TRACE and --expose-gc, finalizers run after every step, so memory
        // corruption in the wasm heap shows up right after the step that caused it.
        if (TRACE) (globalThis as { gc?: () => void }).gc?.();
      }
    };

    const path = '/fuzz/pf.conf';
    const files: Record<string, string> = { '/fuzz/pf.conf': m.text, '/fuzz/inc.conf': m.include };
    const fs: FileSystem = {
      readFile: (p) => (p in files ? { text: files[p] } : p === '/fuzz/dir' ? { error: 'is a directory' } : { error: 'No such file or directory' }),
    };
    const analyzer = new Analyzer(this.parser, fs, { externalTables: ['ext'] });
    const trees: PfDocument[] = [];
    let diagnostics: Diagnostic[] = [];
    try {
      diagnostics = timed('analysis', () => analyzer.diagnostics(path)) ?? [];
      for (const d of diagnostics) if (d.code === 'internal-error') fail('analysis', d.message);
      const rangeProblem = checkRanges(m.text, diagnostics);
      if (rangeProblem) fail('analysis', rangeProblem);
      const unit = timed('unit', () => analyzer.unitFor(path));
      if (!unit) return { failures, slowest, diagnostics: diagnostics.length };
      trees.push(...unit.documents);
      const doc = unit.documents.find((d) => d.path === path);
      if (!doc) {
        fail('unit', 'the root document is missing from its own unit');
        return { failures, slowest, diagnostics: diagnostics.length };
      }
      const r = caseRng(m.seed ^ 0x5bd1e995, m.index);
      const positions = probePositions(m.text, r);
      for (const pos of positions) {
        timed('hover', () => hover(unit, doc, pos, { commandLinks: true }));
        timed('definition', () => definition(unit, path, pos));
        timed('references', () => references(unit, path, pos, true));
        timed('documentHighlights', () => documentHighlights(unit, path, pos));
        const prep = timed('prepareRename', () => prepareRename(unit, path, pos));
        if (prep && !('error' in prep)) timed('rename', () => rename(unit, path, pos, 'renamed_x'));
        timed('completion', () => completion(unit, doc, pos));
      }
      timed('documentSymbols', () => documentSymbols(doc));
      timed('foldingRanges', () => foldingRanges(doc));
      timed('selectionRanges', () => selectionRanges(doc, positions));
      timed('semanticTokens', () => semanticTokens(doc));
      timed('semanticTokensRange', () => semanticTokens(doc, { start: positions[1], end: positions[positions.length - 1] }));
      timed('documentLinks', () => documentLinks(unit, path));
      timed('workspaceSymbols', () => workspaceSymbols([unit], r.pick(['', 'a', 'web', 'x'])));

      // Edits as an editor sends them: the previous tree is edited and re-parsed incrementally,
      // then the unit is analysed again (the server's path on every keystroke).
      let text = m.text;
      let current: PfDocument | undefined = doc.tree ? doc : undefined;
      for (let k = 0; k < 3 && current?.tree; k++) {
        const [range, newText] = randomEdit(text, r);
        if (TRACE) process.stderr.write(`  edit ${JSON.stringify(range)} ${JSON.stringify(newText)}\n`);
        const next = timed('incremental parse', () => {
          const { edit, text: after } = editFor(text, range, newText);
          const old = current!.tree!.copy();
          old.edit(new Edit(edit));
          const parsed = parseDocument(this.parser, path, after, 'auto', old);
          old.delete();
          return parsed;
        });
        if (!next) break;
        trees.push(next);
        text = next.text;
        current = next;
        analyzer.workspace.setDocument(next);
        analyzer.invalidate();
        const after = timed('analysis after edit', () => analyzer.diagnostics(path)) ?? [];
        for (const d of after) if (d.code === 'internal-error') fail('analysis after edit', d.message);
        const p = checkRanges(text, after);
        if (p) fail('analysis after edit', p);
        const u = analyzer.unitFor(path);
        for (const d of u.documents) if (!trees.includes(d)) trees.push(d);
      }
    } catch (err) {
      fail('harness', err);
    } finally {
      // Trees live in wasm memory: free them or a long run grows the heap without bound.
      const freed = new Set<unknown>();
      for (const d of trees) {
        if (d.tree && !freed.has(d.tree)) {
          freed.add(d.tree);
          try {
            d.tree.delete();
          } catch {
            // already freed
          }
        }
      }
      for (const d of analyzer.workspace.openDocuments()) if (d.tree && !freed.has(d.tree)) d.tree.delete();
    }
    return { failures, slowest, diagnostics: diagnostics.length };
  }
}

/** A random edit of the text: a range (LSP positions) and its replacement. */
export function randomEdit(text: string, r: Rng): [{ start: Position; end: Position }, string] {
  const lines = lspLines(text);
  const pos = (): Position => {
    const line = r.int(0, lines.length - 1);
    return { line, character: r.int(0, lines[line].length) };
  };
  let a = pos();
  let b = r.chance(0.5) ? a : pos();
  if (a.line > b.line || (a.line === b.line && a.character > b.character)) [a, b] = [b, a];
  const replacement = r.pick(['', 'x', '{', '}', '"', '\n', '\r\n', ' pass in ', '$a', '<t>', '\\\n', randomCodePoint(r), 'table <n> { 1.2.3.4 }\n']);
  return [{ start: a, end: b }, replacement];
}

// ----------------------------------------------------------------------------- server harness

interface LspResponseError {
  code?: number;
  message?: string;
}

/** -32603: what the server's guard answers when a feature threw. */
const INTERNAL_ERROR = -32603;

export class ServerHarness {
  private constructor(readonly client: LspClient, readonly dir: string) {}

  static async create(): Promise<ServerHarness> {
    const dir = mkdtempSync(join(tmpdir(), 'pf-fuzz-'));
    mkdirSync(join(dir, 'dir'));
    writeFileSync(join(dir, 'inc.conf'), 'inc_macro = "1"\npass from any to any\n');
    return new ServerHarness(await LspClient.start({ root: dir }), dir);
  }

  alive(): boolean {
    return this.client.process.exitCode === null && this.client.process.signalCode === null;
  }

  /** Opens the mutant, asks for diagnostics and every feature, edits it, closes it. */
  async run(m: Mutant, limitMs = TIME_LIMIT_MS): Promise<CaseReport> {
    const failures: Failure[] = [];
    const fail = (where: string, message: string) => failures.push({ seed: m.seed, index: m.index, source: m.source, ops: m.ops, where, message });
    let slowest = { step: '', ms: 0 };
    const c = this.client;
    // Every request must answer: in time, and not with an internal error (a feature that threw).
    const ask = async (method: string, params: unknown, budget = limitMs): Promise<unknown> => {
      const t0 = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          c.request(method, params),
          new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${budget} ms`)), budget); }),
        ]);
      } catch (err) {
        const e = err as LspResponseError & Error;
        if (e.code === undefined || e.code === INTERNAL_ERROR) fail(method, e.message ?? String(err));
        return undefined;
      } finally {
        clearTimeout(timer);
        const ms = performance.now() - t0;
        if (ms > slowest.ms) slowest = { step: method, ms };
      }
    };

    const path = join(this.dir, `case-${m.seed}-${m.index}.conf`);
    writeFileSync(path, m.text);
    const uri = c.open(path, m.text);
    let count = 0;
    try {
      // The first analysis may include the parse of a multi-megabyte mutant: allow a little more
      // than the limit for the round trip, and report the case when it is really slow.
      const t0 = performance.now();
      const diags = await c.diagnostics(uri, limitMs * 3).catch((err: Error) => {
        fail('publishDiagnostics', err.message);
        return [];
      });
      const ms = performance.now() - t0;
      if (ms > slowest.ms) slowest = { step: 'publishDiagnostics', ms };
      if (ms > limitMs) fail('publishDiagnostics', `took ${ms.toFixed(0)} ms (limit ${limitMs} ms)`);
      count = diags.length;
      if (diags.some((d) => d.code === 'internal-error')) fail('publishDiagnostics', 'internal-error diagnostic');
      const r = caseRng(m.seed ^ 0x27d4eb2f, m.index);
      const positions = probePositions(m.text, r, 2);
      const td = { uri };
      for (const position of positions) {
        await ask('textDocument/hover', { textDocument: td, position });
        await ask('textDocument/definition', { textDocument: td, position });
        await ask('textDocument/references', { textDocument: td, position, context: { includeDeclaration: true } });
        await ask('textDocument/documentHighlight', { textDocument: td, position });
        await ask('textDocument/prepareRename', { textDocument: td, position });
        await ask('textDocument/completion', { textDocument: td, position });
      }
      await ask('textDocument/documentSymbol', { textDocument: td });
      await ask('textDocument/foldingRange', { textDocument: td });
      await ask('textDocument/selectionRange', { textDocument: td, positions });
      await ask('textDocument/semanticTokens/full', { textDocument: td });
      await ask('textDocument/documentLink', { textDocument: td });
      await ask('textDocument/codeAction', { textDocument: td, range: { start: positions[0], end: positions[positions.length - 1] }, context: { diagnostics: [] } });
      await ask('workspace/symbol', { query: 'a' });
      // Typing: incremental edits, then the diagnostics of the last version must come.
      let text = m.text;
      for (let k = 0; k < 3; k++) {
        const [range, newText] = randomEdit(text, r);
        c.change(uri, [{ range, text: newText }]);
        text = applyLspEdit(text, range, newText);
      }
      await c.diagnostics(uri, limitMs * 3).catch((err: Error) => fail('publishDiagnostics after edits', err.message));
      await ask('textDocument/hover', { textDocument: td, position: positions[1] });
    } finally {
      c.close(uri);
      rmSync(path, { force: true });
    }
    if (!this.alive()) fail('server', `the server died (exit ${c.process.exitCode}, signal ${c.process.signalCode})`);
    const crashes = c.logs.filter((l) => /uncaught|unhandled rejection|failed:/i.test(l));
    if (crashes.length) fail('server log', crashes.join('\n').slice(0, 4000));
    c.logs.length = 0;
    return { failures, slowest, diagnostics: count };
  }

  async stop(): Promise<void> {
    await this.client.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Applies an LSP edit the way an editor does (\n, \r\n and \r all end a line). */
export function applyLspEdit(text: string, range: { start: Position; end: Position }, newText: string): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\r' && text[i + 1] === '\n') i++;
    if (ch === '\r' || ch === '\n') starts.push(i + 1);
  }
  const offset = (p: Position) => {
    if (p.line >= starts.length) return text.length;
    const lineStart = starts[p.line];
    let lineEnd = p.line + 1 < starts.length ? starts[p.line + 1] : text.length;
    while (lineEnd > lineStart && (text[lineEnd - 1] === '\n' || text[lineEnd - 1] === '\r')) lineEnd--;
    return Math.min(lineStart + p.character, lineEnd);
  };
  return text.slice(0, offset(range.start)) + newText + text.slice(offset(range.end));
}

// --------------------------------------------------------------------------------- runner

export interface RunOptions {
  seed?: number;
  /** Cases through the core (from index `first`). */
  count?: number;
  first?: number;
  /** Stop starting new cases after this long. */
  deadlineMs?: number;
  /** Every K-th case also goes through the live server (0: never). */
  serverEvery?: number;
  limitMs?: number;
  onStart?: (m: Mutant) => void;
  onCase?: (m: Mutant, core: CaseReport, server?: CaseReport) => void;
}

export interface RunSummary {
  seed: number;
  cases: number;
  serverCases: number;
  failures: Failure[];
  slowest: { index: number; step: string; ms: number };
  ops: Record<string, number>;
  durationMs: number;
}

export async function runFuzz(opts: RunOptions = {}): Promise<RunSummary> {
  const seed = opts.seed ?? DEFAULT_SEED;
  const first = opts.first ?? 0;
  const count = opts.count ?? Infinity;
  const deadline = Date.now() + (opts.deadlineMs ?? Infinity);
  const serverEvery = opts.serverEvery ?? 0;
  const seeds = loadSeeds();
  const core = await CoreHarness.create();
  let server = serverEvery ? await ServerHarness.create() : undefined;
  const summary: RunSummary = { seed, cases: 0, serverCases: 0, failures: [], slowest: { index: -1, step: '', ms: 0 }, ops: {}, durationMs: 0 };
  const started = performance.now();
  try {
    for (let i = first; i < first + count && Date.now() < deadline; i++) {
      const m = makeMutant(seeds, seed, i);
      for (const op of m.ops) summary.ops[op] = (summary.ops[op] ?? 0) + 1;
      opts.onStart?.(m);
      const report = core.run(m, opts.limitMs);
      summary.cases++;
      summary.failures.push(...report.failures);
      if (report.slowest.ms > summary.slowest.ms) summary.slowest = { index: i, ...report.slowest };
      let serverReport: CaseReport | undefined;
      if (server && i % serverEvery === 0) {
        serverReport = await server.run(m, opts.limitMs);
        summary.serverCases++;
        summary.failures.push(...serverReport.failures);
        if (!server.alive()) {
          // Keep fuzzing with a fresh server; the death is already a failure of this case.
          await server.stop().catch(() => undefined);
          server = await ServerHarness.create();
        }
      }
      opts.onCase?.(m, report, serverReport);
    }
  } finally {
    await server?.stop();
  }
  summary.durationMs = performance.now() - started;
  return summary;
}

export function describeFailure(f: Failure): string {
  return `case ${f.index} (seed ${f.seed}, from ${f.source}, mutations ${f.ops.join(' → ')}) ${f.where}: ${f.message}\n` +
    `  reproduce: npm run fuzz -- --seed ${f.seed} --case ${f.index}`;
}

// ------------------------------------------------------------------------------------ CLI

async function cli(argv: string[]): Promise<number> {
  const opt = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  if (argv.includes('--help')) {
    process.stdout.write('usage: npm run fuzz -- [--minutes N] [--seed S] [--case I] [--cases N] [--server-every K] [--limit-ms MS] [--save DIR] [--json]\n');
    return 0;
  }
  const seed = Number(opt('seed') ?? Math.floor(Math.random() * 2 ** 31));
  const one = opt('case');
  const cases = opt('cases');
  const minutes = Number(opt('minutes') ?? (cases ? 60 : 1));
  const serverEvery = Number(opt('server-every') ?? 10);
  const limitMs = Number(opt('limit-ms') ?? TIME_LIMIT_MS);
  const save = opt('save') ?? join(tmpdir(), 'pf-fuzz-failures');
  // --json: for the test suite, which runs the fuzzer in a child process it can kill if a case hangs.
  const json = argv.includes('--json');
  const say = (s: string) => (json ? process.stderr : process.stdout).write(s);
  const seeds = loadSeeds();
  mkdirSync(save, { recursive: true });
  const lastCase = join(save, 'last-started-case.txt');
  say(`fuzz: seed ${seed}, ${seeds.length} seed files, ${one !== undefined ? `case ${one}` : cases ? `${cases} cases (at most ${minutes} min)` : `${minutes} minute(s)`}, ` +
    `every ${serverEvery}th case through the server, limit ${limitMs} ms (if the process dies, see ${lastCase})\n`);
  let last = Date.now();
  const summary = await runFuzz({
    seed, limitMs, serverEvery: one !== undefined ? 1 : serverEvery,
    first: one !== undefined ? Number(one) : 0, count: one !== undefined ? 1 : cases ? Number(cases) : Infinity,
    deadlineMs: one !== undefined ? undefined : minutes * 60_000,
    onStart: (m) => {
      // A case that kills the process (V8 out of memory, stack overflow in native code) leaves this behind.
      const line = `start case ${m.index} (seed ${m.seed}, ${m.source}: ${m.ops.join(' → ')})\n`;
      writeFileSync(lastCase, line);
      if (json) process.stderr.write(line);
    },
    onCase: (m, core, server) => {
      const fails = [...core.failures, ...(server?.failures ?? [])];
      if (fails.length) {
        mkdirSync(save, { recursive: true });
        const file = join(save, `seed${m.seed}-case${m.index}.conf`);
        writeFileSync(file, m.text);
        for (const f of fails) say(`FAIL ${describeFailure(f)}\n  mutant saved as ${file}\n`);
      }
      if (Date.now() - last > 10_000) {
        last = Date.now();
        say(`  … ${m.index + 1} cases\n`);
      }
    },
  });
  say(`fuzz: ${summary.cases} cases (${summary.serverCases} through the server) in ${(summary.durationMs / 1000).toFixed(1)} s, ` +
    `${summary.failures.length} failure(s); slowest step: case ${summary.slowest.index} ${summary.slowest.step} ${summary.slowest.ms.toFixed(0)} ms\n`);
  if (json) process.stdout.write(JSON.stringify(summary) + '\n');
  rmSync(lastCase, { force: true });
  return summary.failures.length ? 1 : 0;
}

if (require.main === module && !process.env.NODE_TEST_CONTEXT) {
  cli(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
    process.stderr.write(`fuzz: ${(err as Error).stack ?? err}\n`);
    process.exit(2);
  });
}
