// Go to definition, find references, document highlight: pure functions over a unit's index.
import { normalize } from 'path';
import { macroDefinitionFor, symbolAt, tableDefinitionsFor } from './symbol-at';
import type { Position, Range } from '../types';
import type { Unit } from '../workspace';

export interface Location {
  path: string;
  range: Range;
}

const FILE_START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function definition(unit: Unit, path: string, pos: Position): Location[] {
  const s = symbolAt(unit, path, pos);
  if (!s) return [];
  switch (s.kind) {
    case 'macro': {
      const def = macroDefinitionFor(unit, s);
      return def ? [{ path: def.path, range: def.range }] : [];
    }
    case 'table':
      return tableDefinitionsFor(unit, s).map((d) => ({ path: d.path, range: d.range }));
    case 'anchor': {
      // `anchor "x"` without a body is filled by `load anchor "x" from "file"`: go there.
      const loads = unit.index.files.filter((f) => f.kind === 'load-anchor' && f.anchor === s.name);
      const bodies = unit.index.anchors.filter((a) => a.name === s.name && a.hasBody);
      return [...bodies.map((a) => ({ path: a.path, range: a.range })), ...loads.map((f) => ({ path: f.path, range: f.range }))];
    }
    case 'file':
      return s.resolved ? [{ path: s.resolved, range: FILE_START }] : [];
  }
}

export function references(unit: Unit, path: string, pos: Position, includeDeclaration = true): Location[] {
  const s = symbolAt(unit, path, pos);
  if (!s) return [];
  const out: Location[] = [];
  if (s.kind === 'macro') {
    if (includeDeclaration) {
      for (const d of unit.index.macroDefinitions) if (d.name === s.name) out.push({ path: d.path, range: d.range });
    }
    for (const u of unit.index.macroUses) if (u.name === s.name) out.push({ path: u.path, range: u.fullRange });
  } else if (s.kind === 'table') {
    if (includeDeclaration) {
      for (const d of unit.index.tableDefinitions) if (d.name === s.name) out.push({ path: d.path, range: d.range });
    }
    for (const u of unit.index.tableUses) if (u.name === s.name) out.push({ path: u.path, range: u.range });
  } else if (s.kind === 'anchor') {
    for (const a of unit.index.anchors) if (a.name === s.name) out.push({ path: a.path, range: a.range });
    for (const f of unit.index.files) if (f.anchor === s.name) out.push({ path: f.path, range: f.range });
  }
  return sortLocations(out);
}

export interface Highlight {
  range: Range;
  kind: 'read' | 'write';
}

/** Occurrences in the same file; definitions count as writes. */
export function documentHighlights(unit: Unit, path: string, pos: Position): Highlight[] {
  const s = symbolAt(unit, path, pos);
  if (!s || s.kind === 'file') return [];
  const p = normalize(path);
  const defs = s.kind === 'macro' ? unit.index.macroDefinitions : s.kind === 'table' ? unit.index.tableDefinitions : [];
  const writes = defs.filter((d) => d.name === s.name && d.path === p).map((d) => d.range);
  return references(unit, path, pos, true)
    .filter((l) => l.path === p)
    .map((l) => ({ range: l.range, kind: writes.some((w) => sameRange(w, l.range)) ? 'write' : 'read' }));
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character &&
    a.end.line === b.end.line && a.end.character === b.end.character;
}

function sortLocations(list: Location[]): Location[] {
  return list.sort((a, b) => a.path.localeCompare(b.path) || a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character);
}
