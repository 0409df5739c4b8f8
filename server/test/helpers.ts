// Test fixtures: pf.conf snippets in memory, `$0` marking a cursor, analysed by the real core.
import { normalize } from 'path';
import { Analyzer, createParser, type FileSystem, type Parser, type Position } from '../src/core';

let parserPromise: Promise<Parser> | undefined;
export function parser(): Promise<Parser> {
  parserPromise ??= createParser();
  return parserPromise;
}

export function memoryFs(files: Record<string, string>): FileSystem {
  const map = new Map(Object.entries(files).map(([p, t]) => [normalize(p), t]));
  return {
    readFile: (p) => {
      const text = map.get(normalize(p));
      return text === undefined ? { error: 'No such file or directory' } : { text };
    },
  };
}

/** Removes `$0` from the text and returns where it was. */
export function cursor(textWithCursor: string): { text: string; position: Position } {
  const offset = textWithCursor.indexOf('$0');
  if (offset < 0) throw new Error('fixture has no $0 cursor');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 2);
  const before = text.slice(0, offset).split('\n');
  return { text, position: { line: before.length - 1, character: before[before.length - 1].length } };
}

/** An analyser over in-memory files (first file is the one usually asked about). */
export async function analyzer(files: Record<string, string>, options: ConstructorParameters<typeof Analyzer>[2] = {}) {
  const a = new Analyzer(await parser(), memoryFs(files), options);
  a.discover(Object.keys(files));
  return a;
}

export async function diagnosticsOf(text: string, options: ConstructorParameters<typeof Analyzer>[2] = {}) {
  const a = await analyzer({ '/etc/pf.conf': text }, options);
  return a.diagnostics('/etc/pf.conf');
}

export function codes(list: { code: string }[]): string[] {
  return list.map((d) => d.code);
}
