import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sectionOrder } from '../../src/core/checks/dialect/section-order';
import { PATH, run } from './fixture';

const check = sectionOrder;

const ORDERED = `ext_if = "em0"
table <bad> persist
set skip on lo0
set block-policy drop
ether pass in on em0
scrub in all fragment reassemble
altq on $ext_if cbq bandwidth 10Mb queue { std }
queue std bandwidth 100% cbq(default)
nat-anchor "ftp-proxy/*"
nat on $ext_if from 10.0.0.0/8 to any -> ($ext_if)
rdr pass on $ext_if proto tcp to port 80 -> 10.0.0.2
table <late> persist
lan = "10.0.0.0/8"
anchor "ftp-proxy/*"
block in all
antispoof for $ext_if
pass out all
load anchor "ftp-proxy" from "/etc/pf-ftp.conf"
`;

test('a ruleset in FreeBSD\'s order has no section-order error; macros and tables go anywhere', async () => {
  assert.deepEqual(await run(check, ORDERED, 'freebsd'), []);
  assert.deepEqual(await run(check, ORDERED, 'macos'), []);
});

test('a translation rule after filter rules is an error pointing at the first filter rule', async () => {
  const text = 'set skip on lo0\npass out all\nblock in all\nnat on em0 from any to any -> (em0)\n';
  const found = await run(check, text, 'freebsd');
  assert.equal(found.length, 1);
  const [d] = found;
  assert.equal(d.code, 'section-order');
  assert.equal(d.severity, 'error');
  assert.equal(d.path, PATH);
  assert.deepEqual(d.range, { start: { line: 3, character: 0 }, end: { line: 3, character: 3 } });
  assert.match(d.message, /^'nat' rule \(translation\) comes after packet filtering \(line 2\): by default pfctl enforces/);
  assert.match(d.message, /set require-order no/);
  assert.deepEqual(d.related?.[0].range.start, { line: 1, character: 0 });
});

test('options, scrub, queues and old anchors out of place are each reported', async () => {
  const text = 'nat on em0 from any to any -> (em0)\nscrub in all\npass all\nqueue q bandwidth 10% cbq\nrdr-anchor "x"\nset limit states 10000\n';
  const found = await run(check, text, 'freebsd');
  assert.deepEqual(found.map((d) => d.range.start.line), [1, 3, 4, 5]);
  assert.match(found[0].message, /^'scrub' rule \(traffic normalization\) comes after translation \(line 1\)/);
  assert.match(found[2].message, /^'rdr-anchor' \(translation\)/);
  assert.match(found[3].message, /^'set limit' \(options\).*move it above the rules/);
});

test('set require-order no switches the check off from where it stands', async () => {
  const text = 'set require-order no\npass all\nnat on em0 from any to any -> (em0)\n';
  assert.deepEqual(await run(check, text, 'freebsd'), []);
  const late = 'pass all\nnat on em0 from any to any -> (em0)\nset require-order no\nrdr on em0 proto tcp to port 80 -> 10.0.0.1\n';
  assert.deepEqual((await run(check, late, 'freebsd')).map((d) => d.range.start.line), [1, 2]);
  const again = 'set require-order no\nset require-order yes\npass all\nnat on em0 from any to any -> (em0)\n';
  assert.deepEqual((await run(check, again, 'freebsd')).map((d) => d.range.start.line), [3]);
});

test('the order runs through included files, in place', async () => {
  const text = 'include "/etc/pf/filter.conf"\nnat on em0 from any to any -> (em0)\n';
  const found = await run(check, text, 'freebsd', { '/etc/pf/filter.conf': 'block all\npass out all\n' });
  assert.equal(found.length, 1);
  assert.equal(found[0].path, PATH);
  assert.match(found[0].message, /packet filtering \(\/etc\/pf\/filter\.conf:1\)/);
  assert.equal(found[0].related?.[0].path, '/etc/pf/filter.conf');
  const fine = 'nat on em0 from any to any -> (em0)\ninclude "/etc/pf/filter.conf"\n';
  assert.deepEqual(await run(check, fine, 'freebsd', { '/etc/pf/filter.conf': 'block all\npass out all\n' }), []);
});

test('an anchor block is a ruleset of its own', async () => {
  const ok = 'nat on em0 from any to any -> (em0)\npass all\nanchor "a" {\n  nat on em1 from any to any -> (em1)\n  pass all\n}\n';
  assert.deepEqual(await run(check, ok, 'freebsd'), []);
  const bad = 'anchor "a" {\n  pass all\n  nat on em1 from any to any -> (em1)\n}\n';
  assert.deepEqual((await run(check, bad, 'freebsd')).map((d) => d.range.start.line), [2]);
});

test('OpenBSD has no statement order: nothing is reported', async () => {
  const text = 'pass all\nset skip on lo0\nmatch out on em0 nat-to (em0)\n';
  assert.deepEqual(await run(check, text, 'openbsd'), []);
  assert.deepEqual(await run(check, text, 'auto'), []);
});
