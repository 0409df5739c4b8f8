// undefined-macro: `$name` with no definition before it. pfctl stops with this very message.
import { closest, definitionAt } from '../macros';
import type { Check, FileDiagnostic } from './context';

export const undefinedMacro: Check = {
  code: 'undefined-macro',
  run({ unit }) {
    const out: FileDiagnostic[] = [];
    const names = new Set(unit.index.macroDefinitions.map((d) => d.name));
    for (const use of unit.index.macroUses) {
      if (definitionAt(unit.index, use.name, use.order)) continue;
      const laterDefined = names.has(use.name);
      const suggestion = laterDefined ? undefined : closest(use.name, names);
      let message = `macro '${use.name}' not defined`;
      if (laterDefined) message += ' before this line (pfctl reads macros in order: move the definition up)';
      else if (suggestion) message += `; did you mean '$${suggestion}'?`;
      out.push({
        path: use.path, code: 'undefined-macro', severity: 'error', source: 'pfcheck', range: use.fullRange, message,
        fixes: suggestion
          ? [{ title: `Change to '$${suggestion}'`, preferred: true, edits: [{ range: use.range, newText: suggestion }] }]
          : undefined,
      });
    }
    return out;
  },
};
