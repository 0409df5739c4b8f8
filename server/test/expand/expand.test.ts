// Focused tests of the pfctl-style lexer, list expansion and printer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printRules, tokenize } from '../../src/core/expand';
import { formatAddr, parseAddr, applyMask } from '../../src/core/expand/addr';

const out = (text: string, extra: Partial<Parameters<typeof printRules>[0]> = {}) => printRules({ path: 'stdin', text, ...extra });

test('lexer: macros expand textually outside quotes, continuations join, comments drop', () => {
  const toks = tokenize('pass in $p \\\n  label "$nr" # c\n', { p: 'proto { tcp, udp }' });
  assert.deepEqual(
    toks.map((t) => t.text),
    ['pass', 'in', 'proto', '{', 'tcp', ',', 'udp', '}', 'label', '$nr', '\n', ''],
  );
  assert.equal(toks[8].line, 2);
});

test('lexer: two-character operators', () => {
  assert.deepEqual(tokenize('port 1 >< 2 != <= >=').map((t) => t.text).slice(0, 7), ['port', '1', '><', '2', '!=', '<=', '>=']);
});

test('addresses: masking and inet_ntop printing', () => {
  assert.equal(formatAddr(applyMask(parseAddr('192.168.37.29')!, 25)), '192.168.37.0');
  assert.equal(formatAddr(parseAddr('fe80::1%lo0')!), 'fe80::1');
  assert.equal(formatAddr(applyMask(parseAddr('::1')!, 8)), '::');
  assert.equal(formatAddr(parseAddr('2001:db8:0:0:1:0:0:1')!), '2001:db8::1:0:0:1');
});

test('defaults: flags S/SA and keep state on pass, drop on block', () => {
  assert.equal(out('pass in all\nblock in proto udp all\n').stdout, 'pass in all flags S/SA\nblock drop in proto udp all\n');
});

test('cross product order: proto, src, dst, src port, dst port', () => {
  const r = out('block in proto { tcp udp } from { 10/8 } port { 1 2 } to { 1.2.3.4 } port 3\n');
  assert.deepEqual(r.stdout.trim().split('\n'), [
    'block drop in inet proto tcp from 10.0.0.0/8 port = 1 to 1.2.3.4 port = 3',
    'block drop in inet proto tcp from 10.0.0.0/8 port = 2 to 1.2.3.4 port = 3',
    'block drop in inet proto udp from 10.0.0.0/8 port = 1 to 1.2.3.4 port = 3',
    'block drop in inet proto udp from 10.0.0.0/8 port = 2 to 1.2.3.4 port = 3',
  ]);
});

test('macros holding lists, macro lines echoed', () => {
  const r = out('ports = "{ ssh, www }"\npass in proto tcp to port $ports\n');
  assert.equal(r.stdout, 'ports = "{ ssh, www }"\npass in proto tcp from any to any port = 22 flags S/SA\npass in proto tcp from any to any port = 80 flags S/SA\n');
});

test('-D defines override file macros', () => {
  const r = out('ext = "em0"\nblock on $ext\n', { defines: { ext: 'lo0' } });
  assert.equal(r.stdout, 'ext = "em0"\nblock drop on lo0 all\n');
});

test('interfaces resolve to addresses from the description, af inferred', () => {
  const r = out('pass in inet from em0\n', { interfaces: { em0: ['192.0.2.7/24', 'fe80::1%em0/64'] } });
  assert.equal(r.stdout, 'pass in inet from 192.0.2.7 to any flags S/SA\n');
  const r2 = out('pass in from em0:network\n', { interfaces: { em0: ['192.0.2.7/24'] } });
  assert.equal(r2.stdout, 'pass in inet from 192.0.2.0/24 to any flags S/SA\n');
});

test('label macros', () => {
  const r = out('pass in on lo0 proto tcp from 127.0.0.1 port 30 to any label "$nr:$if:$proto:$srcaddr:$srcport:$dstaddr"\n');
  assert.match(r.stdout, /label "0:lo0:tcp:127\.0\.0\.1:30:any"/);
});

test('errors: pfctl wording, stdin name, exit 1, rules not printed', () => {
  const r = out('pass in all\npass in from any port 22 to any\n');
  assert.equal(r.exitCode, 1);
  assert.equal(r.stderr, 'stdin:2: port only applies to tcp/udp\nstdin:2: skipping rule due to errors\nstdin:2: rule expands to no valid combination\n');
  assert.equal(r.stdout, '');
});

test('undefined macro and syntax errors', () => {
  const r = out('pass in on $nope\nblock bogus\n');
  assert.equal(r.exitCode, 1);
  assert.match(r.stderr, /stdin:1: macro 'nope' not defined/);
  assert.match(r.stderr, /stdin:2: syntax error/);
});

test('include files are read through readFile', () => {
  const r = out('include "x.conf"\npass\n', { readFile: (p) => (p === 'x.conf' ? 'block in all\n' : undefined) });
  assert.equal(r.stdout, 'block drop in all\npass all flags S/SA\n');
});

test('inline anchors print nested with two-space indent', () => {
  const r = out('anchor "a" in {\n pass\n}\n');
  assert.equal(r.stdout, 'anchor "a" in all {\n  pass all flags S/SA\n}\n');
});

test('nat-to with a list becomes an automatic table', () => {
  const r = out('match out on lo0 from any to 10.0.0.1 nat-to { 192.0.2.1, 192.0.2.2 }\n');
  assert.equal(r.stdout, 'table <__automatic_0> const { 192.0.2.1 192.0.2.2 }\nmatch out on lo0 inet from any to 10.0.0.1 nat-to <__automatic_0> round-robin\n');
});

test('-a ANCHOR: options handed to pfctl_set_* and queues are neither applied nor printed', () => {
  const text = 'set limit states 100\nset block-policy return\nset skip on lo0\nqueue std on lo0 bandwidth 10M default\nblock in\n';
  assert.equal(out(text).stdout, 'set limit states 100\nset block-policy return\nset skip on lo0\nqueue std on lo0 bandwidth 10M default\nblock return in all\n');
  assert.equal(out(text, { anchor: 'foo/bar' }).stdout, 'set block-policy return\nblock return in all\n');
  // no default queue is no error inside an anchor
  assert.equal(out('queue std on lo0 bandwidth 10M\npass\n', { anchor: 'x' }).exitCode, 0);
});

test('af-to prints with its pools; inbound only, not with routing', () => {
  assert.equal(
    out('pass in inet af-to inet6 from 2001:db8::1 to 2001:db8::/96\n').stdout,
    'pass in inet all flags S/SA af-to inet6 from 2001:db8::1 to 2001:db8::/96\n',
  );
  assert.equal(out('pass out inet af-to inet6 from 2001:db8::1\n').stderr, 'stdin:1: af-to can only be used with direction in\n');
  assert.equal(out('pass in inet af-to inet6 from 1.2.3.4\n').stderr.split('\n')[0], 'stdin:1: af mismatch in translation spec');
});

test('binat-to: the source must be one address with the mask of the translation address', () => {
  assert.equal(
    out('match on lo0 from 10.0.0.0/24 to any binat-to 192.0.2.0/28\n').stderr,
    'stdin:1: source and redir addresess must have a matching network mask in binat-rule\nstdin:1: skipping rule due to errors\nstdin:1: rule expands to no valid combination\n',
  );
  assert.equal(out('match on lo0 from 10.0.0.0/24 to any binat-to 192.0.2.0/24\n').exitCode, 0);
  assert.equal(out('match on lo0 from 1.1.1.1 to any binat-to ! 2.2.2.2\n').stderr, 'stdin:1: syntax error\n');
});

test('tables: refused entries, numbers are not strings', () => {
  assert.equal(out('table <t> { 1.1.1.1 <u> }\n').stderr, 'stdin:1: tables cannot contain tables\n');
  assert.equal(out('table <t> { urpf-failed }\n').stderr, 'stdin:1: "urpf-failed" is not permitted inside tables\n');
  assert.equal(out('table <t> file "/x"\n', { readFile: () => undefined }).exitCode, 0);
  assert.equal(out('table <t> file "/x"\n', { readFile: () => undefined, checkTableFiles: true }).stderr, 'stdin:1: cannot load "/x": No such file or directory\n');
  assert.equal(out('pass label 5\n').stderr, 'stdin:1: syntax error\n');
  assert.equal(out('pass label "5"\n').stdout, 'pass all flags S/SA label "5"\n');
});
