// macro-redefined: a second `name = …`; the later value wins from there on, which is rarely meant.
import type { Check, FileDiagnostic } from './context';

export const macroRedefined: Check = {
  code: 'macro-redefined',
  run({ unit }) {
    const out: FileDiagnostic[] = [];
    const seen = new Map<string, (typeof unit.index.macroDefinitions)[number]>();
    for (const def of [...unit.index.macroDefinitions].sort((a, b) => a.order - b.order)) {
      const earlier = seen.get(def.name);
      seen.set(def.name, def);
      if (!earlier) continue;
      out.push({ path: def.path, code: 'macro-redefined', severity: 'warning', source: 'pfcheck', range: def.range,
        message: `macro '${def.name}' redefined: this value replaces the one from line ${earlier.range.start.line + 1} for the rest of the file`,
        related: [{ path: earlier.path, range: earlier.range, message: 'previous definition' }] });
    }
    return out;
  },
};
