// undefined-table: a table no `table` statement declares. pfctl accepts it and pf creates an empty
// table, so the rule silently matches nothing (the <spamd-mywhite> vs <spamd-white> trap).
import { closest } from '../macros';
import { scopeVisible } from '../symbols';
import type { Check, FileDiagnostic } from './context';
import { knownTables, SPAMD_TABLES } from './known-tables';

export const undefinedTable: Check = {
  code: 'undefined-table',
  run({ unit, options }) {
    const out: FileDiagnostic[] = [];
    const known = knownTables(unit, options);
    const declared = unit.index.tableDefinitions;
    for (const use of unit.index.tableUses) {
      if (known.has(use.name) || use.overload) continue;
      if (declared.some((d) => d.name === use.name && scopeVisible(d.scope, use.scope))) continue;
      const candidates = new Set([...declared.map((d) => d.name), ...known, ...SPAMD_TABLES]);
      const suggestion = closest(use.name, candidates);
      const message = `table <${use.name}> is not declared: pf will create it empty and this rule matches nothing` +
        (suggestion ? `; did you mean <${suggestion}>?` : '');
      const fixes = [];
      if (suggestion) {
        fixes.push({ title: `Change to <${suggestion}>`, preferred: true, edits: [{ range: use.range, newText: suggestion }] });
      }
      fixes.push({
        title: `Declare 'table <${use.name}> persist'`,
        edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `table <${use.name}> persist\n` }],
      });
      out.push({ path: use.path, code: 'undefined-table', severity: 'warning', source: 'pfcheck', range: use.range, message, fixes });
    }
    return out;
  },
};
