// duplicate-table: the same table declared twice in one scope. `pfctl -n` accepts it (its own
// regress test pfsimple2 does this) and merges the declarations, so this is a warning: the second
// declaration's options and addresses silently join the first's, which is rarely what was meant.
import type { Check, FileDiagnostic } from './context';

export const duplicateTable: Check = {
  code: 'duplicate-table',
  run({ unit }) {
    const out: FileDiagnostic[] = [];
    const first = new Map<string, (typeof unit.index.tableDefinitions)[number]>();
    for (const def of [...unit.index.tableDefinitions].sort((a, b) => a.order - b.order)) {
      const key = `${def.scope}\u0000${def.name}`;
      const earlier = first.get(key);
      if (!earlier) {
        first.set(key, def);
        continue;
      }
      out.push({ path: def.path, code: 'duplicate-table', severity: 'warning', source: 'pfcheck', range: def.range,
        message: `table <${def.name}> is already declared (line ${earlier.range.start.line + 1}); pf merges both declarations`,
        related: [{ path: earlier.path, range: earlier.range, message: 'first declaration' }] });
    }
    return out;
  },
};
