// Shared by the dialect tests: run one check over a snippet, apply a quick fix, re-parse.
import assert from 'node:assert/strict';
import { parseDocument, type DialectSetting } from '../../src/core';
import type { Check, FileDiagnostic } from '../../src/core/checks/context';
import { applyEdits } from '../../src/core/checks/dialect/util';
import type { QuickFix } from '../../src/core/types';
import { analyzer, parser } from '../helpers';

export const PATH = '/etc/pf.conf';

export async function run(check: Check, text: string, dialect: DialectSetting, more: Record<string, string> = {}): Promise<FileDiagnostic[]> {
  const a = await analyzer({ [PATH]: text, ...more }, { dialect });
  return check.run({ unit: a.unitFor(PATH), options: {} });
}

/** The text after a fix, asserted to parse without a single syntax error. */
export async function applyFix(text: string, fix: QuickFix | undefined): Promise<string> {
  assert.ok(fix, 'expected a quick fix');
  const out = applyEdits(text, fix.edits);
  const doc = parseDocument(await parser(), PATH, out);
  assert.equal(doc.tree?.rootNode.hasError, false, `rewritten text has syntax errors:\n${out}`);
  return out;
}

/** Applies the preferred fix of the only diagnostic and checks the result no longer triggers the check. */
export async function fixOnly(check: Check, text: string, dialect: DialectSetting, index = 0): Promise<string> {
  const found = await run(check, text, dialect);
  assert.equal(found.length, 1, `expected one diagnostic, got ${found.map((d) => d.message).join('\n')}`);
  const out = await applyFix(text, found[0].fixes?.[index]);
  assert.deepEqual((await run(check, out, dialect)).map((d) => d.message), []);
  return out;
}
