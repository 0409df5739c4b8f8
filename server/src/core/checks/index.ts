// Every check, run over one unit; suppression comments applied per file.
import { normalize } from 'path';
import { hasLoneCR, treeToEditor } from '../line-ends';
import { applySuppressions } from '../suppress';
import type { Diagnostic } from '../types';
import type { Unit } from '../workspace';
import type { AnalysisOptions, Check, FileDiagnostic } from './context';
import { duplicateTable } from './duplicate-table';
import { includeProblems } from './include';
import { macroCycle } from './macro-cycle';
import { macroRedefined } from './macro-redefined';
import { pfctlSemantic } from './pfctl-semantic';
import { shadowedRule } from './shadowed-rule';
import { DIALECT_CHECKS } from './dialect';
import { syntaxError } from './syntax-error';
import { tableNameTooLong } from './table-name-too-long';
import { undefinedMacro } from './undefined-macro';
import { undefinedTable } from './undefined-table';
import { unusedMacro } from './unused-macro';
import { unusedTable } from './unused-table';

export type { AnalysisOptions, Check, FileDiagnostic } from './context';

export const CHECKS: Check[] = [
  syntaxError,
  includeProblems,
  undefinedMacro,
  undefinedTable,
  unusedMacro,
  unusedTable,
  duplicateTable,
  macroRedefined,
  macroCycle,
  tableNameTooLong,
  pfctlSemantic,
  shadowedRule,
  ...DIALECT_CHECKS,
];

/** Diagnostics of every file of the unit, keyed by path. */
export function checkUnit(unit: Unit, options: AnalysisOptions = {}): Map<string, Diagnostic[]> {
  const byPath = new Map<string, Diagnostic[]>();
  for (const doc of unit.documents) byPath.set(doc.path, [...doc.textProblems]);
  for (const check of CHECKS) {
    let found: FileDiagnostic[];
    try {
      found = check.run({ unit, options });
    } catch (err) {
      // A bug in one check must not hide the others' results.
      found = [{ path: unit.root, code: 'internal-error', severity: 'information', source: 'pfcheck',
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        message: `check '${check.code}' failed: ${(err as Error).message}` }];
    }
    for (const { path, ...d } of found) {
      const key = normalize(path);
      if (!byPath.has(key)) byPath.set(key, []);
      byPath.get(key)!.push(d);
    }
  }
  for (const doc of unit.documents) {
    let list = byPath.get(doc.path) ?? [];
    if (hasLoneCR(doc.text)) {
      const toEditor = treeToEditor(doc.text);
      list = list.map((d) => ({ ...d, range: toEditor(d.range) }));
    }
    byPath.set(doc.path, sortDiagnostics(applySuppressions(doc.text, list)));
  }
  return byPath;
}

export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return list.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
