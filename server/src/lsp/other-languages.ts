// spamd.conf and rc.conf documents: their own small analyses behind one interface, so the server
// treats them like pf documents for hover, outline and diagnostics.
import { SymbolKind, type DocumentSymbol, type Hover, type Position } from 'vscode-languageserver';
import type { Diagnostic, FileKind } from '../core';
import { rcConfDiagnostics, rcConfHover } from '../core/spamd/rcconf';
import { spamdConfDiagnostics, spamdConfHover, spamdConfSymbols } from '../core/spamd/spamdconf';

export interface OtherLanguage {
  hover(pos: Position): Hover | null;
  symbols(): DocumentSymbol[];
  diagnostics(): Diagnostic[];
}

export function otherLanguages(kind: Exclude<FileKind, 'pf'>, text: string): OtherLanguage {
  if (kind === 'spamd-conf') {
    return {
      hover: (pos) => {
        const h = spamdConfHover(text, pos.line, pos.character);
        return h ? { contents: { kind: 'markdown', value: h.markdown }, range: h.range } : null;
      },
      symbols: () => spamdConfSymbols(text).map((s) => ({
        name: s.name, detail: s.detail, kind: s.kind === 'all' ? SymbolKind.Module : SymbolKind.Class,
        range: s.range, selectionRange: s.selectionRange,
        children: s.children.map((c) => ({ name: c.name, detail: c.detail, kind: SymbolKind.Property, range: c.range, selectionRange: c.selectionRange })),
      })),
      diagnostics: () => spamdConfDiagnostics(text).map((d) => ({ ...d, source: 'spamd.conf' })),
    };
  }
  return {
    hover: (pos) => {
      const h = rcConfHover(text, pos.line, pos.character);
      return h ? { contents: { kind: 'markdown', value: h.markdown }, range: h.range } : null;
    },
    symbols: () => [],
    diagnostics: () => rcConfDiagnostics(text).map((d) => ({ ...d, source: 'rc.conf' })),
  };
}
