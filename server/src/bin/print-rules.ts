// pfcheck --print-rules: what `pfctl -o none -nv -f FILE` would print, without a BSD host.
import { readFileSync } from 'fs';
import { dirname, resolve } from 'path';
import { printRules } from '../core/expand';

export const PRINT_RULES_USAGE = `usage: pfcheck --print-rules [--dialect openbsd|freebsd] [--interfaces FILE.json]
                           [-D name=value]... [-a anchor] <file> | -`;

/** Runs the CLI; `argv` holds the arguments after `--print-rules`. Returns the exit status. */
export async function runPrintRules(argv: string[]): Promise<number> {
  let dialect: 'openbsd' | 'freebsd' = 'openbsd';
  let interfaces: Record<string, string[]> | undefined;
  const defines: Record<string, string> = {};
  let anchor: string | undefined;
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string | undefined => {
      const eq = a.indexOf('=');
      if (a.startsWith('--') && eq > 0) return a.slice(eq + 1);
      if (!a.startsWith('--') && a.length > 2) return a.slice(2);
      return argv[++i];
    };
    if (a === '--print-rules') continue;
    if (a === '-h' || a === '--help') {
      process.stdout.write(PRINT_RULES_USAGE + '\n');
      return 0;
    }
    if (a.startsWith('--dialect')) {
      const v = value();
      if (v !== 'openbsd' && v !== 'freebsd') {
        process.stderr.write(`pfcheck: unknown dialect '${v}'\n${PRINT_RULES_USAGE}\n`);
        return 2;
      }
      dialect = v;
    } else if (a.startsWith('--interfaces')) {
      const v = value();
      try {
        interfaces = JSON.parse(readFileSync(v ?? '', 'utf8'));
      } catch (e) {
        process.stderr.write(`pfcheck: cannot read interfaces ${v}: ${(e as Error).message}\n`);
        return 2;
      }
    } else if (a.startsWith('-D')) {
      const v = value() ?? '';
      const eq = v.indexOf('=');
      if (eq <= 0) {
        process.stderr.write(`pfctl: could not parse macro definition ${v}\n`);
        return 2;
      }
      defines[v.slice(0, eq)] = v.slice(eq + 1);
    } else if (a.startsWith('-a')) {
      anchor = value();
    } else if (a === '-' || !a.startsWith('-')) {
      file = a;
    } else {
      process.stderr.write(`pfcheck: unknown option ${a}\n${PRINT_RULES_USAGE}\n`);
      return 2;
    }
  }
  if (file === undefined) {
    process.stderr.write(PRINT_RULES_USAGE + '\n');
    return 2;
  }
  let text: string;
  try {
    text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (e) {
    process.stderr.write(`pfctl: ${file}: ${(e as Error).message}\n`);
    return 1;
  }
  const base = file === '-' ? process.cwd() : dirname(resolve(file));
  const res = printRules({
    path: file === '-' ? 'stdin' : file,
    text,
    defines,
    interfaces,
    anchor,
    dialect,
    readFile: (p) => {
      try {
        return readFileSync(resolve(base, p), 'utf8');
      } catch {
        return undefined;
      }
    },
  });
  process.stdout.write(res.stdout);
  process.stderr.write(res.stderr);
  return res.exitCode;
}
