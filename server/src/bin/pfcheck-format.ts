// pfcheck's output formats: compiler-style text and a versioned JSON document (1-based positions).
import type { Diagnostic, Dialect } from '../core';

export interface FileResult {
  file: string;
  dialect: Dialect;
  diagnostics: Diagnostic[];
}

function counts(results: FileResult[]) {
  let errors = 0;
  let warnings = 0;
  for (const r of results) {
    for (const d of r.diagnostics) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
    }
  }
  return { files: results.length, errors, warnings };
}

export function formatText(results: FileResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    for (const d of r.diagnostics) {
      lines.push(`${r.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`);
    }
  }
  const c = counts(results);
  lines.push(`${c.files} file${c.files === 1 ? '' : 's'} checked: ${c.errors} error${c.errors === 1 ? '' : 's'}, ${c.warnings} warning${c.warnings === 1 ? '' : 's'}`);
  return lines.join('\n') + '\n';
}

export function formatJson(results: FileResult[]): string {
  return JSON.stringify({
    version: 1,
    files: results.map((r) => ({
      file: r.file,
      dialect: r.dialect,
      diagnostics: r.diagnostics.map((d) => ({
        code: d.code,
        severity: d.severity,
        message: d.message,
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endColumn: d.range.end.character + 1,
      })),
    })),
    summary: counts(results),
  }, null, 2) + '\n';
}
