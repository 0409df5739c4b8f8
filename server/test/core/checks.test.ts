import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzer, codes, diagnosticsOf } from '../helpers';

const GREYLISTING = `ext_if = "em0"
external_addr = "192.0.2.1"
table <spamd-white> persist
table <nospamd> persist file "/etc/mail/nospamd"
rdr pass inet proto tcp from <spamd-mywhite> to $external_addr port smtp -> 127.0.0.1 port smtp
rdr pass inet proto tcp from !<spamd-white> to $external_addr port smtp -> 127.0.0.1 port spamd
pass in on $ext_if proto tcp from <nospamd> to any port smtp
`;

test('greylisting typo: exactly one undefined-table with the suggestion spamd-white', async () => {
  const d = (await diagnosticsOf(GREYLISTING)).filter((x) => x.code === 'undefined-table');
  assert.equal(d.length, 1);
  assert.equal(d[0].severity, 'warning');
  assert.equal(d[0].range.start.line, 4);
  assert.match(d[0].message, /did you mean <spamd-white>\?/);
  assert.deepEqual(d[0].fixes?.[0].edits[0].newText, 'spamd-white');
  assert.match(d[0].fixes?.[1].title ?? '', /table <spamd-mywhite> persist/);
});

test('the corrected greylisting config has no undefined-table', async () => {
  const d = await diagnosticsOf(GREYLISTING.replace('spamd-mywhite', 'spamd-white'));
  assert.deepEqual(codes(d).filter((c) => c.startsWith('undefined')), []);
});

test('spamd tables are known in a spamd setup, not elsewhere', async () => {
  const setup = 'pass in proto tcp to port smtp divert-to 127.0.0.1 port spamd\npass in proto tcp from <spamd-white> to port smtp\n';
  assert.deepEqual(codes(await diagnosticsOf(setup)).filter((c) => c === 'undefined-table'), []);
  const noSetup = 'pass in proto tcp from <spamd-white> to port smtp\n';
  assert.deepEqual(codes(await diagnosticsOf(noSetup)).filter((c) => c === 'undefined-table'), ['undefined-table']);
});

test('overload targets and pf.externalTables are not undefined', async () => {
  const text = 'pass in proto tcp to port ssh keep state (max-src-conn-rate 5/30, overload <bruteforce> flush global)\n' +
    'block quick from <bruteforce>\nblock quick from <fail2ban>\n';
  assert.deepEqual(codes(await diagnosticsOf(text, { externalTables: ['fail2ban'] })).filter((c) => c === 'undefined-table'), []);
  assert.deepEqual(codes(await diagnosticsOf(text)).filter((c) => c === 'undefined-table'), ['undefined-table']);
});

test('tables in an anchor block are visible inside it only', async () => {
  const text = 'anchor "a" {\n table <inner> { 10.0.0.1 }\n pass from <inner>\n}\npass from <inner>\n';
  const d = (await diagnosticsOf(text)).filter((x) => x.code === 'undefined-table');
  assert.deepEqual(d.map((x) => x.range.start.line), [4]);
});

test('undefined-macro uses pfctl\'s message, suggests, and respects order', async () => {
  const d = (await diagnosticsOf('ext_if = "em0"\npass in on $ext_iff all\n')).filter((x) => x.code === 'undefined-macro');
  assert.equal(d.length, 1);
  assert.match(d[0].message, /^macro 'ext_iff' not defined; did you mean '\$ext_if'\?/);
  assert.equal(d[0].severity, 'error');
  assert.equal(d[0].fixes?.[0].edits[0].newText, 'ext_if');
  const late = (await diagnosticsOf('pass in on $x all\nx = "em0"\n')).filter((x) => x.code === 'undefined-macro');
  assert.match(late[0].message, /before this line/);
});

test('unused definitions are faded hints', async () => {
  const d = await diagnosticsOf('a = "1"\ntable <t> persist\npass all\n');
  const unused = d.filter((x) => x.code.startsWith('unused-'));
  assert.deepEqual(unused.map((x) => x.code).sort(), ['unused-macro', 'unused-table']);
  assert.ok(unused.every((x) => x.severity === 'hint' && x.tags?.includes('unnecessary')));
});

test('duplicate-table, macro-redefined, table-name-too-long, macro-cycle', async () => {
  const long = 'x'.repeat(32);
  const d = await diagnosticsOf(`table <t> persist\ntable <t> const\na = "1"\na = "2"\npass from <t> port $a\n` +
    `block from <${long}>\nb = "$c"\nc = "$b"\npass to port $b\n`);
  const c = codes(d);
  assert.ok(c.includes('duplicate-table'));
  assert.ok(c.includes('macro-redefined'));
  assert.ok(c.includes('table-name-too-long'));
  assert.ok(c.includes('macro-cycle'));
  const redefined = d.find((x) => x.code === 'macro-redefined')!;
  assert.equal(redefined.related?.[0].range.start.line, 2);
});

test('suppression comments: next line and whole file', async () => {
  const next = await diagnosticsOf('# pfcheck-disable-next-line undefined-table\npass from <nope>\npass from <nope2>\n');
  assert.deepEqual(next.filter((x) => x.code === 'undefined-table').map((x) => x.range.start.line), [2]);
  const file = await diagnosticsOf('pass from <nope>\n# pfcheck-disable undefined-table, unused-macro\nq = "1"\n');
  assert.deepEqual(codes(file), []);
});

test('includes: definitions flow into the includer, cycles and missing files are reported', async () => {
  const a = await analyzer({
    '/fw/pf.conf': 'include "/fw/macros.conf"\npass in on $ext_if from <lan>\ninclude "missing.conf"\n',
    '/fw/macros.conf': 'ext_if = "em0"\ntable <lan> { 10.0.0.0/8 }\n',
  });
  const d = a.diagnostics('/fw/pf.conf');
  assert.deepEqual(codes(d).filter((c) => c.startsWith('undefined')), []);
  const missing = d.find((x) => x.code === 'missing-include')!;
  assert.equal(missing.range.start.line, 2);
  assert.match(missing.message, /missing\.conf/);
  // The included file alone, checked in its includer's context: no false undefined-macro.
  assert.deepEqual(codes(a.diagnostics('/fw/macros.conf')).filter((c) => c.startsWith('undefined')), []);

  const cyc = await analyzer({ '/c/a.conf': 'include "b.conf"\n', '/c/b.conf': 'include "a.conf"\n' });
  const cd = cyc.diagnostics('/c/a.conf').concat(cyc.diagnostics('/c/b.conf'));
  assert.ok(cd.some((x) => x.code === 'include-cycle' && /a\.conf → .*b\.conf → .*a\.conf/.test(x.message)), JSON.stringify(cd));
});
