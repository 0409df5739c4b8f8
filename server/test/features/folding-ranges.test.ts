import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDocument } from '../../src/core';
import { foldingRanges, type FoldingRange } from '../../src/core/features/folding-ranges';
import { parser } from '../helpers';

async function folds(source: string): Promise<FoldingRange[]> {
  const result = foldingRanges(parseDocument(await parser(), '/etc/pf.conf', source));
  assertSane(result);
  return result;
}

function assertSane(result: FoldingRange[]): void {
  const starts = new Set<number>();
  for (const f of result) {
    assert.ok(f.endLine > f.startLine, `no zero-length fold ${JSON.stringify(f)}`);
    assert.ok(!starts.has(f.startLine), `one fold per start line ${JSON.stringify(result)}`);
    starts.add(f.startLine);
  }
}

test('anchor blocks fold, nested ones too, leaving the closing brace visible', async () => {
  const source = [
    'anchor "spam" in on egress {', // 0
    '  pass in proto tcp to port smtp',
    '  anchor "nested" {', // 2
    '    block all',
    '    pass out all',
    '  }', // 5
    '}', // 6
    'anchor "one-line" { pass all }',
  ].join('\n');
  assert.deepEqual(await folds(source), [{ startLine: 0, endLine: 5 }, { startLine: 2, endLine: 4 }]);
});

test('multi-line lists, port lists, table address blocks and option lists fold', async () => {
  const source = [
    'table <goodguys> persist {', // 0
    '  10.0.0.0/8',
    '  192.168.0.0/16',
    '}', // 3
    'pass in proto tcp to port {', // 4
    '  22 80', // 5
    '  443 }', // 6: closing brace after content folds to its own line
    'set limit {', // 7
    '  states 10000,',
    '  frags 5000',
    '}', // 10
    'pass in keep state (max 100,', // 11
    '  source-track rule)',
    'pass in from { 10.0.0.1 10.0.0.2 } to any', // one line: nothing
  ].join('\n');
  assert.deepEqual(await folds(source), [
    { startLine: 0, endLine: 2 },
    { startLine: 4, endLine: 6 },
    { startLine: 7, endLine: 9 },
    { startLine: 11, endLine: 12 },
  ]);
});

test('statements continued with a backslash fold', async () => {
  const source = [
    'pass in on $ext_if proto tcp \\',
    '  from any to any port ssh \\',
    '  keep state',
    'block all',
  ].join('\n');
  assert.deepEqual(await folds(source), [{ startLine: 0, endLine: 2 }]);
});

test('runs of two or more comment lines fold as comments; single ones and trailing ones do not', async () => {
  const source = [
    '# Example ruleset', // 0
    '# for the gateway',
    '# (three lines)', // 2
    'block all # trailing',
    '# just one', // 4
    'pass out all',
    '  # indented', // 6
    '  # comments',
  ].join('\n');
  assert.deepEqual(await folds(source), [
    { startLine: 0, endLine: 2, kind: 'comment' },
    { startLine: 6, endLine: 7, kind: 'comment' },
  ]);
});

test('#> markers fold as regions up to the next marker, without trailing blank lines', async () => {
  const source = [
    'ext_if = "em0"', // 0
    '#> NAT', // 1
    'match out on egress nat-to (egress)',
    'pass in on $ext_if',
    '', // 4
    '#> Filter', // 5
    '# about filtering',
    '# more about it',
    'block all',
    'anchor "x" {', // 9
    '  #> inside the anchor',
    '  pass all',
    '  block all',
    '}', // 13
    '',
    '',
  ].join('\n');
  assert.deepEqual(await folds(source), [
    { startLine: 1, endLine: 3, kind: 'region' },
    { startLine: 5, endLine: 13, kind: 'region' },
    { startLine: 6, endLine: 7, kind: 'comment' },
    { startLine: 9, endLine: 12 },
    { startLine: 10, endLine: 12, kind: 'region' },
  ]);
});

test('an anchor rule continued onto the line of its block: one fold per start line', async () => {
  const source = [
    'anchor "x" in \\', // 0: continuation and block both start here
    '  on em0 {',
    '  pass all',
    '  block all',
    '}',
  ].join('\n');
  const result = await folds(source);
  assert.deepEqual(result.find((f) => f.startLine === 0), { startLine: 0, endLine: 4 });
  assert.deepEqual(result.find((f) => f.startLine === 1), { startLine: 1, endLine: 3 });
});

test('broken or empty input: no crash, no bad folds', async () => {
  await folds('anchor "x" {\n  pass all\n  block all\n');
  assert.deepEqual(await folds(''), []);
  assert.deepEqual(foldingRanges({ ...parseDocument(await parser(), 'a', 'pass'), tree: null }), []);
});
