import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDocument, type Range } from '../../src/core';
import { documentSymbols, type OutlineSymbol } from '../../src/core/features/document-symbols';
import { parser } from '../helpers';

async function outline(source: string): Promise<OutlineSymbol[]> {
  return documentSymbols(parseDocument(await parser(), '/etc/pf.conf', source));
}

/** name/kind tree, for compact assertions. */
function shape(symbols: OutlineSymbol[]): unknown[] {
  return symbols.map((s) => (s.children.length ? [s.kind, s.name, shape(s.children)] : [s.kind, s.name]));
}

function within(inner: Range, outer: Range): boolean {
  const le = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

/** LSP requires selectionRange ⊆ range and children ⊆ parent. */
function assertNested(symbols: OutlineSymbol[], parent?: OutlineSymbol): void {
  for (const s of symbols) {
    assert.ok(within(s.selectionRange, s.range), `${s.name}: selection range inside range`);
    if (parent) assert.ok(within(s.range, parent.range), `${s.name} inside ${parent.name}`);
    assertNested(s.children, s);
  }
}

test('macros, tables and options, with their values as detail', async () => {
  const source = [
    'ext_if = "em0"',
    'tcp_services = "{ 22, 113 }"',
    'table <bruteforce> persist counters',
    'table <goodguys> const file "/etc/goodguys" { 10.0.0.0/8, !10.1.0.0/16 }',
    'set skip on lo',
    'set limit { states 10000, frags 5000 }',
  ].join('\n');
  const symbols = await outline(source);
  assertNested(symbols);
  assert.deepEqual(symbols.map((s) => [s.kind, s.name, s.detail]), [
    ['macro', 'ext_if', '"em0"'],
    ['macro', 'tcp_services', '"{ 22, 113 }"'],
    ['table', '<bruteforce>', 'persist counters'],
    ['table', '<goodguys>', 'const file "/etc/goodguys" { 10.0.0.0/8, !10.1.0.0/16 }'],
    ['option', 'set skip', 'on lo'],
    ['option', 'set limit', '{ states 10000, frags 5000 }'],
  ]);
  // Selecting the macro reveals its name.
  assert.deepEqual(symbols[0].selectionRange, { start: { line: 0, character: 0 }, end: { line: 0, character: 6 } });
  assert.deepEqual(symbols[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 14 } });
});

test('anchors hold their block statements, recursively; an anchor without a name is (unnamed)', async () => {
  const source = [
    'anchor "ftp-proxy/*"',
    'anchor "spam" in on egress {',
    '  table <local> { 10.0.0.0/8 }',
    '  pass in proto tcp from <local> to port smtp',
    '  anchor "nested" {',
    '    block all',
    '  }',
    '}',
    'anchor {',
    '  pass all',
    '}',
  ].join('\n');
  const symbols = await outline(source);
  assertNested(symbols);
  assert.deepEqual(shape(symbols), [
    ['anchor', 'ftp-proxy/*'],
    ['anchor', 'spam', [
      ['table', '<local>'],
      ['rule', 'pass in proto tcp from <local> to port smtp'],
      ['anchor', 'nested', [['rule', 'block all']]],
    ]],
    ['anchor', '(unnamed)', [['rule', 'pass all']]],
  ]);
  assert.equal(symbols[1].detail, 'anchor in on egress');
  assert.deepEqual(symbols[1].range, { start: { line: 1, character: 0 }, end: { line: 7, character: 1 } });
  assert.deepEqual(symbols[1].selectionRange, { start: { line: 1, character: 7 }, end: { line: 1, character: 13 } });
});

test('#> comments open sections holding the statements up to the next one', async () => {
  const source = [
    'ext_if = "em0"',
    '',
    '#> NAT section',
    'match out on egress nat-to (egress)',
    '# an ordinary comment',
    'pass in on $ext_if proto tcp to port 22 # trailing #> not a section',
    '',
    '#> Filter',
    'block all',
    'anchor "x" {',
    '  pass all',
    '}',
    '#> Empty',
  ].join('\n');
  const symbols = await outline(source);
  assertNested(symbols);
  assert.deepEqual(shape(symbols), [
    ['macro', 'ext_if'],
    ['section', 'NAT section', [['rule', 'match out on egress nat-to (egress)'], ['rule', 'pass in on $ext_if proto tcp to port 22']]],
    ['section', 'Filter', [['rule', 'block all'], ['anchor', 'x', [['rule', 'pass all']]]]],
    ['section', 'Empty'],
  ]);
  // A section's range runs from its comment to the end of its last statement.
  assert.deepEqual(symbols[1].range, { start: { line: 2, character: 0 }, end: { line: 5, character: 39 } });
  assert.deepEqual(symbols[1].selectionRange, { start: { line: 2, character: 0 }, end: { line: 2, character: 14 } });
  assert.deepEqual(symbols[2].range.end, { line: 11, character: 1 });
  assert.deepEqual(symbols[3].range, symbols[3].selectionRange);
});

test('rules are named by their text on one line, shortened', async () => {
  const source = [
    'pass in on $ext_if inet proto tcp from any to ($ext_if) port { 22 80 443 } flags S/SA keep state label "web"',
    'pass out on $ext_if proto tcp \\',
    '  from any to any \\',
    '  keep state',
  ].join('\n');
  const symbols = await outline(source);
  assertNested(symbols);
  assert.equal(symbols[0].kind, 'rule');
  assert.ok(symbols[0].name.startsWith('pass in on $ext_if inet proto tcp from any'), symbols[0].name);
  assert.ok(symbols[0].name.endsWith(' …'), symbols[0].name);
  assert.ok(symbols[0].name.length <= 62, `${symbols[0].name.length} characters`);
  assert.equal(symbols[0].detail, 'web', 'the label is the detail');
  assert.equal(symbols[1].name, 'pass out on $ext_if proto tcp from any to any keep state');
  assert.deepEqual(symbols[1].range, { start: { line: 1, character: 0 }, end: { line: 3, character: 12 } });
  // The selection stays on the first line.
  assert.deepEqual(symbols[1].selectionRange, { start: { line: 1, character: 0 }, end: { line: 1, character: 29 } });
});

test('FreeBSD: nat/rdr rules, altq and queues, includes and load anchor', async () => {
  const source = [
    'nat on $ext_if from $int_net to any -> ($ext_if)',
    'rdr pass on $int_if proto tcp to port ftp -> 127.0.0.1 port 8021',
    'altq on $ext_if cbq bandwidth 5Mb queue { std, http }',
    'queue std bandwidth 10% cbq(default)',
    'queue http bandwidth 60% priority 2 cbq(borrow red) { employees, developers }',
    'scrub in all',
    'antispoof quick for { lo0 em0 }',
    'load anchor "spam" from "/etc/pf.spam.conf"',
    'include "/etc/pf.local.conf"',
  ].join('\n');
  const symbols = await outline(source);
  assertNested(symbols);
  assert.deepEqual(symbols.map((s) => [s.kind, s.name, s.detail]), [
    ['rule', 'nat on $ext_if from $int_net to any -> ($ext_if)', undefined],
    ['rule', 'rdr pass on $int_if proto tcp to port ftp -> 127.0.0.1 port …', undefined],
    ['queue', 'altq on $ext_if', 'cbq bandwidth 5Mb queue { std, http }'],
    ['queue', 'std', 'bandwidth 10% cbq(default)'],
    ['queue', 'http', 'bandwidth 60% priority 2 cbq(borrow red) { employees, …'],
    ['rule', 'scrub in all', undefined],
    ['rule', 'antispoof quick for { lo0 em0 }', undefined],
    ['include', 'load anchor spam', 'from /etc/pf.spam.conf'],
    ['include', '/etc/pf.local.conf', 'include'],
  ]);
});

test('a syntax error does not empty the outline', async () => {
  const symbols = await outline('ext_if = "em0"\npass in on em0 frm any\nanchor "x" {\n  pass all\n');
  assert.equal(symbols[0].name, 'ext_if');
  assert.ok(symbols.some((s) => s.name === 'x'));
  assert.deepEqual(documentSymbols({ ...parseDocument(await parser(), 'a', ''), tree: null }), []);
});

test('a 1,000-line file gives a useful outline quickly', async () => {
  const lines: string[] = ['ext_if = "em0"', 'table <bruteforce> persist'];
  let sections = 0;
  while (lines.length < 1000) {
    lines.push('', `#> Section ${sections++}`, `# rules for part ${sections}`);
    for (let i = 0; i < 30; i++) lines.push(`pass in on $ext_if proto tcp from any to any port ${1000 + i} keep state`);
    lines.push('anchor "sub" {', '  block all', '}');
  }
  const source = lines.join('\n') + '\n';
  const started = performance.now();
  const symbols = await outline(source);
  const elapsed = performance.now() - started;
  assertNested(symbols);
  assert.deepEqual(symbols.slice(0, 2).map((s) => s.kind), ['macro', 'table']);
  const top = symbols.slice(2);
  assert.equal(top.length, sections);
  for (const [i, s] of top.entries()) {
    assert.equal(s.kind, 'section');
    assert.equal(s.name, `Section ${i}`);
  }
  // Every full section holds its 30 rules and the anchor (the last one may be cut short).
  for (const s of top.slice(0, -1)) {
    assert.equal(s.children.length, 31);
    assert.ok(s.children.slice(0, 30).every((c) => c.kind === 'rule'));
    assert.deepEqual(shape([s.children[30]]), [['anchor', 'sub', [['rule', 'block all']]]]);
  }
  assert.ok(elapsed < 2000, `took ${elapsed.toFixed(0)} ms`);
});
