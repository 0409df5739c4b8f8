// The bundled server that ships in the VSIX (dist/server.js) must start and answer on its own,
// away from node_modules: a bundling mistake otherwise only shows up inside VS Code.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LspClient } from './client';

const dist = join(__dirname, '..', '..', '..', 'dist');

test('dist/server.js starts outside the repository and publishes diagnostics', { skip: !existsSync(join(dist, 'server.js')) && 'run npm run build first' }, async () => {
  // Copy the bundle and its wasm files alone, as the VSIX installs them.
  const dir = mkdtempSync(join(tmpdir(), 'pf-bundle-'));
  for (const f of ['server.js', 'tree-sitter-pf.wasm', 'web-tree-sitter.wasm']) copyFileSync(join(dist, f), join(dir, f));
  const client = await LspClient.start({ server: join(dir, 'server.js') });
  try {
    const file = join(dir, 'pf.conf');
    const text = 'table <spamd-white> persist\npass in from <spamd-whte> to any port smtp\n';
    writeFileSync(file, text);
    const uri = client.open(file, text);
    const diags = await client.diagnostics(uri);
    assert.ok(diags.some((d) => d.code === 'undefined-table'), JSON.stringify(diags));
  } finally {
    await client.stop();
  }
});
