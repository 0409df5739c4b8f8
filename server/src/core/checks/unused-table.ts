// unused-table: a declared table no rule refers to (shown faded). Such a table still exists in pf
// when it is `persist`, so this is only a hint.
import type { Check, FileDiagnostic } from './context';

export const unusedTable: Check = {
  code: 'unused-table',
  run({ unit }) {
    const used = new Set(unit.index.tableUses.map((u) => u.name));
    // `<name>` inside a quoted macro value (pfSense aliases: `WebServers = "<WebServers>"`) is a use
    // once the macro is expanded.
    for (const def of unit.index.macroDefinitions) {
      for (const m of def.valueNode.text.matchAll(/<\s*([^<>\s{},]+)\s*>/g)) used.add(m[1]);
    }
    const out: FileDiagnostic[] = [];
    for (const def of unit.index.tableDefinitions) {
      if (used.has(def.name)) continue;
      out.push({ path: def.path, code: 'unused-table', severity: 'hint', source: 'pfcheck', range: def.range,
        message: `table <${def.name}> is declared but no rule uses it`, tags: ['unnecessary'] });
    }
    return out;
  },
};
