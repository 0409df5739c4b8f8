// In-source suppression comments:
//   # pfcheck-disable-next-line [code, …]   the next line that is not blank or a comment
//   # pfcheck-disable [code, …]             the whole file (anywhere in it)
// Without codes, every check is silenced for that scope.
import type { Diagnostic } from './types';

interface Suppressions {
  file: Set<string> | 'all' | undefined;
  lines: Map<number, Set<string> | 'all'>;
}

const DIRECTIVE = /#\s*pfcheck-disable(-next-line)?(?:\s+([A-Za-z0-9_,\s-]+))?\s*$/;

export function readSuppressions(text: string): Suppressions {
  const result: Suppressions = { file: undefined, lines: new Map() };
  if (!text.includes('pfcheck-disable')) return result;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i].replace(/\r$/, ''));
    if (!m) continue;
    const codes = m[2]?.split(/[\s,]+/).filter(Boolean);
    const set: Set<string> | 'all' = codes?.length ? new Set(codes) : 'all';
    if (m[1]) {
      let target = i + 1;
      while (target < lines.length && /^\s*(#.*)?\r?$/.test(lines[target])) target++;
      result.lines.set(target, merge(result.lines.get(target), set));
    } else {
      result.file = merge(result.file, set);
    }
  }
  return result;
}

function merge(a: Set<string> | 'all' | undefined, b: Set<string> | 'all'): Set<string> | 'all' {
  if (a === 'all' || b === 'all') return 'all';
  return new Set([...(a ?? []), ...b]);
}

function covers(s: Set<string> | 'all' | undefined, code: string): boolean {
  return s === 'all' || (!!s && s.has(code));
}

export function applySuppressions(text: string, diagnostics: Diagnostic[]): Diagnostic[] {
  const s = readSuppressions(text);
  if (!s.file && !s.lines.size) return diagnostics;
  return diagnostics.filter((d) => !covers(s.file, d.code) && !covers(s.lines.get(d.range.start.line), d.code));
}
