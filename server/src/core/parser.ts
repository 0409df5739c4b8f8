// The one place that loads the pf grammar (WebAssembly) and creates parsers.
import { existsSync } from 'fs';
import { dirname, join } from 'path';
import { Language, Parser } from 'web-tree-sitter';

let language: Promise<Language> | undefined;

/** Where the grammar's wasm may sit: next to a bundle, or in the repository/npm layout. */
function grammarWasmPath(): string {
  const candidates = [
    process.env.PF_GRAMMAR_WASM,
    join(__dirname, 'tree-sitter-pf.wasm'), // bundled: dist/tree-sitter-pf.wasm
    join(__dirname, '..', 'tree-sitter-pf.wasm'),
  ];
  try {
    candidates.push(join(dirname(require.resolve('tree-sitter-pf/package.json')), 'tree-sitter-pf.wasm'));
  } catch {
    // not installed as a package: fall through to the repository layout
  }
  candidates.push(join(__dirname, '..', '..', '..', '..', 'tree-sitter-pf', 'tree-sitter-pf.wasm'));
  const found = candidates.find((p): p is string => !!p && existsSync(p));
  if (!found) throw new Error(`tree-sitter-pf.wasm not found (looked in: ${candidates.filter(Boolean).join(', ')})`);
  return found;
}

/** web-tree-sitter's own runtime wasm: next to a bundle, else from the npm package. */
function runtimeWasmPath(): string | undefined {
  const bundled = join(__dirname, 'web-tree-sitter.wasm');
  return existsSync(bundled) ? bundled : undefined;
}

export function loadLanguage(): Promise<Language> {
  if (!language) {
    const runtime = runtimeWasmPath();
    language = Parser.init(runtime ? { locateFile: () => runtime } : undefined).then(() =>
      Language.load(grammarWasmPath()),
    );
  }
  return language;
}

export async function createParser(): Promise<Parser> {
  const lang = await loadLanguage(); // also initialises the runtime, which `new Parser` needs
  const parser = new Parser();
  parser.setLanguage(lang);
  return parser;
}

export type { Language, Parser, Node, Tree } from 'web-tree-sitter';
