// Finds the pf files of the workspace folders (bounded, skipping heavy folders), so include
// relations and workspace symbols cover files that are not open.
import { readdirSync, statSync } from 'fs';
import { join } from 'path';
import { isPfFileName } from '../core';

const SKIP = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'dist']);
const MAX_FILES = 2000;
const MAX_DEPTH = 8;

export function discoverPfFiles(roots: string[]): string[] {
  const found: string[] = [];
  const visit = (dir: string, depth: number) => {
    if (found.length >= MAX_FILES || depth > MAX_DEPTH) return;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (found.length >= MAX_FILES) return;
      const p = join(dir, name);
      let isDir: boolean;
      try {
        const st = statSync(p);
        isDir = st.isDirectory();
        if (!isDir && st.size > 8 * 1024 * 1024) continue;
      } catch {
        continue;
      }
      if (isDir) {
        if (!SKIP.has(name) && !name.startsWith('.')) visit(p, depth + 1);
      } else if (isPfFileName(name, { includeRegressInputs: false })) found.push(p);
    }
  };
  for (const root of roots) visit(root, 0);
  return found;
}
