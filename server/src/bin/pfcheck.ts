#!/usr/bin/env node
// pfcheck — check pf.conf files from the command line (and CI), with the same core as the editor.
import { readdirSync, readFileSync, statSync } from 'fs';
import { setFlagsFromString } from 'v8';
import { join, normalize } from 'path';
import { Analyzer, createParser, decodeText, isPfFileName, nodeFileSystem, type Diagnostic, type DialectSetting, type FileSystem } from '../core';
import { formatJson, formatSarif, formatText, type FileResult } from './pfcheck-format';
import { runPrintRules } from './print-rules';

const USAGE = `usage: pfcheck [--format text|json|sarif] [--dialect auto|openbsd|freebsd|macos]
               [--external-table NAME]... <file-or-dir>... | -
       pfcheck --tree <file>
       pfcheck --print-rules [--dialect D] [--interfaces F.json] [-D name=value]... [-a anchor] <file> | -

Checks pf.conf files. Directories are searched for pf.conf, pf.conf.*, *.pf, *.pf.conf,
pf.rules and *.in. "-" reads standard input. Exit status: 0 no errors, 1 errors found,
2 usage or I/O problems.`;

const DIALECTS = ['auto', 'openbsd', 'freebsd', 'macos'];


interface Args {
  format: 'text' | 'json' | 'sarif';
  dialect: DialectSetting;
  tree: boolean;
  externalTables: string[];
  inputs: string[];
}

function parseArgs(argv: string[]): Args | string {
  const args: Args = { format: 'text', dialect: 'auto', tree: false, externalTables: [], inputs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const eq = a.indexOf('=');
      if (eq > 0) return a.slice(eq + 1);
      return argv[++i];
    };
    if (a === '--help' || a === '-h') return USAGE;
    else if (a === '--tree') args.tree = true;
    else if (a.startsWith('--format')) {
      const v = value();
      if (v !== 'text' && v !== 'json' && v !== 'sarif') return `pfcheck: unknown format '${v}'\n${USAGE}`;
      args.format = v;
    } else if (a.startsWith('--dialect')) {
      const v = value();
      if (!DIALECTS.includes(v)) return `pfcheck: unknown dialect '${v}'\n${USAGE}`;
      args.dialect = v as DialectSetting;
    } else if (a.startsWith('--external-table')) {
      const v = value();
      if (!v) return `pfcheck: --external-table needs a name\n${USAGE}`;
      args.externalTables.push(v);
    } else if (a.startsWith('-') && a !== '-') return `pfcheck: unknown option '${a}'\n${USAGE}`;
    else args.inputs.push(a);
  }
  if (!args.inputs.length) return `pfcheck: no input files\n${USAGE}`;
  return args;
}

/** Expands directories into the pf files below them; reports what cannot be read. */
function collectFiles(inputs: string[], ioErrors: string[]): string[] {
  const files: string[] = [];
  const walkDir = (dir: string) => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch (err) {
      ioErrors.push(`pfcheck: cannot read directory ${dir}: ${(err as Error).message}`);
      return;
    }
    for (const name of entries) {
      const p = join(dir, name);
      let isDir = false;
      try {
        isDir = statSync(p).isDirectory();
      } catch {
        continue; // dangling link
      }
      if (isDir) walkDir(p);
      else if (isPfFileName(name)) files.push(normalize(p));
    }
  };
  for (const input of inputs) {
    if (input === '-') {
      files.push('-');
      continue;
    }
    try {
      if (statSync(input).isDirectory()) walkDir(input);
      else files.push(normalize(input));
    } catch {
      ioErrors.push(`pfcheck: cannot open ${input}: No such file or directory`);
    }
  }
  return files;
}

async function main(argv: string[]): Promise<number> {
  // `--print-rules` is pfctl -nv's view of the file: a mode of its own with pfctl's options.
  if (argv.includes('--print-rules')) return runPrintRules(argv.filter((a) => a !== '--print-rules'));
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    (args === USAGE ? process.stdout : process.stderr).write(args + '\n');
    return args === USAGE ? 0 : 2;
  }
  const parser = await createParser();
  const ioErrors: string[] = [];
  const files = collectFiles(args.inputs, ioErrors);

  // Standard input is a document of its own, called "stdin" as pfctl does.
  const stdinText = files.includes('-') ? decodeText(readFileSync(0)) : undefined;
  const fs: FileSystem = {
    readFile: (p) => (p === 'stdin' && stdinText !== undefined ? { text: stdinText } : nodeFileSystem.readFile(p)),
  };
  const paths = files.map((f) => (f === '-' ? 'stdin' : f));

  if (args.tree) {
    for (const p of paths) {
      const r = fs.readFile(p);
      if ('error' in r) {
        ioErrors.push(`pfcheck: cannot read ${p}: ${r.error}`);
        continue;
      }
      const tree = parser.parse(r.text);
      process.stdout.write(`${p}:\n${tree ? formatTree(tree.rootNode) : '(parse abandoned)'}\n`);
    }
    for (const e of ioErrors) process.stderr.write(e + '\n');
    return ioErrors.length ? 2 : 0;
  }

  const analyzer = new Analyzer(parser, fs, { dialect: args.dialect, externalTables: args.externalTables, fullExpansion: true });
  const readable = paths.filter((p) => {
    const r = fs.readFile(p);
    if ('error' in r) ioErrors.push(`pfcheck: cannot read ${p}: ${r.error}`);
    return !('error' in r);
  });
  analyzer.discover(readable);
  const results: FileResult[] = readable.map((file) => ({
    file,
    dialect: analyzer.workspace.getDocument(file)?.dialect ?? 'openbsd',
    diagnostics: analyzer.diagnostics(file),
  }));

  const format = { text: formatText, json: formatJson, sarif: formatSarif }[args.format];
  process.stdout.write(format(results));
  for (const e of ioErrors) process.stderr.write(e + '\n');
  if (ioErrors.length) return 2;
  return results.some((r) => r.diagnostics.some((d: Diagnostic) => d.severity === 'error')) ? 1 : 0;
}

/** S-expression with field names and positions, one node per line (for bug reports). */
function formatTree(root: import('web-tree-sitter').Node): string {
  const lines: string[] = [];
  const visit = (node: import('web-tree-sitter').Node, depth: number, field: string | null) => {
    const pos = `[${node.startPosition.row}, ${node.startPosition.column}] - [${node.endPosition.row}, ${node.endPosition.column}]`;
    const label = node.isMissing ? `MISSING ${node.type}` : node.type;
    lines.push(`${'  '.repeat(depth)}${field ? field + ': ' : ''}(${label} ${pos}`);
    for (let i = 0; i < node.namedChildCount; i++) {
      const child = node.namedChild(i);
      if (child) visit(child, depth + 1, fieldNameOf(node, child));
    }
    lines[lines.length - 1] += ')';
  };
  visit(root, 0, null);
  return lines.join('\n');
}

function fieldNameOf(parent: import('web-tree-sitter').Node, child: import('web-tree-sitter').Node): string | null {
  for (let i = 0; i < parent.childCount; i++) {
    if (parent.child(i)?.id === child.id) return parent.fieldNameForChild(i);
  }
  return null;
}

/** Runs the command line and exits with its status. */
export function run(): void {
  // A short-lived process: V8's optimising recompile of the grammar's wasm finishes after the work
  // is done and delays the exit (measured 1.5–5× slower end to end on 1k–10k rules without this).
  setFlagsFromString('--liftoff-only');
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`pfcheck: internal error: ${(err as Error).stack ?? err}\n`);
      process.exit(2);
    },
  );
}

if (require.main === module) run();

export { main };
