// shadowed-rule: rules that can never decide a packet, and the many look-alikes that can.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { shadowedRule } from '../../src/core/checks/shadowed-rule';
import { analyzer } from '../helpers';

async function run(files: Record<string, string>, options = {}) {
  const a = await analyzer(files, options);
  const root = Object.keys(files)[0];
  return shadowedRule.run({ unit: a.unitFor(root), options: {} });
}

/** [reported line (1-based), covering lines] per warning. */
async function shadowed(text: string): Promise<[number, number[]][]> {
  const d = await run({ '/etc/pf.conf': text });
  return d.map((x) => [x.range.start.line + 1, (x.related ?? []).map((r) => r.range.start.line + 1)]);
}

// ---------------------------------------------------------------- shadows

test('block all after a pass: the pass never decides (last matching rule wins)', async () => {
  const d = await run({ '/etc/pf.conf': 'pass in proto tcp to port 22\nblock all\n' });
  assert.equal(d.length, 1);
  const [w] = d;
  assert.equal(w.code, 'shadowed-rule');
  assert.equal(w.severity, 'warning');
  assert.equal(w.source, 'pfcheck');
  assert.equal(w.path, '/etc/pf.conf');
  assert.deepEqual(w.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 28 } });
  assert.equal(w.message, 'rule never decides a packet: every packet it matches is also matched by the later rule on line 2 (last matching rule wins)');
  assert.deepEqual(w.related, [{ path: '/etc/pf.conf', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 9 } }, message: 'covering rule' }]);
  assert.equal(w.fixes, undefined);
});

test('an earlier quick rule shadows what follows', async () => {
  const d = await run({ '/etc/pf.conf': 'block quick all\npass in proto tcp to port 22\nblock in proto udp\n' });
  assert.deepEqual(d.map((x) => [x.range.start.line, x.message]), [
    [1, 'rule never decides a packet: every packet it matches is also matched by the quick rule on line 1'],
    [2, 'rule never decides a packet: every packet it matches is also matched by the quick rule on line 1'],
  ]);
});

test('pass quick all shadows later stateful passes and non-TCP rules', async () => {
  assert.deepEqual(await shadowed('pass quick all\npass in proto tcp to port 22\nblock in proto udp to port 53\npass in proto icmp\n'), [
    [2, [1]], [3, [1]], [4, [1]],
  ]);
});

test('pass quick all no state shadows everything after it', async () => {
  assert.deepEqual(await shadowed('pass quick all no state\nblock in proto tcp to port 22\nblock all\n'), [[2, [1]], [3, [1]]]);
});

test('the same rule twice: the first never decides; the same quick rule twice: the second', async () => {
  assert.deepEqual(await shadowed('pass in proto tcp to port 22\npass in proto tcp to port 22\n'), [[1, [2]]]);
  assert.deepEqual(await shadowed('pass quick proto tcp to port 22\npass quick proto tcp to port 22\n'), [[2, [1]]]);
});

test('block after pass with the same match is a real shadow', async () => {
  assert.deepEqual(await shadowed('pass in on em0 proto tcp from any to 192.0.2.1 port 25\nblock in on em0 proto tcp from any to 192.0.2.1 port 25\n'), [[1, [2]]]);
});

test('a later quick rule also covers an earlier non-quick rule', async () => {
  const d = await run({ '/etc/pf.conf': 'pass in proto tcp to port 22\nblock in quick proto tcp\n' });
  assert.match(d[0].message, /later rule on line 2 \(last matching rule wins\)/);
});

test('a rule written as a list is reported when every expansion is covered, naming each cover', async () => {
  const d = await run({ '/etc/pf.conf': 'pass in proto tcp to port { 22 80 }\nblock in proto tcp to port 22\nblock in proto tcp to port 80\n' });
  assert.equal(d.length, 1);
  assert.equal(d[0].message, 'rule never decides a packet: every packet it matches is also matched by the later rule on line 2 or the later rule on line 3 (last matching rule wins)');
  assert.deepEqual(d[0].related!.map((r) => r.range.start.line), [1, 2]);
});

test('a single cover is preferred when one covers every expansion', async () => {
  assert.deepEqual(await shadowed('pass in proto tcp to port { 22 80 }\nblock in proto tcp to port 22\nblock in proto tcp\n'), [[1, [3]], [2, [3]]]);
});

test('address containment: prefixes, ranges, negations', async () => {
  assert.deepEqual(await shadowed('pass from 10.1.2.0/24 to any\nblock from 10.0.0.0/8 to any\n'), [[1, [2]]]);
  assert.deepEqual(await shadowed('block from 10.0.0.5 - 10.0.0.9\nblock from 10.0.0.0/28\n'), [[1, [2]]]);
  assert.deepEqual(await shadowed('block to 2001:db8::1\nblock to 2001:db8::/32\n'), [[1, [2]]]);
  assert.deepEqual(await shadowed('block from ! 10.0.0.0/8\nblock from ! 10.0.0.0/8\n'), [[1, [2]]]);
  // outside 10/8 is outside 10.0/16
  assert.deepEqual(await shadowed('block from ! 10.0.0.0/8\nblock from ! 10.0.0.0/16\n'), [[1, [2]]]);
  // 192.0.2.1 is outside 10/8
  assert.deepEqual(await shadowed('block from 192.0.2.1\nblock from ! 10.0.0.0/8\n'), [[1, [2]]]);
});

test('port operators as intervals', async () => {
  assert.deepEqual(await shadowed('block in proto tcp to port 2000:2004\nblock in proto tcp to port 1999 >< 2005\n'), [[1, [2]]]);
  assert.deepEqual(await shadowed('block in proto tcp to port 8080\nblock in proto tcp to port > 1024\n'), [[1, [2]]]);
  assert.deepEqual(await shadowed('block in proto tcp to port < 80\nblock in proto tcp to port != 443\n'), [[1, [2]]]);
  assert.deepEqual(await shadowed('block in proto tcp to port 10 <> 20\nblock in proto tcp to port != 15\n'), [[1, [2]]]);
  assert.deepEqual(await shadowed('block in proto udp from port 53 to port >= 1024\nblock in proto udp from port 50:60\n'), [[1, [2]]]);
});

test('identical tables, dynamic addresses and interface names cover each other', async () => {
  assert.deepEqual(await shadowed('table <bad> persist\nblock in from <bad>\nblock in from <bad> to any\n'), [[2, [3]]]);
  assert.deepEqual(await shadowed('pass out on em0 from (em0) to any\nblock out on em0 from (em0)\n'), [[1, [2]]]);
  assert.deepEqual(await shadowed('pass out from em0:network to any\nblock out from em0:network\n'), [[1, [2]]]);
});

test('addresses of interfaces are not guessed: any covers them, macros are resolved', async () => {
  assert.deepEqual(await shadowed('ext_if = "em0"\npass in on $ext_if proto tcp from $ext_if:network to port { 22 80 }\nblock in on $ext_if\n'), [[2, [3]]]);
});

test('icmp types and codes', async () => {
  assert.deepEqual(await shadowed('pass in inet proto icmp icmp-type echoreq\nblock in inet proto icmp\n'), [[1, [2]]]);
  assert.deepEqual(await shadowed('block in inet proto icmp icmp-type unreach code port-unr\nblock in inet proto icmp icmp-type unreach\n'), [[1, [2]]]);
});

test('identical tagged with nothing setting a tag between', async () => {
  assert.deepEqual(await shadowed('pass in proto tcp to port 22 tagged SSH\nblock in tagged SSH\n'), [[1, [2]]]);
});

test('a cover in an included file: related information points there', async () => {
  const d = await run({ '/etc/pf.conf': 'pass in proto tcp to port 22\ninclude "/etc/pf.block"\n', '/etc/pf.block': '# policy\nblock all\n' });
  assert.equal(d.length, 1);
  assert.equal(d[0].path, '/etc/pf.conf');
  assert.match(d[0].message, /later rule on line 2 of pf\.block/);
  assert.deepEqual(d[0].related!.map((r) => [r.path, r.range.start.line]), [['/etc/pf.block', 1]]);
});

test('a shadowed rule inside an included file is reported in that file', async () => {
  const d = await run({ '/etc/pf.conf': 'include "/etc/pf.rules"\nblock all\n', '/etc/pf.rules': 'pass in proto tcp to port 22\n' });
  assert.deepEqual(d.map((x) => [x.path, x.range.start.line]), [['/etc/pf.rules', 0]]);
});

test('rules of one inline anchor body are compared among themselves', async () => {
  assert.deepEqual(await shadowed('anchor "web" in on em0 {\n  pass proto tcp to port 80\n  block all\n}\n'), [[2, [3]]]);
});

test('actions do not matter for coverage: rtable, labels, nat-to, route-to, log', async () => {
  assert.deepEqual(await shadowed('pass out proto tcp to port 80 nat-to 192.0.2.1 label web\nblock out log proto tcp rtable 1\n'), [[1, [2]]]);
});

// ---------------------------------------------------------------- not shadows

test('different ports, or a narrower later rule', async () => {
  assert.deepEqual(await shadowed('pass in proto tcp to port 22\nblock in proto tcp to port 80\n'), []);
  assert.deepEqual(await shadowed('pass in proto tcp\nblock in proto tcp to port 22\n'), []);
  assert.deepEqual(await shadowed('block in proto tcp to port 2000:2005\nblock in proto tcp to port 2000 >< 2005\n'), []);
  assert.deepEqual(await shadowed('block in proto tcp to port != 80\nblock in proto tcp to port > 80\n'), []);
  // a rule with ports never matches fragments: not a cover of a rule without ports
  assert.deepEqual(await shadowed('block in proto tcp\nblock in proto tcp to port 0:65535\n'), []);
});

test('a narrower list: one expansion left uncovered', async () => {
  assert.deepEqual(await shadowed('pass in proto tcp to port { 22 80 }\nblock in proto tcp to port 22\n'), []);
});

test('tables: only the same table covers, never a literal address', async () => {
  assert.deepEqual(await shadowed('table <t> { 10.0.0.1 }\nblock from 10.0.0.1\nblock from <t>\n'), []);
  assert.deepEqual(await shadowed('table <a> persist\ntable <b> persist\nblock from <a>\nblock from <b>\n'), []);
  assert.deepEqual(await shadowed('table <a> persist\nblock from <a>\nblock from ! <a>\n'), []);
  assert.deepEqual(await shadowed('pass from (em0)\nblock from em0\n'), []);
  assert.deepEqual(await shadowed('pass in from self\nblock in from em0\n'), []);
  assert.deepEqual(await shadowed('block from no-route\nblock from no-route\n'), []);
});

test('negations that do not cover', async () => {
  assert.deepEqual(await shadowed('block from 10.0.0.1\nblock from ! 10.0.0.0/8\n'), []);
  assert.deepEqual(await shadowed('block from ! 10.0.0.0/16\nblock from ! 10.0.0.0/8\n'), []);
  assert.deepEqual(await shadowed('block from ! 10.0.0.0/8\nblock from 192.0.2.0/24\n'), []);
});

test('interfaces: other names, groups, negations', async () => {
  assert.deepEqual(await shadowed('pass in on em0 proto tcp to port 22\nblock in on em1\n'), []);
  assert.deepEqual(await shadowed('pass in on em0 proto tcp to port 22\nblock in on egress\n'), []);
  assert.deepEqual(await shadowed('pass in on ! em0 proto tcp to port 22\nblock in on em1\n'), []);
  assert.deepEqual(await shadowed('pass in on em0 proto tcp to port 22\nblock in on ! em1\n'), []);
  assert.deepEqual(await shadowed('pass in proto tcp to port 22\nblock in on em0\n'), []);
  // `on any` leaves out loopback interfaces
  assert.deepEqual(await shadowed('pass in on lo0 proto tcp to port 22\nblock in on any\n'), []);
});

test('direction and address family', async () => {
  assert.deepEqual(await shadowed('pass proto tcp to port 22\nblock in all\n'), []);
  assert.deepEqual(await shadowed('pass in inet6 proto tcp to port 22\nblock in inet all\n'), []);
  assert.deepEqual(await shadowed('pass in proto tcp to port 22\nblock in inet all\n'), []);
  assert.deepEqual(await shadowed('pass in proto tcp to port 22\nblock in proto udp\n'), []);
});

test('covers that may not match: probability, once, max-pkt-rate, prio', async () => {
  assert.deepEqual(await shadowed('pass in proto tcp to port 22\nblock all probability 50%\n'), []);
  assert.deepEqual(await shadowed('pass in proto tcp to port 22\nblock all once\n'), []);
  assert.deepEqual(await shadowed('pass in proto icmp\npass in proto icmp max-pkt-rate 100/10\n'), []);
  assert.deepEqual(await shadowed('pass in proto tcp to port 22\nblock all prio 3\n'), []);
  assert.deepEqual(await shadowed('block quick all probability 10%\nblock in proto tcp\n'), []);
});

test('criteria the shadowed rule lacks: tagged, received-on, user, tos, os, fragment', async () => {
  assert.deepEqual(await shadowed('pass in proto tcp to port 22\nblock all tagged FOO\n'), []);
  assert.deepEqual(await shadowed('pass in proto tcp to port 22 tagged BAR\nblock all tagged FOO\n'), []);
  assert.deepEqual(await shadowed('pass in proto tcp to port 22\nblock all received-on em0\n'), []);
  assert.deepEqual(await shadowed('pass out proto tcp\nblock out proto tcp user root\n'), []);
  assert.deepEqual(await shadowed('pass in proto tcp to port 22\nblock in all tos lowdelay\n'), []);
  assert.deepEqual(await shadowed('pass in proto tcp to port 22\nblock in proto tcp from any os OpenBSD\n'), []);
  assert.deepEqual(await shadowed('block in all\nblock in all fragment\n'), []);
});

test('tagged covers nothing when a tag may be set between the two rules', async () => {
  assert.deepEqual(await shadowed('pass in proto tcp to port 22 tagged SSH\nmatch in proto tcp tag OTHER\nblock in tagged SSH\n'), []);
});

test('TCP flags: stateful pass rules only see SYN; stateful rules do not see ICMP replies', async () => {
  // block all sees every TCP packet; pass all (flags S/SA) only the SYNs
  assert.deepEqual(await shadowed('block all\npass all\n'), []);
  assert.deepEqual(await shadowed('block in proto tcp to port 22\npass in proto tcp to port 22\n'), []);
  assert.deepEqual(await shadowed('pass quick all\nblock in proto tcp to port 22\n'), []);
  assert.deepEqual(await shadowed('pass in proto tcp to port 22 flags any\npass in proto tcp to port 22\n'), []);
  assert.deepEqual(await shadowed('pass all no state\npass all\n'), []);
  assert.deepEqual(await shadowed('pass quick proto icmp\npass proto icmp no state\n'), []);
  assert.deepEqual(await shadowed('block in proto icmp\npass in proto icmp\n'), []);
  assert.deepEqual(await shadowed('pass in proto tcp flags S/S\npass in proto tcp flags S/SA\n'), []);
  // S/SA accepts a subset of what S/S accepts
  assert.deepEqual(await shadowed('pass in proto tcp flags S/SA\npass in proto tcp flags S/S\n'), [[1, [2]]]);
});

test('sloppy state lifts the ICMP limit of stateful rules', async () => {
  assert.deepEqual(await shadowed('pass quick proto icmp keep state (sloppy)\npass proto icmp no state\n'), [[2, [1]]]);
});

test('a family taken from a divert-to or nat-to name is not guessed', async () => {
  assert.deepEqual(await shadowed('pass in inet proto tcp to port 22\npass in proto tcp divert-to 127.0.0.1 port 8080\n'), [[1, [2]]]);
  assert.deepEqual(await shadowed('pass in inet proto tcp to port 22\npass in proto tcp divert-to localhost port 8080\n'), []);
  assert.deepEqual(await shadowed('pass out inet proto tcp to port 80\npass out proto tcp nat-to em0\n'), []);
});

test('match rules never decide: not reported, never a cover', async () => {
  assert.deepEqual(await shadowed('match in all scrub (no-df)\nblock all\n'), []);
  assert.deepEqual(await shadowed('pass in proto tcp to port 22\nmatch in all\n'), []);
  assert.deepEqual(await shadowed('match in proto tcp to port 22\nmatch in proto tcp to port 22\n'), []);
});

test('quick on the later rule instead of the earlier one', async () => {
  assert.deepEqual(await shadowed('pass in quick proto tcp to port 22\nblock all\n'), []);
  assert.deepEqual(await shadowed('block in quick proto tcp to port 22\nblock quick all\n'), []);
});

test('rules with an effect besides deciding: tag, log (matches)', async () => {
  assert.deepEqual(await shadowed('pass in proto tcp to port 22 tag SSH\nblock all\n'), []);
  assert.deepEqual(await shadowed('block in log (matches) proto tcp to port 22\nblock all\n'), []);
});

test('anchors are boundaries', async () => {
  assert.deepEqual(await shadowed('pass in proto tcp to port 22\nanchor "foo"\nblock all\n'), []);
  assert.deepEqual(await shadowed('block quick all\nanchor "foo"\npass in proto tcp to port 22\n'), []);
  assert.deepEqual(await shadowed('pass in proto tcp to port 22\nanchor "x" {\n  block all\n}\n'), []);
  assert.deepEqual(await shadowed('anchor "x" {\n  pass in proto tcp to port 22\n}\nblock all\n'), []);
  assert.deepEqual(await shadowed('pass in proto tcp to port 22\nmatch quick in proto udp\nblock all\n'), []);
});

test('a translation between the rules: later rules see other addresses', async () => {
  assert.deepEqual(await shadowed('pass in proto tcp to 10.0.0.1 port 80\nmatch in proto tcp to 10.0.0.1 port 80 rdr-to 10.0.0.2\nblock in proto tcp to 10.0.0.1 port 80\n'), []);
});

test('rules the engine cannot read completely take part in no claim', async () => {
  // a list with an invalid combination: pfctl rejects the whole rule
  assert.deepEqual(await shadowed('pass in proto tcp to port 22\nblock in proto { tcp icmp } to port 22\n'), []);
  // a statement the engine cannot read sits between the two rules
  assert.deepEqual(await shadowed('pass in proto tcp to port 22\npass in frobnicate\nblock all\n'), []);
  assert.deepEqual(await shadowed('pass in proto tcp to port 22\nblock all\npass in frobnicate\npass in proto udp\nblock in proto udp\n'), []);
  // without it, the same rules are claimed
  assert.deepEqual(await shadowed('pass in proto tcp to port 22\nblock all\n'), [[1, [2]]]);
  // an undefined macro: nothing is claimed
  assert.deepEqual(await shadowed('pass in proto tcp to $nowhere port 22\nblock all\n'), []);
});

test('only the OpenBSD dialect', async () => {
  const a = await analyzer({ '/etc/pf.conf': 'pass in proto tcp to port 22\nblock all\n' }, { dialect: 'freebsd' });
  assert.deepEqual(shadowedRule.run({ unit: a.unitFor('/etc/pf.conf'), options: {} }), []);
});

// ---------------------------------------------------------------- regress corpus

const REGRESS = '/work/shared/corpus/openbsd-regress';

test('regress corpus: the check runs on every pf*.in', { skip: !existsSync(REGRESS) }, async () => {
  const names = readdirSync(REGRESS).filter((f) => /^pf.*\.in$/.test(f)).sort();
  const files: Record<string, string> = {};
  for (const f of readdirSync(REGRESS)) if (f.endsWith('.in') || f.endsWith('.include')) files[join('/regress', f)] = readFileSync(join(REGRESS, f), 'utf8');
  let warnings = 0;
  const hits: string[] = [];
  for (const name of names) {
    const path = join('/regress', name);
    const a = await analyzer({ [path]: files[path] });
    const d = shadowedRule.run({ unit: a.unitFor(path), options: { fullExpansion: true } });
    for (const w of d) {
      assert.equal(w.code, 'shadowed-rule');
      assert.ok(w.related && w.related.length > 0);
    }
    warnings += d.length;
    if (d.length) hits.push(`${name}: ${d.length}`);
  }
  assert.ok(names.length > 100);
  console.log(`shadowed-rule on ${names.length} regress files: ${warnings} warnings (${hits.join(', ')})`);
});
