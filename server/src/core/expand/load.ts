/**
 * `load anchor NAME from FILE`: once the main ruleset is read, pfctl reads
 * each file into the anchor of that name (nested loads name anchors relative
 * to the loading one). With -nv nothing of the loaded file is echoed but its
 * rules, which print inside the anchor rule they belong to, or after the main
 * rules when no anchor rule calls them. pfctl optimizes loaded rulesets even
 * under `-o none`, which folds long address lists into a table.
 */
import type { Context } from './context';
import { Parser } from './parse';
import type { HostOne, Rule, Statement } from './rule';

/** pfctl_optimize's threshold for turning an address list into a table. */
const TABLE_THRESHOLD = 6;

function findAnchor(stmts: Statement[], path: string[]): Rule | undefined {
  for (const st of stmts) {
    if (st.kind !== 'rule') continue;
    for (const r of st.expanded) {
      if (r.action !== 'anchor' || r.anchorName !== path[0]) continue;
      if (path.length === 1) return r;
      const inner = r.anchorBody && findAnchor(r.anchorBody, path.slice(1));
      if (inner) return inner;
    }
  }
  return undefined;
}

/** Reads every pending `load anchor`; returns the statements no anchor rule calls. */
export function loadAnchors(ctx: Context, main: Statement[]): Statement[] {
  const orphans: Statement[] = [];
  while (ctx.loads.length) {
    const load = ctx.loads.shift()!;
    const text = ctx.readFile?.(load.file);
    if (text === undefined) {
      ctx.report(`pfctl: cannot open ${load.file}`);
      continue;
    }
    const echoed = ctx.out.length;
    const before = ctx.loads.length;
    const stmts: Statement[] = [];
    new Parser(ctx, load.file, text, 1).parse(stmts);
    ctx.out.length = echoed;
    // loads inside the file name anchors below this one
    for (const l of ctx.loads.slice(before)) l.anchor = `${load.anchor}/${l.anchor}`;
    for (const st of stmts) if (st.kind === 'rule') st.expanded = foldAddressLists(st.expanded);
    const anchor = findAnchor(main, load.anchor.split('/'));
    if (anchor) anchor.anchorBody = [...(anchor.anchorBody ?? []), ...stmts];
    else orphans.push(...stmts);
  }
  return orphans;
}

const plain = (h: HostOne) => h.kind === 'addr' && !h.neg;

/** Runs of rules that differ only in one plain address, `TABLE_THRESHOLD` or longer, become one rule on a table. */
function foldAddressLists(rules: Rule[]): Rule[] {
  const out: Rule[] = [];
  for (let i = 0; i < rules.length; ) {
    let folded = false;
    for (const side of ['src', 'dst'] as const) {
      const other = side === 'src' ? 'dst' : 'src';
      let j = i;
      const key = (r: Rule) => JSON.stringify({ ...r, [side]: undefined, nr: 0 });
      while (j < rules.length && plain(rules[j][side]) && key(rules[j]) === key(rules[i])) j++;
      if (j - i >= TABLE_THRESHOLD && rules[i][other]) {
        out.push({ ...rules[i], [side]: { kind: 'table', neg: false, name: '__automatic_' } });
        i = j;
        folded = true;
        break;
      }
    }
    if (!folded) out.push(rules[i++]);
  }
  return out;
}
