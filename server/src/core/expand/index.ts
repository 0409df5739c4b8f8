/**
 * pfctl without a BSD host: `printRules` reads a pf.conf the way
 * `pfctl -o none -nv -f FILE` does and returns what pfctl would print and
 * report. Pure: files are read through the `readFile` callback.
 */
import { Context, DEFAULT_INTERFACES } from './context';
import { Parser } from './parse';
import { expandRule } from './expand';
import { printRule } from './print';
import type { Rule, Statement } from './rule';

export { tokenize, Lexer } from './lexer';
export { DEFAULT_INTERFACES } from './context';
export type { Rule, RuleSpec, Statement } from './rule';

export interface PrintRulesInput {
  /** Name used in messages (`stdin` for standard input). */
  path: string;
  text: string;
  readFile?: (p: string) => string | undefined;
  defines?: Record<string, string>;
  interfaces?: Record<string, string[]>;
  anchor?: string;
  dialect?: 'openbsd' | 'freebsd';
}

export interface PrintRulesOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

interface Printed {
  lines: string[];
}

function emit(ctx: Context, stmts: Statement[], file: string, indent: string, out: Printed, counter: { n: number }): void {
  for (const st of stmts) {
    if (st.kind === 'text') {
      out.lines.push(indent + st.text);
      continue;
    }
    void file;
    void counter;
    for (const r of st.expanded) {
      if (r.action === 'anchor') {
        const head = printRule(anchorHead(r), ctx.dialect, indent);
        if (r.anchorBody) {
          out.lines.push(`${head} {`);
          emit(ctx, r.anchorBody, file, indent + '  ', out, { n: 0 });
          out.lines.push(`${indent}}`);
        } else out.lines.push(head);
      } else out.lines.push(printRule(r, ctx.dialect, indent));
    }
  }
}

function anchorHead(r: Rule): Rule {
  if (r.anchorName) return r;
  return r;
}

/** Reads the input as pfctl does: every statement parsed, every rule expanded. */
function evaluate(input: PrintRulesInput): { ctx: Context; stmts: Statement[] } {
  const ctx = new Context(input.dialect ?? 'openbsd', input.interfaces ?? DEFAULT_INTERFACES, input.readFile);
  for (const [k, v] of Object.entries(input.defines ?? {})) {
    ctx.macros.set(k, v);
    ctx.defines.add(k);
  }
  ctx.expand = (spec, file, counter) => expandRule(ctx, spec, file, () => counter.n++).rules;
  const stmts: Statement[] = [];
  new Parser(ctx, input.path, input.text).parse(stmts);
  return { ctx, stmts };
}

export function printRules(input: PrintRulesInput): PrintRulesOutput {
  const { ctx, stmts } = evaluate(input);
  const printed: Printed = { lines: [] };
  emit(ctx, stmts, input.path, '', printed, { n: 0 });
  let stdout = ctx.out.map((l) => l + '\n').join('');
  if (ctx.errorCount === 0) stdout += printed.lines.map((l) => l + '\n').join('');
  const stderr = ctx.errors.map((l) => l + '\n').join('');
  return { stdout, stderr, exitCode: ctx.errorCount ? 1 : 0 };
}

/** Each rule of the main file (1-based line) with the rules pfctl expands it into, as printed. */
export function ruleExpansions(input: PrintRulesInput): { line: number; rules: string[] }[] {
  const { ctx, stmts } = evaluate(input);
  const out: { line: number; rules: string[] }[] = [];
  for (const st of stmts) {
    if (st.kind !== 'rule') continue;
    out.push({ line: st.rule.line, rules: st.expanded.map((r) => printRule(r, ctx.dialect, '')) });
  }
  return out;
}
