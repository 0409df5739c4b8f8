import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openbsdOldStyle } from '../../src/core/checks/dialect/openbsd-old-style';
import { applyFix, fixOnly, run } from './fixture';

const check = openbsdOldStyle;

test('nat → match out … nat-to, an error', async () => {
  const text = 'ext_if = "em0"\nlan = "10.0.0.0/24"\nnat on $ext_if from $lan to any -> ($ext_if)\n';
  const [d] = await run(check, text, 'openbsd');
  assert.equal(d.code, 'openbsd-old-style');
  assert.equal(d.severity, 'error');
  assert.deepEqual(d.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 3 } });
  assert.match(d.message, /no longer has 'nat' rules.*'match out … nat-to …'/);
  assert.equal(await fixOnly(check, text, 'openbsd'),
    'ext_if = "em0"\nlan = "10.0.0.0/24"\nmatch out on $ext_if from $lan to any nat-to ($ext_if)\n');
});

test('rdr pass → pass in … rdr-to, with a quick variant', async () => {
  const text = 'rdr pass on $int_if proto tcp to port ftp -> 127.0.0.1 port 8021\n';
  const [d] = await run(check, text, 'openbsd');
  assert.match(d.message, /bypass the filter rules/);
  assert.equal(d.fixes?.length, 2);
  assert.equal(d.fixes?.[0].preferred, true);
  assert.equal(await fixOnly(check, text, 'openbsd'), 'pass in on $int_if proto tcp to port ftp rdr-to 127.0.0.1 port 8021\n');
  assert.equal(await fixOnly(check, text, 'openbsd', 1), 'pass in quick on $int_if proto tcp to port ftp rdr-to 127.0.0.1 port 8021\n');
});

test('rdr without pass → match in; port ranges carry over', async () => {
  const text = 'rdr on em0 proto tcp from any to any port 2000:2999 -> 10.0.0.1 port 4000:*\n';
  assert.equal(await fixOnly(check, text, 'openbsd'),
    'match in on em0 proto tcp from any to any port 2000:2999 rdr-to 10.0.0.1 port 4000:*\n');
});

test('binat → match on … binat-to (no direction)', async () => {
  const text = 'binat on $if from 10.1.2.120 to any -> 192.0.2.17\n';
  assert.equal(await fixOnly(check, text, 'openbsd'), 'match on $if from 10.1.2.120 to any binat-to 192.0.2.17\n');
});

test('nat pass log with lists, tag and pool options keeps every option', async () => {
  const text = 'nat pass log on em0 inet proto tcp from { 10.0.0.0/8, !10.1.0.0/16 } to any tag NAT ' +
    '-> { 192.0.2.1, 192.0.2.2 } port 1024:65535 round-robin sticky-address static-port\n';
  assert.equal(await fixOnly(check, text, 'openbsd'),
    'pass out log on em0 inet proto tcp from { 10.0.0.0/8, !10.1.0.0/16 } to any tag NAT ' +
    'nat-to { 192.0.2.1, 192.0.2.2 } port 1024:65535 round-robin sticky-address static-port\n');
});

test('macros, comments and line continuations survive the rewrite', async () => {
  const text = '# outbound\nnat on $ext_if from $lan \\\n    to any -> ($ext_if) # masquerade\npass all\n';
  assert.equal(await fixOnly(check, text, 'openbsd'),
    '# outbound\nmatch out on $ext_if from $lan \\\n    to any nat-to ($ext_if) # masquerade\npass all\n');
});

test('no nat: an error without a fix, explaining there is no negation', async () => {
  const [d] = await run(check, 'no nat on $ext_if from 10.0.0.1 to any\n', 'openbsd');
  assert.deepEqual(d.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 6 } });
  assert.match(d.message, /no 'no nat' rules.*cannot be negated/);
  assert.equal(d.fixes, undefined);
});

test('scrub in all fragment reassemble: removed, reassembly being the default', async () => {
  const text = 'set skip on lo\nscrub in all fragment reassemble\npass all\n';
  const [d] = await run(check, text, 'openbsd');
  assert.match(d.message, /reassembles fragments.*by default/);
  assert.equal(await fixOnly(check, text, 'openbsd'), 'set skip on lo\npass all\n');
});

test('a trailing comment stays when the scrub rule is removed', async () => {
  const text = 'scrub in on em0 all fragment reassemble # normalise\npass all\n';
  assert.equal(await fixOnly(check, text, 'openbsd'), '# normalise\npass all\n');
});

test('scrub options move into match … scrub (…); fragment reassemble is dropped', async () => {
  const text = 'scrub on em0 all fragment reassemble min-ttl 15 max-mss 1400\n';
  const [d] = await run(check, text, 'openbsd');
  assert.match(d.message, /'fragment reassemble' has no counterpart/);
  assert.match(d.fixes?.[0].title ?? '', /dropping 'fragment reassemble'/);
  assert.equal(await fixOnly(check, text, 'openbsd'), 'match on em0 all scrub (min-ttl 15 max-mss 1400)\n');
});

test('no-df, random-id and reassemble tcp carry over', async () => {
  assert.equal(await fixOnly(check, 'scrub out on em0 all random-id no-df\n', 'openbsd'),
    'match out on em0 all scrub (random-id no-df)\n');
  assert.equal(await fixOnly(check, 'scrub in on em0 all reassemble tcp max-mss 1440\n', 'openbsd'),
    'match in on em0 all scrub (reassemble tcp max-mss 1440)\n');
  assert.equal(await fixOnly(check, 'scrub in all reassemble tcp\n', 'openbsd'), 'match in all scrub (reassemble tcp)\n');
});

test('a parenthesised scrub list and set-tos (OpenBSD: set tos)', async () => {
  assert.equal(await fixOnly(check, 'scrub in all (no-df, max-mss 1440)\n', 'openbsd'), 'match in all scrub (no-df, max-mss 1440)\n');
  assert.equal(await fixOnly(check, 'scrub out all set-tos lowdelay random-id\n', 'openbsd'),
    'match out all set tos lowdelay scrub (random-id)\n');
});

test('scrub options on a continuation line keep the layout', async () => {
  const text = 'scrub in all \\\n    fragment reassemble max-mss 1400 # mss\n';
  assert.equal(await fixOnly(check, text, 'openbsd'), 'match in all \\\n    scrub (max-mss 1400) # mss\n');
});

test('no scrub, no fragment reassemble and fragment crop: errors without a fix', async () => {
  for (const text of ['no scrub on em0 from 10.0.0.1\n', 'scrub in all no fragment reassemble\n', 'scrub in all fragment crop\n']) {
    const found = await run(check, text, 'openbsd');
    assert.equal(found.length, 1, text);
    assert.equal(found[0].fixes, undefined, text);
  }
  const [noScrub] = await run(check, 'no scrub on em0 from 10.0.0.1\n', 'openbsd');
  assert.match(noScrub.message, /no 'no scrub'/);
  assert.equal(noScrub.range.start.character, 0);
  const [noFrag] = await run(check, 'scrub in all no fragment reassemble\n', 'openbsd');
  assert.match(noFrag.message, /set reassemble no/);
});

test('ftp-proxy anchors: nat-anchor and rdr-anchor go, the plain anchor stays', async () => {
  const text = 'nat-anchor "ftp-proxy/*"\nrdr-anchor "ftp-proxy/*"\nanchor "ftp-proxy/*"\n';
  const found = await run(check, text, 'openbsd');
  assert.equal(found.length, 2);
  assert.match(found[0].message, /no 'nat-anchor'.*already evaluates it/);
  let out = await applyFix(text, found[0].fixes?.[0]);
  assert.equal(out, 'rdr-anchor "ftp-proxy/*"\nanchor "ftp-proxy/*"\n');
  out = await applyFix(out, (await run(check, out, 'openbsd'))[0].fixes?.[0]);
  assert.equal(out, 'anchor "ftp-proxy/*"\n');
  assert.deepEqual(await run(check, out, 'openbsd'), []);
});

test('a lone nat-anchor becomes anchor; of two with one name, the second is removed', async () => {
  assert.equal(await fixOnly(check, 'scrub-anchor "com.apple/*"\n', 'openbsd'), 'anchor "com.apple/*"\n');
  const text = 'nat-anchor "x"\nrdr-anchor "x"\n';
  const [first, second] = await run(check, text, 'openbsd');
  assert.equal(await applyFix(text, first.fixes?.[0]), 'anchor "x"\nrdr-anchor "x"\n');
  assert.equal(await applyFix(text, second.fixes?.[0]), 'nat-anchor "x"\n');
  const both = await applyFix(text, { title: 'both', edits: [...first.fixes![0].edits, ...second.fixes![0].edits] });
  assert.equal(both, 'anchor "x"\n');
  assert.deepEqual(await run(check, both, 'openbsd'), []);
});

test('altq, ALTQ queues, ether rules and dummynet-anchor are errors without a fix', async () => {
  const text = 'altq on em0 cbq bandwidth 10Mb queue { std }\nqueue std bandwidth 100% cbq(default)\n' +
    'ether pass in on em0\ndummynet-anchor "y"\n';
  const found = await run(check, text, 'openbsd');
  assert.deepEqual(found.map((d) => d.range.start.line), [0, 1, 2, 3]);
  assert.ok(found.every((d) => d.fixes === undefined && d.severity === 'error'));
  assert.match(found[0].message, /no longer has ALTQ.*QUEUEING/);
});

test('native OpenBSD syntax is not flagged', async () => {
  const text = 'queue std on em0 bandwidth 100M\nqueue ssh parent std bandwidth 10M default\n' +
    'match out on egress from 10.0.0.0/8 nat-to (egress)\nmatch in all scrub (no-df random-id)\nanchor "ftp-proxy/*"\n' +
    'pass in on egress proto tcp to port smtp rdr-to 127.0.0.1 port spamd\n';
  assert.deepEqual(await run(check, text, 'openbsd'), []);
});

test('only OpenBSD documents: FreeBSD, macOS and auto-detected old-style files are left alone', async () => {
  const text = 'nat on em0 from any to any -> (em0)\nscrub in all\n';
  assert.deepEqual(await run(check, text, 'freebsd'), []);
  assert.deepEqual(await run(check, text, 'macos'), []);
  assert.deepEqual(await run(check, text, 'auto'), []);
});

test('several nat rules: the message warns that match rules let the last one win', async () => {
  const text = 'nat on em0 from 10.0.0.0/24 to any -> (em0)\nnat on em0 from 10.0.0.0/8 to any -> 192.0.2.1\n';
  const found = await run(check, text, 'openbsd');
  assert.equal(found.length, 2);
  assert.ok(found.every((d) => /FreeBSD applied the first that matched.*the last matching one wins/.test(d.message)));
  const [single] = await run(check, 'nat on em0 from 10.0.0.0/24 to any -> (em0)\n', 'openbsd');
  assert.doesNotMatch(single.message, /first that matched/);
});
