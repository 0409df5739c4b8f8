// The real server over a real LSP connection: every capability, as an editor would use it.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type {
  CodeAction, Diagnostic, DocumentHighlight, DocumentLink, DocumentSymbol, FoldingRange, Hover, Location,
  SelectionRange, SemanticTokens, SymbolInformation, WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { LspClient, positionOf, uriOf } from './client';

const GREYLISTING = `# pf.conf — spamd greylisting (FreeBSD style)
ext_if = "em0"
external_addr = "192.0.2.1"
table <spamd-white> persist
table <nospamd> persist file "/etc/mail/nospamd"

rdr pass inet proto tcp from <spamd-mywhite> to $external_addr port smtp -> 127.0.0.1 port smtp
rdr pass inet proto tcp from !<spamd-white> to $external_addr port smtp -> 127.0.0.1 port spamd
pass in on $ext_if proto tcp from <nospamd> to any port smtp
anchor "spam" {
  pass in on $ext_if proto tcp to port 25
}
`;

let client: LspClient;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pf-lsp-'));
  client = await LspClient.start({ root: dir });
});
after(async () => client?.stop());

function doc(name: string, text: string, languageId = 'pf') {
  const path = join(dir, name);
  writeFileSync(path, text);
  return { path, uri: client.open(path, text, languageId), text };
}

describe('diagnostics', () => {
  test('the greylisting typo gives one undefined-table warning with the suggestion', async () => {
    const d = doc('pf.conf', GREYLISTING);
    const diags = await client.diagnostics(d.uri);
    const undef = diags.filter((x) => x.code === 'undefined-table');
    assert.equal(undef.length, 1);
    assert.equal(undef[0].range.start.line, 6);
    assert.match(String(undef[0].message), /did you mean <spamd-white>/);
    assert.equal(undef[0].severity, 2);
    assert.equal(undef[0].source, 'pfcheck');
  });

  test('the quick fix renames the reference', async () => {
    const d = doc('fix.conf', GREYLISTING);
    const diags = await client.diagnostics(d.uri);
    const undef = diags.find((x) => x.code === 'undefined-table')!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: d.uri }, range: undef.range, context: { diagnostics: [undef] },
    });
    const rename = actions.find((a) => a.isPreferred)!;
    assert.match(rename.title, /spamd-white/);
    const edit = rename.edit!.changes![d.uri][0];
    assert.deepEqual(edit.range, undef.range);
    assert.equal(edit.newText, 'spamd-white');
    assert.ok(actions.some((a) => /table <spamd-mywhite> persist/.test(a.title)));
  });

  test('a syntax error is an error diagnostic at the right place', async () => {
    const d = doc('syntax.conf', 'pass in all\npass in on em0 frm any\n');
    const diags = (await client.diagnostics(d.uri)).filter((x) => x.code === 'syntax-error');
    assert.equal(diags.length, 1);
    assert.equal(diags[0].range.start.line, 1);
    assert.equal(diags[0].severity, 1);
  });

  test('every symbol check reaches the editor with its code', async () => {
    const long = 'x'.repeat(32);
    const d = doc('checks.conf', [
      'table <dup> persist', 'table <dup> const', 'table <unused> persist',
      'a = "1"', 'a = "2"', 'b = "$c"', 'c = "$b"', 'unused_macro = "1"',
      `pass in on $a from <dup> to <${long}> port $b`, 'pass in on $missing all', '',
    ].join('\n'));
    const codes = new Set((await client.diagnostics(d.uri)).map((x) => x.code));
    for (const code of ['duplicate-table', 'unused-table', 'macro-redefined', 'macro-cycle', 'unused-macro',
      'table-name-too-long', 'undefined-macro', 'undefined-table']) {
      assert.ok(codes.has(code), `${code} missing from ${[...codes].join(', ')}`);
    }
  });

  test('unused definitions are hints tagged unnecessary', async () => {
    const d = doc('unused.conf', 'lan = "10.0.0.0/8"\npass all\n');
    const diags = await client.diagnostics(d.uri);
    const unused = diags.find((x) => x.code === 'unused-macro')!;
    assert.equal(unused.severity, 4);
    assert.deepEqual(unused.tags, [1]);
  });

  test('includes: missing file and cycles are reported on the include line', async () => {
    writeFileSync(join(dir, 'a.inc'), 'include "b.inc"\n');
    writeFileSync(join(dir, 'b.inc'), 'include "a.inc"\n');
    const d = doc('inc.conf', 'include "a.inc"\ninclude "nope.conf"\npass all\n');
    const diags = await client.diagnostics(d.uri);
    const missing = diags.find((x) => x.code === 'missing-include')!;
    assert.equal(missing.range.start.line, 1);
    const a = client.open(join(dir, 'a.inc'), 'include "b.inc"\n');
    const ad = await client.diagnostics(a);
    assert.ok(ad.some((x) => x.code === 'include-cycle'), JSON.stringify(ad));
  });

  test('macros from an included file are known in the includer and in the include itself', async () => {
    mkdirSync(join(dir, 'split'), { recursive: true });
    writeFileSync(join(dir, 'split', 'macros.conf'), 'int_if = "em1"\n');
    const main = doc('split/pf.conf', 'include "macros.conf"\npass in on $int_if all\n');
    assert.deepEqual((await client.diagnostics(main.uri)).filter((x) => x.code === 'undefined-macro'), []);
    const inc = client.open(join(dir, 'split', 'macros.conf'), 'int_if = "em1"\n');
    assert.deepEqual((await client.diagnostics(inc)).filter((x) => x.code === 'unused-macro'), []);
  });
});

describe('navigation', () => {
  test('definition of a macro and a table', async () => {
    const d = doc('nav.conf', GREYLISTING);
    const macro = await client.request<Location[]>('textDocument/definition', {
      textDocument: { uri: d.uri }, position: positionOf(d.text, '$ext_if', 0, 2),
    });
    assert.deepEqual(macro.map((l) => l.range.start), [{ line: 1, character: 0 }]);
    const table = await client.request<Location[]>('textDocument/definition', {
      textDocument: { uri: d.uri }, position: positionOf(d.text, '!<spamd-white>', 0, 3),
    });
    assert.deepEqual(table.map((l) => l.range.start), [{ line: 3, character: 7 }]);
    const decl = await client.request<Location[]>('textDocument/declaration', {
      textDocument: { uri: d.uri }, position: positionOf(d.text, '!<spamd-white>', 0, 3),
    });
    assert.deepEqual(decl, table);
  });

  test('references include the declaration and every use', async () => {
    const d = doc('refs.conf', GREYLISTING);
    const refs = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri: d.uri }, position: positionOf(d.text, 'ext_if ='), context: { includeDeclaration: true },
    });
    assert.deepEqual(refs.map((r) => r.range.start.line), [1, 8, 10]);
  });

  test('rename a table everywhere; an invalid name is refused', async () => {
    const d = doc('rename.conf', GREYLISTING);
    const pos = positionOf(d.text, '<spamd-white>', 0, 1);
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: d.uri }, position: pos, newName: 'grey-ok' });
    assert.deepEqual(edit.changes![d.uri].map((e) => e.range.start.line).sort(), [3, 7]);
    assert.ok(edit.changes![d.uri].every((e) => e.newText === 'grey-ok'));
    await assert.rejects(
      client.request('textDocument/rename', { textDocument: { uri: d.uri }, position: pos, newName: 'bad name' }),
      /not a valid table name/,
    );
    await assert.rejects(
      client.request('textDocument/rename', { textDocument: { uri: d.uri }, position: positionOf(d.text, '$ext_if', 0, 1), newName: '9lives' }),
      /not a valid macro name/,
    );
  });

  test('document highlight marks the definition as write', async () => {
    const d = doc('hl.conf', GREYLISTING);
    const hl = await client.request<DocumentHighlight[]>('textDocument/documentHighlight', {
      textDocument: { uri: d.uri }, position: positionOf(d.text, '$ext_if', 1, 1),
    });
    assert.deepEqual(hl.map((h) => [h.range.start.line, h.kind]), [[1, 3], [8, 2], [10, 2]]);
  });

  test('workspace symbols find tables and macros of open files', async () => {
    doc('ws.conf', 'table <bruteforce> persist\nblock from <bruteforce>\n');
    const syms = await client.request<SymbolInformation[]>('workspace/symbol', { query: 'brute' });
    assert.ok(syms.some((s) => s.name === '<bruteforce>' && s.location.uri.endsWith('ws.conf')));
  });

  test('document links open include and table files', async () => {
    writeFileSync(join(dir, 'extra.conf'), 'pass all\n');
    const d = doc('links.conf', 'include "extra.conf"\ntable <x> file "/etc/x.list"\npass from <x>\n');
    const links = await client.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: d.uri } });
    assert.deepEqual(links.map((l) => l.target), [uriOf(join(dir, 'extra.conf')), uriOf('/etc/x.list')]);
  });
});

describe('hover', () => {
  test('a macro shows its definition and expanded value', async () => {
    const d = doc('hover.conf', 'lan = "10.0.0.0/8"\nnets = "{ $lan 192.168.0.0/16 }"\npass from $nets\n');
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri: d.uri }, position: positionOf(d.text, '$nets', 0, 2) });
    const md = (h.contents as { value: string }).value;
    assert.match(md, /nets = "\{ \$lan 192\.168\.0\.0\/16 \}"/);
    assert.match(md, /\{ 10\.0\.0\.0\/8 192\.168\.0\.0\/16 \}/);
  });

  test('a table reference shows its declaration line', async () => {
    const d = doc('hover2.conf', GREYLISTING);
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri: d.uri }, position: positionOf(d.text, '<nospamd> to', 0, 2) });
    assert.match((h.contents as { value: string }).value, /table <nospamd> persist file "\/etc\/mail\/nospamd"/);
  });

  test('a keyword shows its documentation', async () => {
    const d = doc('hover3.conf', 'pass in quick on em0 all\n');
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri: d.uri }, position: positionOf(d.text, 'quick', 0, 1) });
    assert.match((h.contents as { value: string }).value, /quick/);
    assert.match((h.contents as { value: string }).value, /man\.openbsd\.org\/pf\.conf/);
  });
});

describe('structure', () => {
  test('semantic tokens distinguish macro and table definitions and uses', async () => {
    const d = doc('tokens.conf', GREYLISTING);
    const legend = await legendTypes();
    const tokens = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: d.uri } });
    const decoded = decode(tokens.data, d.text, legend.types, legend.modifiers);
    const find = (text: string, line: number) => decoded.find((t) => t.text === text && t.line === line);
    assert.equal(find('ext_if', 1)?.type, 'macro');
    assert.ok(find('ext_if', 1)?.modifiers.includes('declaration'));
    assert.equal(find('$ext_if', 8)?.type, 'macro');
    assert.ok(!find('$ext_if', 8)?.modifiers.includes('declaration'));
    assert.equal(find('spamd-white', 3)?.type, 'type');
    assert.ok(find('spamd-white', 3)?.modifiers.includes('declaration'));
    assert.equal(find('rdr', 6)?.type, 'keyword');
    const range = await client.request<SemanticTokens>('textDocument/semanticTokens/range', {
      textDocument: { uri: d.uri }, range: { start: { line: 8, character: 0 }, end: { line: 9, character: 0 } },
    });
    const inRange = decode(range.data, d.text, legend.types, legend.modifiers);
    assert.ok(inRange.length > 0 && inRange.every((t) => t.line === 8));
  });

  test('document symbols outline macros, tables and anchors with nested rules', async () => {
    const d = doc('outline.conf', GREYLISTING);
    const syms = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: d.uri } });
    const names = syms.map((s) => s.name);
    assert.ok(names.includes('ext_if') || names.includes('$ext_if'), names.join(', '));
    assert.ok(names.some((n) => n.includes('spamd-white')));
    const anchor = syms.find((s) => s.name.includes('spam') && s.kind === 3)!;
    assert.equal(anchor.children?.length, 1);
  });

  test('folding ranges cover anchor blocks and comment runs', async () => {
    const d = doc('fold.conf', '# one\n# two\nanchor "a" {\n  pass all\n  block all\n}\n');
    const folds = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: d.uri } });
    assert.ok(folds.some((f) => f.startLine === 0 && f.endLine === 1 && f.kind === 'comment'));
    assert.ok(folds.some((f) => f.startLine === 2 && f.endLine >= 4));
  });

  test('selection ranges grow from the word to the statement', async () => {
    const d = doc('sel.conf', 'pass in on em0 from <lan> to any\n');
    const [sel] = await client.request<SelectionRange[]>('textDocument/selectionRange', {
      textDocument: { uri: d.uri }, positions: [positionOf(d.text, 'lan')],
    });
    const chain: string[] = [];
    for (let s: SelectionRange | undefined = sel; s; s = s.parent) {
      chain.push(d.text.split('\n')[0].slice(s.range.start.character, s.range.end.line > 0 ? undefined : s.range.end.character));
    }
    assert.equal(chain[0], 'lan');
    assert.ok(chain.includes('<lan>'));
    assert.ok(chain.includes('pass in on em0 from <lan> to any'));
  });
});

describe('pfctl without a BSD host', () => {
  test('pf/expandedRuleset returns what pfctl -nv would print', async () => {
    const d = doc('expand.conf', 'set block-policy return\nblock all\npass out proto tcp to port { 22 80 }\n');
    const r = await client.request<{ stdout: string; stderr: string; exitCode: number }>('pf/expandedRuleset', { uri: d.uri });
    assert.equal(r.exitCode, 0);
    assert.equal(r.stdout, 'set block-policy return\nblock return all\npass out proto tcp from any to any port = 22 flags S/SA\npass out proto tcp from any to any port = 80 flags S/SA\n');
  });

  test('hover on a rule\'s action shows the rules it expands to', async () => {
    const d = doc('exphover.conf', 'pass in proto tcp from { 10.0.0.1 10.0.0.2 } to any port ssh\n');
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri: d.uri }, position: { line: 0, character: 1 } });
    const md = (h.contents as { value: string }).value;
    assert.match(md, /expands this rule to \*\*2\*\* rules/);
    assert.match(md, /pass in inet proto tcp from 10\.0\.0\.2 to any port = 22 flags S\/SA/);
  });

  test('a shadowed rule is a warning pointing at the covering rule', async () => {
    const d = doc('shadow.conf', 'pass in proto tcp to port 22\nblock all no state\n');
    const shadow = (await client.diagnostics(d.uri)).find((x) => x.code === 'shadowed-rule')!;
    assert.ok(shadow, 'no shadowed-rule diagnostic');
    assert.equal(shadow.range.start.line, 0);
    assert.equal(shadow.severity, 2);
    assert.equal(shadow.relatedInformation?.[0].location.range.start.line, 1);
  });

  test('pfctl\'s semantic errors are diagnostics with source pfctl-check', async () => {
    const d = doc('semantic.conf', 'pass in proto icmp to port 80\n');
    const diags = (await client.diagnostics(d.uri)).filter((x) => x.source === 'pfctl-check');
    assert.deepEqual(diags.map((x) => x.message), ['port only applies to tcp/udp', 'rule expands to no valid combination']);
  });
});

describe('dialects', () => {
  test('old-style nat in an OpenBSD file: an error whose quick fix rewrites it to match … nat-to', async () => {
    const ob = await LspClient.start({ root: dir, settings: { dialect: 'openbsd' } });
    try {
      const text = 'ext_if = "em0"\nnat on $ext_if from 10.0.0.0/8 to any -> ($ext_if)\n';
      const path = join(dir, 'old-nat.conf');
      writeFileSync(path, text);
      const uri = ob.open(path, text);
      const diag = (await ob.diagnostics(uri)).find((x) => x.code === 'openbsd-old-style')!;
      assert.ok(diag, 'no openbsd-old-style diagnostic');
      assert.equal(diag.severity, 1);
      const actions = await ob.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] },
      });
      const fix = actions.find((a) => a.isPreferred)!;
      let fixed = text;
      for (const e of [...fix.edit!.changes![uri]].sort((a, b) => b.range.start.character - a.range.start.character)) {
        const lines = fixed.split('\n');
        const l = lines[e.range.start.line];
        lines[e.range.start.line] = l.slice(0, e.range.start.character) + e.newText + l.slice(e.range.end.character);
        fixed = lines.join('\n');
      }
      assert.equal(fixed, 'ext_if = "em0"\nmatch out on $ext_if from 10.0.0.0/8 to any nat-to ($ext_if)\n');
    } finally {
      await ob.stop();
    }
  });

  test('FreeBSD statement order: a filter rule before a nat rule is an error', async () => {
    const d = doc('order.conf', 'pass all\nnat on em0 from any to any -> (em0)\n');
    const order = (await client.diagnostics(d.uri)).find((x) => x.code === 'section-order')!;
    assert.ok(order, 'no section-order diagnostic');
    assert.equal(order.range.start.line, 1);
  });
});

describe('spamd files', () => {
  test('rc.conf: hover on -G explains passtime, greyexp and whiteexp whatever the language id', async () => {
    mkdirSync(join(dir, 'etc'), { recursive: true });
    const text = 'spamd_flags="-v -G 25:4:864"\n';
    const uri = client.open(join(dir, 'etc', 'rc.conf.local'), text, 'shellscript');
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, '-G', 0, 1) });
    const md = (h.contents as { value: string }).value;
    assert.match(md, /passtime/i);
    assert.match(md, /whiteexp|white/i);
  });

  test('spamd.conf: unknown capability and undefined list', async () => {
    const text = 'all:\\\n\t:nixspam:missing:\n\nnixspam:\\\n\t:black:\\\n\t:msg="listed":\\\n\t:method=https:\\\n\t:file=www.example.org/nixspam.gz:\\\n\t:blak:\n';
    const uri = client.open(join(dir, 'spamd.conf'), text, 'spamd-conf');
    const codes = (await client.diagnostics(uri)).map((x) => x.code);
    assert.ok(codes.includes('spamd-unknown-capability'), codes.join(','));
    assert.ok(codes.includes('spamd-undefined-list'), codes.join(','));
  });
});

describe('completion', () => {
  test('$ offers macros, < offers tables, port offers services', async () => {
    const text = 'ext_if = "em0"\ntable <lan> { 10.0.0.0/8 }\npass in on $\npass from <\npass proto tcp to port \n';
    const d = doc('complete.conf', text);
    type List = { items: { label: string }[] } | { label: string }[];
    const labels = (r: List) => (Array.isArray(r) ? r : r.items).map((i) => i.label);
    const macros = await client.request<List>('textDocument/completion', { textDocument: { uri: d.uri }, position: { line: 2, character: 12 } });
    assert.deepEqual(labels(macros), ['ext_if']);
    const tables = await client.request<List>('textDocument/completion', { textDocument: { uri: d.uri }, position: { line: 3, character: 11 } });
    assert.ok(labels(tables).includes('lan'));
    const ports = await client.request<List>('textDocument/completion', { textDocument: { uri: d.uri }, position: { line: 4, character: 23 } });
    assert.ok(labels(ports).includes('https'));
  });
});

describe('incremental editing', () => {
  test('typing a rule character by character in a 5,000-line file ends with the fresh-parse diagnostics', async () => {
    const lines: string[] = ['ext_if = "em0"', 'table <lan> { 10.0.0.0/8 }'];
    for (let i = 0; i < 4998; i++) lines.push(`pass in on $ext_if proto tcp from <lan> to any port ${1000 + i}`);
    const text = lines.join('\n') + '\n';
    const d = doc('big.conf', text);
    await client.diagnostics(d.uri);
    const rule = 'block in quick on $ext_iff from <spamd-mywhite> to any port { 22 80 }\n';
    let current = text;
    const at = { line: 2500, character: 0 };
    for (let i = 0; i < rule.length; i++) {
      const ch = rule[i];
      const pos = ch === '\n' ? { line: at.line, character: i } : { line: at.line, character: i };
      client.change(d.uri, [{ range: { start: pos, end: pos }, text: ch }]);
      const lineStart = nthLineOffset(current, at.line);
      current = current.slice(0, lineStart + i) + ch + current.slice(lineStart + i);
    }
    const incremental = await client.diagnostics(d.uri, 30_000);
    const fresh = doc('big-fresh.conf', current);
    const expected = await client.diagnostics(fresh.uri, 30_000);
    assert.deepEqual(simplify(incremental), simplify(expected));
    assert.ok(incremental.some((x) => x.code === 'undefined-macro' && x.range.start.line === 2500));
    assert.ok(incremental.some((x) => x.code === 'undefined-table' && x.range.start.line === 2500));
  });
});

function nthLineOffset(text: string, line: number): number {
  let offset = 0;
  for (let i = 0; i < line; i++) offset = text.indexOf('\n', offset) + 1;
  return offset;
}

function simplify(list: Diagnostic[]) {
  return list.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.code} ${d.message}`);
}

async function legendTypes() {
  const legend = (client.initializeResult as { capabilities: { semanticTokensProvider: { legend: { tokenTypes: string[]; tokenModifiers: string[] } } } })
    .capabilities.semanticTokensProvider.legend;
  return { types: legend.tokenTypes, modifiers: legend.tokenModifiers };
}

function decode(data: number[], text: string, types: string[], modifiers: string[]) {
  const lines = text.split('\n');
  const out: { line: number; character: number; text: string; type: string; modifiers: string[] }[] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i];
    character = data[i] === 0 ? character + data[i + 1] : data[i + 1];
    const length = data[i + 2];
    out.push({
      line, character, text: lines[line].slice(character, character + length), type: types[data[i + 3]],
      modifiers: modifiers.filter((_, bit) => data[i + 4] & (1 << bit)),
    });
  }
  return out;
}
