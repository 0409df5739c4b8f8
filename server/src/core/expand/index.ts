/**
 * pfctl without a BSD host: `printRules` reads a pf.conf the way
 * `pfctl -o none -nv -f FILE` does and returns what pfctl would print and
 * report. Pure: files are read through the `readFile` callback.
 */
import { Context, DEFAULT_INTERFACES } from './context';
import { Parser } from './parse';
import { expandRule } from './expand';
import { loadAnchors } from './load';
import { printRule } from './print';
import { FREEBSD_RULESETS, printRuleFreeBSD, rulesetOf, type FreeBSDRuleset } from './print-freebsd';
import type { Statement } from './rule';

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
  /**
   * Extra services(5) entries of the simulated host (name → port), e.g. `{ spamd: 8025 }`
   * for a FreeBSD host whose /etc/services got the entry the mail/spamd port needs.
   */
  services?: Record<string, number>;
  /**
   * `readFile` answers for every path: a table `file` it cannot return does not exist
   * (pfctl: `cannot load`). Off by default, where files outside the workspace are unknown.
   */
  checkTableFiles?: boolean;
}

export interface PrintRulesOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** The printed lines of statements (anchor bodies nested), for one FreeBSD ruleset or all. */
function emit(ctx: Context, stmts: Statement[], indent: string, out: string[], only?: FreeBSDRuleset): void {
  for (const st of stmts) {
    if (st.kind === 'text') {
      out.push(indent + st.text);
      continue;
    }
    for (const r of st.expanded) {
      if (only && rulesetOf(r) !== only) continue;
      const line = ctx.dialect === 'freebsd' ? printRuleFreeBSD(r, indent) : printRule(r, ctx.dialect, indent);
      if (r.action === 'anchor' && r.anchorBody) {
        out.push(`${line} {`);
        emit(ctx, r.anchorBody, indent + '  ', out, only);
        out.push(`${indent}}`);
      } else out.push(line);
    }
  }
}

/** Reads the input as pfctl does: every statement parsed, every rule expanded. */
function evaluate(input: PrintRulesInput): { ctx: Context; stmts: Statement[]; loaded: Statement[] } {
  const ctx = new Context(input.dialect ?? 'openbsd', input.interfaces ?? DEFAULT_INTERFACES, input.readFile);
  for (const [k, v] of Object.entries(input.services ?? {})) ctx.services.set(k, v);
  ctx.checkTableFiles = input.checkTableFiles ?? false;
  ctx.anchor = input.anchor || undefined;
  for (const [k, v] of Object.entries(input.defines ?? {})) {
    ctx.macros.set(k, v);
    ctx.defines.add(k);
  }
  ctx.expand = (spec, file, counter) => expandRule(ctx, spec, file, () => counter.n++).rules;
  const stmts: Statement[] = [];
  new Parser(ctx, input.path, input.text).parse(stmts);
  // FreeBSD's pfctl reads `load anchor` files only for the main ruleset
  const loaded = ctx.anchor && ctx.dialect === 'freebsd' ? [] : loadAnchors(ctx, stmts);
  ctx.altq.finish();
  // queues are checked and loaded (printed) only for the main ruleset
  if (ctx.errorCount === 0 && !ctx.anchor) for (const e of ctx.queues.check()) ctx.report(e);
  return { ctx, stmts, loaded };
}

export function printRules(input: PrintRulesInput): PrintRulesOutput {
  const { ctx, stmts, loaded } = evaluate(input);
  const all = [...stmts, ...loaded];
  const lines: string[] = [];
  if (ctx.dialect === 'freebsd') for (const rs of FREEBSD_RULESETS) emit(ctx, all, '', lines, rs);
  else emit(ctx, all, '', lines);
  let stdout = ctx.out.map((l) => l + '\n').join('');
  if (ctx.errorCount === 0) stdout += [...(ctx.anchor ? [] : ctx.queues.lines()), ...lines].map((l) => l + '\n').join('');
  const stderr = [...ctx.altq.warnings, ...ctx.errors].map((l) => l + '\n').join('');
  return { stdout, stderr, exitCode: ctx.errorCount ? 1 : 0 };
}

/** Each rule of the main file (1-based line) with the rules pfctl expands it into, as printed. */
export function ruleExpansions(input: PrintRulesInput): { line: number; rules: string[] }[] {
  const { ctx, stmts } = evaluate(input);
  const out: { line: number; rules: string[] }[] = [];
  for (const st of stmts) {
    if (st.kind !== 'rule') continue;
    out.push({ line: st.rule.line, rules: st.expanded.map((r) => (ctx.dialect === 'freebsd' ? printRuleFreeBSD(r) : printRule(r, ctx.dialect))) });
  }
  return out;
}
