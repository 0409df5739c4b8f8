import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandMacro, lastDefinition } from '../../src/core';
import { analyzer } from '../helpers';

async function expand(text: string, name: string) {
  const a = await analyzer({ '/p.conf': text });
  const index = a.unitFor('/p.conf').index;
  return expandMacro(index, lastDefinition(index, name)!);
}

test('macros expand recursively, unquoted at definition time, quoted later', async () => {
  assert.equal((await expand('a = "ssh"\nb = "ftp"\nc = $a $b\n', 'c')).value, 'ssh ftp');
  assert.equal((await expand('lan = "10.0.0.0/8"\nnets = "{ $lan 192.168.0.0/16 }"\n', 'nets')).value, '{ 10.0.0.0/8 192.168.0.0/16 }');
  assert.equal((await expand('a = "x"\na = "$a y"\n', 'a')).value, 'x y');
});

test('a cycle is reported, not followed forever', async () => {
  const r = await expand('a = "$b"\nb = "$a"\n', 'a');
  assert.equal(r.value, undefined);
  assert.deepEqual(r.cycle, ['a', 'b', 'a']);
});
