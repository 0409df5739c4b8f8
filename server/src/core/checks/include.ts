// missing-include / include-cycle: include statements that cannot be followed.
import type { Check, FileDiagnostic } from './context';

export const includeProblems: Check = {
  code: 'include',
  run({ unit }) {
    return unit.includeProblems.map((p): FileDiagnostic => ({
      path: p.path, code: p.code, severity: p.code === 'include-cycle' ? 'error' : 'warning',
      source: 'pfcheck', range: p.range, message: p.message,
    }));
  },
};
