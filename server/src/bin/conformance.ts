#!/usr/bin/env node
// Conformance run: every pf*.in (not pfail*) under a folder must parse with zero syntax errors,
// as pfctl accepts them all. Prints each failure and a last line "N passed, M failed".
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { createParser, parseDocument, Workspace, type FileSystem } from '../core';
import { syntaxError } from '../core/checks/syntax-error';

async function main(dir: string | undefined): Promise<number> {
  if (!dir) {
    process.stderr.write('usage: conformance <folder with pf*.in files>\n');
    return 2;
  }
  const names = readdirSync(dir).filter((n) => /^pf.*\.in$/.test(n) && !n.startsWith('pfail')).sort(natural);
  const parser = await createParser();
  let passed = 0;
  let failed = 0;
  for (const name of names) {
    const path = join(dir, name);
    const doc = parseDocument(parser, path, readFileSync(path, 'utf8'));
    const fs: FileSystem = { readFile: () => ({ error: 'not read' }) };
    const ws = new Workspace(parser, fs);
    ws.setDocument(doc);
    const errors = syntaxError.run({ unit: ws.buildUnit(path), options: {} });
    if (errors.length || doc.textProblems.length) {
      failed++;
      for (const e of [...doc.textProblems, ...errors]) {
        process.stdout.write(`FAIL ${name}:${e.range.start.line + 1}:${e.range.start.character + 1}: ${e.message}\n`);
      }
    } else passed++;
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed ? 1 : 0;
}

function natural(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

main(process.argv[2]).then((code) => process.exit(code), (err) => {
  process.stderr.write(`conformance: ${(err as Error).stack ?? err}\n`);
  process.exit(2);
});
