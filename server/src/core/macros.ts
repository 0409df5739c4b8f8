// Macro values as pfctl sees them. pfctl expands `$name` outside quotes while it reads a line,
// and text inside quotes is pasted as is and expanded when the macro is later used. So a value is
// expanded recursively here, with a guard so that a cycle is reported instead of looping.
import type { MacroDefinition, SymbolIndex } from './symbols';
import { unquote } from './syntax';

export interface Expansion {
  /** The fully expanded text, or undefined when it could not be expanded. */
  value?: string;
  /** Names of a cycle (a → b → a), when one was found. */
  cycle?: string[];
  /** Macros referenced but not defined at that point. */
  undefinedNames: string[];
}

const byNameCache = new WeakMap<MacroDefinition[], Map<string, MacroDefinition[]>>();

/** Definitions grouped by name, in reading order (built once per index, so lookups stay linear). */
function definitionsByName(index: SymbolIndex): Map<string, MacroDefinition[]> {
  let map = byNameCache.get(index.macroDefinitions);
  if (!map) {
    map = new Map();
    for (const d of [...index.macroDefinitions].sort((a, b) => a.order - b.order)) {
      const list = map.get(d.name);
      if (list) list.push(d);
      else map.set(d.name, [d]);
    }
    byNameCache.set(index.macroDefinitions, map);
  }
  return map;
}

/** The definition in force at a point in pfctl's reading order (the latest one before it). */
export function definitionAt(index: SymbolIndex, name: string, order: number): MacroDefinition | undefined {
  const list = definitionsByName(index).get(name);
  if (!list) return undefined;
  for (let i = list.length - 1; i >= 0; i--) if (list[i].order < order) return list[i];
  return undefined;
}

/** The last definition in the unit, for uses (like hover) with no reading position. */
export function lastDefinition(index: SymbolIndex, name: string): MacroDefinition | undefined {
  return definitionAt(index, name, Number.MAX_SAFE_INTEGER);
}

/** The value as written, with quotes removed: the text pfctl pastes for `$name`. */
export function rawValue(def: MacroDefinition): string {
  return def.valueNode.namedChildren.map((part) => (part ? unquote(part.text) : '')).join(' ');
}

const MACRO_IN_TEXT = /\$([A-Za-z_][A-Za-z0-9_]*)/g;

export function expandMacro(index: SymbolIndex, def: MacroDefinition, maxLength = 100_000): Expansion {
  const undefinedNames: string[] = [];
  let cycle: string[] | undefined;
  // The stack holds definitions, not names: `a = "$a y"` refers to an earlier `a`, not itself.
  const expand = (d: MacroDefinition, stack: MacroDefinition[]): string | undefined => {
    if (stack.includes(d)) {
      cycle ??= [...stack.slice(stack.indexOf(d)), d].map((x) => x.name);
      return undefined;
    }
    const text = rawValue(d).replace(MACRO_IN_TEXT, (whole, name: string) => {
      // Unquoted uses were expanded when the definition was read (earlier definitions); quoted
      // ones expand later, so a definition that comes after still counts.
      const inner = definitionAt(index, name, d.order) ?? lastDefinition(index, name);
      if (!inner) {
        if (!undefinedNames.includes(name)) undefinedNames.push(name);
        return whole;
      }
      return expand(inner, [...stack, d]) ?? whole;
    });
    return text.length > maxLength ? text.slice(0, maxLength) : text;
  };
  const value = expand(def, []);
  return { value: cycle ? undefined : value, cycle, undefinedNames };
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** The closest candidate, if it is close enough to be a plausible typo. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === name) continue;
    const d = editDistance(name, c);
    if (d < bestDistance || (d === bestDistance && best && c.length > best.length)) {
      best = c;
      bestDistance = d;
    }
  }
  const limit = Math.max(2, Math.floor(name.length / 3));
  return best !== undefined && bestDistance <= limit ? best : undefined;
}
