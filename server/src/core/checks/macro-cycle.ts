// macro-cycle: macros whose values refer to each other in a loop can never be expanded.
import { expandMacro } from '../macros';
import type { Check, FileDiagnostic } from './context';

export const macroCycle: Check = {
  code: 'macro-cycle',
  run({ unit }) {
    const out: FileDiagnostic[] = [];
    for (const def of unit.index.macroDefinitions) {
      const { cycle } = expandMacro(unit.index, def);
      if (!cycle || cycle[0] !== def.name) continue;
      out.push({ path: def.path, code: 'macro-cycle', severity: 'error', source: 'pfcheck', range: def.range,
        message: `macro '${def.name}' refers to itself: ${cycle.join(' → ')}` });
    }
    return out;
  },
};
