import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDocument, type Range } from '../../src/core';
import {
  SEMANTIC_TOKEN_MODIFIERS, SEMANTIC_TOKEN_TYPES, semanticTokens, type SemanticToken,
} from '../../src/core/features/semantic-tokens';
import { parser } from '../helpers';

interface Decoded {
  text: string;
  line: number;
  character: number;
  type: string;
  modifiers: string[];
}

function decode(source: string, tokens: SemanticToken[]): Decoded[] {
  const lines = source.split('\n');
  return tokens.map((t) => ({
    text: lines[t.line].slice(t.character, t.character + t.length),
    line: t.line,
    character: t.character,
    type: SEMANTIC_TOKEN_TYPES[t.type],
    modifiers: SEMANTIC_TOKEN_MODIFIERS.filter((_, i) => t.modifiers & (1 << i)),
  }));
}

async function tokensOf(source: string, range?: Range): Promise<Decoded[]> {
  const doc = parseDocument(await parser(), '/etc/pf.conf', source);
  return decode(source, semanticTokens(doc, range));
}

/** The token for the n-th occurrence of `text` on `line` (or anywhere). */
function find(tokens: Decoded[], text: string, line?: number, nth = 0): Decoded {
  const found = tokens.filter((t) => t.text === text && (line === undefined || t.line === line));
  assert.ok(found[nth], `no token ${JSON.stringify(text)}${line === undefined ? '' : ` on line ${line}`} in ${JSON.stringify(tokens.map((t) => t.text))}`);
  return found[nth];
}

function assertWellFormed(source: string, tokens: SemanticToken[]): void {
  const lines = source.split('\n');
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    assert.ok(t.length > 0, 'no empty tokens');
    assert.ok(t.character + t.length <= lines[t.line].length, `token ${i} stays on its line`);
    assert.ok(t.type >= 0 && t.type < SEMANTIC_TOKEN_TYPES.length);
    assert.ok(t.modifiers >= 0 && t.modifiers < 1 << SEMANTIC_TOKEN_MODIFIERS.length);
    if (i > 0) {
      const p = tokens[i - 1];
      assert.ok(p.line < t.line || (p.line === t.line && p.character + p.length <= t.character), `tokens ${i - 1} and ${i} are sorted and do not overlap`);
    }
  }
}

test('the example from the brief: macros, spamd tables, interfaces, keywords, numbers', async () => {
  const source = 'ext_if = "em0"\npass in on $ext_if from <spamd-white> to any port 25\npass out on egress from (em0) to any\n';
  const tokens = await tokensOf(source);
  assert.deepEqual(find(tokens, 'ext_if', 0), { text: 'ext_if', line: 0, character: 0, type: 'macro', modifiers: ['declaration', 'definition'] });
  assert.equal(find(tokens, '"em0"').type, 'string');
  assert.equal(find(tokens, '=').type, 'operator');
  const use = find(tokens, '$ext_if', 1);
  assert.equal(use.type, 'macro');
  assert.deepEqual(use.modifiers, []);
  assert.deepEqual([find(tokens, 'spamd-white').type, find(tokens, 'spamd-white').modifiers], ['type', ['defaultLibrary']]);
  assert.equal(find(tokens, 'em0', 2).type, 'interface');
  assert.equal(find(tokens, 'egress', 2).type, 'interface');
  for (const k of ['pass', 'in', 'on', 'from', 'to', 'port']) assert.equal(find(tokens, k, 1).type, 'keyword', k);
  assert.equal(find(tokens, 'out', 2).type, 'keyword');
  assert.equal(find(tokens, '25').type, 'number');
  assert.equal(find(tokens, 'any', 1).type, 'enumMember');
  // The table brackets are not operators.
  assert.ok(!tokens.some((t) => t.text === '<' || t.text === '>'));
});

test('table definitions are declarations; const tables are readonly; uses are plain types', async () => {
  const source = [
    'table <bruteforce> persist',
    'table <goodguys> const { 10.0.0.0/8, !10.1.0.0/16 }',
    'table <spamd-white> persist',
    'block in quick from <bruteforce>',
    'pass from <goodguys> to !<nospamd>',
  ].join('\n');
  const tokens = await tokensOf(source);
  assert.deepEqual(find(tokens, 'bruteforce', 0).modifiers, ['declaration', 'definition']);
  assert.deepEqual(find(tokens, 'goodguys', 1).modifiers, ['declaration', 'definition', 'readonly']);
  assert.deepEqual(find(tokens, 'spamd-white', 2).modifiers, ['declaration', 'definition', 'defaultLibrary']);
  assert.equal(find(tokens, 'bruteforce', 3).type, 'type');
  assert.deepEqual(find(tokens, 'bruteforce', 3).modifiers, []);
  assert.deepEqual(find(tokens, 'goodguys', 4).modifiers, []);
  assert.deepEqual(find(tokens, 'nospamd', 4).modifiers, ['defaultLibrary']);
  for (const k of ['table', 'const', 'persist']) assert.equal(find(tokens, k).type, 'keyword', k);
  // Negation and prefix lengths inside the address block.
  assert.equal(find(tokens, '!', 1).type, 'operator');
  assert.equal(find(tokens, '/', 1).type, 'operator');
  assert.equal(find(tokens, '8', 1).type, 'number');
  assert.equal(find(tokens, '16', 1).type, 'number');
  assert.equal(find(tokens, 'quick', 3).type, 'keyword');
});

test('anchors are namespaces; an anchor with a body is a declaration; nested rules are coloured too', async () => {
  const source = [
    'anchor "ftp-proxy/*"',
    'anchor "spam" in on egress {',
    '  table <local> { 10.0.0.0/8 }',
    '  pass in proto tcp from <local> to port smtp',
    '  anchor nested {',
    '    block all',
    '  }',
    '}',
    'load anchor spam from "/etc/pf.spam.conf"',
  ].join('\n');
  const tokens = await tokensOf(source);
  assert.deepEqual([find(tokens, '"ftp-proxy/*"').type, find(tokens, '"ftp-proxy/*"').modifiers], ['namespace', []]);
  assert.deepEqual([find(tokens, '"spam"').type, find(tokens, '"spam"').modifiers], ['namespace', ['declaration']]);
  assert.deepEqual([find(tokens, 'nested').type, find(tokens, 'nested').modifiers], ['namespace', ['declaration']]);
  assert.deepEqual([find(tokens, 'spam', 8).type, find(tokens, 'spam', 8).modifiers], ['namespace', []]);
  assert.equal(find(tokens, '"/etc/pf.spam.conf"').type, 'string');
  assert.equal(find(tokens, 'egress', 1).type, 'interface');
  assert.deepEqual(find(tokens, 'local', 2).modifiers, ['declaration', 'definition']);
  assert.deepEqual(find(tokens, 'local', 3).modifiers, []);
  assert.equal(find(tokens, 'block', 5).type, 'keyword');
  assert.equal(find(tokens, 'all', 5).type, 'enumMember');
  for (const k of ['anchor', 'load']) assert.equal(find(tokens, k).type, 'keyword');
});

test('FreeBSD: nat/rdr with ->, altq and queues', async () => {
  const source = [
    'nat on $ext_if from 10.0.0.0/8 to any -> ($ext_if)',
    'rdr pass on em0 proto tcp to port 80 -> 127.0.0.1 port 8080',
    'altq on em1 cbq bandwidth 5Mb queue { std, http }',
    'queue std on em1 bandwidth 10% cbq(default)',
    'antispoof quick for { lo0 em0 } inet',
    'scrub in on em0 all fragment reassemble max-mss 1440',
  ].join('\n');
  const tokens = await tokensOf(source);
  assert.equal(find(tokens, 'nat').type, 'keyword');
  assert.equal(find(tokens, '->', 0).type, 'operator');
  assert.equal(find(tokens, '$ext_if', 0, 1).type, 'macro');
  assert.equal(find(tokens, 'rdr').type, 'keyword');
  assert.equal(find(tokens, 'pass', 1).type, 'keyword');
  assert.equal(find(tokens, 'em0', 1).type, 'interface');
  assert.equal(find(tokens, '->', 1).type, 'operator');
  assert.equal(find(tokens, '8080').type, 'number');
  assert.equal(find(tokens, 'altq').type, 'keyword');
  assert.equal(find(tokens, 'em1', 2).type, 'interface');
  assert.equal(find(tokens, 'cbq', 2).type, 'keyword');
  assert.equal(find(tokens, 'bandwidth', 2).type, 'keyword');
  assert.equal(find(tokens, '5Mb').type, 'number');
  assert.equal(find(tokens, 'em1', 3).type, 'interface');
  assert.equal(find(tokens, '10%').type, 'number');
  assert.equal(find(tokens, 'default', 3).type, 'keyword');
  assert.equal(find(tokens, 'lo0', 4).type, 'interface');
  assert.equal(find(tokens, 'em0', 4).type, 'interface');
  assert.equal(find(tokens, 'inet', 4).type, 'keyword');
  assert.equal(find(tokens, 'em0', 5).type, 'interface');
  assert.equal(find(tokens, 'max-mss', 5).type, 'keyword');
  assert.equal(find(tokens, '1440', 5).type, 'number');
  // Addresses themselves are left to TextMate.
  assert.ok(!tokens.some((t) => t.text === '127.0.0.1'));
});

test('interfaces hidden in addresses: dynamic addresses, modifiers, log and received-on', async () => {
  const source = [
    'match out on egress inet from !(egress:network) to any nat-to (egress:0)',
    'pass in on $ext_if to $ext_if:network',
    'pass out on em0 route-to (em1 192.168.1.1) from em0:broadcast',
    'pass log (all, to pflog1) in received-on em2 from self',
  ].join('\n');
  const tokens = await tokensOf(source);
  assert.equal(find(tokens, 'egress', 0, 1).type, 'interface');
  assert.equal(find(tokens, 'network', 0).type, 'keyword');
  assert.equal(find(tokens, 'egress', 0, 2).type, 'interface');
  assert.equal(find(tokens, '0', 0).type, 'number');
  assert.equal(find(tokens, 'nat-to').type, 'keyword');
  assert.equal(find(tokens, '!', 0).type, 'operator');
  assert.equal(find(tokens, '$ext_if', 1, 1).type, 'macro');
  assert.equal(find(tokens, 'network', 1).type, 'keyword');
  assert.equal(find(tokens, 'em1', 2).type, 'interface');
  assert.equal(find(tokens, 'route-to').type, 'keyword');
  assert.equal(find(tokens, 'em0', 2, 1).type, 'interface');
  assert.equal(find(tokens, 'broadcast', 2).type, 'keyword');
  assert.equal(find(tokens, 'pflog1').type, 'interface');
  assert.equal(find(tokens, 'em2').type, 'interface');
  assert.equal(find(tokens, 'self').type, 'enumMember');
});

test('ports: numbers, ranges, operators', async () => {
  const source = 'pass proto tcp from any port != 22 to port 1000:2000\npass proto udp to port 30000 <> 30100\npass to port { 80 443 8000:8080 }\n';
  const tokens = await tokensOf(source);
  assert.equal(find(tokens, '!=').type, 'operator');
  assert.equal(find(tokens, '22').type, 'number');
  assert.deepEqual(tokens.filter((t) => t.line === 0).slice(-3).map((t) => [t.text, t.type]),
    [['1000', 'number'], [':', 'operator'], ['2000', 'number']]);
  assert.equal(find(tokens, '<>').type, 'operator');
  assert.equal(find(tokens, '30100').type, 'number');
  assert.deepEqual(tokens.filter((t) => t.line === 2).slice(-5).map((t) => [t.text, t.type]),
    [['80', 'number'], ['443', 'number'], ['8000', 'number'], [':', 'operator'], ['8080', 'number']]);
});

test('set options: property names, interface values, named values', async () => {
  const source = [
    'set skip on { lo0 em1 }',
    'set limit { states 10000, frags 5000 }',
    'set block-policy return',
    'set loginterface em0',
    'set timeout tcp.first 120',
  ].join('\n');
  const tokens = await tokensOf(source);
  assert.equal(find(tokens, 'set', 0).type, 'keyword');
  assert.equal(find(tokens, 'skip').type, 'property');
  assert.equal(find(tokens, 'on', 0).type, 'keyword');
  assert.equal(find(tokens, 'lo0').type, 'interface');
  assert.equal(find(tokens, 'em1').type, 'interface');
  assert.equal(find(tokens, 'limit').type, 'property');
  assert.equal(find(tokens, 'states').type, 'property');
  assert.equal(find(tokens, '10000').type, 'number');
  assert.equal(find(tokens, 'block-policy').type, 'property');
  assert.equal(find(tokens, 'return').type, 'enumMember');
  assert.equal(find(tokens, 'em0', 3).type, 'interface');
  assert.equal(find(tokens, 'tcp.first').type, 'property');
});

test('comments get no tokens; strings over several lines are split per line; continuations are fine', async () => {
  const source = '# pass in all\nrules = "pass in\nblock out"\npass in \\\n  on em0 # from here\n';
  const doc = parseDocument(await parser(), '/etc/pf.conf', source);
  const raw = semanticTokens(doc);
  assertWellFormed(source, raw);
  const tokens = decode(source, raw);
  assert.ok(!tokens.some((t) => t.line === 0), 'nothing inside a comment');
  assert.ok(!tokens.some((t) => t.type === 'comment'));
  assert.deepEqual(tokens.filter((t) => t.type === 'string').map((t) => [t.line, t.text]), [[1, '"pass in'], [2, 'block out"']]);
  assert.equal(find(tokens, 'on', 4).type, 'keyword');
  assert.equal(find(tokens, 'em0', 4).type, 'interface');
  assert.ok(!tokens.some((t) => t.line === 4 && t.text.includes('here')));
});

test('columns are UTF-16 code units', async () => {
  const source = 'pass in label "h\u00e9llo \u{1F600}" on em0\n';
  const tokens = await tokensOf(source);
  assert.equal(find(tokens, 'em0').type, 'interface');
  assert.equal(find(tokens, '"h\u00e9llo \u{1F600}"').type, 'string');
});

test('a range gives only the tokens that meet it', async () => {
  const source = 'ext_if = "em0"\npass in on $ext_if\nblock out on em1\npass all\n';
  const tokens = await tokensOf(source, { start: { line: 1, character: 8 }, end: { line: 2, character: 5 } });
  assert.deepEqual(tokens.map((t) => t.text), ['on', '$ext_if', 'block']);
  const all = await tokensOf(source);
  const line2 = await tokensOf(source, { start: { line: 2, character: 0 }, end: { line: 3, character: 0 } });
  assert.deepEqual(line2, all.filter((t) => t.line === 2));
});

test('broken input still gives sorted tokens; no tree gives none', async () => {
  const source = 'pass in on em0 frm any\nanchor "x" {\n  pass all\n';
  const doc = parseDocument(await parser(), '/etc/pf.conf', source);
  const raw = semanticTokens(doc);
  assertWellFormed(source, raw);
  assert.equal(find(decode(source, raw), 'em0').type, 'interface');
  assert.deepEqual(semanticTokens({ ...doc, tree: null }), []);
});

test('a 10,000-line file is tokenised quickly', async () => {
  const lines: string[] = [];
  for (let s = 0; lines.length < 10000; s++) {
    lines.push(`#> Section ${s}`, `if_${s} = "em${s % 4}"`, `table <t${s}> persist const { 10.${s % 250}.0.0/16, !10.${s % 250}.1.0/24 }`);
    lines.push(`anchor "a${s}" in on $if_${s} {`, `  pass in proto tcp from <t${s}> to port { 22 80 443 }`, '}');
    for (let i = 0; i < 94; i++) lines.push(`pass in on $if_${s} inet proto tcp from (em0:network) to any port ${1000 + i} flags S/SA keep state (max 100) label "r${i}"`);
  }
  const source = lines.join('\n') + '\n';
  const doc = parseDocument(await parser(), '/etc/pf.conf', source);
  semanticTokens(doc, { start: { line: 0, character: 0 }, end: { line: 10, character: 0 } }); // warm up
  const started = performance.now();
  const tokens = semanticTokens(doc);
  const elapsed = performance.now() - started;
  assert.ok(tokens.length > 150000, `${tokens.length} tokens`);
  assertWellFormed(source, tokens);
  assert.ok(elapsed < 5000, `took ${elapsed.toFixed(0)} ms`);
  const startedRange = performance.now();
  const visible = semanticTokens(doc, { start: { line: 5000, character: 0 }, end: { line: 5060, character: 0 } });
  assert.ok(visible.length > 0 && visible.every((t) => t.line >= 5000 && t.line <= 5060));
  assert.ok(performance.now() - startedRange < elapsed, 'a visible range is cheaper than the whole file');
});
