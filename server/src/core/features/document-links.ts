// Links from include, load anchor and table `file "…"` paths to the files they name.
import { dirname, isAbsolute, resolve } from 'path';
import { normalize } from 'path';
import type { Range } from '../types';
import type { Unit } from '../workspace';

export interface DocumentLink {
  range: Range;
  target: string;
  tooltip: string;
}

export function documentLinks(unit: Unit, path: string): DocumentLink[] {
  const p = normalize(path);
  return unit.index.files
    .filter((f) => f.path === p)
    .map((f) => {
      const resolved = unit.resolvedIncludes.find((r) => r.path === p && r.range.start.line === f.range.start.line &&
        r.range.start.character === f.range.start.character)?.resolved;
      const target = resolved ?? (isAbsolute(f.target) ? f.target : resolve(dirname(p), f.target));
      const what = f.kind === 'include' ? 'included rules' : f.kind === 'load-anchor' ? `rules of anchor "${f.anchor}"` : 'table addresses';
      // Strip the quotes from the link range so only the path is underlined.
      const range = { start: { ...f.range.start, character: f.range.start.character + 1 }, end: { ...f.range.end, character: f.range.end.character - 1 } };
      return { range, target, tooltip: `Open ${what}: ${target}` };
    });
}
