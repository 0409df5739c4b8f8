// Conversions between the core's plain data and LSP types. Positions need none (both 0-based,
// UTF-16), so this is mostly URIs, severities and kinds.
import { fileURLToPath, pathToFileURL } from 'url';
import {
  DiagnosticSeverity, DiagnosticTag, SymbolKind,
  type Diagnostic as LspDiagnostic,
} from 'vscode-languageserver';
import type { Diagnostic } from '../core';

export function uriToPath(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

export function pathToUri(path: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(path) && !path.startsWith('/') ? path : pathToFileURL(path).toString();
}

const SEVERITY: Record<Diagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toLspDiagnostic(d: Diagnostic): LspDiagnostic {
  return {
    range: d.range,
    severity: SEVERITY[d.severity],
    code: d.code,
    source: d.source,
    message: d.message,
    tags: d.tags?.map((t) => (t === 'unnecessary' ? DiagnosticTag.Unnecessary : DiagnosticTag.Deprecated)),
    relatedInformation: d.related?.map((r) => ({ location: { uri: pathToUri(r.path), range: r.range }, message: r.message })),
  };
}

export const SYMBOL_KIND: Record<string, SymbolKind> = {
  macro: SymbolKind.Constant,
  table: SymbolKind.Struct,
  anchor: SymbolKind.Namespace,
  option: SymbolKind.Property,
  rule: SymbolKind.Event,
  queue: SymbolKind.EnumMember,
  section: SymbolKind.Module,
  include: SymbolKind.File,
};
