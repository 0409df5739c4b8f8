import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freebsdUnsupported } from '../../src/core/checks/dialect/freebsd-unsupported';
import { sectionOrder } from '../../src/core/checks/dialect/section-order';
import { applyFix, fixOnly, run } from './fixture';

const check = freebsdUnsupported;

test('match out … nat-to → nat on … -> …, a warning', async () => {
  const text = 'ext_if = "em0"\nmatch out on $ext_if from $lan to any nat-to ($ext_if)\n';
  const [d] = await run(check, text, 'freebsd');
  assert.equal(d.code, 'freebsd-unsupported');
  assert.equal(d.severity, 'warning');
  assert.deepEqual(d.range, { start: { line: 1, character: 38 }, end: { line: 1, character: 44 } });
  assert.match(d.message, /no 'nat-to' option.*'nat on <interface> from … to … -> <address>/);
  assert.equal(await fixOnly(check, text, 'freebsd'), 'ext_if = "em0"\nnat on $ext_if from $lan to any -> ($ext_if)\n');
});

test('pass in … rdr-to → rdr pass; pool options and ports carry over', async () => {
  assert.equal(await fixOnly(check, 'pass in on $int_if proto tcp to port ftp rdr-to 127.0.0.1 port 8021\n', 'freebsd'),
    'rdr pass on $int_if proto tcp to port ftp -> 127.0.0.1 port 8021\n');
  assert.equal(await fixOnly(check, 'pass out log on em0 inet from 10.0.0.0/8 to any tag NAT nat-to { 192.0.2.1, 192.0.2.2 } port 1024:65535 round-robin static-port\n', 'freebsd'),
    'nat pass log on em0 inet from 10.0.0.0/8 to any tag NAT -> { 192.0.2.1, 192.0.2.2 } port 1024:65535 round-robin static-port\n');
});

test('binat-to → binat', async () => {
  assert.equal(await fixOnly(check, 'match on $if from 10.1.2.120 to any binat-to 192.0.2.17\n', 'freebsd'),
    'binat on $if from 10.1.2.120 to any -> 192.0.2.17\n');
});

test('after filter rules, the rewritten rule moves above them (translation comes first) and keeps its layout', async () => {
  const text = 'set skip on lo0\n\nblock all\npass out all\n# nat\nmatch out on $ext_if from $lan \\\n  to any nat-to ($ext_if) # masq\n';
  const [d] = await run(check, text, 'freebsd');
  assert.match(d.fixes?.[0].title ?? '', /moved above the filter rules \(line 3\)/);
  const out = await applyFix(text, d.fixes?.[0]);
  assert.equal(out, 'set skip on lo0\n\nnat on $ext_if from $lan \\\n  to any -> ($ext_if)\nblock all\npass out all\n# nat\n# masq\n');
  assert.deepEqual(await run(check, out, 'freebsd'), []);
  assert.deepEqual(await run(sectionOrder, out, 'freebsd'), []);
});

test('inside an anchor block the rule moves above the block\'s filter rules, indented like them', async () => {
  const text = 'anchor "a" {\n  pass all\n  match out on em0 from any nat-to (em0)\n}\n';
  const out = await fixOnly(check, text, 'freebsd');
  assert.equal(out, 'anchor "a" {\n  nat on em0 from any -> (em0)\n  pass all\n}\n');
});

test('no reverse fix when the rule holds more than a nat rule can', async () => {
  for (const text of [
    'match on em0 from any nat-to (em0)\n', // no direction
    'match in on em0 from any nat-to (em0)\n', // nat-to inbound
    'match out log on em0 from any nat-to (em0)\n', // log without pass
    'pass out quick on em0 from any nat-to (em0)\n', // quick
    'pass out on em0 from any nat-to (em0) label "x"\n', // something after the translation
    'pass out on em0 proto tcp from any flags S/SA nat-to (em0)\n', // flags
    'match out on em0 from any nat-to { 192.0.2.1, 192.0.2.2 } least-states\n',
    'match on em0 from 10.0.0.1 to any binat-to 192.0.2.1 port 80\n',
  ]) {
    const found = (await run(check, text, 'freebsd')).filter((d) => /no '(nat|binat)-to'/.test(d.message));
    assert.equal(found.length, 1, text);
    assert.equal(found[0].fixes, undefined, text);
  }
});

test('set tos → scrub (set-tos …), set queue → queue …, set delay has no fix', async () => {
  assert.equal(await fixOnly(check, 'pass in proto tcp to port 22 set tos lowdelay\n', 'freebsd'),
    'pass in proto tcp to port 22 scrub (set-tos lowdelay)\n');
  assert.equal(await fixOnly(check, 'pass in proto tcp to port 22 set queue (ssh_bulk, ssh_prio)\n', 'freebsd'),
    'pass in proto tcp to port 22 queue (ssh_bulk, ssh_prio)\n');
  const [delay] = await run(check, 'pass in proto tcp to port 22 set delay 10\n', 'freebsd');
  assert.match(delay.message, /no 'set delay'/);
  assert.equal(delay.fixes, undefined);
  const [tos] = await run(check, 'match in all scrub (no-df) set tos lowdelay\n', 'freebsd');
  assert.equal(tos.fixes, undefined, 'a rule that already scrubs is not merged');
});

test('other OpenBSD-only options are warnings naming what FreeBSD has', async () => {
  const text = 'pass in on rdomain 1 from route foo once max-pkt-rate 100/10 divert-packet port 700 divert-reply\n' +
    'set debug warning\nmatch out on em0 nat-to { 192.0.2.1, 192.0.2.2 } least-states\n' +
    'queue std on em0 bandwidth 100M\nqueue ssh parent std bandwidth 10M min 5M max 25M burst 90M for 100ms flows 1024\n';
  const found = await run(check, text, 'freebsd');
  const messages = found.map((d) => `${d.range.start.line}:${d.message}`);
  const expect = [
    /^0:.*routing domains.*rtable/,
    /^0:.*'route <label>'/,
    /^0:.*'once'/,
    /^0:.*'max-pkt-rate'/,
    /^0:.*'divert-packet'.*divert\(4\)/,
    /^0:.*'divert-reply' has no meaning/,
    /^1:.*none, urgent, misc or loud/,
    /^2:.*'nat-to'/,
    /^2:.*'least-states'.*bitmask, random, source-hash and round-robin/,
    /^4:.*OpenBSD-style queue \('parent', 'min', 'max', 'burst', 'for', 'flows'.*altq on/,
  ];
  assert.equal(messages.length, expect.length, messages.join('\n'));
  expect.forEach((re, i) => assert.match(messages[i], re));
  assert.ok(found.every((d) => d.severity === 'warning'));
});

test('what FreeBSD\'s manual documents is not flagged: af-to, set prio, received-on, divert-to, match … scrub, ALTQ', async () => {
  const text = 'altq on em0 cbq bandwidth 10Mb queue { std ssh }\nqueue std bandwidth 90% cbq(default)\nqueue ssh bandwidth 10% priority 7 cbq\n' +
    'nat on em0 from any to any -> (em0)\nrdr pass on em0 proto tcp to port 80 -> 10.0.0.1\n' +
    'match in all scrub (no-df random-id max-mss 1440)\npass in inet af-to inet6 from 2001:db8::1\n' +
    'pass in proto tcp to port 22 set prio (2, 5) queue ssh\npass in received-on em0 divert-to 127.0.0.1 port 700\nset debug urgent\n';
  assert.deepEqual(await run(check, text, 'freebsd'), []);
});

test('macOS documents are checked too; OpenBSD documents are not', async () => {
  const text = 'match out on em0 from any nat-to (em0)\n';
  assert.equal((await run(check, text, 'macos')).length, 1);
  assert.deepEqual(await run(check, text, 'openbsd'), []);
  assert.deepEqual(await run(check, text, 'auto'), []);
});

test('several nat-to rules: the message warns that FreeBSD applies the first matching nat rule', async () => {
  const text = 'match out on em0 from 10.0.0.0/24 nat-to (em0)\nmatch out on em0 from 10.0.0.0/8 nat-to 192.0.2.1\n';
  const found = await run(check, text, 'freebsd');
  assert.equal(found.length, 2);
  assert.ok(found.every((d) => /FreeBSD applies the first that matches/.test(d.message)));
});
