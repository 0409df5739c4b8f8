// The language server: LSP requests in, analysis-core functions called, results converted back.
// Nothing here decides anything about pf; see ../core for that.
import {
  CodeActionKind, CompletionItemKind, DocumentHighlightKind, InsertTextFormat, FileChangeType, ResponseError, ErrorCodes, SemanticTokensBuilder,
  TextDocumentSyncKind, type Connection, type InitializeParams, type InitializeResult,
  type CodeAction, type WorkspaceEdit,
} from 'vscode-languageserver';
import type { Parser } from 'web-tree-sitter';
import {
  Analyzer, createParser, fileKind, nodeFileSystem, DIALECT_NAMES,
  type Diagnostic, type DialectSetting, type FileSystem, type PfDocument,
} from '../core';
import { printRules } from '../core/expand';
import { documentLinks } from '../core/features/document-links';
import { documentSymbols } from '../core/features/document-symbols';
import { foldingRanges } from '../core/features/folding-ranges';
import { completion } from '../core/features/completion';
import { hover } from '../core/features/hover';
import { definition, documentHighlights, references } from '../core/features/navigation';
import { prepareRename, rename } from '../core/features/rename';
import { selectionRanges } from '../core/features/selection-ranges';
import { SEMANTIC_TOKEN_MODIFIERS, SEMANTIC_TOKEN_TYPES, semanticTokens } from '../core/features/semantic-tokens';
import { workspaceSymbols } from '../core/features/workspace-symbols';
import { pathToUri, SYMBOL_KIND, toLspDiagnostic, uriToPath } from './convert';
import { ParsedDocuments } from './documents';
import { discoverPfFiles } from './discover';
import { otherLanguages } from './other-languages';

function readTextFile(path: string): string | undefined {
  const r = nodeFileSystem.readFile(path);
  return 'text' in r ? r.text : undefined;
}

export interface Settings {
  dialect: DialectSetting;
  externalTables: string[];
  /** Milliseconds between the last keystroke and re-checking. */
  diagnosticsDelay: number;
  /** Hovers may link to editor commands (sent by the VS Code client at start). */
  commandLinks: boolean;
}

const COMPLETION_KIND: Record<string, CompletionItemKind> = {
  keyword: CompletionItemKind.Keyword,
  macro: CompletionItemKind.Constant,
  table: CompletionItemKind.Struct,
  service: CompletionItemKind.Value,
  option: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
  snippet: CompletionItemKind.Snippet,
};

const DEFAULT_SETTINGS: Settings = { dialect: 'auto', externalTables: [], diagnosticsDelay: 150, commandLinks: false };

export async function startServer(connection: Connection): Promise<void> {
  const parser = await createParser();
  new PfLanguageServer(connection, parser).listen();
}

class PfLanguageServer {
  private settings: Settings = { ...DEFAULT_SETTINGS };
  private readonly docs: ParsedDocuments;
  private readonly analyzer: Analyzer;
  private readonly pendingChecks = new Map<string, NodeJS.Timeout>();
  /** Last published diagnostics with their fixes, for code actions. */
  private readonly published = new Map<string, Diagnostic[]>();
  private workspaceRoots: string[] = [];
  /** pf files found in the workspace folders (refreshed when files are created or deleted). */
  private discovered: string[] = [];
  private canPullConfiguration = false;

  constructor(private readonly connection: Connection, parser: Parser) {
    this.docs = new ParsedDocuments(parser, () => this.settings.dialect);
    // Open documents win over the disk, so includes see unsaved edits.
    const fs: FileSystem = {
      readFile: (path) => {
        const open = this.openDocumentByPath(path);
        return open ? { text: open.text } : nodeFileSystem.readFile(path);
      },
    };
    this.analyzer = new Analyzer(parser, fs, {});
  }

  listen(): void {
    const c = this.connection;
    c.onInitialize((p) => this.initialize(p));
    c.onInitialized(() => this.initialized());
    c.onDidChangeConfiguration((p) => this.configurationChanged(p.settings));
    c.onDidChangeWatchedFiles((p) => {
      if (p.changes.some((ch) => ch.type !== FileChangeType.Changed)) this.discovered = discoverPfFiles(this.workspaceRoots);
      for (const change of p.changes) {
        this.analyzer.workspace.invalidateDisk(uriToPath(change.uri));
        if (change.type === FileChangeType.Deleted) this.analyzer.workspace.removeDocument(uriToPath(change.uri));
      }
      this.analyzer.invalidate();
      this.scheduleAll();
    });

    this.docs.documents.onDidChangeContent((e) => this.documentChanged(e.document.uri));
    this.docs.documents.onDidClose((e) => {
      this.analyzer.workspace.removeDocument(uriToPath(e.document.uri));
      this.analyzer.invalidate();
      this.published.delete(e.document.uri);
      c.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    });

    c.onHover(this.guard('hover', (p) => {
      const other = this.other(p.textDocument.uri);
      if (other) return other.hover(p.position);
      const ctx = this.pf(p.textDocument.uri);
      if (!ctx) return null;
      const h = hover(ctx.unit, ctx.doc, p.position, { commandLinks: this.settings.commandLinks });
      return h ? { contents: { kind: 'markdown', value: h.markdown }, range: h.range } : null;
    }));
    c.onDefinition(this.guard('definition', (p) => this.locations(p.textDocument.uri, (unit, path) => definition(unit, path, p.position))));
    c.onDeclaration(this.guard('declaration', (p) => this.locations(p.textDocument.uri, (unit, path) => definition(unit, path, p.position))));
    c.onReferences(this.guard('references', (p) =>
      this.locations(p.textDocument.uri, (unit, path) => references(unit, path, p.position, p.context.includeDeclaration))));
    c.onDocumentHighlight(this.guard('documentHighlight', (p) => {
      const ctx = this.pf(p.textDocument.uri);
      if (!ctx) return null;
      return documentHighlights(ctx.unit, ctx.doc.path, p.position).map((h) => ({
        range: h.range, kind: h.kind === 'write' ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
      }));
    }));
    c.onPrepareRename(this.guard('prepareRename', (p) => {
      const ctx = this.pf(p.textDocument.uri);
      if (!ctx) return null;
      const r = prepareRename(ctx.unit, ctx.doc.path, p.position);
      if ('error' in r) throw new ResponseError(ErrorCodes.InvalidRequest, r.error);
      return r;
    }));
    c.onRenameRequest(this.guard('rename', (p) => {
      const ctx = this.pf(p.textDocument.uri);
      if (!ctx) return null;
      const r = rename(ctx.unit, ctx.doc.path, p.position, p.newName);
      if ('error' in r) throw new ResponseError(ErrorCodes.InvalidParams, r.error);
      const changes: WorkspaceEdit['changes'] = {};
      for (const [path, edits] of r.edits) changes[pathToUri(path)] = edits;
      return { changes };
    }));
    c.onWorkspaceSymbol(this.guard('workspaceSymbol', (p) => {
      const units = this.knownPfPaths().map((path) => this.analyzer.unitFor(path));
      return workspaceSymbols(units, p.query).map((s) => ({
        name: s.name, kind: SYMBOL_KIND[s.kind], containerName: s.container,
        location: { uri: pathToUri(s.path), range: s.range },
      }));
    }));
    c.onDocumentSymbol(this.guard('documentSymbol', (p) => {
      const other = this.other(p.textDocument.uri);
      if (other) return other.symbols();
      const doc = this.pfDoc(p.textDocument.uri);
      if (!doc) return null;
      const convert = (s: ReturnType<typeof documentSymbols>[number]): import('vscode-languageserver').DocumentSymbol => ({
        name: s.name || '(unnamed)', detail: s.detail, kind: SYMBOL_KIND[s.kind], range: s.range,
        selectionRange: s.selectionRange, children: s.children.map(convert),
      });
      return documentSymbols(doc).map(convert);
    }));
    c.onFoldingRanges(this.guard('foldingRanges', (p) => {
      const doc = this.pfDoc(p.textDocument.uri);
      return doc ? foldingRanges(doc) : null;
    }));
    c.onSelectionRanges(this.guard('selectionRanges', (p) => {
      const doc = this.pfDoc(p.textDocument.uri);
      return doc ? selectionRanges(doc, p.positions) : null;
    }));
    c.languages.semanticTokens.on(this.guard('semanticTokens', (p) => this.tokens(p.textDocument.uri)));
    c.languages.semanticTokens.onRange(this.guard('semanticTokensRange', (p) => this.tokens(p.textDocument.uri, p.range)));
    c.onDocumentLinks(this.guard('documentLinks', (p) => {
      const ctx = this.pf(p.textDocument.uri);
      if (!ctx) return null;
      return documentLinks(ctx.unit, ctx.doc.path).map((l) => ({ range: l.range, target: pathToUri(l.target), tooltip: l.tooltip }));
    }));
    c.onCodeAction(this.guard('codeAction', (p) => {
      const published = this.published.get(p.textDocument.uri) ?? [];
      const actions: CodeAction[] = [];
      for (const d of published) {
        if (!d.fixes?.length) continue;
        const overlaps = p.range.start.line <= d.range.end.line && p.range.end.line >= d.range.start.line;
        if (!overlaps) continue;
        for (const fix of d.fixes) {
          actions.push({
            title: fix.title, kind: CodeActionKind.QuickFix, isPreferred: fix.preferred,
            diagnostics: [toLspDiagnostic(d)],
            edit: { changes: { [p.textDocument.uri]: fix.edits } },
          });
        }
      }
      return actions;
    }));
    c.onCompletion(this.guard('completion', (p) => {
      const ctx = this.pf(p.textDocument.uri);
      if (!ctx) return null;
      return completion(ctx.unit, ctx.doc, p.position).map((i) => ({
        label: i.label,
        kind: COMPLETION_KIND[i.kind],
        detail: i.detail,
        documentation: i.documentation ? { kind: 'markdown' as const, value: i.documentation } : undefined,
        textEdit: { range: i.range, newText: i.insertText ?? i.label },
        insertTextFormat: i.isSnippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
        sortText: i.sortText,
      }));
    }));
    c.onRequest('pf/expandedRuleset', this.guard('pf/expandedRuleset', (p: { uri: string }) => {
      const ctx = this.pf(p.uri);
      if (!ctx) return null;
      const byPath = new Map(ctx.unit.documents.map((d) => [d.path, d.text]));
      const result = printRules({
        path: ctx.doc.path, text: ctx.doc.text, readFile: (path) => byPath.get(path) ?? readTextFile(path),
        dialect: ctx.doc.dialect === 'openbsd' ? 'openbsd' : 'freebsd',
      });
      return { ...result, dialect: ctx.doc.dialect };
    }));
    c.onRequest('pf/dialect', this.guard('pf/dialect', (p: { uri: string }) => {
      const doc = this.pfDoc(p.uri);
      return doc ? { dialect: doc.dialect, name: DIALECT_NAMES[doc.dialect], setting: this.settings.dialect } : null;
    }));

    this.docs.documents.listen(c);
    c.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.canPullConfiguration = !!params.capabilities.workspace?.configuration;
    this.workspaceRoots = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri));
    if (!this.workspaceRoots.length && params.rootUri) this.workspaceRoots = [uriToPath(params.rootUri)];
    this.analyzer.workspace.options.searchRoots = this.workspaceRoots;
    this.applySettings(params.initializationOptions);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['$', '<', ' '] },
        definitionProvider: true,
        declarationProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        workspaceSymbolProvider: true,
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        selectionRangeProvider: true,
        documentLinkProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        semanticTokensProvider: {
          legend: { tokenTypes: [...SEMANTIC_TOKEN_TYPES], tokenModifiers: [...SEMANTIC_TOKEN_MODIFIERS] },
          full: true,
          range: true,
        },
      },
      serverInfo: { name: 'pf-language-server', version: '0.1.0' },
    };
  }

  private async initialized(): Promise<void> {
    if (this.canPullConfiguration) {
      const [pf] = await this.connection.workspace.getConfiguration([{ section: 'pf' }]).catch(() => [undefined]);
      this.applySettings(pf);
    }
    // Learn which files include which, so an included file is checked in its includer's context.
    this.discovered = discoverPfFiles(this.workspaceRoots);
    this.analyzer.discover(this.discovered);
    this.analyzer.invalidate();
    this.scheduleAll();
  }

  private configurationChanged(settings: unknown): void {
    const pf = (settings as { pf?: unknown } | undefined)?.pf;
    if (pf) this.applySettings(pf);
    else if (this.canPullConfiguration) {
      void this.connection.workspace.getConfiguration([{ section: 'pf' }]).then(([p]) => {
        this.applySettings(p);
        this.scheduleAll();
      }, () => undefined);
      return;
    }
    this.scheduleAll();
  }

  private applySettings(raw: unknown): void {
    const s = (raw ?? {}) as Partial<Settings>;
    const dialect = ['auto', 'openbsd', 'freebsd', 'macos'].includes(s.dialect as string) ? (s.dialect as DialectSetting) : 'auto';
    const changedDialect = dialect !== this.settings.dialect;
    this.settings = {
      dialect,
      externalTables: Array.isArray(s.externalTables) ? s.externalTables.filter((t) => typeof t === 'string') : [],
      diagnosticsDelay: typeof s.diagnosticsDelay === 'number' && s.diagnosticsDelay >= 0 ? s.diagnosticsDelay : DEFAULT_SETTINGS.diagnosticsDelay,
      commandLinks: typeof s.commandLinks === 'boolean' ? s.commandLinks : this.settings.commandLinks,
    };
    this.analyzer.options = { ...this.analyzer.options, externalTables: this.settings.externalTables, dialect };
    this.analyzer.workspace.options.dialect = dialect;
    if (changedDialect) {
      this.docs.reparseAll();
      this.analyzer.workspace.invalidateDisk();
    }
    this.analyzer.invalidate();
  }

  // ------------------------------------------------------------------ documents and units

  private documentChanged(uri: string): void {
    if (this.other(uri)) {
      this.scheduleCheck(uri);
      return;
    }
    const doc = this.docs.get(uri);
    if (doc) this.analyzer.workspace.setDocument(doc);
    this.analyzer.invalidate();
    // A change can affect every open file of the same unit (an include's macros, say).
    const root = this.analyzer.workspace.rootFor(uriToPath(uri));
    for (const open of this.docs.documents.keys()) {
      if (open === uri || this.analyzer.workspace.rootFor(uriToPath(open)) === root) this.scheduleCheck(open);
    }
  }

  private scheduleAll(): void {
    for (const uri of this.docs.documents.keys()) {
      const doc = this.other(uri) ? undefined : this.docs.get(uri);
      if (doc) this.analyzer.workspace.setDocument(doc);
    }
    this.analyzer.invalidate();
    for (const uri of this.docs.documents.keys()) this.scheduleCheck(uri);
  }

  private scheduleCheck(uri: string): void {
    clearTimeout(this.pendingChecks.get(uri));
    this.pendingChecks.set(uri, setTimeout(() => {
      this.pendingChecks.delete(uri);
      this.publish(uri);
    }, this.settings.diagnosticsDelay));
  }

  private publish(uri: string): void {
    const textDoc = this.docs.documents.get(uri);
    if (!textDoc) return;
    try {
      const other = this.other(uri);
      let diagnostics: Diagnostic[];
      if (other) diagnostics = other.diagnostics();
      else {
        const doc = this.docs.get(uri);
        if (!doc) return;
        this.analyzer.workspace.setDocument(doc);
        diagnostics = this.analyzer.diagnostics(doc.path);
      }
      this.published.set(uri, diagnostics);
      void this.connection.sendDiagnostics({ uri, version: textDoc.version, diagnostics: diagnostics.map(toLspDiagnostic) });
    } catch (err) {
      this.connection.console.error(`checking ${uri} failed: ${(err as Error).stack ?? err}`);
    }
  }

  private pfDoc(uri: string): PfDocument | undefined {
    if (this.other(uri)) return undefined;
    const doc = this.docs.get(uri);
    if (doc) this.analyzer.workspace.setDocument(doc);
    return doc;
  }

  private pf(uri: string) {
    const doc = this.pfDoc(uri);
    if (!doc) return undefined;
    return { doc, unit: this.analyzer.unitFor(doc.path) };
  }

  /** spamd.conf and rc.conf documents: their own small analyses. */
  private other(uri: string) {
    const textDoc = this.docs.documents.get(uri);
    if (!textDoc) return undefined;
    const kind = fileKind(uriToPath(uri), textDoc.languageId);
    if (kind === 'pf') return undefined;
    return otherLanguages(kind, textDoc.getText());
  }

  private openDocumentByPath(path: string): PfDocument | undefined {
    for (const uri of this.docs.documents.keys()) {
      if (uriToPath(uri) === path && !this.other(uri)) return this.docs.get(uri);
    }
    return undefined;
  }

  private knownPfPaths(): string[] {
    const open = [...this.docs.documents.keys()].filter((u) => !this.other(u)).map(uriToPath);
    return [...new Set([...open, ...this.discovered])];
  }

  private locations(uri: string, find: (unit: ReturnType<Analyzer['unitFor']>, path: string) => { path: string; range: import('../core').Range }[]) {
    const ctx = this.pf(uri);
    if (!ctx) return null;
    return find(ctx.unit, ctx.doc.path).map((l) => ({ uri: pathToUri(l.path), range: l.range }));
  }

  private tokens(uri: string, range?: import('../core').Range) {
    const doc = this.pfDoc(uri);
    const builder = new SemanticTokensBuilder();
    if (doc) for (const t of semanticTokens(doc, range)) builder.push(t.line, t.character, t.length, t.type, t.modifiers);
    return builder.build();
  }

  /** A failing feature answers with an error and a log line; the server carries on. */
  private guard<P, R>(name: string, handler: (params: P) => R): (params: P) => R | ResponseError<void> {
    return (params: P) => {
      try {
        return handler(params);
      } catch (err) {
        if (err instanceof ResponseError) return err;
        this.connection.console.error(`${name} failed: ${(err as Error).stack ?? err}`);
        return new ResponseError(ErrorCodes.InternalError, `${name} failed: ${(err as Error).message}`);
      }
    };
  }
}
