// pfcheck as a user runs it: a real child process, real files, exit codes and output formats.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Ajv = require('ajv');

const PFCHECK = join(__dirname, '..', '..', 'src', 'bin', 'pfcheck.js');
const dir = mkdtempSync(join(tmpdir(), 'pfcheck-'));

function pfcheck(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [PFCHECK, ...args], { input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const GREY = 'table <spamd-white> persist\nrdr pass inet proto tcp from <spamd-mywhite> to any port smtp -> 127.0.0.1 port smtp\n' +
  'rdr pass inet proto tcp from !<spamd-white> to any port smtp -> 127.0.0.1 port spamd\n';

test('text format: compiler-style lines and a summary; warnings only → exit 0', () => {
  const f = join(dir, 'pf.conf');
  writeFileSync(f, GREY);
  const r = pfcheck([f]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2:31: warning: table <spamd-mywhite> is not declared.*did you mean <spamd-white>\\? \\[undefined-table\\]$`, 'm'));
  assert.match(r.stdout, /1 file checked: 0 errors, 1 warning\n$/);
});

test('json format: exactly one undefined-table with the suggestion; the fixed file has none', () => {
  const f = join(dir, 'grey.pf');
  writeFileSync(f, GREY);
  const out = JSON.parse(pfcheck(['--format', 'json', f]).stdout);
  assert.equal(out.version, 1);
  const undef = out.files[0].diagnostics.filter((d: { code: string }) => d.code === 'undefined-table');
  assert.equal(undef.length, 1);
  assert.deepEqual([undef[0].line, undef[0].column, undef[0].severity], [2, 31, 'warning']);
  assert.match(undef[0].message, /did you mean <spamd-white>/);
  assert.deepEqual(out.summary, { files: 1, errors: 0, warnings: 1 });
  writeFileSync(f, GREY.replace('spamd-mywhite', 'spamd-white'));
  const fixed = JSON.parse(pfcheck(['--format=json', f]).stdout);
  assert.deepEqual(fixed.files[0].diagnostics.filter((d: { code: string }) => d.code.startsWith('undefined')), []);
});

test('errors → exit 1; unreadable input → exit 2 naming it, the rest still checked', () => {
  const bad = join(dir, 'bad.conf');
  writeFileSync(bad, 'pass in on $nope all\n');
  assert.equal(pfcheck([bad]).code, 1);
  const r = pfcheck([bad, join(dir, 'missing.conf')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /missing\.conf/);
  assert.match(r.stdout, /macro 'nope' not defined/);
  assert.equal(pfcheck(['--format', 'xml', bad]).code, 2);
});

test('directories are walked for pf file names', () => {
  const d = join(dir, 'tree');
  mkdirSync(join(d, 'sub'), { recursive: true });
  writeFileSync(join(d, 'pf.conf'), 'pass all\n');
  writeFileSync(join(d, 'sub', 'office.pf'), 'pass all\n');
  writeFileSync(join(d, 'sub', 'notes.txt'), 'not pf\n');
  assert.match(pfcheck([d]).stdout, /2 files checked/);
});

test('stdin is read with "-"', () => {
  const r = pfcheck(['--format', 'json', '-'], 'pass in on $x all\n');
  assert.equal(r.code, 1);
  assert.equal(JSON.parse(r.stdout).files[0].file, 'stdin');
});

test('garbage: binary, 20 MB, 10,000 braces, unterminated string → diagnostics and exit 1, no crash', () => {
  const cases: [string, string | Buffer][] = [
    ['binary.conf', Buffer.from([0x70, 0x61, 0, 1, 2, 0xff, 0xfe, 0x0a])],
    ['huge.conf', 'pass in all\n'.repeat(20 * 1024 * 1024 / 12)],
    ['braces.conf', 'pass from ' + '{'.repeat(10000) + '\n'],
    ['string.conf', 'a = "unterminated\npass all\n'],
  ];
  for (const [name, content] of cases) {
    const f = join(dir, name);
    writeFileSync(f, content);
    const r = pfcheck(['--format', 'json', f]);
    assert.equal(r.code, 1, `${name}: ${r.stderr}`);
    assert.ok(JSON.parse(r.stdout).summary.errors >= 1, name);
  }
});

test('--tree prints the syntax tree with fields', () => {
  const f = join(dir, 'tree.conf');
  writeFileSync(f, 'pass from <x>\n');
  const r = pfcheck(['--tree', f]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /host: \(table_reference/);
});

test('--print-rules behaves like pfctl -nv on stdin', () => {
  const r = pfcheck(['--print-rules', '-'], 'pass in proto tcp to port { 22 80 }\n');
  assert.equal(r.code, 0);
  assert.equal(r.stdout, 'pass in proto tcp from any to any port = 22 flags S/SA\npass in proto tcp from any to any port = 80 flags S/SA\n');
  const e = pfcheck(['--print-rules', '-'], 'pass in proto icmp to port 80\n');
  assert.equal(e.code, 1);
  assert.match(e.stderr, /^stdin:1: port only applies to tcp\/udp$/m);
});

test('--format sarif validates against the SARIF 2.1.0 schema and carries our codes', () => {
  const f = join(dir, 'sarif.conf');
  writeFileSync(f, GREY + 'pass in on $nope all\n');
  const r = pfcheck(['--format', 'sarif', f]);
  assert.equal(r.code, 1);
  const log = JSON.parse(r.stdout);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const ajv = new Ajv({ schemaId: 'auto', allErrors: true });
  ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json'));
  const valid = ajv.validate(schema, log);
  assert.ok(valid, JSON.stringify(ajv.errors));
  const ids = log.runs[0].results.map((x: { ruleId: string }) => x.ruleId);
  assert.ok(ids.includes('undefined-table') && ids.includes('undefined-macro'));
  assert.equal(log.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'undefined-macro').level, 'error');
});
