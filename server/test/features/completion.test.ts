import assert from 'node:assert/strict';
import { test } from 'node:test';
import { completion } from '../../src/core/features/completion';
import { analyzer, cursor } from '../helpers';

async function complete(textWithCursor: string) {
  const { text, position } = cursor(textWithCursor);
  const a = await analyzer({ '/etc/pf.conf': text });
  return completion(a.unitFor('/etc/pf.conf'), a.workspace.getDocument('/etc/pf.conf')!, position);
}

const labels = (items: { label: string }[]) => items.map((i) => i.label);

test('$ completes macros with their values', async () => {
  const items = await complete('ext_if = "em0"\nlan = "{ 10.0.0.0/8 }"\npass in on $$0\n');
  assert.deepEqual(labels(items).sort(), ['ext_if', 'lan']);
  assert.equal(items.find((i) => i.label === 'ext_if')!.detail, 'em0');
});

test('< completes declared and known tables, closing the bracket', async () => {
  const items = await complete('table <bruteforce> persist\nblock from <br$0\n');
  const brute = items.find((i) => i.label === 'bruteforce')!;
  assert.equal(brute.insertText, 'bruteforce>');
  assert.equal(brute.range.start.character, 12);
  assert.ok(labels(items).includes('spamd-white'));
});

test('after port: service names', async () => {
  const items = await complete('pass in proto tcp to port $0\n');
  assert.ok(labels(items).includes('ssh'));
  assert.ok(labels(items).includes('smtp'));
  assert.match(items.find((i) => i.label === 'ssh')!.detail!, /^22\//);
});

test('after set: options; after set timeout: timeout names', async () => {
  assert.ok(labels(await complete('set $0\n')).includes('block-policy'));
  assert.ok(labels(await complete('set $0\n')).includes('skip'));
  const t = await complete('set timeout $0\n');
  assert.ok(labels(t).includes('tcp.established'));
  assert.ok(labels(t).includes('interval'));
  assert.deepEqual(labels(await complete('set block-policy $0\n')).sort(), ['drop', 'return']);
});

test('after icmp-type: ICMP type names', async () => {
  assert.ok(labels(await complete('pass inet proto icmp icmp-type $0\n')).includes('echoreq'));
  assert.ok(labels(await complete('pass inet6 proto icmp6 icmp6-type $0\n')).includes('neighbrsol'));
});

test('rule keywords come in the order pfctl accepts them', async () => {
  const afterPass = labels(await complete('pass $0\n'));
  assert.ok(afterPass.indexOf('in') < afterPass.indexOf('quick'));
  assert.ok(afterPass.indexOf('quick') < afterPass.indexOf('from'));
  const afterOn = labels(await complete('pass in quick on em0 $0\n'));
  assert.ok(!afterOn.includes('in') && !afterOn.includes('quick') && !afterOn.includes('log'));
  assert.ok(afterOn.includes('inet') && afterOn.includes('proto') && afterOn.includes('from'));
  const afterTo = labels(await complete('pass in on em0 proto tcp from any to any $0\n'));
  assert.ok(afterTo.includes('keep') && afterTo.includes('label') && !afterTo.includes('proto'));
});

test('line start: statements and snippets for the file\'s dialect', async () => {
  const ob = await complete('pass all\n$0\n');
  assert.ok(labels(ob).includes('table') && labels(ob).includes('match'));
  const spamdOb = ob.find((i) => i.kind === 'snippet' && i.label === 'spamd')!;
  assert.match(spamdOb.insertText!, /divert-to 127\.0\.0\.1 port spamd/);
  assert.ok(ob.some((i) => i.kind === 'snippet' && i.label === 'skeleton'));
  assert.ok(ob.some((i) => i.kind === 'snippet' && i.label === 'bruteforce'));
  const fb = await complete('nat on em0 from any to any -> (em0)\n$0\n');
  assert.match(fb.find((i) => i.kind === 'snippet' && i.label === 'spamd')!.insertText!, /rdr pass/);
  assert.match(fb.find((i) => i.kind === 'snippet' && i.label === 'nat-gateway')!.insertText!, /^nat on|\nnat on/m);
  assert.ok(labels(fb).includes('rdr'));
});

test('keyword items carry their documentation', async () => {
  const items = await complete('pass in $0\n');
  const quick = items.find((i) => i.label === 'quick')!;
  assert.match(quick.documentation!, /quick/);
});
