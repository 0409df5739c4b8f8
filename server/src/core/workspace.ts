// Analysis units: a root file plus everything it includes, read in pfctl's order. The workspace
// holds the open documents (owned by the caller, e.g. the LSP layer with incremental trees) and
// reads other files through a FileSystem, so the core stays free of editor concerns.
import { dirname, isAbsolute, join, normalize, resolve } from 'path';
import type { Node, Parser } from 'web-tree-sitter';
import { parseDocument, type PfDocument } from './document';
import { emptyIndex, indexDocument, type SymbolIndex } from './symbols';
import { nodeRange } from './syntax';
import type { DialectSetting, Range } from './types';

export interface FileSystem {
  /** File text, or an error message when it cannot be read (missing, a directory, no permission). */
  readFile(path: string): { text: string } | { error: string };
}

export interface IncludeProblem {
  path: string;
  range: Range;
  code: 'missing-include' | 'include-cycle';
  message: string;
}

export interface Unit {
  root: string;
  /** Every document of the unit, root first, in the order pfctl reads them. */
  documents: PfDocument[];
  index: SymbolIndex;
  includeProblems: IncludeProblem[];
  /** include statement → resolved file, for go-to-definition and document links. */
  resolvedIncludes: { path: string; range: Range; resolved: string }[];
}

export interface WorkspaceOptions {
  dialect?: DialectSetting;
  /** Folders tried for includes that do not resolve as written (workspace roots). */
  searchRoots?: string[];
}

export class Workspace {
  private readonly open = new Map<string, PfDocument>();
  private readonly diskCache = new Map<string, { text: string; doc: PfDocument }>();
  /** included file → files that include it (learned from every unit built). */
  private readonly includers = new Map<string, Set<string>>();

  constructor(
    private readonly parser: Parser,
    private readonly fs: FileSystem,
    public options: WorkspaceOptions = {},
  ) {}

  /** Registers an open document (already parsed by the caller, maybe incrementally). */
  setDocument(doc: PfDocument): void {
    this.open.set(normalize(doc.path), doc);
  }

  removeDocument(path: string): void {
    this.open.delete(normalize(path));
  }

  getDocument(path: string): PfDocument | undefined {
    const p = normalize(path);
    return this.open.get(p) ?? this.readDocument(p);
  }

  openDocuments(): PfDocument[] {
    return [...this.open.values()];
  }

  /** Forget what was read from disk (after files changed there). */
  invalidateDisk(path?: string): void {
    if (path) this.diskCache.delete(normalize(path));
    else this.diskCache.clear();
  }

  /** The file whose unit should analyse `path`: its outermost known includer, or itself. */
  rootFor(path: string): string {
    let current = normalize(path);
    const seen = new Set<string>([current]);
    for (;;) {
      const parents = [...(this.includers.get(current) ?? [])].filter((p) => !seen.has(p));
      if (!parents.length) return current;
      current = parents.sort()[0];
      seen.add(current);
    }
  }

  /** Builds the unit of a root file: follows includes depth-first, cycle-safe. */
  buildUnit(rootPath: string): Unit {
    const root = normalize(rootPath);
    const unit: Unit = { root, documents: [], index: emptyIndex(), includeProblems: [], resolvedIncludes: [] };
    let order = 0;
    const nextOrder = () => order++;
    // Compared as absolute paths: `pfcheck a.conf` names the root relatively, includes resolve absolutely.
    const active: string[] = [];
    /** The include statement through which each file of `active` (but the root) was entered. */
    const enteredBy: { path: string; range: Range }[] = [];

    const visit = (doc: PfDocument) => {
      active.push(canonical(doc.path));
      unit.documents.push(doc);
      indexDocument(unit.index, doc, nextOrder, (statement: Node, target: string) => {
        const pathNode = statement.childForFieldName('path') ?? statement;
        const range = nodeRange(pathNode);
        const found = this.resolveInclude(target, doc.path);
        if ('error' in found) {
          unit.includeProblems.push({ path: doc.path, range, code: 'missing-include', message: found.error });
          return;
        }
        const included = found.path;
        unit.resolvedIncludes.push({ path: doc.path, range, resolved: included });
        let set = this.includers.get(included);
        if (!set) this.includers.set(included, (set = new Set()));
        set.add(doc.path);
        const at = active.indexOf(canonical(included));
        if (at >= 0) {
          const message = `include cycle: ${[...active.slice(at), canonical(included)].join(' → ')}`;
          unit.includeProblems.push({ path: doc.path, range, code: 'include-cycle', message });
          // Also where the cycle was entered, so checking that file alone shows it.
          const start = enteredBy[at];
          if (start && start.path !== doc.path) unit.includeProblems.push({ ...start, code: 'include-cycle', message });
          return;
        }
        enteredBy.push({ path: doc.path, range });
        visit(found.doc);
        enteredBy.pop();
      });
      active.pop();
    };

    const rootDoc = this.getDocument(root);
    if (rootDoc) visit(rootDoc);
    return unit;
  }

  private resolveInclude(target: string, from: string): { path: string; doc: PfDocument } | { error: string } {
    const candidates = includeCandidates(target, from, this.options.searchRoots ?? []);
    let firstError = '';
    for (const candidate of candidates) {
      const doc = this.open.get(candidate) ?? this.readDocument(candidate);
      if (doc) return { path: candidate, doc };
      const err = this.lastReadError.get(candidate);
      if (!firstError && err) firstError = err;
    }
    return { error: `cannot read include file "${target}": ${firstError || 'not found'}` +
      (candidates.length > 1 ? ` (looked in ${candidates.join(', ')})` : '') };
  }

  private readonly lastReadError = new Map<string, string>();

  private readDocument(path: string): PfDocument | undefined {
    const result = this.fs.readFile(path);
    if ('error' in result) {
      this.lastReadError.set(path, result.error);
      this.diskCache.delete(path);
      return undefined;
    }
    const cached = this.diskCache.get(path);
    if (cached && cached.text === result.text) return cached.doc;
    const doc = parseDocument(this.parser, path, result.text, this.options.dialect);
    this.diskCache.set(path, { text: result.text, doc });
    return doc;
  }
}

/** An absolute path for files; names that are not files (`stdin`, `untitled:…`) stay as they are. */
function canonical(path: string): string {
  return path === 'stdin' || /^[a-z][a-z0-9+.-]+:/i.test(path) ? path : resolve(path);
}

/**
 * Where an include may be: as written (relative paths against the including file's folder, as
 * one runs pfctl from there), then — for absolute firewall paths like /etc/pf/x.conf that a
 * laptop lacks — the same path's tail under each workspace root.
 */
export function includeCandidates(target: string, from: string, roots: string[]): string[] {
  const out: string[] = [];
  const add = (p: string) => {
    const n = normalize(p);
    if (!out.includes(n)) out.push(n);
  };
  if (isAbsolute(target)) {
    add(target);
    const parts = target.split('/').filter(Boolean);
    for (const root of roots) {
      for (let i = 0; i < parts.length; i++) add(join(root, ...parts.slice(i)));
    }
  } else {
    add(resolve(dirname(from), target));
    for (const root of roots) add(resolve(root, target));
  }
  return out;
}
