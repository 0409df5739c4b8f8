#!/usr/bin/env node
// npm run bench — how fast the pf tools are on large generated rulesets, side by side with the
// floor: tree-sitter's native (C, node binding) parser on the same text.
//
// Measures, for pfSense/OPNsense-style (freebsd) and modern OpenBSD rulesets of 1k, 10k and 50k
// rules (bench/generate.mjs, deterministic):
//   - native parse          tree-sitter node binding, full parse of the text (the floor)
//   - WASM parse            web-tree-sitter with the shipped tree-sitter-pf.wasm (what we run)
//   - full check            the analysis core in-process, from text to diagnostics (read, parse,
//                           index, every check) with pfcheck's options — what `pfcheck` does after
//                           start-up; beside it the editor's analysis (expansion checks off > 256 KB)
//   - pfcheck CLI           `node server/out/src/bin/pfcheck.js --format json FILE`, wall clock,
//                           process start-up included (the start-up alone is printed too)
// and, with the bundled server (dist/server.js) over a real LSP connection (stdio):
//   - activation → first diagnostics   spawn, initialize, didOpen of the large file, first publish
//   - edit → diagnostics    a one-line edit typed in the middle of the file (a new rule, one
//                           keystroke per didChange), from didChange to the publishDiagnostics of
//                           that version; diagnosticsDelay is 0 so the debounce is not counted;
//                           beside it the native incremental re-parse of the same keystrokes
//   - RSS                   VmRSS of the server process (/proc/PID/status) with the file open
//                           after the edits, and its peak (VmHWM)
// Every figure is the median of repeated runs; ratios are to the native parse of the same text.
//
// Writes bench/results/latest.json and bench/results/latest.md (git-ignored) and bench/RESULTS.md
// (committed: the table with the machine it ran on). Options:
//   --quick            fewer repetitions, no 50k server run (a smoke test, ~1 minute)
//   --no-write-results do not rewrite bench/RESULTS.md
//   --only openbsd|freebsd
//   --profile          CPU profiles of the server runs in bench/results/profiles (open them in
//                      Chrome DevTools or speedscope); with --unbundled the function names are
//                      readable (server/out instead of the minified dist/server.js)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generate } from './generate.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));
const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const WRITE_RESULTS = !args.includes('--no-write-results') && !QUICK;
const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const PROFILE = args.includes('--profile');

const PATHS = {
  core: join(ROOT, 'server/out/src/core/index.js'),
  pfcheck: join(ROOT, 'server/out/src/bin/pfcheck.js'),
  server: join(ROOT, 'dist/server.js'),
  serverUnbundled: join(ROOT, 'server/out/src/bin/pf-language-server.js'),
  nativeBinding: join(ROOT, 'tree-sitter-pf'),
};

/** pfcheck's analysis options (server/src/bin/pfcheck.ts): the expansion checks at any size. */
const PFCHECK_OPTIONS = { fullExpansion: true };

const TARGETS = {
  wasmRatio: 2,
  checkRatio: 3,
  editMs: 20,
  rssMB: 80,
};

// ------------------------------------------------------------------------------- helpers

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

const gc = () => globalThis.gc?.();
const now = () => performance.now();
const log = (...a) => process.stderr.write(a.join(' ') + '\n');

function fmtMs(ms) {
  if (ms === undefined || ms === null || Number.isNaN(ms)) return 'n/a';
  return ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`;
}
const fmtRatio = (r) => (r === undefined || Number.isNaN(r) ? 'n/a' : `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}×`);
const fmtMB = (bytes) => `${(bytes / 1048576).toFixed(2)} MB`;

function codeVersion() {
  const git = (...a) => spawnSync('git', a, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ?? '';
  const commit = git('rev-parse', '--short', 'HEAD') || 'unknown';
  const dirty = git('status', '--porcelain', '--untracked-files=no', '--', 'server', 'tree-sitter-pf/src', 'scripts');
  return dirty ? `${commit} with uncommitted changes in server/` : commit;
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGB: +(os.totalmem() / 1073741824).toFixed(1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverage: os.loadavg().map((x) => +x.toFixed(2)),
  };
}

function requireBuilt() {
  const missing = Object.entries(PATHS).filter(([, p]) => !existsSync(p)).map(([k, p]) => `${k}: ${p}`);
  if (!existsSync(join(ROOT, 'tree-sitter-pf/build/Release'))) missing.push('native binding: tree-sitter-pf/build/Release');
  if (missing.length) {
    log('bench: build first (npm run build). Missing:\n  ' + missing.join('\n  '));
    process.exit(2);
  }
}

// ------------------------------------------------------------------------- parsers

async function loadParsers() {
  const NativeParser = require('tree-sitter');
  const language = require(PATHS.nativeBinding);
  const native = new NativeParser();
  native.setLanguage(language);
  const core = require(PATHS.core);
  const wasm = await core.createParser();
  return { native, wasm, core };
}

/** Native full parse; the tree is dropped (the binding frees it when collected). */
function nativeParse(native, text) {
  const t0 = now();
  const tree = native.parse(text);
  const ms = now() - t0;
  if (!tree || tree.rootNode.hasError) throw new Error('native parse failed or has errors: the generator is out of sync with the grammar');
  return ms;
}

function wasmParse(wasm, text) {
  const t0 = now();
  const tree = wasm.parse(text);
  const ms = now() - t0;
  if (!tree) throw new Error('wasm parse abandoned');
  tree.delete();
  return ms;
}

/**
 * The whole check in-process. With pfcheck's options (`fullExpansion`: the pfctl expansion checks at
 * any size) it is what pfcheck does for one file once started; without, it is the editor's analysis
 * (those checks skipped above 256 KB while typing).
 */
function fullCheck(core, wasm, path, text, options = {}) {
  const fs = { readFile: (p) => (p === path ? { text } : { error: 'No such file or directory' }) };
  const t0 = now();
  const analyzer = new core.Analyzer(wasm, fs, options);
  const diagnostics = analyzer.diagnostics(path);
  const ms = now() - t0;
  // Trees live in wasm memory: free them, or repeated runs grow the wasm heap without bound.
  for (const doc of analyzer.unitFor(path).documents) doc.tree?.delete();
  return { ms, diagnostics };
}

function pfcheckCli(file, nodeArgs = []) {
  const t0 = now();
  const r = spawnSync(process.execPath, [...nodeArgs, PATHS.pfcheck, '--format', 'json', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`pfcheck exited ${r.status}: ${r.stderr}`);
  return ms;
}

// ------------------------------------------------------------------------ LSP client

function readProcStatus(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}

const SERVER_NODE_ARGS = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(ROOT, 'bench/results/profiles')}`] : [];

/** The server the editor runs (the bundle), unless it cannot start: then the same code unbundled. */
let serverPath = args.includes('--unbundled') ? PATHS.serverUnbundled : PATHS.server;
let serverNote = '';

async function chooseServer(dir) {
  try {
    const lsp = await Lsp.start(dir);
    await lsp.stop();
  } catch (err) {
    serverNote = `dist/server.js does not start (${String(err.message).split('\n')[0].slice(0, 300)}); measured server/out/src/bin/pf-language-server.js (the same code, unbundled) instead`;
    log(`WARNING: ${serverNote}`);
    serverPath = PATHS.serverUnbundled;
  }
}

/** A minimal LSP client over stdio (the same library the tests' client uses). */
class Lsp {
  static async start(root, onSpawned) {
    const rpc = require('vscode-languageserver-protocol/node');
    const child = spawn(process.execPath, [...SERVER_NODE_ARGS, serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    onSpawned?.();
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const exited = new Promise((_, reject) => child.on('exit', (code) => reject(new Error(`server exited (${code}) during start-up: ${stderr.trim()}`))));
    exited.catch(() => {});
    const connection = rpc.createProtocolConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
    connection.onError(() => {});
    const lsp = new Lsp(connection, child);
    connection.listen();
    const settings = { diagnosticsDelay: 0 };
    connection.onRequest('workspace/configuration', (p) => p.items.map(() => settings));
    const initialized = Promise.race([exited, connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).toString(),
      workspaceFolders: [{ uri: pathToFileURL(root).toString(), name: 'bench' }],
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
      initializationOptions: settings,
    })]);
    try {
      await initialized;
    } catch (err) {
      // The exit (with the server's stderr) says more than the EPIPE that usually comes first.
      throw await Promise.race([exited.catch((e) => e), new Promise((r) => setTimeout(() => r(err), 1000))]);
    }
    await connection.sendNotification('initialized', {});
    return lsp;
  }

  constructor(connection, child) {
    this.connection = connection;
    this.child = child;
    this.waiters = [];
    this.logs = [];
    connection.onNotification('textDocument/publishDiagnostics', (p) => {
      for (const w of [...this.waiters]) {
        if (w.uri === p.uri && p.version === w.version) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p.diagnostics);
        }
      }
    });
    connection.onNotification('window/logMessage', (p) => this.logs.push(p.message));
  }

  diagnostics(uri, version, timeoutMs = 120_000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for v${version} within ${timeoutMs} ms; server log:\n${this.logs.join('\n')}`)), timeoutMs);
      this.waiters.push({ uri, version, resolve: (d) => { clearTimeout(timer); resolve(d); } });
    });
  }

  open(uri, text) {
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'pf', version: 1, text } });
  }

  change(uri, version, range, text) {
    void this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version }, contentChanges: [{ range, text }],
    });
  }

  async stop() {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 3000))]);
      void this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    this.connection.dispose();
    await new Promise((r) => setTimeout(r, 50));
    if (this.child.exitCode === null) this.child.kill();
  }
}

/** The keystrokes of a new rule typed on its own line in the middle of the file. */
function typingScript(text) {
  const lines = text.split('\n');
  // The middle rule line (not inside a table body or an anchor): start of a `pass`/`block` line.
  let line = lines.length >> 1;
  while (line < lines.length && !/^(pass|block) /.test(lines[line])) line++;
  const typed = 'pass in on $int_if proto tcp to port 22';
  const edits = [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '\n' }];
  for (let i = 0; i < typed.length; i++) {
    edits.push({ range: { start: { line, character: i }, end: { line, character: i } }, text: typed[i] });
  }
  return { line, edits };
}

/** The memory floor: a node process holding the native tree of the same text (and the text). */
function nativeFloorRss(text) {
  const dir = mkdtempSync(join(os.tmpdir(), 'pf-bench-rss-'));
  const file = join(dir, 'pf.conf');
  writeFileSync(file, text);
  const script = `
    const Parser = require(${JSON.stringify(require.resolve('tree-sitter'))});
    const parser = new Parser();
    parser.setLanguage(require(${JSON.stringify(PATHS.nativeBinding)}));
    const text = require('fs').readFileSync(${JSON.stringify(file)}, 'utf8');
    globalThis.tree = parser.parse(text);
    globalThis.gc?.();
    setTimeout(() => process.stdout.write(require('fs').readFileSync('/proc/self/status', 'utf8')), 200);`;
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  return Number(/^VmRSS:\s+(\d+)/m.exec(r.stdout)?.[1] ?? NaN) * 1024;
}

/** The same keystrokes replayed on the native parser incrementally: the floor for an edit. */
function nativeIncremental(native, core, text, edits) {
  let tree = native.parse(text);
  const times = [];
  for (const e of edits) {
    const { edit, text: next } = core.editFor(text, e.range, e.text);
    const t0 = now();
    tree.edit(edit);
    tree = native.parse(next, tree);
    times.push(now() - t0);
    text = next;
  }
  return times;
}

async function serverRun(name, text, { activations, typing }) {
  const dir = mkdtempSync(join(os.tmpdir(), 'pf-bench-'));
  const file = join(dir, 'pf.conf');
  writeFileSync(file, text);
  const uri = pathToFileURL(file).toString();
  const result = { activationMs: [], editMs: [], rss: {}, idleRss: NaN };
  try {
    for (let i = 0; i < activations; i++) {
      let t0 = 0;
      const lsp = await Lsp.start(dir, () => { t0 = now(); });
      const first = lsp.diagnostics(uri, 1);
      lsp.open(uri, text);
      const diagnostics = await first;
      result.activationMs.push(now() - t0);
      result.firstDiagnostics = diagnostics.length;
      result.firstCodes = [...new Set(diagnostics.map((d) => d.code))];
      if (i < activations - 1 || !typing) {
        await lsp.stop();
        continue;
      }
      // The last session stays open: type a new rule in the middle, one keystroke at a time.
      const { edits } = typingScript(text);
      let version = 1;
      for (const e of edits) {
        version++;
        const got = lsp.diagnostics(uri, version);
        const t = now();
        lsp.change(uri, version, e.range, e.text);
        await got;
        result.editMs.push(now() - t);
      }
      await new Promise((r) => setTimeout(r, 200));
      result.rss = readProcStatus(lsp.child.pid);
      result.serverLog = lsp.logs.filter((l) => /fail|error|uncaught/i.test(l)).slice(0, 5);
      await lsp.stop();
    }
    // An idle server (initialised on an empty folder, nothing open) for scale.
    const empty = mkdtempSync(join(os.tmpdir(), 'pf-bench-empty-'));
    const idle = await Lsp.start(empty);
    await new Promise((r) => setTimeout(r, 500));
    result.idleRss = readProcStatus(idle.child.pid).rss;
    await idle.stop();
    rmSync(empty, { recursive: true, force: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  log(`  server ${name}: activation ${fmtMs(median(result.activationMs))}, edit ${fmtMs(median(result.editMs))}, RSS ${fmtMB(result.rss.rss)}`);
  return result;
}

// ---------------------------------------------------------------------------- main

async function main() {
  requireBuilt();
  const started = now();
  const { native, wasm, core } = await loadParsers();
  const dialects = ONLY ? [ONLY] : ['openbsd', 'freebsd'];
  const sizes = QUICK ? [1000, 10000] : [1000, 10000, 50000];
  const reps = (rules) => (QUICK ? 2 : rules >= 50000 ? 3 : rules >= 10000 ? 5 : 9);
  const tmp = mkdtempSync(join(os.tmpdir(), 'pf-bench-files-'));
  const configs = [];

  // pfcheck's start-up alone (node, module load, wasm init) on an empty ruleset.
  writeFileSync(join(tmp, 'empty.conf'), '');
  pfcheckCli(join(tmp, 'empty.conf'));
  const startupMs = median(Array.from({ length: QUICK ? 2 : 5 }, () => pfcheckCli(join(tmp, 'empty.conf'))));
  const startupLiftoffMs = median(Array.from({ length: QUICK ? 2 : 5 }, () => pfcheckCli(join(tmp, 'empty.conf'), ['--liftoff-only'])));
  log(`pfcheck start-up on an empty file: ${fmtMs(startupMs)}`);

  for (const dialect of dialects) {
    for (const rules of sizes) {
      const text = generate({ dialect, rules });
      const bytes = Buffer.byteLength(text);
      const file = join(tmp, `${dialect}-${rules}.conf`);
      writeFileSync(file, text);
      const n = reps(rules);
      log(`${dialect} ${rules} rules (${fmtMB(bytes)}, ${n} runs)`);
      // Warm up every path once (JIT, wasm tiers), then interleave so noise hits all alike.
      nativeParse(native, text);
      wasmParse(wasm, text);
      const warm = fullCheck(core, wasm, file, text, PFCHECK_OPTIONS);
      const m = { native: [], wasm: [], check: [], editor: [], cli: [], cliLiftoff: [] };
      for (let i = 0; i < n; i++) {
        gc(); m.native.push(nativeParse(native, text));
        gc(); m.wasm.push(wasmParse(wasm, text));
        gc(); m.check.push(fullCheck(core, wasm, file, text, PFCHECK_OPTIONS).ms);
        gc(); m.editor.push(fullCheck(core, wasm, file, text).ms);
        if (i < (rules >= 50000 ? 1 : 3)) {
          m.cli.push(pfcheckCli(file));
          // The same with V8's baseline wasm compiler only: no TurboFan tier-up of the grammar.
          m.cliLiftoff.push(pfcheckCli(file, ['--liftoff-only']));
        }
      }
      const cfg = {
        dialect, rules, bytes, lines: text.split('\n').length, runs: n,
        diagnostics: warm.diagnostics.length,
        syntaxErrors: warm.diagnostics.filter((d) => d.code === 'syntax-error').length,
        nativeParseMs: median(m.native), wasmParseMs: median(m.wasm), fullCheckMs: median(m.check), editorCheckMs: median(m.editor), pfcheckCliMs: median(m.cli), pfcheckCliLiftoffMs: median(m.cliLiftoff),
        samples: m,
      };
      cfg.wasmRatio = cfg.wasmParseMs / cfg.nativeParseMs;
      cfg.checkRatio = cfg.fullCheckMs / cfg.nativeParseMs;
      cfg.editorRatio = cfg.editorCheckMs / cfg.nativeParseMs;
      cfg.cliRatio = cfg.pfcheckCliMs / cfg.nativeParseMs;
      log(`  native ${fmtMs(cfg.nativeParseMs)}, wasm ${fmtMs(cfg.wasmParseMs)} (${fmtRatio(cfg.wasmRatio)}), check ${fmtMs(cfg.fullCheckMs)} (${fmtRatio(cfg.checkRatio)}), editor ${fmtMs(cfg.editorCheckMs)}, cli ${fmtMs(cfg.pfcheckCliMs)}`);
      configs.push(cfg);
    }
  }

  // Server runs: 10k rules of each dialect, and 50k OpenBSD rules for scale.
  const servers = [];
  await chooseServer(tmp);
  const serverCases = dialects.flatMap((d) => [{ dialect: d, rules: 10000 }]);
  if (!QUICK && dialects.includes('openbsd')) serverCases.push({ dialect: 'openbsd', rules: 50000 });
  for (const c of serverCases) {
    const text = generate(c);
    const cfg = configs.find((x) => x.dialect === c.dialect && x.rules === c.rules);
    const activations = QUICK ? 2 : c.rules >= 50000 ? 3 : 5;
    const run = await serverRun(`${c.dialect} ${c.rules}`, text, { activations, typing: true });
    const floor = nativeIncremental(native, core, text, typingScript(text).edits);
    const floorRss = nativeFloorRss(text);
    const s = {
      dialect: c.dialect, rules: c.rules, nativeParseMs: cfg.nativeParseMs,
      activationMs: median(run.activationMs), editMs: median(run.editMs), editP90Ms: percentile(run.editMs, 90),
      nativeIncrementalMs: median(floor), rssBytes: run.rss.rss, peakRssBytes: run.rss.hwm, idleRssBytes: run.idleRss, nativeFloorRssBytes: floorRss,
      firstDiagnostics: run.firstDiagnostics, firstCodes: run.firstCodes, serverErrors: run.serverLog,
      samples: { activationMs: run.activationMs, editMs: run.editMs, nativeIncrementalMs: floor },
    };
    s.activationRatio = s.activationMs / s.nativeParseMs;
    s.editRatio = s.editMs / s.nativeParseMs;
    servers.push(s);
  }
  rmSync(tmp, { recursive: true, force: true });

  const result = { date: new Date().toISOString(), code: codeVersion(), machine: machine(), quick: QUICK, server: serverPath.slice(ROOT.length + 1), serverNote, targets: TARGETS, pfcheckStartupMs: startupMs, pfcheckStartupLiftoffMs: startupLiftoffMs, configs, servers, durationS: +((now() - started) / 1000).toFixed(1) };
  const md = markdown(result);
  const outDir = join(ROOT, 'bench/results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'latest.json'), JSON.stringify(result, null, 2) + '\n');
  writeFileSync(join(outDir, 'latest.md'), md);
  if (WRITE_RESULTS) writeFileSync(join(ROOT, 'bench/RESULTS.md'), resultsDoc(result, md));
  process.stdout.write(md);
  log(`\nwrote bench/results/latest.json, bench/results/latest.md${WRITE_RESULTS ? ', bench/RESULTS.md' : ''} (${result.durationS} s)`);
}

// ------------------------------------------------------------------------- reports

function verdict(ok) {
  return ok ? 'met' : '**missed**';
}

function markdown(r) {
  const out = [];
  const m = r.machine;
  out.push(`Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB, ${m.os}, node ${m.node} (load average at start ${m.loadAverage.join(' ')}).`);
  out.push('Medians of repeated runs; × is the ratio to the native tree-sitter parse of the same text.', '');
  out.push('| ruleset | size | native parse | WASM parse | full check (pfcheck\'s analysis, in-process) | editor analysis (in-process) | pfcheck CLI (incl. start-up) | pfcheck CLI, `node --liftoff-only` |');
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const c of r.configs) {
    out.push(`| ${c.dialect} ${c.rules / 1000}k rules | ${fmtMB(c.bytes)}, ${c.lines} lines | ${fmtMs(c.nativeParseMs)} | ${fmtMs(c.wasmParseMs)} (${fmtRatio(c.wasmRatio)}) | ${fmtMs(c.fullCheckMs)} (${fmtRatio(c.checkRatio)}) | ${fmtMs(c.editorCheckMs)} (${fmtRatio(c.editorRatio)}) | ${fmtMs(c.pfcheckCliMs)} (${fmtRatio(c.cliRatio)}) | ${fmtMs(c.pfcheckCliLiftoffMs)} (${fmtRatio(c.pfcheckCliLiftoffMs / c.nativeParseMs)}) |`);
  }
  out.push('', 'Full check: read, parse, index and every check with pfcheck\'s options (the pfctl expansion checks at any size).',
    'Editor analysis: the same with the server\'s options (expansion checks skipped above 256 KB). CLI: wall clock of a',
    '`pfcheck --format json` process; `--liftoff-only` keeps V8 from recompiling the grammar\'s wasm with TurboFan.');
  out.push('', `pfcheck start-up alone (empty file): ${fmtMs(r.pfcheckStartupMs)}; with \`--liftoff-only\`: ${fmtMs(r.pfcheckStartupLiftoffMs)}.`, '');
  if (r.serverNote) out.push(`Note: ${r.serverNote}.`, '');
  out.push(`| server (${r.server}, stdio) | native parse | activation → first diagnostics | edit → diagnostics, median (p90) | native incremental re-parse | RSS with the file open (peak) | idle RSS | native floor RSS |`);
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const s of r.servers) {
    out.push(`| ${s.dialect} ${s.rules / 1000}k rules | ${fmtMs(s.nativeParseMs)} | ${fmtMs(s.activationMs)} (${fmtRatio(s.activationRatio)}) | ${fmtMs(s.editMs)} (${fmtMs(s.editP90Ms)}; ${fmtRatio(s.editRatio)}) | ${fmtMs(s.nativeIncrementalMs)} | ${fmtMB(s.rssBytes)} (${fmtMB(s.peakRssBytes)}) | ${fmtMB(s.idleRssBytes)} | ${fmtMB(s.nativeFloorRssBytes)} |`);
  }
  out.push('', '| target | measured (worst case) | |', '|---|---|---|');
  const worst = (xs, f) => xs.reduce((a, b) => (f(b) > f(a) ? b : a));
  const w = worst(r.configs, (c) => c.wasmRatio);
  out.push(`| WASM parse ≤ ${TARGETS.wasmRatio}× native | ${fmtRatio(w.wasmRatio)} (${w.dialect} ${w.rules / 1000}k) | ${verdict(w.wasmRatio <= TARGETS.wasmRatio)} |`);
  const c = worst(r.configs, (x) => x.checkRatio);
  out.push(`| full check ≤ ${TARGETS.checkRatio}× native | ${fmtRatio(c.checkRatio)} (${c.dialect} ${c.rules / 1000}k) | ${verdict(c.checkRatio <= TARGETS.checkRatio)} |`);
  const tenK = r.servers.filter((s) => s.rules === 10000);
  if (tenK.length) {
    const e = worst(tenK, (s) => s.editMs);
    out.push(`| edit → diagnostics ≤ ${TARGETS.editMs} ms median, 10k rules | ${fmtMs(e.editMs)} (${e.dialect}) | ${verdict(e.editMs <= TARGETS.editMs)} |`);
    const m = worst(tenK, (s) => s.rssBytes);
    out.push(`| server RSS ≤ ${TARGETS.rssMB} MB, 10k rules open | ${fmtMB(m.rssBytes)} (${m.dialect}) | ${verdict(m.rssBytes / 1048576 <= TARGETS.rssMB)} |`);
  }
  for (const s of r.servers) {
    const declined = (s.firstCodes ?? []).filter((c) => ['parse-timeout', 'file-too-large', 'binary-file'].includes(c));
    if (declined.length) out.push('', `**Warning:** the server declined ${s.dialect} ${s.rules / 1000}k rules (${declined.join(', ')}): its figures are not a full analysis.`);
  }
  out.push('', 'Idle RSS: the server initialised on an empty folder. Native floor RSS: a bare node process holding',
    'the native tree-sitter tree of the same text — what any tree-keeping server costs at least.');
  return out.join('\n') + '\n';
}

function resultsDoc(r, md) {
  const m = r.machine;
  return `# Benchmark results

Produced by \`npm run bench\` (bench/run.mjs) on ${r.date.slice(0, 10)}, in ${r.durationS} s, from commit ${r.code}.
The load average at the start (see below) tells how busy the machine was with other work.

- CPU: ${m.cpu} (${m.cores} cores)
- Memory: ${m.memoryGB} GB
- OS: ${m.os}
- Node: ${m.node}

Rulesets come from bench/generate.mjs (seeded, so every machine measures the same text): modern
OpenBSD rulesets (macros and lists that expand, nat-to/rdr-to, inline anchors, overload tables) and
pfSense/OPNsense-style FreeBSD exports (aliases, scrub, nat/rdr, ridentifier, labels), each with a
table of 10,000 inline addresses (2,000 for 1k rules).

${md}`;
}

main().catch((err) => {
  log(`bench failed: ${err.stack ?? err}`);
  process.exit(1);
});
