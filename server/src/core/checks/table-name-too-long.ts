// table-name-too-long: pf keeps table names in a 32-byte field, so 31 characters at most.
import type { Check, FileDiagnostic } from './context';

export const MAX_TABLE_NAME = 31;

export const tableNameTooLong: Check = {
  code: 'table-name-too-long',
  run({ unit }) {
    const out: FileDiagnostic[] = [];
    const all = [...unit.index.tableDefinitions, ...unit.index.tableUses];
    for (const t of all) {
      if (t.name.length <= MAX_TABLE_NAME) continue;
      out.push({ path: t.path, code: 'table-name-too-long', severity: 'error', source: 'pfcheck', range: t.range,
        message: `table name <${t.name}> is ${t.name.length} characters long; pf allows at most ${MAX_TABLE_NAME}` });
    }
    return out;
  },
};
