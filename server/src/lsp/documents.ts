// Open documents with incremental re-parsing: every text change the editor sends is turned into a
// tree-sitter edit on the previous tree, so a keystroke re-parses only what it touched.
import { TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Edit, type Parser } from 'web-tree-sitter';
import { editFor, parseDocument, type DialectSetting, type PfDocument, type TreeEdit } from '../core';
import { uriToPath } from './convert';

export class ParsedDocuments {
  readonly documents: TextDocuments<TextDocument>;
  /** Edits received since the last parse; null means "parse from scratch". */
  private readonly pending = new Map<string, TreeEdit[] | null>();
  private readonly parsed = new Map<string, { version: number; doc: PfDocument }>();

  constructor(private readonly parser: Parser, private readonly dialect: () => DialectSetting) {
    this.documents = new TextDocuments<TextDocument>({
      create: (uri, languageId, version, content) => {
        this.pending.set(uri, null);
        return TextDocument.create(uri, languageId, version, content);
      },
      update: (document, changes, version) => {
        let text = document.getText();
        let edits: TreeEdit[] | null = this.pending.has(document.uri) ? this.pending.get(document.uri)! : [];
        for (const change of changes) {
          if ('range' in change) {
            const r = editFor(text, change.range, change.text);
            text = r.text;
            edits?.push(r.edit);
          } else {
            text = change.text;
            edits = null;
          }
        }
        this.pending.set(document.uri, edits);
        return TextDocument.update(document, changes, version);
      },
    });
    this.documents.onDidClose((e) => this.forget(e.document.uri));
  }

  /** The parsed form of an open document, re-parsed incrementally if it changed. */
  get(uri: string): PfDocument | undefined {
    const textDoc = this.documents.get(uri);
    if (!textDoc) return undefined;
    const cached = this.parsed.get(uri);
    if (cached && cached.version === textDoc.version) return cached.doc;
    const edits = this.pending.get(uri);
    let oldTree = null;
    if (cached?.doc.tree && edits) {
      oldTree = cached.doc.tree;
      for (const e of edits) oldTree.edit(new Edit(e));
    }
    const doc = parseDocument(this.parser, uriToPath(uri), textDoc.getText(), this.dialect(), oldTree);
    // The previous tree lives in wasm memory: free it once the new one exists.
    if (cached?.doc.tree && cached.doc.tree !== doc.tree) cached.doc.tree.delete();
    this.pending.set(uri, []);
    this.parsed.set(uri, { version: textDoc.version, doc });
    return doc;
  }

  /** Parse again from scratch (the dialect setting changed). */
  reparseAll(): void {
    for (const [uri, entry] of this.parsed) {
      this.pending.set(uri, null);
      entry.version = -1;
    }
  }

  private forget(uri: string): void {
    this.parsed.get(uri)?.doc.tree?.delete();
    this.parsed.delete(uri);
    this.pending.delete(uri);
  }
}
