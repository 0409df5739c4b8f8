// Plain data shared by the whole analysis core. Positions are 0-based lines and UTF-16 columns,
// which is what both web-tree-sitter (for JS strings) and LSP use, so no conversion is needed.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export type Dialect = 'openbsd' | 'freebsd' | 'macos';
export type DialectSetting = Dialect | 'auto';

export interface RelatedInformation {
  path: string;
  range: Range;
  message: string;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A fix offered beside a diagnostic; edits apply to the diagnostic's own file. */
export interface QuickFix {
  title: string;
  edits: TextEdit[];
  preferred?: boolean;
}

export interface Diagnostic {
  /** Stable code: the name of the module under checks/ that raised it. */
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  /** `pfcheck` for our own checks; `pfctl-check` for pfctl's semantic errors. */
  source: string;
  /** `unnecessary` renders faded in editors (unused definitions). */
  tags?: ('unnecessary' | 'deprecated')[];
  related?: RelatedInformation[];
  fixes?: QuickFix[];
}

export function rangeContains(range: Range, pos: Position): boolean {
  return comparePositions(range.start, pos) <= 0 && comparePositions(pos, range.end) <= 0;
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}
