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

const SARIF_LEVEL: Record<Diagnostic['severity'], 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

/** SARIF 2.1.0 for code-scanning services; rule ids are our diagnostic codes. */
export function formatSarif(results: FileResult[]): string {
  const rules = new Map<string, string>();
  for (const r of results) for (const d of r.diagnostics) if (!rules.has(d.code)) rules.set(d.code, d.source);
  return JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'pfcheck',
          version: '0.1.0',
          informationUri: 'https://example.invalid/pf-language',
          rules: [...rules].map(([id, source]) => ({ id, shortDescription: { text: `${id} (${source})` } })),
        },
      },
      results: results.flatMap((r) => r.diagnostics.map((d) => ({
        ruleId: d.code,
        level: SARIF_LEVEL[d.severity],
        message: { text: d.message },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: r.file.split('\\').join('/') },
            region: {
              startLine: d.range.start.line + 1,
              startColumn: d.range.start.character + 1,
              endLine: d.range.end.line + 1,
              endColumn: d.range.end.character + 1,
            },
          },
        }],
      }))),
    }],
  }, null, 2) + '\n';
}
