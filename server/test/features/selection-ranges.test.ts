import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDocument, type Range } from '../../src/core';
import { selectionRanges, type SelectionRange } from '../../src/core/features/selection-ranges';
import { cursor, parser } from '../helpers';

/** The text each step of "expand selection" selects, smallest first. */
async function expansions(fixture: string): Promise<string[]> {
  const { text, position } = cursor(fixture);
  const doc = parseDocument(await parser(), '/etc/pf.conf', text);
  const [sel] = selectionRanges(doc, [position]);
  assertGrowing(sel);
  return chain(sel).map((r) => textOf(text, r));
}

function chain(sel: SelectionRange): Range[] {
  const out: Range[] = [];
  for (let s: SelectionRange | undefined = sel; s; s = s.parent) out.push(s.range);
  return out;
}

function textOf(text: string, r: Range): string {
  const lines = text.split('\n');
  const offset = (p: Range['start']) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return text.slice(offset(r.start), offset(r.end));
}

function assertGrowing(sel: SelectionRange): void {
  const le = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  for (let s = sel; s.parent; s = s.parent) {
    const inner = s.range;
    const outer = s.parent.range;
    assert.ok(le(outer.start, inner.start) && le(inner.end, outer.end), 'each range contains the one before');
    assert.notDeepEqual(inner, outer, 'no repeated ranges');
  }
}

const RULESET = 'ext_if = "em0"\npass in on $ext_if proto tcp to port { 22 80 } label "web traffic"\n';

test('from a macro use out to the rule and the file', async () => {
  assert.deepEqual(await expansions('ext_if = "em0"\npass in on $ex$0t_if proto tcp to port { 22 80 } label "web traffic"\n'), [
    '$ext_if',
    'on $ext_if',
    'pass in on $ext_if proto tcp to port { 22 80 } label "web traffic"',
    RULESET,
  ]);
});

test('inside a string: its contents first, then the quotes', async () => {
  assert.deepEqual(await expansions('ext_if = "em0"\npass in on $ext_if proto tcp to port { 22 80 } label "web $0traffic"\n'), [
    'web traffic',
    '"web traffic"',
    'label "web traffic"',
    'pass in on $ext_if proto tcp to port { 22 80 } label "web traffic"',
    RULESET,
  ]);
});

test('through lists and port specs', async () => {
  assert.deepEqual(await expansions('ext_if = "em0"\npass in on $ext_if proto tcp to port { 2$02 80 } label "web traffic"\n'), [
    '22',
    '{ 22 80 }',
    'port { 22 80 }',
    'to port { 22 80 }',
    'pass in on $ext_if proto tcp to port { 22 80 } label "web traffic"',
    RULESET,
  ]);
});

test('at the end of a token, the token to the left is chosen', async () => {
  const steps = await expansions('ext_if$0 = "em0"\npass all\n');
  assert.deepEqual(steps.slice(0, 2), ['ext_if', 'ext_if = "em0"']);
});

test('inside an anchor block: the statement, its whole line, the block, the anchor, the file', async () => {
  const fixture = 'anchor "spam" {\n  pass in proto tcp to port $0smtp\n}\nblock all\n';
  const whole = fixture.replace('$0', '');
  assert.deepEqual(await expansions(fixture), [
    'smtp',
    'port smtp',
    'to port smtp',
    'pass in proto tcp to port smtp',
    '  pass in proto tcp to port smtp',
    '{\n  pass in proto tcp to port smtp\n}',
    'anchor "spam" {\n  pass in proto tcp to port smtp\n}',
    whole,
  ]);
});

test('a statement continued over several lines selects all its lines', async () => {
  const fixture = 'block all\n  pass out \\\n  on e$0m0 # comment\nblock in all';
  const steps = await expansions(fixture);
  assert.deepEqual(steps.slice(0, 4), [
    'em0',
    'on em0',
    'pass out \\\n  on em0',
    '  pass out \\\n  on em0 # comment',
  ]);
  assert.equal(steps[steps.length - 1], fixture.replace('$0', ''));
});

test('FreeBSD nat rule: the redirect target', async () => {
  const steps = await expansions('nat on em0 from any to any -> ($ex$0t_if)\n');
  assert.deepEqual(steps, ['$ext_if', '($ext_if)', 'nat on em0 from any to any -> ($ext_if)', 'nat on em0 from any to any -> ($ext_if)\n']);
});

test('several positions at once; blank lines select the file; no tree still answers', async () => {
  const text = 'pass all\n\nblock all\n';
  const doc = parseDocument(await parser(), '/etc/pf.conf', text);
  const result = selectionRanges(doc, [{ line: 0, character: 1 }, { line: 1, character: 0 }, { line: 2, character: 7 }]);
  assert.equal(result.length, 3);
  assert.deepEqual(chain(result[0]).map((r) => textOf(text, r)), ['pass', 'pass all', text]);
  assert.deepEqual(chain(result[1]).map((r) => textOf(text, r)), [text]);
  assert.deepEqual(chain(result[2]).map((r) => textOf(text, r)), ['all', 'block all', text]);
  const none = selectionRanges({ ...doc, tree: null }, [{ line: 0, character: 0 }]);
  assert.deepEqual(none, [{ range: { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } } }]);
});
