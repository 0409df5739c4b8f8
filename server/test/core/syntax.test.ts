import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDocument } from '../../src/core';
import { codes, diagnosticsOf, parser } from '../helpers';

test('a valid ruleset has no syntax errors', async () => {
  const d = await diagnosticsOf('ext_if = "em0"\nblock all\npass out on $ext_if proto tcp to port { 22 80 } keep state\n');
  assert.deepEqual(codes(d).filter((c) => c === 'syntax-error'), []);
});

test('a stray token is reported where it is, naming it and what came before', async () => {
  const d = (await diagnosticsOf('pass in all\npass in on em0 frm any\n')).filter((x) => x.code === 'syntax-error');
  assert.equal(d.length, 1);
  assert.equal(d[0].range.start.line, 1);
  assert.match(d[0].message, /unexpected 'frm'|unexpected 'any'/);
  assert.equal(d[0].severity, 'error');
});

test('an unclosed anchor block reports the missing brace', async () => {
  const d = (await diagnosticsOf('anchor "x" {\n  pass all\n')).filter((x) => x.code === 'syntax-error');
  assert.ok(d.length >= 1);
  assert.ok(d.some((x) => /missing '\}'|unexpected/.test(x.message)), d.map((x) => x.message).join('; '));
});

test('the greylisting rule parses with a named table reference', async () => {
  const p = await parser();
  const doc = parseDocument(p, 'pf.conf',
    'rdr pass inet proto tcp from <spamd-mywhite> to $external_addr port smtp -> 127.0.0.1 port smtp\n');
  const rule = doc.tree!.rootNode.namedChild(0)!;
  assert.equal(rule.type, 'translation_rule');
  const host = rule.namedChildren.find((n) => n?.type === 'source')!.childForFieldName('host')!;
  assert.equal(host.type, 'table_reference');
  assert.equal(host.childForFieldName('name')!.text, 'spamd-mywhite');
  assert.equal(doc.tree!.rootNode.hasError, false);
});

test('dialect auto-detection', async () => {
  const p = await parser();
  assert.equal(parseDocument(p, 'a', 'match out on egress nat-to (egress)\n').dialect, 'openbsd');
  assert.equal(parseDocument(p, 'a', 'nat on em0 from any to any -> (em0)\n').dialect, 'freebsd');
  assert.equal(parseDocument(p, 'a', 'scrub in all\n').dialect, 'freebsd');
  assert.equal(parseDocument(p, 'a', 'anchor "com.apple/*"\n').dialect, 'macos');
  assert.equal(parseDocument(p, 'a', 'nat on em0 from any to any -> (em0)\n', 'openbsd').dialect, 'openbsd');
});
