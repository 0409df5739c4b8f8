// Bad input gives diagnostics, never a crash or a hang.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_ANALYSIS_BYTES } from '../../src/core';
import { diagnosticsOf } from '../helpers';

test('binary bytes give a binary-file error', async () => {
  const d = await diagnosticsOf('pass\u0000\u0001\u0002\u00ff all');
  assert.deepEqual(d.map((x) => x.code), ['binary-file']);
  assert.equal(d[0].severity, 'error');
});

test('a file over the size limit is declined with an error', async () => {
  const big = 'pass in all\n'.repeat(Math.ceil((MAX_ANALYSIS_BYTES + 10) / 12));
  const d = await diagnosticsOf(big);
  assert.deepEqual(d.map((x) => x.code), ['file-too-large']);
});

test('10,000 nested braces give syntax errors without overflowing', async () => {
  const d = await diagnosticsOf('pass from ' + '{'.repeat(10000) + '\n');
  assert.ok(d.some((x) => x.code === 'syntax-error'));
});

test('an unterminated string is a syntax error', async () => {
  const d = await diagnosticsOf('ext_if = "em0\npass in on $ext_if all\n');
  assert.ok(d.some((x) => x.code === 'syntax-error'), JSON.stringify(d));
});

test('random garbage is capped at 100 syntax errors plus a note', async () => {
  const junk = Array.from({ length: 3000 }, (_, i) => `} ) ( ${i} -> = ! <`).join('\n');
  const d = (await diagnosticsOf(junk)).filter((x) => x.code === 'syntax-error');
  assert.ok(d.length <= 101);
  assert.ok(d.length > 1);
});
