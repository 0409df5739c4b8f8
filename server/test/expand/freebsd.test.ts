// The FreeBSD dialect of printRules (nat/rdr/binat/scrub rules, typed anchors, ALTQ) and the
// greylisting configurations of both dialects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { printRules } from '../../src/core/expand';

const EXAMPLES = '/work/shared/reference/examples/freebsd';

const fb = (text: string, extra: Partial<Parameters<typeof printRules>[0]> = {}) =>
  printRules({ path: 'stdin', text, dialect: 'freebsd', interfaces: { em0: ['192.0.2.10/24'], lo0: ['127.0.0.1/8'] }, ...extra });

test('OpenBSD greylisting: divert-to spamd, whitelist and nospamd tables', () => {
  const text = [
    'table <spamd-white> persist',
    'table <nospamd> persist file "/etc/mail/nospamd"',
    'pass in on egress proto tcp to any port smtp divert-to 127.0.0.1 port spamd',
    'pass in on egress proto tcp from <nospamd> to any port smtp',
    'pass in log on egress proto tcp from <spamd-white> to any port smtp',
    'pass out log on egress proto tcp to any port smtp',
    '',
  ].join('\n');
  const r = printRules({ path: 'stdin', text, interfaces: { egress: ['192.0.2.10/24'] } });
  assert.equal(r.stderr, '');
  assert.equal(
    r.stdout,
    [
      'table <spamd-white> persist',
      'table <nospamd> persist file "/etc/mail/nospamd"',
      'pass in on egress inet proto tcp from any to any port = 25 flags S/SA divert-to 127.0.0.1 port 8025',
      'pass in on egress proto tcp from <nospamd> to any port = 25 flags S/SA',
      'pass in log on egress proto tcp from <spamd-white> to any port = 25 flags S/SA',
      'pass out log on egress proto tcp from any to any port = 25 flags S/SA',
      '',
    ].join('\n'),
  );
});

const FREEBSD_GREYLIST = [
  'ext_if = "em0"',
  'table <spamd-white> persist',
  'table <nospamd> persist file "/etc/mail/nospamd"',
  'no rdr on $ext_if proto tcp from <nospamd> to any port smtp',
  'rdr pass on $ext_if inet proto tcp from !<spamd-white> to port smtp -> 127.0.0.1 port spamd',
  'pass in log on $ext_if proto tcp from <spamd-white> to port smtp',
  'pass out log on $ext_if proto tcp to port smtp',
  '',
].join('\n');

test('FreeBSD greylisting: rdr pass to spamd, printed rdr ruleset first, keep state spelled out', () => {
  const r = fb(FREEBSD_GREYLIST, { services: { spamd: 8025 } });
  assert.equal(r.stderr, '');
  assert.equal(
    r.stdout,
    [
      'ext_if = "em0"',
      'table <spamd-white> persist',
      'table <nospamd> persist file "/etc/mail/nospamd"',
      'no rdr on em0 proto tcp from <nospamd> to any port = smtp',
      'rdr pass on em0 inet proto tcp from ! <spamd-white> to any port = smtp -> 127.0.0.1 port 8025',
      'pass in log on em0 proto tcp from <spamd-white> to any port = smtp flags S/SA keep state',
      'pass out log on em0 proto tcp from any to any port = smtp flags S/SA keep state',
      '',
    ].join('\n'),
  );
});

test('FreeBSD base services(5) has no spamd: pfctl rejects `port spamd` there', () => {
  const r = fb(FREEBSD_GREYLIST);
  assert.equal(r.exitCode, 1);
  assert.equal(r.stderr, 'stdin:5: unknown port spamd\n');
});

test('FreeBSD share/examples/pf/spamd prints as pfctl would load it', () => {
  const text = readFileSync(join(EXAMPLES, 'spamd'), 'utf8');
  const r = fb(text, { services: { spamd: 8025 }, interfaces: { lo0: ['127.0.0.1/8'], lo1: ['127.0.0.2/8'] } });
  assert.equal(r.stderr, '');
  assert.equal(
    r.stdout,
    'table <spamd> persist\nno rdr on lo0 all\nno rdr on lo1 all\nrdr inet proto tcp from <spamd> to any port = smtp -> 127.0.0.1 port 8025\n',
  );
});

test('FreeBSD rulesets print in pfctl order: scrub, nat, rdr, binat, filter', () => {
  const r = fb(
    [
      'pass in on em0 proto tcp to port ssh',
      'binat on em0 from 10.0.0.2 to any -> 192.0.2.20',
      'rdr on em0 proto tcp to port 80 -> 10.0.0.5 port 8080',
      'nat on em0 from 10.0.0.0/24 to any -> (em0)',
      'scrub in on em0 all max-mss 1440 reassemble tcp',
      'nat-anchor "ftp-proxy/*"',
      'rdr-anchor "ftp-proxy/*"',
      'anchor "ftp-proxy/*"',
      '',
    ].join('\n'),
  );
  assert.equal(r.stderr, '');
  assert.deepEqual(r.stdout.trim().split('\n'), [
    'scrub in on em0 all max-mss 1440 reassemble tcp fragment reassemble',
    'nat on em0 inet from 10.0.0.0/24 to any -> (em0) round-robin',
    'nat-anchor "ftp-proxy/*" all',
    'rdr on em0 inet proto tcp from any to any port = http -> 10.0.0.5 port 8080',
    'rdr-anchor "ftp-proxy/*" all',
    'binat on em0 inet from 10.0.0.2 to any -> 192.0.2.20',
    'pass in on em0 proto tcp from any to any port = ssh flags S/SA keep state',
    'anchor "ftp-proxy/*" all',
  ]);
});

test('FreeBSD pools: lists print in braces, static-port and explicit port ranges', () => {
  const r = fb('nat on em0 from 10/8 -> { 192.0.2.1, 192.0.2.2 } static-port\nnat on em0 from 10/8 -> 192.0.2.1 port 2000:3000\nno nat on em0 from 10.1.1.1\n');
  assert.equal(r.stderr, '');
  assert.deepEqual(r.stdout.trim().split('\n'), [
    'nat on em0 inet from 10.0.0.0/8 to any -> { 192.0.2.1, 192.0.2.2 } round-robin static-port',
    'nat on em0 inet from 10.0.0.0/8 to any -> 192.0.2.1 port 2000:3000',
    'no nat on em0 inet from 10.1.1.1 to any',
  ]);
});

test('FreeBSD translation rules need `->`, and `no` ones must not have it', () => {
  const r = fb('nat on em0 from 10/8\nno rdr on em0 from any -> 10.0.0.1\n');
  assert.equal(r.exitCode, 1);
  assert.match(r.stderr, /stdin:1: translation rule requires '-> address'/);
  assert.match(r.stderr, /stdin:2: translation rule with 'no' does not need '->'/);
});

test('the OpenBSD dialect keeps rejecting FreeBSD-only statements', () => {
  const r = printRules({ path: 'stdin', text: 'nat on lo0 from any -> 127.0.0.1\nscrub in\naltq on lo0 priq bandwidth 1Mb queue { a }\n' });
  assert.equal(r.stderr, 'stdin:1: syntax error\nstdin:2: syntax error\nstdin:3: syntax error\n');
});

test('ALTQ: altq and queue lines as FreeBSD pfctl -nv prints them', () => {
  const r = fb(
    [
      'altq on em0 cbq bandwidth 10Mb queue { std, http }',
      'queue std bandwidth 10% cbq(default ecn)',
      'queue http bandwidth 1.5Mb priority 3 { web }',
      'queue web bandwidth 40% cbq(borrow)',
      'pass out on em0 proto tcp to port 80 queue (http, std)',
      '',
    ].join('\n'),
  );
  assert.equal(r.stderr, '');
  assert.deepEqual(r.stdout.split('\n'), [
    'altq on em0 cbq bandwidth 10Mb tbrsize 6000 queue { std http }',
    'queue std bandwidth 10% cbq( red ecn default ) ',
    'queue http bandwidth 1.50Mb priority 3 { web }',
    'queue web bandwidth 40% cbq( borrow ) ',
    'pass out on em0 proto tcp from any to any port = http flags S/SA keep state queue(http, std)',
    '',
  ]);
});

test('ALTQ checks: one default queue per interface, queues need a parent', () => {
  const r = fb('altq on em0 priq bandwidth 1Mb queue { a }\nqueue a priority 2\nqueue b priority 3\n');
  assert.equal(r.exitCode, 1);
  assert.match(r.stderr, /stdin:3: queue b has no parent/);
  assert.match(r.stderr, /pfctl: should have one default queue on em0/);
});

test('every FreeBSD example in share/examples/pf parses (no syntax error)', { skip: !existsSync(EXAMPLES) && `${EXAMPLES} absent` }, () => {
  const interfaces = {
    lo0: ['::1/128', 'fe80::1%lo0/64', '127.0.0.1/8'],
    fxp0: ['198.51.100.2/24'],
    fxp1: ['10.0.0.1/24'],
    xl0: ['192.168.0.1/24'],
    dc0: ['192.168.1.1/24'],
  };
  for (const f of readdirSync(EXAMPLES)) {
    let text = readFileSync(join(EXAMPLES, f), 'utf8');
    // pf.conf ships commented out: check its rules too
    if (f === 'pf.conf') text = text.replace(/^#(?!\t\$)(?=[a-z\t])/gm, '').replace(/ext0/g, 'fxp0').replace(/int0/g, 'xl0');
    const r = printRules({ path: f, text, dialect: 'freebsd', interfaces, services: { spamd: 8025 } });
    assert.doesNotMatch(r.stderr, /syntax error/, `${f}:\n${r.stderr}`);
    if (f !== 'faq-example3') assert.equal(r.stderr, '', `${f}:\n${r.stderr}`);
    assert.ok(r.stdout.length > 0, f);
  }
});
