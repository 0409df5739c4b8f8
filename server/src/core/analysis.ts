// The entry point tools use: a workspace plus the checks, answering "diagnostics of this file".
import { normalize } from 'path';
import type { Parser } from 'web-tree-sitter';
import { checkUnit, type AnalysisOptions } from './checks';
import type { Diagnostic, DialectSetting } from './types';
import { Workspace, type FileSystem, type Unit } from './workspace';

export interface AnalyzerOptions extends AnalysisOptions {
  dialect?: DialectSetting;
  searchRoots?: string[];
}

export class Analyzer {
  readonly workspace: Workspace;
  private readonly units = new Map<string, { unit: Unit; diagnostics: Map<string, Diagnostic[]> }>();

  constructor(parser: Parser, fs: FileSystem, public options: AnalyzerOptions = {}) {
    this.workspace = new Workspace(parser, fs, { dialect: options.dialect, searchRoots: options.searchRoots });
  }

  /** Learn include relations of these files, so an included file is checked in its includer's context. */
  discover(paths: string[]): void {
    for (const p of paths) this.workspace.buildUnit(p);
  }

  /** Drop cached results (call after any document changed). */
  invalidate(): void {
    this.units.clear();
  }

  unitFor(path: string): Unit {
    return this.analyzed(path).unit;
  }

  diagnostics(path: string): Diagnostic[] {
    return this.analyzed(path).diagnostics.get(normalize(path)) ?? [];
  }

  private analyzed(path: string) {
    const root = this.workspace.rootFor(path);
    let entry = this.units.get(root);
    if (!entry) {
      const unit = this.workspace.buildUnit(root);
      // The file may not be reachable from its recorded includer any more: analyse it alone.
      const own = unit.documents.some((d) => d.path === normalize(path)) ? unit : this.workspace.buildUnit(path);
      entry = { unit: own, diagnostics: checkUnit(own, this.options) };
      this.units.set(root, entry);
    }
    return entry;
  }
}
