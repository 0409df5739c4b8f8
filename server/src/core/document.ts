// One parsed pf.conf text: the immutable unit every check and feature reads.
import type { Parser, Tree } from 'web-tree-sitter';
import { resolveDialect } from './dialect';
import type { Dialect, DialectSetting, Diagnostic } from './types';

/** Above this size the text is not parsed (documented in the README); a diagnostic says why. */
export const MAX_ANALYSIS_BYTES = 8 * 1024 * 1024;
/** A parse that takes longer than this is abandoned rather than blocking the server. */
export const PARSE_TIME_LIMIT_MS = 5000;

export interface PfDocument {
  path: string;
  text: string;
  /** null when the text was declined (too large, binary) or the parse was abandoned. */
  tree: Tree | null;
  dialect: Dialect;
  /** Problems with the text as a whole (size, binary content), reported before any check. */
  textProblems: Diagnostic[];
}

export function looksBinary(text: string): boolean {
  return text.slice(0, 8192).includes('\u0000');
}

export function parseDocument(
  parser: Parser,
  path: string,
  text: string,
  dialect: DialectSetting = 'auto',
  oldTree?: Tree | null,
): PfDocument {
  const problems: Diagnostic[] = [];
  const start = { line: 0, character: 0 };
  const whole = { start, end: start };
  if (looksBinary(text)) {
    problems.push({ code: 'binary-file', severity: 'error', source: 'pfcheck', range: whole,
      message: 'this file contains NUL bytes: it is binary, not a pf.conf ruleset' });
    return { path, text, tree: null, dialect: dialect === 'auto' ? 'openbsd' : dialect, textProblems: problems };
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_ANALYSIS_BYTES) {
    problems.push({ code: 'file-too-large', severity: 'error', source: 'pfcheck', range: whole,
      message: `file is ${(bytes / 1048576).toFixed(1)} MiB; files over ${MAX_ANALYSIS_BYTES / 1048576} MiB are not analysed` });
    return { path, text, tree: null, dialect: dialect === 'auto' ? 'openbsd' : dialect, textProblems: problems };
  }
  const deadline = Date.now() + PARSE_TIME_LIMIT_MS;
  const tree = parser.parse(text, oldTree ?? null, { progressCallback: () => Date.now() > deadline });
  if (!tree) {
    parser.reset();
    problems.push({ code: 'parse-timeout', severity: 'error', source: 'pfcheck', range: whole,
      message: `parsing took longer than ${PARSE_TIME_LIMIT_MS / 1000} s and was abandoned` });
    return { path, text, tree: null, dialect: dialect === 'auto' ? 'openbsd' : dialect, textProblems: problems };
  }
  return { path, text, tree, dialect: resolveDialect(dialect, tree.rootNode), textProblems: problems };
}
