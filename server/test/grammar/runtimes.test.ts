// The grammar through both runtimes: the corpus cases in tree-sitter-pf/test/corpus must give the
// expected trees in native tree-sitter AND in web-tree-sitter (the wasm the server ships), and the
// OpenBSD regress inputs must give identical trees in both. No tree-sitter CLI needed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import NativeParser = require('tree-sitter');
import { parser } from '../helpers';

const grammarDir = join(__dirname, '..', '..', '..', '..', 'tree-sitter-pf');
const regressDir = join(grammarDir, '..', '..', 'shared', 'corpus', 'openbsd-regress');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nativeLanguage = require(grammarDir);

interface CorpusCase { file: string; name: string; input: string; expected: string }

/** tree-sitter's corpus format: ===\nname\n===\ninput\n---\nexpected tree. */
function readCorpus(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  const dir = join(grammarDir, 'test', 'corpus');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    const re = /^={3,}\r?\n(.*?)\r?\n={3,}\r?\n([\s\S]*?)\r?\n-{3,}\r?\n([\s\S]*?)(?=\r?\n={3,}\r?\n|(?![\s\S]))/gm;
    for (const m of text.matchAll(re)) cases.push({ file, name: m[1].trim(), input: m[2], expected: m[3] });
  }
  return cases;
}

/** Compare shapes only: drop field labels and collapse white space, as the CLI does. */
function normalizeTree(s: string): string {
  return s.replace(/\w+: /g, '').replace(/\s+/g, ' ').replace(/ \)/g, ')').trim();
}

const native = new NativeParser();
native.setLanguage(nativeLanguage);

test('corpus cases parse to the expected tree in both runtimes', async () => {
  const wasm = await parser();
  const cases = readCorpus();
  assert.ok(cases.length >= 25, `expected the grammar's corpus cases, found ${cases.length}`);
  for (const c of cases) {
    const want = normalizeTree(c.expected);
    const fromNative = normalizeTree(native.parse(c.input).rootNode.toString());
    const fromWasm = normalizeTree(wasm.parse(c.input)!.rootNode.toString());
    assert.equal(fromNative, want, `${c.file}: ${c.name} (native)`);
    assert.equal(fromWasm, want, `${c.file}: ${c.name} (wasm)`);
  }
});

test('regress inputs give identical trees in native and wasm', { skip: !existsSync(regressDir) && 'no ../shared corpus' }, async () => {
  const wasm = await parser();
  const files = readdirSync(regressDir).filter((f) => f.endsWith('.in'));
  assert.ok(files.length > 100);
  for (const f of files) {
    const text = readFileSync(join(regressDir, f), 'utf8');
    assert.equal(wasm.parse(text)!.rootNode.toString(), native.parse(text).rootNode.toString(), f);
  }
});

test('generated parser and wasm are up to date with grammar.js', () => {
  // Fails (non-zero exit, throws) when grammar.js changed without regenerating src/ and the wasm.
  const out = execFileSync(process.execPath, [join(grammarDir, 'scripts', 'stamp.js'), 'check'], { encoding: 'utf8' });
  assert.match(out, /match grammar\.js/);
});
