// Bundles the extension and the language server with esbuild into dist/, and copies the two
// WebAssembly files the server loads (the pf grammar and web-tree-sitter's runtime) beside them.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });

const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node18', sourcemap: false, minify: true, logLevel: 'warning' };
await build({ ...common, entryPoints: [join(root, 'client/src/extension.ts')], outfile: join(dist, 'extension.js'), external: ['vscode'] });
// web-tree-sitter locates itself with import.meta.url, which a CommonJS bundle lacks: give it the
// bundle's own URL.
await build({
  ...common,
  entryPoints: [join(root, 'server/src/bin/pf-language-server.ts')],
  outfile: join(dist, 'server.js'),
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "var __bundleUrl = require('url').pathToFileURL(__filename).href;" },
});

copyFileSync(join(root, 'tree-sitter-pf/tree-sitter-pf.wasm'), join(dist, 'tree-sitter-pf.wasm'));
copyFileSync(join(dirname(require.resolve('web-tree-sitter')), 'web-tree-sitter.wasm'), join(dist, 'web-tree-sitter.wasm'));
console.log('bundled dist/extension.js, dist/server.js and the wasm files');
