// Workspace symbols: macros, tables and anchors of every known unit, filtered by a fuzzy query.
import type { Range } from '../types';
import type { Unit } from '../workspace';

export interface WorkspaceSymbol {
  name: string;
  kind: 'macro' | 'table' | 'anchor';
  path: string;
  range: Range;
  container?: string;
}

/** Characters of the query appear in order in the name (what editors' symbol pickers expect). */
export function fuzzyMatch(query: string, name: string): boolean {
  const q = query.toLowerCase();
  const n = name.toLowerCase();
  let i = 0;
  for (const ch of n) if (i < q.length && ch === q[i]) i++;
  return i === q.length;
}

export function workspaceSymbols(units: Unit[], query: string, limit = 500): WorkspaceSymbol[] {
  const out: WorkspaceSymbol[] = [];
  const seen = new Set<string>();
  const push = (s: WorkspaceSymbol) => {
    const key = `${s.kind}:${s.path}:${s.range.start.line}:${s.range.start.character}`;
    if (seen.has(key) || !fuzzyMatch(query, s.name)) return;
    seen.add(key);
    out.push(s);
  };
  for (const unit of units) {
    for (const d of unit.index.macroDefinitions) push({ name: `$${d.name}`, kind: 'macro', path: d.path, range: d.range });
    for (const d of unit.index.tableDefinitions) {
      push({ name: `<${d.name}>`, kind: 'table', path: d.path, range: d.range, container: d.scope || undefined });
    }
    for (const a of unit.index.anchors) {
      if (a.name) push({ name: a.name, kind: 'anchor', path: a.path, range: a.range, container: a.scope || undefined });
    }
  }
  return out.slice(0, limit);
}
