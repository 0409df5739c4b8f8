import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { hover } from '../../src/core/features/hover';
import { walk } from '../../src/core/syntax';
import { analyzer, cursor } from '../helpers';

async function hoverAt(textWithCursor: string, options = {}) {
  const { text, position } = cursor(textWithCursor);
  const a = await analyzer({ '/etc/pf.conf': text });
  const unit = a.unitFor('/etc/pf.conf');
  return hover(unit, a.workspace.getDocument('/etc/pf.conf')!, position, options)?.markdown;
}

test('spamd port: hover on `spamd` in `port spamd` explains the service and spamd', async () => {
  const md = await hoverAt('pass in on egress proto tcp to port smtp divert-to 127.0.0.1 port spa$0md\n');
  assert.match(md!, /8025/);
  assert.match(md!, /spamd/);
});

test('<spamd-white>: who fills it', async () => {
  const md = await hoverAt('table <spamd-white> persist\npass in proto tcp from <spamd-w$0hite> to port smtp\n');
  assert.match(md!, /table <spamd-white> persist/);
  assert.match(md!, /spamlogd/);
});

test('table hover offers pfctl command links only when asked', async () => {
  const text = 'table <lan> { 10.0.0.0/8 }\npass from <l$0an>\n';
  assert.doesNotMatch((await hoverAt(text))!, /command:/);
  assert.match((await hoverAt(text, { commandLinks: true }))!, /command:pf\.pfctl\.showTable\?/);
});

test('service names show their port, port numbers their name', async () => {
  assert.match((await hoverAt('pass in proto tcp to port ss$0h\n'))!, /port \*\*22\*\*/);
  assert.match((await hoverAt('pass in proto tcp to port 2$05\n'))!, /smtp/);
});

test('a spamd option quoted in a comment is explained', async () => {
  const md = await hoverAt('# spamd_flags: spamd -v -$0G 25:4:864\npass all\n');
  assert.match(md!, /passtime|grey/i);
});

test('ICMP type names are explained', async () => {
  assert.match((await hoverAt('pass inet proto icmp icmp-type echo$0req\n'))!, /echo/i);
});

const regress = join(__dirname, '..', '..', '..', '..', '..', 'shared', 'corpus', 'openbsd-regress');
const grammarCorpus = join(__dirname, '..', '..', '..', '..', 'tree-sitter-pf', 'test', 'corpus');

const KEYWORD_NODE_TYPES = new Set(['keyword', 'action', 'direction', 'address_family', 'table_option', 'pool_option', 'any', 'option_name']);

test('every keyword in the corpus files has hover documentation', async () => {
  const texts: { name: string; text: string }[] = [];
  if (existsSync(regress)) {
    for (const f of readdirSync(regress).filter((n) => n.endsWith('.in'))) texts.push({ name: f, text: readFileSync(join(regress, f), 'utf8') });
  }
  for (const f of readdirSync(grammarCorpus)) {
    for (const m of readFileSync(join(grammarCorpus, f), 'utf8').matchAll(/={3,}\n.*\n={3,}\n([\s\S]*?)\n-{3,}/g)) texts.push({ name: f, text: m[1] });
  }
  const missing = new Set<string>();
  let checked = 0;
  for (const { name, text } of texts) {
    const a = await analyzer({ '/k/pf.conf': text });
    const unit = a.unitFor('/k/pf.conf');
    const doc = a.workspace.getDocument('/k/pf.conf')!;
    if (!doc.tree) continue;
    for (const node of walk(doc.tree.rootNode)) {
      const isKeyword = (!node.isNamed && /^[a-z][a-z0-9.-]*$/.test(node.type)) ||
        (KEYWORD_NODE_TYPES.has(node.type) && node.childCount === 0);
      if (!isKeyword) continue;
      checked++;
      const pos = { line: node.startPosition.row, character: node.startPosition.column };
      if (!hover(unit, doc, pos)) missing.add(`${node.text} (${name})`);
    }
  }
  assert.ok(checked > (existsSync(regress) ? 1000 : 100), `only ${checked} keywords found`);
  assert.deepEqual([...missing], [], `keywords without documentation: ${[...missing].join(', ')}`);
});
