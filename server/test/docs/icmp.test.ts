import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ICMP6_TYPE_NAMES,
  ICMP_CODE_NAMES,
  ICMP_TYPES,
  ICMP_TYPE_NAMES,
  icmpCodeByName,
  icmpCodeMarkdown,
  icmpTypeByName,
  icmpTypeByNumber,
  icmpTypeMarkdown,
  icmpTypesByNumber,
} from '../../src/core/docs/icmp';

test('ICMP type names and numbers', () => {
  assert.equal(icmpTypeByName('echoreq')?.type, 8);
  assert.equal(icmpTypeByName('echorep')?.type, 0);
  assert.equal(icmpTypeByName('unreach')?.type, 3);
  assert.equal(icmpTypeByName('timex', 'inet')?.type, 11);
  assert.equal(icmpTypeByName('routeradv', 'icmp')?.type, 9);
  assert.equal(icmpTypeByNumber(8, 'icmp')?.name, 'echoreq');
  assert.equal(icmpTypeByName('neighbrsol'), icmpTypeByName('neighbrsol', 'icmp6'), 'falls back to ICMPv6');
});

test('ICMPv6 type names and numbers', () => {
  assert.equal(icmpTypeByName('echoreq', 'icmp6')?.type, 128);
  assert.equal(icmpTypeByName('neighbrsol', 'icmp6')?.type, 135);
  assert.equal(icmpTypeByName('neighbradv', 'inet6')?.type, 136);
  assert.equal(icmpTypeByName('routersol', 'icmp6')?.type, 133);
  assert.equal(icmpTypeByName('routeradv', 'icmp6')?.type, 134);
  assert.equal(icmpTypeByName('toobig', 'icmp6')?.type, 2);
  assert.deepEqual(icmpTypesByNumber(130, 'icmp6').map((t) => t.name).sort(), ['groupqry', 'listqry']);
  assert.equal(icmpTypeByName('toobig', 'icmp'), undefined);
  assert.ok(ICMP6_TYPE_NAMES.has('listendone'));
  assert.ok(ICMP_TYPE_NAMES.has('photuris'));
});

test('code names belong to their type', () => {
  assert.equal(icmpCodeByName('net-unr')?.code.code, 0);
  assert.equal(icmpCodeByName('host-unr', 'icmp', 'unreach')?.code.code, 1);
  assert.equal(icmpCodeByName('port-unr', 'icmp', 3)?.code.code, 3);
  assert.equal(icmpCodeByName('port-unr', 'icmp6', 'unreach')?.code.code, 4);
  assert.equal(icmpCodeByName('needfrag')?.type.name, 'unreach');
  assert.equal(icmpCodeByName('transit', 'icmp', 'timex')?.code.code, 0);
  assert.equal(icmpCodeByName('reassemb', 'icmp6', 'timex')?.code.code, 1);
  assert.equal(icmpCodeByName('redironlink', 'inet6')?.type.type, 137);
  assert.equal(icmpCodeByName('port-unr', 'icmp', 'echoreq'), undefined);
  assert.ok(ICMP_CODE_NAMES.has('filter-prohib'));
});

test('names are unique within a family and type numbers are bytes', () => {
  for (const fam of ['icmp', 'icmp6'] as const) {
    const names = ICMP_TYPES.filter((t) => t.family === fam).map((t) => t.name);
    assert.equal(new Set(names).size, names.length, fam);
  }
  for (const t of ICMP_TYPES) {
    assert.ok(t.type >= 0 && t.type <= 255);
    for (const c of t.codes) assert.ok(c.code >= 0 && c.code <= 255);
  }
});

test('Markdown for types and codes', () => {
  const md = icmpTypeMarkdown(icmpTypeByName('unreach')!);
  assert.match(md, /icmp-type unreach/);
  assert.match(md, /`port-unr` \(3\)/);
  const md6 = icmpTypeMarkdown(icmpTypeByName('groupqry', 'icmp6')!);
  assert.match(md6, /icmp6-type groupqry/);
  assert.match(md6, /listqry/);
  const r = icmpCodeByName('needfrag')!;
  assert.match(icmpCodeMarkdown(r.type, r.code), /code needfrag.*type 3/);
});
