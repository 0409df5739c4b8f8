import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ALL_DOCUMENTED_KEYWORDS,
  ALL_KEYWORD_DOCS,
  keywordAvailable,
  keywordMarkdown,
  lookupKeyword,
  lookupKeywordAll,
} from '../../src/core/docs/keywords';
import { repoRoot } from './paths';

/**
 * The keyword literals of the tree-sitter grammar: every quoted string in
 * grammar.js that looks like a keyword, except field names (`field('name', …)`)
 * and the grammar's own name. Comments, template strings and regex literals are
 * skipped so quotes inside them do not confuse the scan.
 */
function grammarKeywords(source: string): Set<string> {
  const out = new Set<string>();
  let i = 0;
  let lastSignificant = '';
  const before: string[] = []; // recent significant tokens
  const push = (tok: string) => {
    before.push(tok);
    if (before.length > 4) before.shift();
    lastSignificant = tok;
  };
  while (i < source.length) {
    const c = source[i];
    const n = source[i + 1];
    if (c === '/' && n === '/') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && n === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? source.length : end + 2;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      let value = '';
      while (j < source.length && source[j] !== c) {
        if (source[j] === '\\') {
          const e = source[j + 1];
          value += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
          j += 2;
          continue;
        }
        value += source[j++];
      }
      const isFieldName = before.length >= 2 && before[before.length - 1] === '(' && before[before.length - 2] === 'field';
      const isGrammarName = before.length >= 2 && before[before.length - 1] === ':' && before[before.length - 2] === 'name';
      if (c !== '`' && !isFieldName && !isGrammarName && /^[a-z][a-z0-9.-]*$/.test(value)) out.add(value);
      i = j + 1;
      push('"');
      continue;
    }
    if (c === '/' && (lastSignificant === '' || /^[(,=:[!&|?{};]$/.test(lastSignificant))) {
      // regex literal
      let j = i + 1;
      let inClass = false;
      while (j < source.length) {
        const d = source[j];
        if (d === '\\') { j += 2; continue; }
        if (d === '[') inClass = true;
        else if (d === ']') inClass = false;
        else if (d === '/' && !inClass) break;
        else if (d === '\n') break;
        j++;
      }
      i = j + 1;
      while (i < source.length && /[a-z]/.test(source[i])) i++;
      push('/re/');
      continue;
    }
    if (/\s/.test(c)) { i++; continue; }
    if (/[A-Za-z_$]/.test(c)) {
      let j = i;
      while (j < source.length && /[A-Za-z0-9_$]/.test(source[j])) j++;
      push(source.slice(i, j));
      i = j;
      continue;
    }
    push(c);
    i++;
  }
  return out;
}

test('every keyword literal of tree-sitter-pf/grammar.js has documentation', () => {
  const source = readFileSync(join(repoRoot(), 'tree-sitter-pf', 'grammar.js'), 'utf8');
  const words = grammarKeywords(source);
  assert.ok(words.size > 50, `expected many keywords in the grammar, found ${words.size}`);
  for (const sample of ['pass', 'nat-to', 'keep', 'max-src-conn-rate']) assert.ok(words.has(sample), `scanner missed ${sample}`);
  const missing = [...words].filter((w) => !lookupKeyword(w)).sort();
  assert.deepEqual(missing, [], `keywords of grammar.js without docs: ${missing.join(', ')}`);
});

test('the grammar scanner skips field names, comments and regexes', () => {
  const words = grammarKeywords(`
    // 'commented'
    module.exports = grammar({ name: 'pf', rules: {
      a: $ => seq('alpha', field('fieldname', $.x), /[^"']*/, 'beta'),
      /* "blocked" */
      b: _ => token(seq('"', /[^"\\\\\\n]/, '"')),
    }});`);
  assert.deepEqual([...words].sort(), ['alpha', 'beta']);
});

const BRIEF_KEYWORDS = [
  // statements
  'table', 'set', 'anchor', 'load', 'include', 'queue', 'altq', 'nat', 'rdr', 'binat', 'no', 'scrub', 'antispoof', 'ether',
  'nat-anchor', 'rdr-anchor', 'binat-anchor', 'pass', 'block', 'match',
  // filter options
  'in', 'out', 'log', 'matches', 'quick', 'on', 'rdomain', 'inet', 'inet6', 'proto', 'from', 'to', 'any', 'all', 'port', 'user',
  'group', 'flags', 'icmp-type', 'icmp6-type', 'code', 'tos', 'keep', 'modulate', 'synproxy', 'state', 'fragment', 'allow-opts',
  'label', 'tag', 'tagged', 'rtable', 'probability', 'prio', 'delay', 'once', 'max-pkt-rate', 'received-on', 'os', 'drop',
  'return', 'return-rst', 'return-icmp', 'return-icmp6', 'divert-to', 'divert-reply', 'divert-packet', 'route-to', 'reply-to',
  'dup-to', 'nat-to', 'rdr-to', 'binat-to', 'af-to',
  // state options
  'max', 'max-src-nodes', 'max-src-states', 'max-src-conn', 'max-src-conn-rate', 'overload', 'flush', 'global', 'no-sync',
  'pflow', 'sloppy', 'source-track', 'if-bound', 'floating',
  // pool options
  'bitmask', 'random', 'source-hash', 'round-robin', 'least-states', 'static-port', 'sticky-address',
  // scrub options
  'no-df', 'min-ttl', 'max-mss', 'random-id', 'reassemble', 'crop', 'drop-ovl',
  // queueing
  'bandwidth', 'parent', 'min', 'burst', 'flows', 'qlimit', 'default', 'quantum', 'cbq', 'priq', 'hfsc', 'fairq', 'codel',
  'priority', 'red', 'rio', 'ecn', 'borrow', 'realtime', 'upperlimit', 'linkshare', 'tbrsize',
  // set options
  'timeout', 'limit', 'ruleset-optimization', 'optimization', 'loginterface', 'block-policy', 'state-policy', 'state-defaults',
  'fingerprints', 'skip', 'debug', 'hostid', 'syncookies', 'keepcounters', 'fail-policy', 'require-order',
  // addresses, interfaces, tables
  'self', 'egress', 'no-route', 'urpf-failed', 'route', ':network', ':broadcast', ':peer', ':0', 'persist', 'const', 'counters', 'file',
];

test('every keyword named in the project brief is documented', () => {
  const missing = BRIEF_KEYWORDS.filter((w) => !ALL_DOCUMENTED_KEYWORDS.has(w));
  assert.deepEqual(missing, []);
});

const TIMEOUTS = [
  'tcp.first', 'tcp.opening', 'tcp.established', 'tcp.closing', 'tcp.finwait', 'tcp.closed', 'tcp.tsdiff',
  'sctp.first', 'sctp.opening', 'sctp.established', 'sctp.closing', 'sctp.closed',
  'udp.first', 'udp.single', 'udp.multiple', 'icmp.first', 'icmp.error', 'other.first', 'other.single', 'other.multiple',
  'frag', 'interval', 'src.track', 'adaptive.start', 'adaptive.end',
];

test('every timeout name is documented, with OpenBSD defaults where the manual gives them', () => {
  for (const t of TIMEOUTS) {
    const d = lookupKeyword(t, { parent: 'timeout' });
    assert.ok(d, t);
    assert.equal(d.kind, 'timeout', t);
    if (!t.startsWith('sctp.')) assert.ok(d.default, `${t} has a default`);
  }
  assert.match(lookupKeyword('tcp.established')!.default!, /86400/);
  assert.match(lookupKeyword('tcp.first')!.default!, /120/);
  assert.match(lookupKeyword('interval')!.default!, /10/);
  assert.deepEqual(lookupKeyword('tcp.tsdiff')!.dialects, ['openbsd']);
  assert.deepEqual(lookupKeyword('sctp.first')!.dialects, ['freebsd']);
});

test('every limit name is documented', () => {
  for (const l of ['states', 'src-nodes', 'frags', 'tables', 'table-entries', 'pktdelay_pkts', 'anchors']) {
    const d = lookupKeyword(l, { parent: 'limit' });
    assert.equal(d?.kind, 'limit', l);
  }
  assert.match(lookupKeyword('states')!.default!, /100000/);
});

test('context picks the right meaning of ambiguous words', () => {
  assert.equal(lookupKeyword('timeout', { parent: 'set' })?.kind, 'set-option');
  assert.equal(lookupKeyword('timeout', { parent: 'state' })?.kind, 'state-option');
  assert.equal(lookupKeyword('timeout')?.kind, 'set-option');
  assert.match(lookupKeyword('prio', { parent: 'set' })!.syntax!, /set prio/);
  assert.doesNotMatch(lookupKeyword('prio')!.syntax!, /set prio/);
  assert.equal(lookupKeyword('reassemble', { parent: 'set' })?.kind, 'set-option');
  assert.equal(lookupKeyword('reassemble', { parent: 'scrub' })?.kind, 'scrub-option');
  assert.equal(lookupKeyword('max', { parent: 'queue' })?.kind, 'queue-option');
  assert.equal(lookupKeyword('max', { parent: 'keep' })?.kind, 'state-option');
  assert.equal(lookupKeyword('scrub')?.kind, 'statement');
  assert.equal(lookupKeyword('scrub', { parent: 'match' })?.kind, 'scrub-option');
  assert.equal(lookupKeyword('queue', { parent: 'set' })?.dialects.join(), 'openbsd');
  assert.equal(lookupKeyword('user', { parent: 'log' })?.kind, 'other');
  assert.match(lookupKeyword('drop', { parent: 'set' })!.summary, /block-policy/);
  assert.match(lookupKeyword('drop', { parent: 'block' })!.summary, /Block option/);
  assert.match(lookupKeyword('on', { parent: 'set' })!.summary, /set skip on/);
  assert.equal(lookupKeyword('on', { parent: 'pass' })?.kind, 'filter-option');
  assert.ok(lookupKeywordAll('queue').length >= 3);
  // unknown parents fall back to the top-level meaning
  assert.equal(lookupKeyword('queue', { parent: 'nonsense' })?.kind, 'statement');
});

test('interface modifiers are found on words like em0:network', () => {
  assert.equal(lookupKeyword('em0:network')?.keyword, ':network');
  assert.equal(lookupKeyword('(em0:0)')?.keyword, ':0');
  assert.equal(lookupKeyword('self:broadcast')?.keyword, ':broadcast');
  assert.equal(lookupKeyword('1024:2048'), undefined);
  assert.equal(lookupKeyword('not-a-keyword'), undefined);
  assert.equal(lookupKeyword('PASS'), undefined, 'keywords are case-sensitive');
});

test('keywords that differ between OpenBSD and FreeBSD say so', () => {
  for (const w of ['nat', 'rdr', 'binat', 'nat-to', 'rdr-to', 'binat-to', 'altq', 'queue', 'divert-to', 'route-to', 'match', 'debug', 'require-order', 'fail-policy', 'ether', 'egress', 'once', 'allow-opts']) {
    assert.ok(lookupKeyword(w)?.dialectNote, `${w} has a dialect note`);
  }
  assert.ok(lookupKeyword('reassemble', { parent: 'set' })?.dialectNote);
  assert.ok(lookupKeyword('scrub')?.dialectNote);
  assert.deepEqual(lookupKeyword('nat')?.dialects, ['freebsd', 'macos']);
  assert.deepEqual(lookupKeyword('nat-to')?.dialects, ['openbsd']);
  assert.equal(keywordAvailable('ether', 'openbsd'), false);
  assert.equal(keywordAvailable('pass', 'macos'), true);
});

test('set options carry defaults and values', () => {
  const bp = lookupKeyword('block-policy', { parent: 'set' })!;
  assert.equal(bp.default, 'drop');
  assert.deepEqual(bp.values, ['drop', 'return']);
  assert.equal(lookupKeyword('state-policy')!.default, 'floating');
  assert.equal(lookupKeyword('ruleset-optimization')!.default, 'basic');
  assert.equal(lookupKeyword('optimization')!.default, 'normal');
  assert.equal(lookupKeyword('fingerprints')!.default, '/etc/pf.os');
  assert.ok(lookupKeyword('debug')!.values!.includes('loud'));
  assert.ok(lookupKeyword('debug')!.values!.includes('emerg'));
});

test('keywordMarkdown has syntax, summary, systems and manual links', () => {
  const md = keywordMarkdown(lookupKeyword('block-policy')!);
  assert.match(md, /^\*\*`set block-policy drop \| return`\*\*/);
  assert.match(md, /Default: drop/);
  assert.match(md, /Available on: OpenBSD, FreeBSD, macOS/);
  assert.match(md, /https:\/\/man\.openbsd\.org\/pf\.conf#OPTIONS/);
  assert.match(md, /https:\/\/man\.freebsd\.org\/cgi\/man\.cgi\?query=pf\.conf&sektion=5/);

  const natTo = keywordMarkdown(lookupKeyword('nat-to')!, 'freebsd');
  assert.match(natTo, /Not available on FreeBSD/);
  assert.doesNotMatch(natTo, /man\.freebsd\.org/);
  assert.match(natTo, /man\.openbsd\.org\/pf\.conf#Translation/);

  const ether = keywordMarkdown(lookupKeyword('ether')!);
  assert.doesNotMatch(ether, /man\.openbsd\.org/);
  assert.match(ether, /man\.freebsd\.org/);

  const mac = keywordMarkdown(lookupKeyword('scrub-anchor')!);
  assert.match(mac, /man pf\.conf/);

  // multi-line syntax renders each line bold
  const q = keywordMarkdown(lookupKeyword('queue')!);
  assert.equal((q.match(/\*\*`queue name/g) ?? []).length, 2);
});

test('the table is well formed', () => {
  for (const d of ALL_KEYWORD_DOCS) {
    assert.ok(d.summary.length > 10, `${d.keyword} has a summary`);
    assert.ok(d.man.page && d.man.section, `${d.keyword} has a manual reference`);
    assert.ok(/[.)`]$/.test(d.summary.trim()), `${d.keyword}: summary is a sentence: ${d.summary}`);
    for (const dia of d.dialects) assert.ok(['openbsd', 'freebsd', 'macos'].includes(dia));
  }
});
