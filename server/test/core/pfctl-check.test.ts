// pfctl's semantic errors reach the editor with pfctl's wording, on the right line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hover } from '../../src/core/features/hover';
import { analyzer, cursor, diagnosticsOf } from '../helpers';

test('port on a non-tcp/udp rule: pfctl\'s error on that line', async () => {
  const d = (await diagnosticsOf('pass in all\npass in proto icmp from any to any port 80\n')).filter((x) => x.source === 'pfctl-check');
  assert.deepEqual(d.map((x) => [x.range.start.line, x.code, x.message]), [
    [1, 'pfctl-port-needs-tcp-udp', 'port only applies to tcp/udp'],
    [1, 'pfctl-no-valid-combination', 'rule expands to no valid combination'],
  ]);
  assert.ok(d.every((x) => x.severity === 'error'));
});

test('address family mismatch', async () => {
  const d = (await diagnosticsOf('pass in inet6 proto icmp all\n')).filter((x) => x.source === 'pfctl-check');
  assert.ok(d.some((x) => x.code === 'pfctl-address-family' && /doesn't match address family/.test(x.message)));
});

test('interface names pfctl would resolve on the firewall are information, not errors', async () => {
  const d = (await diagnosticsOf('pass in from em7 to any\n')).filter((x) => x.source === 'pfctl-check');
  assert.ok(d.length >= 1);
  assert.ok(d.every((x) => x.severity === 'information' && /depends on its interfaces/.test(x.message)), JSON.stringify(d));
});

test('FreeBSD files are not second-guessed by the OpenBSD engine', async () => {
  const d = await diagnosticsOf('nat on em0 from 10.0.0.0/8 to any -> (em0)\npass in proto icmp to port 80\n');
  assert.deepEqual(d.filter((x) => x.source === 'pfctl-check'), []);
});

test('hover on a rule\'s action shows its expansion', async () => {
  const { text, position } = cursor('pa$0ss in proto tcp from { 10.0.0.1 10.0.0.2 } to any port { 22 80 }\n');
  const a = await analyzer({ '/etc/pf.conf': text });
  const md = hover(a.unitFor('/etc/pf.conf'), a.workspace.getDocument('/etc/pf.conf')!, position)!.markdown;
  assert.match(md, /expands this rule to \*\*4\*\* rules/);
  assert.match(md, /pass in inet proto tcp from 10\.0\.0\.1 to any port = 22 flags S\/SA/);
});

test('pfctl\'s unpositioned detail lines join the error they explain', async () => {
  const d = (await diagnosticsOf('pass in from 10.0.0.0.1 to any\n')).filter((x) => x.source === 'pfctl-check');
  assert.deepEqual(d.map((x) => [x.range.start.line, x.message]), [
    [0, 'could not parse host specification: no IP address found for 10.0.0.0.1'],
  ]);
});
