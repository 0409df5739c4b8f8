// What every check receives, and the shape of a check module.
import type { Diagnostic } from '../types';
import type { Unit } from '../workspace';

export interface AnalysisOptions {
  /** Tables filled from outside the ruleset (scripts, other daemons): never "undefined". */
  externalTables?: string[];
  /** Expand even very large files for pfctl's semantic checks (the CLI; the editor skips them). */
  fullExpansion?: boolean;
}

export interface CheckContext {
  unit: Unit;
  options: AnalysisOptions;
}

/** A diagnostic and the file it belongs to (a unit spans the root file and its includes). */
export interface FileDiagnostic extends Diagnostic {
  path: string;
}

export interface Check {
  /** Stable diagnostic code, equal to the module's file name. */
  code: string;
  run(ctx: CheckContext): FileDiagnostic[];
}
