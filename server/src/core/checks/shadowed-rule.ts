// shadowed-rule: a pass/block rule that can never decide a packet, because every packet it
// matches is also matched by an earlier `quick` rule (evaluation stops there) or by a later rule
// (the last matching rule wins). Works on the ruleset as pfctl expands it (OpenBSD dialect, the
// engine's); a rule written as a list is reported only when every rule it expands to is covered.
//
// Conservative by design — no warning unless coverage is certain:
//  - coverage is decided per pair of expanded rules by ./shadow/cover.ts (criteria it does not
//    model exactly, tables/interfaces/`self` not written identically, negations it cannot
//    decide, probability/once/max-pkt-rate covers: no claim);
//  - rules are only compared inside one stretch of the ruleset without an anchor call, a `match
//    quick` rule or a statement the engine could not read (rules of an inline anchor body are
//    compared among themselves);
//  - a `match` rule with nat-to/rdr-to/binat-to between the two rules (later rules see the
//    translated packet) prevents the claim; a rule setting a tag between them prevents claims
//    whose cover needs `tagged`, one setting tos prevents claims whose cover needs `tos`;
//  - `match` rules never decide, so they are neither covers nor reported; a rule with `tag` or
//    `log (matches)` has an effect without deciding and is not reported.
// States: a packet that matches a state skips the rules; this does not change which rule decides
// the packets that are evaluated, so states are not considered (only the implicit `flags S/SA`
// of stateful pass rules and pf's refusal to let stateful rules match stateless ICMP replies).
import { basename, dirname, resolve } from 'path';
import type { PfDocument } from '../document';
import type { Range } from '../types';
import { unlessTooDeep } from '../expansion-guard';
import type { Check, FileDiagnostic } from './context';
import { MAX_EXPANSION_BYTES } from './pfctl-semantic';
import { afGuessed, canBeShadowed, canCover, covers, Match, portIntervals } from './shadow/cover';
import { readRuleset, type Item, type RuleItem } from './shadow/ruleset';
import type { Rule } from '../expand/rule';

/** Upper bound on pair comparisons per unit; the check stops looking beyond it. */
const MAX_COMPARISONS = 5_000_000;

export const shadowedRule: Check = {
  code: 'shadowed-rule',
  run({ unit, options }) {
    const root = unit.documents[0];
    if (!root?.tree || root.dialect !== 'openbsd') return [];
    if (!options.fullExpansion && root.text.length > MAX_EXPANSION_BYTES) return [];
    const byPath = new Map(unit.documents.map((d) => [resolve(d.path), d]));
    const docOf = (file: string): PfDocument | undefined =>
      byPath.get(resolve(file)) ?? byPath.get(resolve(dirname(root.path), file));
    const read = unlessTooDeep(() => readRuleset({ path: root.path, text: root.text, readFile: (p) => docOf(p)?.text }));
    if (!read || read.fatal) return [];
    const findings = unlessTooDeep(() => findShadowedRules(read.items));
    if (!findings) return [];
    const out: FileDiagnostic[] = [];
    for (const f of findings) {
      const doc = docOf(f.rule.file) ?? root;
      const coverText = describeCovers(f);
      out.push({
        path: doc.path,
        code: 'shadowed-rule',
        severity: 'warning',
        source: 'pfcheck',
        range: lineRange(doc, f.rule.spec.line),
        message: `rule never decides a packet: every packet it matches is also matched by ${coverText}`,
        related: f.covers.map((c) => {
          const cdoc = docOf(c.item.file) ?? root;
          return { path: cdoc.path, range: lineRange(cdoc, c.item.spec.line), message: 'covering rule' };
        }),
      });
    }
    return out;
  },
};

export interface Cover {
  item: RuleItem;
  /** `quick`: an earlier quick rule; `later`: a later rule (last match wins). */
  how: 'quick' | 'later';
}

export interface Finding {
  rule: RuleItem;
  covers: Cover[];
}

/** Every shadowed rule of a ruleset, with the covering rules chosen for the message. */
export function findShadowedRules(items: Item[]): Finding[] {
  const budget = { left: MAX_COMPARISONS };
  const out: Finding[] = [];
  for (const seg of segments(items)) {
    if (budget.left <= 0) break;
    out.push(...inSegment(seg, budget));
  }
  return out;
}

/** Stretches of rules compared with each other; anchors, `match quick` and barriers split them. */
function segments(items: Item[]): RuleItem[][] {
  const out: RuleItem[][] = [];
  let cur: RuleItem[] = [];
  const flush = () => {
    if (cur.length > 1) out.push(cur);
    cur = [];
  };
  for (const it of items) {
    if (it.kind === 'rule' && !(it.spec.action === 'match' && it.spec.quick)) {
      cur.push(it);
      continue;
    }
    flush();
    if (it.kind === 'anchor' && it.body) out.push(...segments(it.body));
  }
  flush();
  return out;
}

const decides = (it: RuleItem) => it.spec.action === 'pass' || it.spec.action === 'block';

/** Bucket of a cover by the cheap criteria; `*` where it has none (it accepts any value). */
function bucketOf(f: Rule): string {
  const port = f.dstPort?.op === '=' && f.dstPort.unresolved === undefined ? `=${f.dstPort.a}` : '*';
  return `${f.dir ?? '*'}|${f.proto ?? '*'}|${f.ifname ? (f.ifname.neg ? '!' : '') + f.ifname.name : '*'}|${f.af ?? '*'}|${port}`;
}

/** The buckets whose covers can match an expanded rule: its own value or `*` per criterion. */
function bucketsFor(e: Rule): string[] {
  // a cover testing one destination port covers only rules whose ports are that one port
  const ports = e.dstPort ? portIntervals(e.dstPort) : undefined;
  const single = ports?.length === 1 && ports[0][0] === ports[0][1] ? `=${ports[0][0]}` : '*';
  const dims = [
    e.dir ?? '*',
    e.proto === undefined ? '*' : String(e.proto),
    e.ifname ? (e.ifname.neg ? '!' : '') + e.ifname.name : '*',
    e.af ?? '*',
    single,
  ];
  let keys = [''];
  for (const [k, v] of dims.entries()) {
    const vals = v === '*' ? ['*'] : [v, '*'];
    keys = keys.flatMap((p) => vals.map((x) => (k === 0 ? x : `${p}|${x}`)));
  }
  return keys;
}

function inSegment(seg: RuleItem[], budget: { left: number }): Finding[] {
  const n = seg.length;
  // prefix counts of rules with effects on later rules' matching
  const count = (pred: (it: RuleItem) => boolean) => {
    const p = [0];
    for (const it of seg) p.push(p[p.length - 1] + (pred(it) ? 1 : 0));
    return (i: number, j: number) => p[Math.max(i, j)] - p[Math.min(i, j) + 1]; // strictly between
  };
  const translations = count((it) => it.spec.action === 'match' && !!(it.spec.nat || it.spec.rdr || it.spec.binat));
  const taggers = count((it) => it.spec.tag !== undefined);
  const tosSetters = count((it) => it.spec.action === 'match' && (it.spec.setTos !== undefined || !!it.spec.scrub));
  // every expanded rule that can cover, by bucket, in ruleset order; quick ones also apart
  interface Entry { j: number; rule: Rule; m: Match }
  const index = new Map<string, { all: Entry[]; quick: Entry[] }>();
  seg.forEach((it, j) => {
    if (!decides(it) || it.unknown) return;
    for (const f of it.rules) {
      if (!canCover(f) || afGuessed(f, it.spec)) continue;
      const key = bucketOf(f);
      let b = index.get(key);
      if (!b) index.set(key, (b = { all: [], quick: [] }));
      const en = { j, rule: f, m: new Match(f) };
      b.all.push(en);
      if (it.spec.quick) b.quick.push(en);
    }
  });
  const out: Finding[] = [];
  for (let i = 0; i < n; i++) {
    const r = seg[i];
    if (!decides(r) || r.unknown || !r.rules.every(canBeShadowed)) continue;
    // per expanded rule of r: the rules (positions) with an expanded rule covering it
    const coveredBy: Set<number>[] = [];
    let shadowed = true;
    for (const e of r.rules) {
      const set = new Set<number>();
      const em = new Match(e);
      const consider = ({ j, m }: Entry) => {
        if (set.has(j)) return;
        budget.left--;
        if (!covers(m, em) || translations(i, j) > 0) return;
        if (m.tagged !== undefined && taggers(i, j) > 0) return;
        if (m.tos !== undefined && tosSetters(i, j) > 0) return;
        set.add(j);
      };
      for (const key of bucketsFor(e)) {
        const b = index.get(key);
        if (!b) continue;
        // earlier quick rules
        for (const en of b.quick) {
          if (en.j >= i) break;
          consider(en);
        }
        // later rules, when r is not quick itself
        if (!r.spec.quick) for (let k = firstAfter(b.all, i); k < b.all.length; k++) consider(b.all[k]);
      }
      if (set.size === 0 || budget.left <= 0) {
        shadowed = false;
        break;
      }
      coveredBy.push(set);
    }
    if (!shadowed) {
      if (budget.left <= 0) break;
      continue;
    }
    const chosen = chooseCovers(coveredBy, i);
    out.push({ rule: r, covers: chosen.map((j) => ({ item: seg[j], how: j < i ? 'quick' : 'later' })) });
  }
  return out;
}

/** Index of the first entry after position i (entries sorted by position). */
function firstAfter(list: { j: number }[], i: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].j <= i) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Fewest covers explaining every expanded rule; prefers the rule that actually decides. */
function chooseCovers(coveredBy: Set<number>[], i: number): number[] {
  // preference: the first earlier quick rule (it decides), then the nearest later rule
  const all = [...new Set(coveredBy.flatMap((s) => [...s]))];
  const rank = (j: number) => (j < i ? j : 1e9 + (j - i));
  all.sort((a, b) => rank(a) - rank(b));
  const chosen: number[] = [];
  let left = coveredBy.map((_, k) => k);
  while (left.length) {
    let best = -1;
    let bestCount = 0;
    for (const j of all) {
      const k = left.filter((x) => coveredBy[x].has(j)).length;
      if (k > bestCount) {
        best = j;
        bestCount = k;
      }
    }
    if (best < 0) break;
    chosen.push(best);
    left = left.filter((x) => !coveredBy[x].has(best));
  }
  return chosen.sort((a, b) => a - b);
}

function describeCovers(f: Finding): string {
  const where = (c: Cover) => {
    const line = `line ${c.item.spec.line}`;
    return c.item.file === f.rule.file ? line : `${line} of ${basename(c.item.file)}`;
  };
  const parts = f.covers.map((c) => `the ${c.how === 'quick' ? 'quick' : 'later'} rule on ${where(c)}`);
  let text = parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
  if (f.covers.some((c) => c.how === 'later')) text += ' (last matching rule wins)';
  return text;
}

const linesOf = new WeakMap<PfDocument, string[]>();

function lineRange(doc: PfDocument, line1: number): Range {
  const l = line1 - 1;
  let lines = linesOf.get(doc);
  if (!lines) linesOf.set(doc, (lines = doc.text.split('\n')));
  const text = (lines[l] ?? '').replace(/\r$/, '');
  const start = text.length - text.trimStart().length;
  return { start: { line: l, character: start }, end: { line: l, character: text.length } };
}
