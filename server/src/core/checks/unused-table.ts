// unused-table: a declared table no rule refers to (shown faded). Such a table still exists in pf
// when it is `persist`, so this is only a hint.
import type { Check, FileDiagnostic } from './context';

export const unusedTable: Check = {
  code: 'unused-table',
  run({ unit }) {
    const used = new Set(unit.index.tableUses.map((u) => u.name));
    const out: FileDiagnostic[] = [];
    for (const def of unit.index.tableDefinitions) {
      if (used.has(def.name)) continue;
      out.push({ path: def.path, code: 'unused-table', severity: 'hint', source: 'pfcheck', range: def.range,
        message: `table <${def.name}> is declared but no rule uses it`, tags: ['unnecessary'] });
    }
    return out;
  },
};
