// Scope assertions for the TextMate grammars (syntaxes/*.tmLanguage.json) and
// the language configurations. These grammars give the colouring VS Code shows
// before the language server is up, so the tests pin down the scopes that the
// manifest and themes rely on rather than snapshotting whole token streams.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';

// Compiled to test/out, so the repository root is two levels up.
const repoRoot = path.resolve(__dirname, '..', '..');
const sharedRoot = path.resolve(repoRoot, '..', 'shared');
const regressDir = path.join(sharedRoot, 'corpus', 'openbsd-regress');
const spamdCorpusDir = path.join(sharedRoot, 'corpus', 'spamd');

const grammarFiles: Record<string, string> = {
  'source.pf': path.join(repoRoot, 'syntaxes', 'pf.tmLanguage.json'),
  'source.spamd-conf': path.join(repoRoot, 'syntaxes', 'spamd-conf.tmLanguage.json'),
};

interface Token {
  text: string;
  scopes: string[];
}

// Loading the wasm and the grammars once is enough for every test.
const grammars: Promise<{ pf: vsctm.IGrammar; spamd: vsctm.IGrammar }> = (async () => {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) => {
      const file = grammarFiles[scopeName];
      if (!file) return null;
      return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
  });
  const pf = await registry.loadGrammar('source.pf');
  const spamd = await registry.loadGrammar('source.spamd-conf');
  assert.ok(pf && spamd, 'both grammars load');
  return { pf, spamd };
})();

/** Tokenise a (possibly multi-line) text; returns the tokens of each line and the final state. */
function tokenize(grammar: vsctm.IGrammar, text: string): { lines: Token[][]; end: vsctm.StateStack } {
  let state = vsctm.INITIAL;
  const lines: Token[][] = [];
  for (const line of text.split(/\r?\n/)) {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    lines.push(result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes })));
  }
  return { lines, end: state };
}

/** Tokens of all lines, flattened, without pure-whitespace tokens. */
function tokensOf(grammar: vsctm.IGrammar, text: string): Token[] {
  return tokenize(grammar, text).lines.flat().filter((t) => t.text.trim() !== '');
}

/** The nth token whose text is exactly `text`. */
function find(tokens: Token[], text: string, nth = 0): Token {
  const hits = tokens.filter((t) => t.text === text);
  assert.ok(hits.length > nth, `no token ${JSON.stringify(text)} (#${nth}) in ${JSON.stringify(tokens.map((t) => t.text))}`);
  return hits[nth];
}

function assertScope(tokens: Token[], text: string, scope: string, nth = 0): void {
  const tok = find(tokens, text, nth);
  assert.ok(tok.scopes.includes(scope), `${JSON.stringify(text)} should have ${scope}, got ${tok.scopes.join(' ')}`);
}

function assertNoScopePrefix(tokens: Token[], text: string, prefix: string, nth = 0): void {
  const tok = find(tokens, text, nth);
  assert.ok(!tok.scopes.some((s) => s.startsWith(prefix)), `${JSON.stringify(text)} should have no ${prefix}*, got ${tok.scopes.join(' ')}`);
}

/** Only the root scope: the grammar left the word alone. */
function assertPlain(tokens: Token[], text: string, root: string, nth = 0): void {
  const tok = find(tokens, text, nth);
  assert.deepEqual(tok.scopes, [root], `${JSON.stringify(text)} should be unscoped`);
}

const isKeywordScope = (s: string) => /^(keyword|storage|support\.constant|constant\.language)\./.test(s);

// ---------------------------------------------------------------------------
// pf.conf: real lines from both dialects

test('pf: OpenBSD rdr-to rule with macro, table and address', async () => {
  const { pf } = await grammars;
  const t = tokensOf(pf, 'pass in on $ext_if proto tcp from <spamd-white> to any port smtp rdr-to 127.0.0.1 port spamd');
  assertScope(t, 'pass', 'keyword.control.action.pf');
  assertScope(t, 'in', 'keyword.other.filter.pf');
  assertScope(t, 'on', 'keyword.other.filter.pf');
  assertScope(t, '$', 'punctuation.definition.variable.pf');
  assertScope(t, 'ext_if', 'variable.other.pf');
  assertScope(t, 'proto', 'keyword.other.filter.pf');
  assertScope(t, 'tcp', 'support.constant.protocol.pf');
  assertScope(t, '<', 'punctuation.definition.table.begin.pf');
  assertScope(t, 'spamd-white', 'variable.other.table.pf');
  assertScope(t, '>', 'punctuation.definition.table.end.pf');
  assertScope(t, 'any', 'support.constant.address.pf');
  assertScope(t, 'port', 'keyword.other.filter.pf');
  assertScope(t, 'rdr-to', 'keyword.other.translation.pf');
  assertScope(t, '127.0.0.1', 'constant.numeric.address.ipv4.pf');
  assertPlain(t, 'smtp', 'source.pf'); // service names are not keywords
  assertPlain(t, 'spamd', 'source.pf');
});

test('pf: FreeBSD/macOS rdr pass with arrow', async () => {
  const { pf } = await grammars;
  const t = tokensOf(pf, 'rdr pass inet proto tcp from <spamd-mywhite> to $external_addr port smtp -> 127.0.0.1 port smtp');
  assertScope(t, 'rdr', 'keyword.control.translation.pf');
  assertScope(t, 'pass', 'keyword.control.action.pf');
  assertScope(t, 'inet', 'keyword.other.filter.pf');
  assertScope(t, 'spamd-mywhite', 'variable.other.table.pf');
  assertScope(t, 'external_addr', 'variable.other.pf');
  assertScope(t, '->', 'keyword.operator.arrow.pf');
  assertScope(t, '127.0.0.1', 'constant.numeric.address.ipv4.pf');
});

test('pf: altq with bandwidth unit and queue list', async () => {
  const { pf } = await grammars;
  const t = tokensOf(pf, 'altq on em0 cbq bandwidth 10Mb queue { std, ssh }');
  assertScope(t, 'altq', 'storage.type.queue.pf');
  assertPlain(t, 'em0', 'source.pf'); // an interface name is not a keyword
  assertScope(t, 'cbq', 'keyword.other.queue.pf');
  assertScope(t, 'bandwidth', 'keyword.other.queue.pf');
  assertScope(t, '10', 'constant.numeric.pf');
  assertScope(t, 'Mb', 'keyword.other.unit.pf');
  assertScope(t, 'queue', 'storage.type.queue.pf');
  assertScope(t, 'std', 'variable.other.queue.pf');
  assertScope(t, 'ssh', 'variable.other.queue.pf');
  assertScope(t, '}', 'punctuation.section.queue-list.end.pf');

  const q = tokensOf(pf, 'queue http bandwidth 60% priority 2 cbq(borrow red ecn)');
  assertScope(q, 'http', 'entity.name.type.queue.pf');
  assertScope(q, '%', 'keyword.other.unit.pf');
  for (const w of ['priority', 'borrow', 'red', 'ecn']) assertScope(q, w, 'keyword.other.queue.pf');

  const o = tokensOf(pf, 'queue rootq on em0 bandwidth 100M max 100M qlimit 100 default');
  assertScope(o, 'rootq', 'entity.name.type.queue.pf');
  assertScope(o, 'qlimit', 'keyword.other.queue.pf');
  assertScope(o, 'default', 'keyword.other.queue.pf');

  const child = tokensOf(pf, 'queue std parent rootq bandwidth 20M default');
  assertScope(child, 'std', 'entity.name.type.queue.pf');
  assertScope(child, 'parent', 'keyword.other.queue.pf');
  assertScope(child, 'rootq', 'variable.other.queue.pf');

  const assign = tokensOf(pf, 'pass out proto tcp to port 22 queue(ssh_bulk, ssh_prio) set queue std');
  assertScope(assign, 'ssh_bulk', 'variable.other.queue.pf');
  assertScope(assign, 'ssh_prio', 'variable.other.queue.pf');
  assertScope(assign, 'std', 'variable.other.queue.pf');
});

test('pf: set timeout block', async () => {
  const { pf } = await grammars;
  const t = tokensOf(pf, 'set timeout { tcp.first 120, udp.first 60 }');
  assertScope(t, 'set', 'keyword.other.set.pf');
  assertScope(t, 'timeout', 'keyword.other.option.pf');
  assertScope(t, '{', 'punctuation.section.braces.begin.pf');
  assertScope(t, 'tcp.first', 'support.constant.timeout.pf');
  assertScope(t, '120', 'constant.numeric.pf');
  assertScope(t, ',', 'punctuation.separator.comma.pf');
  assertScope(t, 'udp.first', 'support.constant.timeout.pf');
  assertScope(t, '}', 'punctuation.section.braces.end.pf');
  // 'tcp' must not be found inside 'tcp.first'
  assert.ok(!t.some((tok) => tok.text === 'tcp'));
});

test('pf: IPv6 addresses with prefix and scope', async () => {
  const { pf } = await grammars;
  const t = tokensOf(pf, 'pass in inet6 from 2001:db8::/32 to fe80::1%lo0 port 1000:2000');
  assertScope(t, '2001:db8::', 'constant.numeric.address.ipv6.pf');
  assertScope(t, '/', 'punctuation.separator.prefix.pf');
  assertScope(t, '32', 'constant.numeric.address.prefix-length.pf');
  assertScope(t, 'fe80::1', 'constant.numeric.address.ipv6.pf');
  assertScope(t, '%lo0', 'constant.other.scope-id.pf');
  // a port range has one colon and is not an address
  assertScope(t, '1000', 'constant.numeric.pf');
  assertScope(t, ':', 'keyword.operator.range.pf');
  assertScope(t, '2000', 'constant.numeric.pf');

  const v4 = tokensOf(pf, 'block from ! 10.0.0.0/8 to ::1');
  assertScope(v4, '!', 'keyword.operator.negation.pf');
  assertScope(v4, '10.0.0.0', 'constant.numeric.address.ipv4.pf');
  assertScope(v4, '8', 'constant.numeric.address.prefix-length.pf');
  assertScope(v4, '::1', 'constant.numeric.address.ipv6.pf');

  const mac = tokensOf(pf, 'ether pass in on em0 from 00:11:22:33:44:55 l3 from 192.168.1.1');
  assertScope(mac, 'ether', 'keyword.control.action.pf');
  assertScope(mac, '00:11:22:33:44:55', 'constant.numeric.address.mac.pf');
  assertScope(mac, 'l3', 'keyword.other.filter.pf');
});

test('pf: line continuation keeps colouring the next line', async () => {
  const { pf } = await grammars;
  const { lines } = tokenize(pf, 'pass out on egress proto tcp \\\n    to port { 22, 80 } keep state');
  const first = lines[0].filter((t) => t.text.trim() !== '');
  assertScope(first, '\\', 'constant.character.escape.line-continuation.pf');
  const second = lines[1].filter((t) => t.text.trim() !== '');
  assertScope(second, 'to', 'keyword.other.filter.pf');
  assertScope(second, '22', 'constant.numeric.pf');
  assertScope(second, 'keep', 'keyword.other.state.pf');
  assertScope(second, 'state', 'keyword.other.state.pf');
  assertScope(first, 'egress', 'support.constant.interface.pf');

  // Blanks after the backslash end the rule in pfctl: flagged.
  const bad = tokensOf(pf, 'pass in all \\  ');
  assertScope(bad, '\\  ', 'invalid.illegal.whitespace-after-continuation.pf');
});

test('pf: comments, including after a rule and continued by a backslash', async () => {
  const { pf } = await grammars;
  const t = tokensOf(pf, 'block in all # drop everything, then pass');
  assertScope(t, 'block', 'keyword.control.action.pf');
  assertScope(t, 'all', 'support.constant.address.pf');
  assertScope(t, '#', 'punctuation.definition.comment.pf');
  assertScope(t, ' drop everything, then pass', 'comment.line.number-sign.pf');

  // pfctl joins a comment ending in a backslash with the next line.
  const { lines } = tokenize(pf, '# old rule \\\npass in all\npass out all');
  assert.ok(lines[1].every((tok) => tok.scopes.includes('comment.line.number-sign.pf')), 'continued comment');
  assertScope(lines[2], 'pass', 'keyword.control.action.pf');
});

test('pf: macro definitions and references', async () => {
  const { pf } = await grammars;
  const t = tokensOf(pf, 'ext_if = "em0"');
  assertScope(t, 'ext_if', 'variable.other.definition.pf');
  assertScope(t, '=', 'keyword.operator.assignment.pf');
  assertScope(t, 'em0', 'string.quoted.double.pf');

  const s = tokensOf(pf, "tcp_services='{ ssh, smtp }'");
  assertScope(s, 'tcp_services', 'variable.other.definition.pf');
  assertScope(s, '{ ssh, smtp }', 'string.quoted.single.pf');

  const c = tokensOf(pf, 'all_if = "{" $ext_if $int_if "}"');
  assertScope(c, 'all_if', 'variable.other.definition.pf');
  assertScope(c, 'int_if', 'variable.other.pf');

  // Label placeholders inside strings.
  const l = tokensOf(pf, 'pass in all label "$if:$srcaddr"');
  assertScope(l, '$srcaddr', 'variable.language.label-macro.pf');
});

test('pf: keywords only match as whole words', async () => {
  const { pf } = await grammars;
  const t = tokensOf(pf, 'match out on egress inet from (self) to any nat-to (egress:0) static-port');
  const natTo = find(t, 'nat-to');
  assert.ok(natTo.scopes.includes('keyword.other.translation.pf'));
  assert.ok(!natTo.scopes.includes('keyword.control.translation.pf'), 'nat inside nat-to is not the old nat rule');
  assert.ok(!t.some((tok) => tok.text === 'nat'), 'no separate "nat" token');
  assertScope(t, 'self', 'support.constant.address.pf');
  assertScope(t, ':', 'punctuation.separator.interface-modifier.pf');
  assertScope(t, '0', 'support.constant.interface-modifier.pf');

  const r = tokensOf(pf, 'pass in keep state (max-src-conn-rate 100/10, overload <bruteforce> flush global)');
  assertScope(r, 'max-src-conn-rate', 'keyword.other.state.pf');
  assert.ok(!r.some((tok) => tok.text === 'max'), 'max is not found inside max-src-conn-rate');
  assertScope(r, 'bruteforce', 'variable.other.table.pf');

  // Words that merely contain a keyword stay plain.
  const w = tokensOf(pf, 'pass on passive0 from natbox to myport-host');
  assertPlain(w, 'passive0', 'source.pf');
  assertPlain(w, 'natbox', 'source.pf');
  assertPlain(w, 'myport-host', 'source.pf');

  const n = tokensOf(pf, 'block from no-route to any');
  assertScope(n, 'no-route', 'support.constant.address.pf');
  assertNoScopePrefix(n, 'no-route', 'keyword.other.filter');
});

test('pf: tables, operators, flags and other syntax', async () => {
  const { pf } = await grammars;
  const tbl = tokensOf(pf, 'table <bad_hosts> persist counters file "/etc/bad" { 10.0.0.1, !10.1/16 }');
  assertScope(tbl, 'table', 'storage.type.table.pf');
  assertScope(tbl, 'bad_hosts', 'entity.name.type.table.pf');
  assertScope(tbl, 'persist', 'storage.modifier.table.pf');
  assertScope(tbl, 'counters', 'storage.modifier.table.pf');
  assertScope(tbl, 'file', 'storage.modifier.table.pf');
  assertScope(tbl, '/etc/bad', 'string.quoted.double.pf');
  assertScope(tbl, '10.1', 'constant.numeric.address.ipv4.pf');

  const ops = tokensOf(pf, 'pass in proto tcp from any port 1000 <> 2000 to any port < 1024 user >= 1000 group != wheel flags S/SA');
  assertScope(ops, '<>', 'keyword.operator.range.pf');
  assertScope(ops, '<', 'keyword.operator.comparison.pf'); // not a table
  assertScope(ops, '>=', 'keyword.operator.comparison.pf');
  assertScope(ops, '!=', 'keyword.operator.comparison.pf');
  assertScope(ops, 'S', 'constant.language.tcp-flags.pf');
  assertScope(ops, 'SA', 'constant.language.tcp-flags.pf');

  const anc = tokensOf(pf, 'anchor "ftp-proxy/*" in on $ext_if');
  assertScope(anc, 'anchor', 'storage.type.anchor.pf');
  assertScope(anc, 'ftp-proxy/*', 'entity.name.namespace.anchor.pf');
  const load = tokensOf(pf, 'load anchor spam from "/etc/pf-spam.conf"');
  assertScope(load, 'load', 'keyword.control.import.pf');
  assertScope(load, 'spam', 'entity.name.namespace.anchor.pf');

  const blk = tokensOf(pf, "block return-icmp(port-unr) in log (all, to pflog1) proto udp all");
  assertScope(blk, 'return-icmp', 'keyword.control.return.pf');
  assertScope(blk, 'port-unr', 'support.constant.icmp.pf');
  assertScope(blk, '(', 'punctuation.section.parens.begin.pf');

  const range = tokensOf(pf, 'pass from 10.1.2.3 - 10.1.2.9 to 0x10');
  assertScope(range, '-', 'keyword.operator.range.pf');
  assertScope(range, '0x10', 'constant.numeric.hex.pf');
});

// Every keyword of both dialects (OpenBSD 7.x; FreeBSD 14/15 and macOS) that the
// grammar is expected to colour. Each is tokenised on its own line.
const pfKeywords: string[] = [
  // actions and rule kinds
  'pass', 'block', 'match', 'scrub', 'antispoof', 'ether', 'nat', 'rdr', 'binat', 'dummynet',
  'drop', 'return', 'return-rst', 'return-icmp', 'return-icmp6',
  'include', 'load', 'set', 'table', 'anchor', 'queue', 'altq',
  'nat-anchor', 'rdr-anchor', 'binat-anchor', 'dummynet-anchor',
  // filter parameters
  'in', 'out', 'quick', 'log', 'on', 'for', 'inet', 'inet6', 'proto', 'from', 'to', 'port',
  'os', 'user', 'group', 'flags', 'icmp-type', 'icmp6-type', 'code', 'tos', 'label', 'tag',
  'tagged', 'prio', 'probability', 'once', 'max-pkt-rate', 'max-pkt-size', 'received-on',
  'allow-opts', 'allow-related', 'fragment', 'ridentifier', 'l3', 'matches', 'weight', 'delay', 'no', 'rdomain',
  // addresses
  'any', 'all', 'self', 'no-route', 'urpf-failed', 'egress',
  // translation and routing
  'nat-to', 'rdr-to', 'binat-to', 'af-to', 'static-port', 'map-e-portset',
  'route-to', 'reply-to', 'dup-to', 'fastroute', 'divert-to', 'divert-reply', 'divert-packet',
  'bridge-to', 'rtable', 'route', 'dnpipe', 'dnqueue',
  // pool options
  'bitmask', 'random', 'source-hash', 'round-robin', 'least-states', 'sticky-address',
  'endpoint-independent',
  // state
  'keep', 'modulate', 'synproxy', 'state', 'no-sync', 'sloppy', 'pflow', 'max',
  'max-src-nodes', 'max-src-states', 'max-src-conn', 'max-src-conn-rate', 'overload', 'flush',
  'global', 'rule', 'source-track', 'if-bound', 'floating',
  // scrub
  'no-df', 'min-ttl', 'max-mss', 'random-id', 'reassemble', 'set-tos', 'ttl',
  // queueing (OpenBSD flow queues, ALTQ)
  'bandwidth', 'parent', 'flows', 'quantum', 'min', 'burst', 'qlimit', 'default', 'priority',
  'tbrsize', 'cbq', 'priq', 'hfsc', 'fairq', 'codelq', 'borrow', 'red', 'rio', 'ecn',
  'realtime', 'upperlimit', 'linkshare', 'buckets', 'hogs', 'target',
  // tables
  'persist', 'const', 'counters', 'file',
  // set options and their values
  'timeout', 'limit', 'loginterface', 'block-policy', 'fail-policy', 'state-policy',
  'state-defaults', 'optimization', 'ruleset-optimization', 'fingerprints', 'skip', 'debug',
  'hostid', 'require-order', 'keepcounters', 'syncookies',
  'states', 'frags', 'src-nodes', 'tables', 'table-entries', 'anchors',
  'none', 'basic', 'profile', 'normal', 'high-latency', 'satellite', 'aggressive',
  'conservative', 'yes', 'never', 'always', 'adaptive', 'urgent', 'misc', 'loud', 'emerg',
  'alert', 'crit', 'err', 'warning', 'notice', 'info', 'lowdelay', 'throughput', 'reliability',
  // timeouts
  'tcp.first', 'tcp.opening', 'tcp.established', 'tcp.closing', 'tcp.finwait', 'tcp.closed',
  'tcp.tsdiff', 'sctp.first', 'sctp.opening', 'sctp.established', 'sctp.closing', 'sctp.closed',
  'udp.first', 'udp.single', 'udp.multiple', 'icmp.first', 'icmp.error', 'other.first',
  'other.single', 'other.multiple', 'frag', 'interval', 'src.track', 'adaptive.start',
  'adaptive.end',
];

test('pf: every keyword of both dialects gets a keyword scope', async () => {
  const { pf } = await grammars;
  const missing: string[] = [];
  for (const kw of pfKeywords) {
    const toks = tokensOf(pf, kw);
    if (toks.length !== 1 || toks[0].text !== kw || !toks[0].scopes.some(isKeywordScope)) {
      missing.push(`${kw} -> ${toks.map((t) => `${t.text}[${t.scopes.slice(1).join(' ')}]`).join(' ')}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('pf: the same keywords in context', async () => {
  const { pf } = await grammars;
  const cases: Array<[string, string, string]> = [
    ['scrub in on em0 all fragment reassemble', 'fragment', 'keyword.other.filter.pf'],
    ['scrub in on em0 all fragment reassemble', 'reassemble', 'keyword.other.option.pf'],
    ['match in all scrub (no-df random-id max-mss 1440 min-ttl 10 reassemble tcp)', 'max-mss', 'keyword.other.scrub.pf'],
    ['no nat on $ext_if from 10.0.0.1 to any', 'no', 'keyword.other.filter.pf'],
    ['no nat on $ext_if from 10.0.0.1 to any', 'nat', 'keyword.control.translation.pf'],
    ['binat on $ext_if from 10.0.0.2 to any -> 192.0.2.2', 'binat', 'keyword.control.translation.pf'],
    ['nat-anchor "ftp-proxy/*"', 'nat-anchor', 'storage.type.anchor.pf'],
    ['set keepcounters', 'keepcounters', 'keyword.other.option.pf'],
    ['set syncookies adaptive (start 25%, end 12%)', 'adaptive', 'constant.language.pf'],
    ['set fail-policy return', 'return', 'keyword.control.return.pf'],
    ['set reassemble yes no-df', 'yes', 'constant.language.pf'],
    ['set skip on lo', 'skip', 'keyword.other.option.pf'],
    ['set limit { states 10000, src-nodes 2000 }', 'src-nodes', 'support.constant.limit.pf'],
    ['pass out on em0 route-to (em1 192.0.2.1) round-robin sticky-address', 'route-to', 'keyword.other.routing.pf'],
    ['pass in on em0 af-to inet from 192.0.2.1', 'af-to', 'keyword.other.translation.pf'],
    ['pass in proto tcp to port 80 divert-to 127.0.0.1 port 8080', 'divert-to', 'keyword.other.routing.pf'],
    ['pass in set prio (3, 5) set tos lowdelay once', 'once', 'keyword.other.filter.pf'],
    ['pass in max-pkt-rate 100/10 probability 10% rtable 1', 'probability', 'keyword.other.filter.pf'],
    ['block in ! received-on em0', 'received-on', 'keyword.other.filter.pf'],
    ['pass in inet proto icmp icmp-type echoreq code 0', 'echoreq', 'support.constant.icmp.pf'],
    ['pass in keep state (source-track rule, max-src-nodes 10, if-bound, sloppy, pflow)', 'source-track', 'keyword.other.state.pf'],
    ['pass in synproxy state (no-sync, tcp.established 600)', 'tcp.established', 'support.constant.timeout.pf'],
    ['pass in os "OpenBSD" user root group wheel', 'os', 'keyword.other.filter.pf'],
    ['queue ssh parent rootq flows 1024 quantum 300 min 5M max 50M burst 10M for 100ms', 'burst', 'keyword.other.queue.pf'],
    ['queue ssh parent rootq flows 1024 quantum 300 min 5M max 50M burst 10M for 100ms', 'ms', 'keyword.other.unit.pf'],
    ['queue web bandwidth 30% hfsc(realtime 10% linkshare 20% upperlimit 90%)', 'realtime', 'keyword.other.queue.pf'],
    ['altq on em0 fairq bandwidth 100Mb queue { q1 }', 'fairq', 'keyword.other.queue.pf'],
    ['altq on em0 codelq bandwidth 100Mb', 'codelq', 'keyword.other.queue.pf'],
    ['pass in all dnpipe (1, 2) ridentifier 42', 'dnpipe', 'keyword.other.routing.pf'],
    ['antispoof log quick for { lo0 em0 } inet', 'antispoof', 'keyword.control.action.pf'],
    ['include "/etc/pf.d/macros.conf"', 'include', 'keyword.control.import.pf'],
    ['pass in on em0 from em0:network to (em0:broadcast)', 'network', 'support.constant.interface-modifier.pf'],
  ];
  for (const [line, word, scope] of cases) {
    assertScope(tokensOf(pf, line), word, scope);
  }
});

// ---------------------------------------------------------------------------
// pf.conf: the OpenBSD regress corpus

const regressFiles = fs.existsSync(regressDir)
  ? fs.readdirSync(regressDir).filter((f) => /^pf.*\.in$/.test(f)).sort()
  : [];

test(
  'pf: no line of the OpenBSD regress corpus produces an invalid scope',
  { skip: regressFiles.length === 0 ? `corpus not found at ${regressDir}` : false },
  async () => {
    const { pf } = await grammars;
    const problems: string[] = [];
    for (const file of regressFiles) {
      const text = fs.readFileSync(path.join(regressDir, file), 'utf8');
      const { lines, end } = tokenize(pf, text);
      lines.forEach((toks, i) => {
        for (const tok of toks) {
          if (tok.scopes.some((s) => s.startsWith('invalid'))) problems.push(`${file}:${i + 1}: ${JSON.stringify(tok.text)}`);
        }
      });
      // Files pfctl accepts must not leave a string/comment/list open at the end.
      if (!file.startsWith('pfail') && end.depth !== vsctm.INITIAL.depth) problems.push(`${file}: region left open at EOF`);
    }
    assert.deepEqual(problems, []);
  },
);

test(
  'pf: rule actions in the regress corpus are coloured',
  { skip: regressFiles.length === 0 ? `corpus not found at ${regressDir}` : false },
  async () => {
    const { pf } = await grammars;
    const problems: string[] = [];
    for (const file of regressFiles.filter((f) => !f.startsWith('pfail'))) {
      const { lines } = tokenize(pf, fs.readFileSync(path.join(regressDir, file), 'utf8'));
      for (const toks of lines) {
        const first = toks.find((t) => t.text.trim() !== '');
        if (first && /^(pass|block|match)$/.test(first.text) && !first.scopes.includes('keyword.control.action.pf')) {
          problems.push(`${file}: ${toks.map((t) => t.text).join('')}`);
        }
      }
    }
    assert.deepEqual(problems, []);
  },
);

// ---------------------------------------------------------------------------
// spamd.conf

const spamdExample = [
  '# lists are applied in this order',
  'all:\\',
  '\t:nixspam:override:',
  '',
  'nixspam|nix:\\',
  '\t:black:\\',
  '\t:msg="Your address %A is listed, see http://example.org:8080/ for 100%% details\\n\\',
  '\tand write to \\"postmaster\\"":\\',
  '\t:method=https:\\',
  '\t:file=www.example.org/spamd/nixspam.gz',
  '',
  'override:\\',
  '\t:white:\\',
  '\t:method=exec:\\',
  '\t:file=/usr/local/bin/list-whitelist -q:\\',
  '\t:tc=common:',
].join('\n');

test('spamd: inline example', async () => {
  const { spamd } = await grammars;
  const { lines, end } = tokenize(spamd, spamdExample);
  const t = lines.flat().filter((tok) => tok.text.trim() !== '');
  assertScope(t, '#', 'punctuation.definition.comment.spamd-conf');
  assertScope(t, ' lists are applied in this order', 'comment.line.number-sign.spamd-conf');
  assertScope(t, 'all', 'entity.name.section.list.all.spamd-conf');
  assertScope(t, 'nixspam', 'variable.other.list.spamd-conf'); // reference inside all
  assertScope(t, 'override', 'variable.other.list.spamd-conf');
  assertScope(t, 'nixspam', 'entity.name.section.list.spamd-conf', 1); // definition
  assertScope(t, '|', 'punctuation.separator.alias.spamd-conf');
  assertScope(t, 'nix', 'entity.name.section.list.alias.spamd-conf');
  assertScope(t, ':', 'punctuation.separator.capability.spamd-conf');
  assertScope(t, '\\', 'constant.character.escape.line-continuation.spamd-conf');
  assertScope(t, 'black', 'keyword.other.capability.spamd-conf');
  assertScope(t, 'white', 'keyword.other.capability.spamd-conf');
  assertScope(t, 'msg', 'keyword.other.capability.spamd-conf');
  assertScope(t, '=', 'keyword.operator.assignment.spamd-conf');
  assertScope(t, '%A', 'constant.other.placeholder.spamd-conf');
  assertScope(t, '%%', 'constant.other.placeholder.spamd-conf');
  assertScope(t, '\\n', 'constant.character.escape.spamd-conf');
  assertScope(t, '\\"', 'constant.character.escape.spamd-conf');
  // a colon inside the quotes does not end the string
  const msgLine = lines[6].filter((tok) => tok.text.trim() !== '');
  assert.ok(msgLine.some((tok) => tok.text.includes('example.org:8080') && tok.scopes.includes('string.quoted.double.spamd-conf')));
  // the message continues on the next line
  assert.ok(lines[7].some((tok) => tok.text.includes('and write to') && tok.scopes.includes('string.quoted.double.spamd-conf')));
  assertScope(t, 'https', 'constant.language.method.spamd-conf');
  assertScope(t, 'exec', 'constant.language.method.spamd-conf');
  assertScope(t, 'method', 'keyword.other.capability.spamd-conf');
  assertScope(t, 'file', 'keyword.other.capability.spamd-conf');
  assertScope(t, 'www.example.org/spamd/nixspam.gz', 'string.unquoted.value.spamd-conf');
  assertScope(t, '/usr/local/bin/list-whitelist -q', 'string.unquoted.value.spamd-conf');
  assertScope(t, 'common', 'variable.other.list.spamd-conf');
  assert.equal(end.depth, vsctm.INITIAL.depth, 'entry closed at EOF');

  // An entry ends at the first line that is not continued.
  const after = tokenize(spamd, 'a:black:\nb:\\\n\t:white:').lines;
  assertScope(after[1], 'b', 'entity.name.section.list.spamd-conf');
  const unknown = tokensOf(spamd, 'x:\\\n\t:colour=blue:');
  assertScope(unknown, 'colour', 'entity.other.attribute-name.capability.spamd-conf');
});

const spamdFiles = fs.existsSync(spamdCorpusDir)
  ? fs.readdirSync(spamdCorpusDir).filter((f) => !f.endsWith('.tsv') && !f.startsWith('.')).sort()
  : [];

test(
  'spamd: corpus files',
  { skip: spamdFiles.length === 0 ? `corpus not found at ${spamdCorpusDir}` : false },
  async () => {
    const { spamd } = await grammars;
    const problems: string[] = [];
    for (const file of spamdFiles) {
      const source = fs.readFileSync(path.join(spamdCorpusDir, file), 'utf8');
      const { lines, end } = tokenize(spamd, source);
      const raw = source.split(/\r?\n/);
      lines.forEach((toks, i) => {
        const where = `${file}:${i + 1}`;
        const text = raw[i];
        const nonBlank = toks.filter((tok) => tok.text.trim() !== '');
        if (toks.some((tok) => tok.scopes.some((s) => s.startsWith('invalid')))) problems.push(`${where}: invalid`);
        if (/^\s*#/.test(text) && !nonBlank.every((tok) => tok.scopes.includes('comment.line.number-sign.spamd-conf'))) {
          problems.push(`${where}: comment not coloured`);
        }
        const entry = /^([A-Za-z0-9_-]+)[:|]/.exec(text);
        if (entry) {
          const want = entry[1] === 'all' ? 'entity.name.section.list.all.spamd-conf' : 'entity.name.section.list.spamd-conf';
          if (!nonBlank[0]?.scopes.includes(want)) problems.push(`${where}: list name not coloured`);
        }
        for (const cap of ['black', 'white', 'method', 'file', 'msg']) {
          if (new RegExp(`^\\s*:${cap}[:=]`).test(text) && !nonBlank.some((tok) => tok.text === cap && tok.scopes.includes('keyword.other.capability.spamd-conf'))) {
            problems.push(`${where}: capability ${cap} not coloured`);
          }
        }
      });
      if (end.depth !== vsctm.INITIAL.depth) problems.push(`${file}: entry left open at EOF`);
    }
    assert.deepEqual(problems, []);
  },
);

// ---------------------------------------------------------------------------
// Language configurations

interface OnEnterRule {
  beforeText: string;
  afterText?: string;
  previousLineText?: string;
  action: { indent: string };
}

/** First matching onEnter rule, as VS Code evaluates them. */
function onEnter(rules: OnEnterRule[], previousLineText: string, beforeText: string): string | undefined {
  const rule = rules.find(
    (r) => new RegExp(r.beforeText).test(beforeText) && (r.previousLineText === undefined || new RegExp(r.previousLineText).test(previousLineText)),
  );
  return rule?.action.indent;
}

function words(pattern: string, text: string): string[] {
  return text.match(new RegExp(pattern, 'g')) ?? [];
}

test('language-configuration.json (pf)', () => {
  const conf = JSON.parse(fs.readFileSync(path.join(repoRoot, 'language-configuration.json'), 'utf8'));
  assert.equal(conf.comments.lineComment, '#');
  const brackets: string[][] = conf.brackets;
  assert.deepEqual(brackets.map((b) => b.join('')).sort(), ['()', '{}']);
  // < > are only auto-closed/surrounded (tables), never brackets: 'port < 1024' must not unbalance anything.
  assert.ok(!brackets.some((b) => b.includes('<')));
  const closing: Array<{ open: string; close: string }> = conf.autoClosingPairs;
  for (const open of ['{', '(', '"', "'"]) assert.ok(closing.some((p) => p.open === open), `auto-closes ${open}`);
  // `<` is not auto-closed: typing `port < 1024` must not leave a stray `>` (table completion adds it).
  assert.ok(!closing.some((p) => p.open === '<'));
  assert.ok(conf.surroundingPairs.some((p: string[]) => p[0] === '<' && p[1] === '>'));

  const w = words(conf.wordPattern, 'pass in on $ext_if from <spamd-white> to any nat-to 10.0.0.1 keep state (tcp.first 60)');
  for (const expected of ['$ext_if', 'spamd-white', 'nat-to', '10.0.0.1', 'tcp.first']) assert.ok(w.includes(expected), `word ${expected} in ${w}`);
  assert.ok(!w.includes('nat'), 'hyphenated words stay whole');

  const increase = new RegExp(conf.indentationRules.increaseIndentPattern);
  const decrease = new RegExp(conf.indentationRules.decreaseIndentPattern);
  assert.ok(increase.test('anchor "ftp-proxy" in on $ext_if {'));
  assert.ok(increase.test('table <x> {  # comment'));
  assert.ok(!increase.test('table <x> { 10.0.0.1 }'));
  assert.ok(decrease.test('  }'));

  const rules: OnEnterRule[] = conf.onEnterRules;
  assert.equal(onEnter(rules, '', 'pass in on em0 \\'), 'indent');
  assert.equal(onEnter(rules, 'pass in on em0 \\', '    proto tcp \\'), 'none');
  assert.equal(onEnter(rules, '    proto tcp \\', '    to port 22'), 'outdent');
  assert.equal(onEnter(rules, '', 'pass in all'), undefined);
});

test('spamd-language-configuration.json', () => {
  const conf = JSON.parse(fs.readFileSync(path.join(repoRoot, 'spamd-language-configuration.json'), 'utf8'));
  assert.equal(conf.comments.lineComment, '#');
  assert.ok(conf.autoClosingPairs.some((p: { open: string }) => p.open === '"'));
  const w = words(conf.wordPattern, 'relaydb-black:\\\n\t:file=www.openbsd.org/spamd/nixspam.gz:');
  assert.ok(w.includes('relaydb-black'));
  const rules: OnEnterRule[] = conf.onEnterRules;
  assert.equal(onEnter(rules, '', 'nixspam:\\'), 'indent');
  assert.equal(onEnter(rules, 'nixspam:\\', '\t:black:\\'), 'none');
  assert.equal(onEnter(rules, '\t:method=http:\\', '\t:file=x.gz'), 'outdent');
});

test('grammar files declare the expected scope names', () => {
  for (const [scopeName, file] of Object.entries(grammarFiles)) {
    assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).scopeName, scopeName);
  }
});
