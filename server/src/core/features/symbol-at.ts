// What named thing is under the cursor: a macro, a table, an anchor or an included file.
// Every navigation feature (definition, references, rename, highlight, hover) starts here.
import { normalize } from 'path';
import { definitionAt, lastDefinition } from '../macros';
import { scopeVisible, type MacroDefinition, type TableDefinition } from '../symbols';
import { rangeContains, type Position, type Range } from '../types';
import type { Unit } from '../workspace';

export type SymbolAt =
  | { kind: 'macro'; name: string; range: Range; isDefinition: boolean; order: number }
  | { kind: 'table'; name: string; range: Range; isDefinition: boolean; scope: string }
  | { kind: 'anchor'; name: string; range: Range }
  | { kind: 'file'; target: string; range: Range; resolved?: string };

export function symbolAt(unit: Unit, path: string, pos: Position): SymbolAt | undefined {
  const p = normalize(path);
  const { index } = unit;
  const here = <T extends { path: string; range: Range }>(list: T[], pick: (x: T) => Range = (x) => x.range) =>
    list.find((x) => x.path === p && rangeContains(pick(x), pos));

  const use = here(index.macroUses, (u) => u.fullRange);
  if (use) return { kind: 'macro', name: use.name, range: use.range, isDefinition: false, order: use.order };
  const def = here(index.macroDefinitions);
  if (def) return { kind: 'macro', name: def.name, range: def.range, isDefinition: true, order: def.order };
  const tdef = here(index.tableDefinitions);
  if (tdef) return { kind: 'table', name: tdef.name, range: tdef.range, isDefinition: true, scope: tdef.scope };
  const tuse = here(index.tableUses);
  if (tuse) return { kind: 'table', name: tuse.name, range: tuse.range, isDefinition: false, scope: tuse.scope };
  const anchor = here(index.anchors);
  if (anchor && anchor.name) return { kind: 'anchor', name: anchor.name, range: anchor.range };
  const file = here(index.files);
  if (file) {
    const resolved = unit.resolvedIncludes.find((r) => r.path === p && rangeContains(r.range, pos))?.resolved;
    return { kind: 'file', target: file.target, range: file.range, resolved };
  }
  return undefined;
}

/** The macro definition a use or definition refers to (in force at that point). */
export function macroDefinitionFor(unit: Unit, s: Extract<SymbolAt, { kind: 'macro' }>): MacroDefinition | undefined {
  if (s.isDefinition) return unit.index.macroDefinitions.find((d) => d.order === s.order && d.name === s.name);
  return definitionAt(unit.index, s.name, s.order) ?? lastDefinition(unit.index, s.name);
}

/** Table declarations visible from a use (its anchor and the enclosing ones). */
export function tableDefinitionsFor(unit: Unit, s: Extract<SymbolAt, { kind: 'table' }>): TableDefinition[] {
  return unit.index.tableDefinitions.filter((d) => d.name === s.name && scopeVisible(d.scope, s.scope));
}
