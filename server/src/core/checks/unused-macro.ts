// unused-macro: a macro nobody expands (shown faded).
import type { Check, FileDiagnostic } from './context';

export const unusedMacro: Check = {
  code: 'unused-macro',
  run({ unit }) {
    const used = new Set(unit.index.macroUses.map((u) => u.name));
    // `$name` inside quoted macro values is expanded later, so text mentions count as uses too.
    for (const def of unit.index.macroDefinitions) {
      for (const m of def.valueNode.text.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)) used.add(m[1]);
    }
    const out: FileDiagnostic[] = [];
    for (const def of unit.index.macroDefinitions) {
      if (used.has(def.name)) continue;
      out.push({ path: def.path, code: 'unused-macro', severity: 'hint', source: 'pfcheck', range: def.range,
        message: `macro '${def.name}' is defined but never used`, tags: ['unnecessary'] });
    }
    return out;
  },
};
