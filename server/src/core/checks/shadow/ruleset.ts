// The unit's ruleset as the expansion engine reads it, arranged for the shadowed-rule check:
// every rule statement in evaluation order with its expanded rules, the engine file it came from,
// and whether the engine could read it completely. Anchors keep their inline bodies.
//
// The engine's `index.ts` does not export its evaluation step (statements with their expanded
// rules), only printed text, so this module drives the engine's Parser and expandRule itself,
// the same way `printRules` does. Two things differ on purpose:
//  - interface and host names (`em0`, `em0:network`, `localhost`) are not turned into addresses:
//    those depend on the firewall. They stay one opaque host per name, so a rule's expansions
//    describe a superset of what it matches on any host (never a guess about its addresses);
//  - errors are attributed: an error raised while one rule expands marks that rule as unknown;
//    any other error (syntax error, rule rejected before expansion, missing include) is a
//    barrier — something sits there that the engine could not read.
import { Context, DEFAULT_INTERFACES } from '../../expand/context';
import { expandRule } from '../../expand/expand';
import { Parser } from '../../expand/parse';
import type { HostOne, HostSpec, Rule, RuleSpec, Statement } from '../../expand/rule';
import type { Af } from '../../expand/addr';

export interface RuleItem {
  kind: 'rule';
  spec: RuleSpec;
  rules: Rule[];
  /** The file name the engine read the rule from (as written in `include`, or the root path). */
  file: string;
  /** Position in parse order (anchor bodies come before their anchor rule). */
  seq: number;
  /** The engine reported an error on this rule, or an unreadable statement touches it. */
  unknown: boolean;
}

export interface AnchorItem {
  kind: 'anchor';
  spec: RuleSpec;
  file: string;
  seq: number;
  body?: Item[];
}

/** Something the engine could not read, between two statements. */
export interface BarrierItem {
  kind: 'barrier';
}

export type Item = RuleItem | AnchorItem | BarrierItem;

export interface ReadRuleset {
  items: Item[];
  /** Set when the whole reading is unreliable (an undefined macro shifts every later token). */
  fatal?: string;
}

const FATAL = /^macro '.*' not defined$|^macro expansion too deep$|^unterminated quoted string$/;

class ShadowContext extends Context {
  current: RuleSpec | undefined;
  seq = 0;
  seqOf = new Map<RuleSpec, number>();
  fileOf = new Map<RuleSpec, string>();
  erroneous = new Set<RuleSpec>();
  /** Parse positions (number of rules read so far) where an unreadable statement was. */
  barriers: number[] = [];
  fatal: string | undefined;

  override error(file: string, line: number, message: string): void {
    super.error(file, line, message);
    if (this.current) {
      this.erroneous.add(this.current);
      return;
    }
    if (FATAL.test(message)) this.fatal ??= `${file}:${line}: ${message}`;
    this.barriers.push(this.seq);
  }

  override resolveHost(h: HostSpec, af: Af | undefined): HostOne[] | undefined {
    if (h.kind === 'ifname') return [{ kind: 'ifname', neg: h.neg, name: h.name, bits: h.bits }];
    return super.resolveHost(h, af);
  }
}

export interface ReadInput {
  path: string;
  text: string;
  readFile: (p: string) => string | undefined;
}

export function readRuleset(input: ReadInput): ReadRuleset {
  const ctx = new ShadowContext('openbsd', DEFAULT_INTERFACES, input.readFile);
  ctx.expand = (spec, file, counter) => {
    ctx.seqOf.set(spec, ctx.seq++);
    ctx.fileOf.set(spec, file);
    ctx.current = spec;
    try {
      return expandRule(ctx, spec, file, () => counter.n++).rules;
    } finally {
      ctx.current = undefined;
    }
  };
  const stmts: Statement[] = [];
  new Parser(ctx, input.path, input.text).parse(stmts);
  // A statement the engine could not read may have left its error after the rule read just
  // before it or just after it (the lexer reports late): neither is trusted.
  const poisoned = new Set<number>();
  for (const b of ctx.barriers) {
    poisoned.add(b - 1);
    poisoned.add(b);
  }
  const build = (list: Statement[]): Item[] => {
    const items: Item[] = [];
    let lastSeq = -1;
    const barrierBefore = (seq: number) => ctx.barriers.some((b) => lastSeq < b && b <= seq);
    for (const st of list) {
      if (st.kind !== 'rule') {
        items.push({ kind: 'barrier' });
        continue;
      }
      const spec = st.rule;
      const seq = ctx.seqOf.get(spec) ?? -1;
      const file = ctx.fileOf.get(spec) ?? input.path;
      if (spec.action === 'anchor') {
        // the body was read before the anchor rule itself; barriers inside belong to the body
        const body = spec.anchorBody ? build(spec.anchorBody) : undefined;
        items.push({ kind: 'anchor', spec, file, seq, body });
        lastSeq = seq;
        continue;
      }
      if (barrierBefore(seq)) items.push({ kind: 'barrier' });
      items.push({
        kind: 'rule', spec, rules: st.expanded, file, seq,
        unknown: ctx.erroneous.has(spec) || poisoned.has(seq) || st.expanded.length === 0,
      });
      lastSeq = seq;
    }
    return items;
  };
  return { items: build(stmts), fatal: ctx.fatal };
}
