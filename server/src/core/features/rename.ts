// Rename macros and tables across the unit (the root file and its includes).
import { MAX_TABLE_NAME } from '../checks/table-name-too-long';
import { symbolAt } from './symbol-at';
import type { Position, Range, TextEdit } from '../types';
import type { Unit } from '../workspace';

export type RenameResult = { edits: Map<string, TextEdit[]> } | { error: string };

/** What may be renamed at a position, and the text range of the name (for prepareRename). */
export function prepareRename(unit: Unit, path: string, pos: Position): { range: Range; placeholder: string } | { error: string } {
  const s = symbolAt(unit, path, pos);
  if (!s || (s.kind !== 'macro' && s.kind !== 'table')) return { error: 'only macros and tables can be renamed' };
  return { range: s.range, placeholder: s.name };
}

export function validateNewName(kind: 'macro' | 'table', name: string): string | undefined {
  if (kind === 'macro') {
    // pfctl's lexer reads `$name` as letters, digits and underscores.
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return `'${name}' is not a valid macro name (letters, digits and _ only, not starting with a digit)`;
  } else {
    if (!name) return 'a table name cannot be empty';
    if (/[\s<>{},!#"'$\\/]/.test(name)) return `'${name}' is not a valid table name (no spaces, quotes or any of < > { } , ! # $ / \\)`;
    if (name.length > MAX_TABLE_NAME) return `table names are limited to ${MAX_TABLE_NAME} characters ('${name}' has ${name.length})`;
  }
  return undefined;
}

export function rename(unit: Unit, path: string, pos: Position, newName: string): RenameResult {
  const s = symbolAt(unit, path, pos);
  if (!s || (s.kind !== 'macro' && s.kind !== 'table')) return { error: 'only macros and tables can be renamed' };
  const bad = validateNewName(s.kind, newName);
  if (bad) return { error: bad };
  const edits = new Map<string, TextEdit[]>();
  const add = (p: string, range: Range) => {
    if (!edits.has(p)) edits.set(p, []);
    edits.get(p)!.push({ range, newText: newName });
  };
  if (s.kind === 'macro') {
    for (const d of unit.index.macroDefinitions) if (d.name === s.name) add(d.path, d.range);
    for (const u of unit.index.macroUses) if (u.name === s.name) add(u.path, u.range);
  } else {
    for (const d of unit.index.tableDefinitions) if (d.name === s.name) add(d.path, d.range);
    for (const u of unit.index.tableUses) if (u.name === s.name) add(u.path, u.range);
  }
  return { edits };
}
