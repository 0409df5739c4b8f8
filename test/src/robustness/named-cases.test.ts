// Named hostile inputs, through the analysis core and through the live server: a binary file, a
// 50 MB file, 10,000 nested braces, include cycles, includes of a directory, of an unreadable file
// and of device files, non-UTF-8 text, a 100,000-character line, stray carriage returns, and a
// feature request that throws. Each must give a sensible diagnostic (or none), quickly, and never
// take the server down.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver-protocol';
import { Edit, type Parser } from 'web-tree-sitter';
import {
  Analyzer, MAX_ANALYSIS_BYTES, createParser, editFor, nodeFileSystem, parseDocument, type Diagnostic,
} from '../../../server/out/src/core';
import { LspClient, uriOf } from '../lsp/client';
import { TIME_LIMIT_MS } from './fuzz';

const CORE = join(__dirname, '..', '..', '..', 'server', 'out', 'src', 'core');
const PFCHECK = join(__dirname, '..', '..', '..', 'server', 'out', 'src', 'bin', 'pfcheck.js');

// ---------------------------------------------------------------------------- the inputs

const RULE = 'pass in on em0 inet proto tcp from 192.0.2.0/24 to 198.51.100.7 port { 22 443 } keep state\n';

/** 50 MB of perfectly ordinary rules. */
function fiftyMegabytes(): string {
  return RULE.repeat(Math.ceil((50 * 1024 * 1024) / RULE.length));
}

const NESTED_ANCHORS = 'anchor a {\n'.repeat(10_000) + 'pass\n' + '}\n'.repeat(10_000);
const NESTED_LIST = 'pass from ' + '{ '.repeat(10_000) + '10.0.0.1' + ' }'.repeat(10_000) + ' to any\n';
/** A macro whose value names another macro 20 times, which names the first: 20^depth if expanded naively. */
const MACRO_BOMB = 'ext_if = "em0"\next_if = "' + '$b '.repeat(20).trim() + '"\nb = "$ext_if"\npass in on $ext_if\n';
const UNCLOSED = 'pass from ' + '{'.repeat(10_000) + '\n' + 'anchor "x" {'.repeat(10_000) + '\npass in all\n';
const BINARY = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0, 1, 0, 0, 0, 0x70, 0x61, 0x73, 0x73, 0x0a]);
/** Latin-1 bytes (é = 0xE9, ü = 0xFC) in comments, a label and a macro value: not valid UTF-8. */
const LATIN1 = Buffer.from('# Firewall für das Büro\nbuero = "10.0.0.0/8" # Büro\npass in from $buero label "café"\npass in from <undeclared> label "résumé"\n', 'latin1');

function hundredThousandCharLines(): Record<string, string> {
  const addresses = Array.from({ length: 8000 }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.1`).join(' ');
  const list = `pass in from { ${addresses} } to any\n`.slice(0, 100_000);
  return {
    'a list of addresses': `pass in from { ${addresses.slice(0, 99_000)} } to any port 22\n`,
    'a comment': '#' + 'x'.repeat(100_000) + '\npass in all\n',
    'a macro value': `big = "${'a'.repeat(100_000)}"\npass in from $big\n`,
    'a label': `pass in all label "${'y'.repeat(100_000)}"\n`,
    'one word': 'z'.repeat(100_000) + '\n',
    'an unterminated string': 'pass in all label "' + 'q'.repeat(100_000) + '\npass out all\n',
    'a cut-off list': list.endsWith('\n') ? list : list + '\n',
  };
}

// -------------------------------------------------------------------------------- helpers

let dir: string;
let parser: Parser;

function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, content);
  return p;
}

/** Analyses a file on disk as pfcheck does; fails on internal errors and slow analyses. */
function analyze(path: string, limitMs = TIME_LIMIT_MS): { diagnostics: Diagnostic[]; ms: number } {
  const analyzer = new Analyzer(parser, nodeFileSystem, {});
  const t0 = performance.now();
  let diagnostics: Diagnostic[];
  try {
    diagnostics = analyzer.diagnostics(path);
  } finally {
    const ms = performance.now() - t0;
    try {
      for (const d of analyzer.unitFor(path).documents) d.tree?.delete();
    } catch {
      // the unit itself failed: the assertion below reports it
    }
    assert.ok(ms <= limitMs, `analysis of ${path} took ${ms.toFixed(0)} ms (limit ${limitMs} ms)`);
  }
  const internal = diagnostics.filter((d) => d.code === 'internal-error');
  assert.deepEqual(internal.map((d) => d.message), [], 'no check may fail');
  return { diagnostics, ms: performance.now() - t0 };
}

const codes = (ds: { code?: string | number }[]) => ds.map((d) => String(d.code));
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs the core on `path` in a child process, so a hang or a runaway read cannot take the tests down. */
function analyzeInChild(path: string, timeoutMs = 10_000): { status: number | null; signal: string | null; out: string; ms: number } {
  const script = `
    const core = require(${JSON.stringify(CORE)});
    core.createParser().then((p) => {
      const a = new core.Analyzer(p, core.nodeFileSystem, {});
      const d = a.diagnostics(${JSON.stringify(path)});
      process.stdout.write(JSON.stringify(d.map((x) => ({ code: x.code, message: x.message }))));
    });`;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 24 });
  return { status: r.status, signal: r.signal, out: r.stdout + r.stderr, ms: performance.now() - t0 };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pf-named-'));
  parser = await createParser();
});
after(() => {
  try {
    chmodSync(join(dir, 'unreadable.conf'), 0o644);
  } catch {
    // not created
  }
  rmSync(dir, { recursive: true, force: true });
});

// ------------------------------------------------------------------------------- the core

describe('named cases through the analysis core', () => {
  test('a binary file is declined with a binary-file error', () => {
    const { diagnostics } = analyze(file('binary.conf', BINARY));
    assert.deepEqual(codes(diagnostics), ['binary-file']);
    assert.equal(diagnostics[0].severity, 'error');
  });

  test('a 50 MB file is declined with file-too-large, quickly', () => {
    const path = file('huge.conf', fiftyMegabytes());
    const { diagnostics } = analyze(path);
    assert.deepEqual(codes(diagnostics), ['file-too-large']);
    assert.match(diagnostics[0].message, new RegExp(`over ${MAX_ANALYSIS_BYTES / 1048576} MiB`));
  });

  test('pfcheck declines the 50 MB file with an error and exit status 1', () => {
    const path = join(dir, 'huge.conf');
    if (!existsSync(path)) file('huge.conf', fiftyMegabytes());
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [PFCHECK, path], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /file-too-large/);
    assert.ok(performance.now() - t0 < 15_000);
  });

  test('10,000 nested anchor blocks', () => {
    const { diagnostics } = analyze(file('nested-anchors.conf', NESTED_ANCHORS));
    assert.ok(!codes(diagnostics).includes('parse-timeout'));
  });

  test('10,000 nested braces in a list', () => {
    analyze(file('nested-list.conf', NESTED_LIST));
  });

  test('10,000 unclosed braces', () => {
    const { diagnostics } = analyze(file('unclosed.conf', UNCLOSED));
    assert.ok(codes(diagnostics).includes('syntax-error'));
  });

  test('an include cycle is reported, not followed forever', () => {
    file('cycle-a.conf', 'include "cycle-b.conf"\na_macro = "1"\npass proto tcp from any to any port $a_macro\n');
    file('cycle-b.conf', 'include "cycle-a.conf"\npass in all\n');
    // The include that closes the cycle carries the diagnostic: look in both files of the unit.
    const analyzer = new Analyzer(parser, nodeFileSystem, {});
    const t0 = performance.now();
    const all = [join(dir, 'cycle-a.conf'), join(dir, 'cycle-b.conf')].flatMap((p) => analyzer.diagnostics(p));
    assert.ok(performance.now() - t0 < TIME_LIMIT_MS);
    for (const d of analyzer.unitFor(join(dir, 'cycle-a.conf')).documents) d.tree?.delete();
    assert.ok(codes(all).includes('include-cycle'), codes(all).join(' '));
    assert.deepEqual(all.filter((d) => d.code === 'internal-error').map((d) => d.message), []);
  });

  test('a file that includes itself', () => {
    const path = file('self.conf', 'include "self.conf"\npass in all\n');
    const { diagnostics } = analyze(path);
    assert.ok(codes(diagnostics).includes('include-cycle'), codes(diagnostics).join(' '));
  });

  test('pfcheck with a relative path reports the cycle (not a redefined macro)', () => {
    file('rel-a.conf', 'include "rel-b.conf"\nssh_port = "22"\npass proto tcp to port $ssh_port\n');
    file('rel-b.conf', 'include "rel-a.conf"\n');
    const r = spawnSync(process.execPath, [PFCHECK, 'rel-a.conf'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    assert.match(r.stdout, /include-cycle/, r.stdout);
    assert.doesNotMatch(r.stdout, /macro-redefined/, 'the root was read twice: once by its relative and once by its absolute path');
  });

  test('a diamond of includes repeated 200 times stays fast', () => {
    file('leaf.conf', 'leaf_port = "22"\n');
    file('mid.conf', 'include "leaf.conf"\ninclude "leaf.conf"\n');
    const path = file('diamond.conf', 'include "mid.conf"\n'.repeat(200) + 'pass in proto tcp to port $leaf_port\n');
    analyze(path);
  });

  test('the include of a directory is a missing-include warning saying so', () => {
    mkdirSync(join(dir, 'rules.d'), { recursive: true });
    const path = file('incdir.conf', 'include "rules.d"\npass in all\n');
    const { diagnostics } = analyze(path);
    const missing = diagnostics.filter((d) => d.code === 'missing-include');
    assert.equal(missing.length, 1, codes(diagnostics).join(' '));
    assert.match(missing[0].message, /is a directory/);
  });

  test('the include of an unreadable file is a missing-include warning', (t) => {
    const target = file('unreadable.conf', 'pass in all\n');
    chmodSync(target, 0o000);
    const path = file('incunreadable.conf', 'include "unreadable.conf"\npass in all\n');
    let readable = false;
    try {
      readFileSync(target);
      readable = true;
    } catch {
      // expected for an ordinary user
    }
    const { diagnostics } = analyze(path);
    if (readable) {
      t.skip(`running as ${isRoot ? 'root' : 'a user who can read mode-000 files'}: chmod 000 does not stop reads, ` +
        'so only "no crash" is checked here (the directory case covers the error path)');
      return;
    }
    const missing = diagnostics.filter((d) => d.code === 'missing-include');
    assert.equal(missing.length, 1, codes(diagnostics).join(' '));
    assert.match(missing[0].message, /Permission denied/);
  });

  test('the include of /dev/zero neither hangs nor eats memory', () => {
    if (!existsSync('/dev/zero')) return;
    const path = file('devzero.conf', 'include "/dev/zero"\npass in all\n');
    const r = analyzeInChild(path, 8000);
    assert.ok(r.signal === null && r.status === 0,
      `analysing a file that includes /dev/zero did not finish (${r.signal ?? `exit ${r.status}`} after ${r.ms.toFixed(0)} ms): ` +
      `the file system reads character devices to the end. ${r.out.slice(0, 500)}`);
    assert.match(r.out, /missing-include/);
  });

  test('the include of a FIFO does not block', (t) => {
    const fifo = join(dir, 'pipe.conf');
    const mk = spawnSync('mkfifo', [fifo]);
    if (mk.status !== 0) {
      t.skip('mkfifo is not available');
      return;
    }
    const path = file('incfifo.conf', 'include "pipe.conf"\npass in all\n');
    const r = analyzeInChild(path, 8000);
    assert.ok(r.signal === null && r.status === 0,
      `analysing a file that includes a FIFO did not finish (${r.signal ?? `exit ${r.status}`} after ${r.ms.toFixed(0)} ms): ` +
      `opening a FIFO blocks until a writer comes. ${r.out.slice(0, 500)}`);
    assert.match(r.out, /missing-include/);
  });

  test('a macro expansion bomb (20 uses of a macro that refers back) stays bounded', () => {
    // Out of memory is fatal to V8 and cannot be caught: run it in a child process.
    const path = file('macro-bomb.conf', MACRO_BOMB);
    const r = analyzeInChild(path, 15_000);
    assert.ok(r.signal === null && r.status === 0,
      `analysing the macro bomb did not finish (${r.signal ?? `exit ${r.status}`} after ${r.ms.toFixed(0)} ms): ` +
      `${r.out.split('\n').filter((l) => !/^\s*\d+: 0x/.test(l)).join('\n').slice(0, 800)}`);
    assert.match(r.out, /macro-cycle/);
  });

  test('a Latin-1 (not UTF-8) file is read without losing characters, positions in UTF-16', () => {
    const path = file('latin1.conf', LATIN1);
    const { diagnostics } = analyze(path);
    assert.deepEqual(codes(diagnostics), ['undefined-table']);
    const line = LATIN1.toString('latin1').split('\n')[3];
    assert.equal(diagnostics[0].range.start.line, 3);
    assert.equal(diagnostics[0].range.start.character, line.indexOf('undeclared'));
  });

  test('UTF-8 text outside ASCII keeps UTF-16 positions', () => {
    const text = '# 🔥 Firewall — Büro\nlabel_macro = "日本語"\npass in from <nope> label $label_macro\n';
    const { diagnostics } = analyze(file('utf8.conf', text));
    const undef = diagnostics.find((d) => d.code === 'undefined-table')!;
    assert.equal(undef.range.start.line, 2);
    assert.equal(undef.range.start.character, text.split('\n')[2].indexOf('nope'));
  });

  for (const [what, text] of Object.entries(hundredThousandCharLines())) {
    test(`a 100,000-character line: ${what}`, () => {
      analyze(file(`long-${what.replace(/\W+/g, '-')}.conf`, text));
    });
  }

  test('CRLF files give the same diagnostics, on the same lines, as LF files', () => {
    const lf = 'ext = "em0"\npass in on $ext from <nope>\npass in frm any\n';
    const a = analyze(file('lf.conf', lf)).diagnostics;
    const b = analyze(file('crlf.conf', lf.replace(/\n/g, '\r\n'))).diagnostics;
    assert.deepEqual(b.map((d) => [d.code, d.range.start]), a.map((d) => [d.code, d.range.start]));
  });

  test('a stray CR (old Mac line end inside a comment) does not move later diagnostics off their line', () => {
    // Editors (and LSP) count \r, \r\n and \n as line ends; pfctl only \n. The undeclared table is on
    // the editor's line 2; a position on any other line squiggles the wrong rule.
    const text = '# exported\rby a tool\npass in from <nope>\n';
    const { diagnostics } = analyze(file('stray-cr.conf', text));
    const undef = diagnostics.find((d) => d.code === 'undefined-table');
    assert.ok(undef);
    assert.equal(undef.range.start.line, 2, `reported on line ${undef.range.start.line} (tree-sitter row), the editor shows it on line 2`);
  });

  test('an edit after a stray CR re-parses to the same tree as a fresh parse', () => {
    // The server turns LSP edits into tree-sitter edits (core/incremental.ts). LSP line 1 here starts
    // after the \r; counting only \n puts the edit on the wrong line and the re-used tree no longer
    // matches the text.
    let text = '# note\rsecond\npass in all\ntable <t> persist\npass from <t>\n';
    const old = parser.parse(text)!;
    const range = { start: { line: 1, character: 0 }, end: { line: 1, character: 6 } };
    const { edit, text: next } = editFor(text, range, 'changed comment text');
    text = '# note\rchanged comment text\npass in all\ntable <t> persist\npass from <t>\n';
    assert.equal(next, text, 'editFor applied the edit somewhere else than the editor did');
    old.edit(new Edit(edit));
    const incremental = parseDocument(parser, '/x.conf', text, 'auto', old);
    const fresh = parser.parse(text)!;
    try {
      assert.equal(incremental.tree?.rootNode.toString(), fresh.rootNode.toString());
    } finally {
      old.delete();
      incremental.tree?.delete();
      fresh.delete();
    }
  });
});

// ----------------------------------------------------------------------------- the server

describe('named cases through the live server', () => {
  let client: LspClient;
  let sdir: string;

  before(async () => {
    sdir = mkdtempSync(join(tmpdir(), 'pf-named-lsp-'));
    client = await LspClient.start({ root: sdir });
  });
  after(async () => {
    await client?.stop();
    rmSync(sdir, { recursive: true, force: true });
  });

  function open(name: string, text: string, onDisk = true): string {
    const path = join(sdir, name);
    if (onDisk) writeFileSync(path, text);
    return client.open(path, text);
  }

  /** A request must answer within the limit (an error answer counts, a hang does not). */
  async function answers<T>(method: string, params: unknown, limitMs = TIME_LIMIT_MS): Promise<T> {
    const t0 = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      client.request<T>(method, params),
      new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${method}: no answer within ${limitMs} ms`)), limitMs); }),
    ]).finally(() => clearTimeout(timer));
    assert.ok(performance.now() - t0 <= limitMs);
    return result;
  }

  async function stillServing(): Promise<void> {
    assert.equal(client.process.exitCode, null, 'the server process died');
    const uri = open(`ping-${Date.now()}.conf`, 'ping = "1"\npass proto tcp from any to any port $ping\n');
    const diags = await client.diagnostics(uri, 10_000);
    assert.deepEqual(codes(diags), []);
    const h = await answers<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 39 } });
    assert.match(h?.contents.value ?? '', /ping/);
    client.close(uri);
  }

  /** Nothing went wrong inside the server during this test (its log is cleared before each). */
  const noInternalErrors = () => {
    const bad = client.logs.filter((l) => /uncaught|unhandled rejection|checking .* failed|\w+ failed:/i.test(l));
    assert.deepEqual(bad, [], 'the server logged an internal failure');
  };
  beforeEach(() => {
    client.logs.length = 0;
  });

  test('a binary file: binary-file diagnostic, features answer', async () => {
    const uri = open('binary.conf', BINARY.toString('latin1'));
    assert.deepEqual(codes(await client.diagnostics(uri, 10_000)), ['binary-file']);
    await answers('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } });
    await answers('textDocument/semanticTokens/full', { textDocument: { uri } });
    await answers('textDocument/documentSymbol', { textDocument: { uri } });
    client.close(uri);
    noInternalErrors();
  });

  test('a 50 MB file: file-too-large diagnostic, and the server still answers a hover', { timeout: 120_000 }, async () => {
    const text = fiftyMegabytes();
    const uri = open('huge.conf', text, false);
    const diags: LspDiagnostic[] = await client.diagnostics(uri, 60_000);
    assert.deepEqual(codes(diags), ['file-too-large']);
    assert.equal(diags[0].severity, 1);
    // Requests on the huge file and typing in it are answered, quickly.
    await answers('textDocument/hover', { textDocument: { uri }, position: { line: 1000, character: 5 } });
    await answers('textDocument/foldingRange', { textDocument: { uri } });
    await answers('textDocument/semanticTokens/full', { textDocument: { uri } });
    client.change(uri, [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, text: 'x' }]);
    const t0 = performance.now();
    assert.deepEqual(codes(await client.diagnostics(uri, 60_000)), ['file-too-large']);
    assert.ok(performance.now() - t0 < 10_000, `an edit in the 50 MB file took ${(performance.now() - t0).toFixed(0)} ms to re-check`);
    await stillServing();
    client.close(uri);
    noInternalErrors();
  });

  test('10,000 nested braces: diagnostics are published and hover answers', async () => {
    for (const [name, text] of [['nested-anchors.conf', NESTED_ANCHORS], ['nested-list.conf', NESTED_LIST], ['unclosed.conf', UNCLOSED]]) {
      const uri = open(name, text);
      await client.diagnostics(uri, 20_000);
      await answers('textDocument/hover', { textDocument: { uri }, position: { line: 5000, character: 3 } });
      await answers('textDocument/documentSymbol', { textDocument: { uri } });
      await answers('textDocument/foldingRange', { textDocument: { uri } });
      await answers('textDocument/selectionRange', { textDocument: { uri }, positions: [{ line: 9999, character: 2 }] });
      client.close(uri);
    }
    noInternalErrors();
    await stillServing();
  });

  test('an include cycle: include-cycle diagnostic, navigation answers', async () => {
    writeFileSync(join(sdir, 'cb.conf'), 'include "ca.conf"\npass in all\n');
    const uri = open('ca.conf', 'include "cb.conf"\nport_ssh = "22"\npass proto tcp to port $port_ssh\n');
    const a = await client.diagnostics(uri, 10_000);
    const other = open('cb.conf', 'include "ca.conf"\npass in all\n');
    const b = await client.diagnostics(other, 10_000);
    // The cycle is closed by one of the two include statements: reported there.
    assert.ok([...codes(a), ...codes(b)].includes('include-cycle'), `ca: ${codes(a).join(' ')}; cb: ${codes(b).join(' ')}`);
    await answers('textDocument/definition', { textDocument: { uri }, position: { line: 0, character: 11 } });
    await answers('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 25 } });
    await answers('textDocument/documentLink', { textDocument: { uri } });
    await answers('textDocument/references', { textDocument: { uri }, position: { line: 1, character: 2 }, context: { includeDeclaration: true } });
    client.close(uri);
    client.close(other);
    noInternalErrors();
  });

  test('the include of a directory and of an unreadable file', async () => {
    mkdirSync(join(sdir, 'anchors.d'), { recursive: true });
    const target = join(sdir, 'secret.conf');
    writeFileSync(target, 'pass in all\n');
    chmodSync(target, 0o000);
    try {
      const uri = open('incs.conf', 'include "anchors.d"\ninclude "secret.conf"\npass in all\n');
      const diags = await client.diagnostics(uri, 10_000);
      const missing = diags.filter((d) => d.code === 'missing-include');
      assert.match(String(missing[0]?.message), /is a directory/, JSON.stringify(diags));
      if (!isRoot) assert.match(String(missing[1]?.message), /Permission denied/);
      await answers('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 12 } });
      client.close(uri);
    } finally {
      chmodSync(target, 0o644);
    }
    noInternalErrors();
  });

  test('a non-UTF-8 (Latin-1) include: its macros are seen', async () => {
    writeFileSync(join(sdir, 'latin1-macros.conf'), Buffer.from('# Büro-Netz\nbuero = "10.0.0.0/8"  # für alle\n', 'latin1'));
    const uri = open('uses-latin1.conf', 'include "latin1-macros.conf"\npass in from $buero\n');
    const diags = await client.diagnostics(uri, 10_000);
    assert.deepEqual(codes(diags), []);
    const h = await answers<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 16 } });
    assert.match(h?.contents.value ?? '', /10\.0\.0\.0\/8/);
    client.close(uri);
  });

  test('a 100,000-character line: diagnostics, hover at its far end, semantic tokens', async () => {
    for (const [what, text] of Object.entries(hundredThousandCharLines())) {
      const uri = open(`long-${what.replace(/\W+/g, '-')}.conf`, text);
      await client.diagnostics(uri, 10_000);
      await answers('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 99_990 } });
      await answers('textDocument/semanticTokens/full', { textDocument: { uri } });
      await answers('textDocument/documentHighlight', { textDocument: { uri }, position: { line: 0, character: 50_000 } });
      client.change(uri, [{ range: { start: { line: 0, character: 50_000 }, end: { line: 0, character: 50_001 } }, text: '"' }]);
      await client.diagnostics(uri, 10_000);
      client.close(uri);
    }
    noInternalErrors();
  });

  test('a feature that throws answers with an error, logs it, and the server carries on', async () => {
    const uri = open('crash.conf', 'pass in all\n');
    await client.diagnostics(uri, 10_000);
    client.logs.length = 0;
    // A position of null makes the hover code throw a TypeError inside the server.
    const err = await client.request('textDocument/hover', { textDocument: { uri }, position: null }).then(
      () => undefined, (e: { code?: number; message?: string }) => e);
    assert.ok(err, 'the request should fail');
    assert.equal(err.code, -32603, `an internal error response, got ${JSON.stringify(err)}`);
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(client.logs.some((l) => /hover failed/.test(l)), `logged: ${client.logs.join('\n')}`);
    client.logs.length = 0;
    await stillServing();
    client.close(uri);
  });

  test('malformed edits (out of range, reversed, unknown document) do not kill the server', async () => {
    const uri = open('edits.conf', 'pass in all\nblock out all\n');
    await client.diagnostics(uri, 10_000);
    client.change(uri, [{ range: { start: { line: 1_000_000, character: 5 }, end: { line: 1_000_000, character: 9 } }, text: '\npass\n' }]);
    client.change(uri, [{ range: { start: { line: 1, character: 8 }, end: { line: 0, character: 2 } }, text: 'x' }]);
    client.change(uri, [{ range: { start: { line: 0, character: 1e9 }, end: { line: 0, character: 1e9 } }, text: '\r' }]);
    await client.diagnostics(uri, 10_000);
    void client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uriOf(join(sdir, 'never-opened.conf')), version: 3 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'x' }],
    });
    await answers('textDocument/hover', { textDocument: { uri: uriOf(join(sdir, 'never-opened.conf')) }, position: { line: 0, character: 0 } });
    await stillServing();
    client.close(uri);
  });

  test('typing after a stray CR gives the diagnostics of a fresh open', async () => {
    const text = '# note\rsecond\npass in all\ntable <t> persist\npass from <t>\n';
    const uri = open('cr-typed.conf', text);
    assert.deepEqual(codes(await client.diagnostics(uri, 10_000)), []);
    client.change(uri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 6 } }, text: 'changed comment text' }]);
    const typed = await client.diagnostics(uri, 10_000);
    assert.deepEqual(typed.map((d) => `${d.code}: ${d.message}`), [], 'the comment edit produced phantom diagnostics');
    client.close(uri);
  });
});

describe('the live server and a macro expansion bomb', () => {
  // Its own server: if the bomb kills it, the other server cases are not affected.
  let client: LspClient;
  let bdir: string;
  before(async () => {
    bdir = mkdtempSync(join(tmpdir(), 'pf-bomb-'));
    client = await LspClient.start({ root: bdir });
  });
  after(async () => {
    await client?.stop();
    rmSync(bdir, { recursive: true, force: true });
  });

  test('diagnostics come, a hover answers, the server lives', { timeout: 60_000 }, async () => {
    const path = join(bdir, 'bomb.conf');
    writeFileSync(path, MACRO_BOMB);
    const uri = client.open(path, MACRO_BOMB);
    const diags = await client.diagnostics(uri, 15_000);
    assert.ok(codes(diags).includes('macro-cycle'), codes(diags).join(' '));
    const h = await Promise.race([
      client.request('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 13 } }),
      new Promise((_, reject) => setTimeout(() => reject(new Error('hover: no answer within 5 s')), 5000)),
    ]);
    assert.ok(h !== undefined);
    assert.equal(client.process.exitCode, null, 'the server died');
  });
});
